// The export archive's format: what `deskmove export` writes and the `archive` source reads back. Core, so the
// engine (writer) and the adapter (reader) share one definition; the published JSON Schema
// (schemas/archive/v1/) is generated from these zod schemas.
import { z } from 'zod'
import { ENTITY_KINDS, KIND_PLURAL, entityKindSchema, isoTimeSchema, type EntityKind } from '../model/common.js'
import { schemaByKind } from '../model/index.js'

/** Written into every manifest: an archive is recognised by it, never by its folder's name. */
export const ARCHIVE_FORMAT = 'deskmove-archive'

/**
 * The archive's major version. Adding an optional field or a new file keeps it; renaming, removing or changing
 * the meaning of one raises it. A reader accepts archives up to its own version and refuses newer ones.
 */
export const ARCHIVE_VERSION = 1

/** Written first, removed last: an archive holding it was interrupted and is not complete. */
export const INCOMPLETE_MARKER = '.deskmove-export-incomplete'
export const MANIFEST_FILE = 'manifest.json'

/** The parts of an archive `--format` selects. `jsonl`: records, raw payloads, attachment files. `eml`: one email per message. */
export const ARCHIVE_FORMATS = ['jsonl', 'eml'] as const
export type ArchiveFormatPart = (typeof ARCHIVE_FORMATS)[number]

/** Relative paths inside the archive (always `/`, whatever the platform). */
export const archivePaths = {
  records: (kind: EntityKind): string => `records/${KIND_PLURAL[kind]}.jsonl`,
  raw: (kind: EntityKind): string => `raw/${KIND_PLURAL[kind]}.jsonl`,
  warnings: 'warnings.jsonl',
  rejects: 'rejects.jsonl',
  attachmentFiles: 'attachment-files.jsonl',
  blob: (sha256: string): string => `blobs/${sha256}`,
  emlIndex: 'eml/index.jsonl',
} as const

const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/)

/** One line of `raw/<kind>.jsonl`: the vendor payload a record was mapped from, kept losslessly. */
export const rawLineSchema = z.object({
  source: z.string().min(1),
  kind: entityKindSchema,
  sourceId: z.string().min(1),
  /** The source stream that read it (e.g. `conversations`). */
  stream: z.string(),
  raw: z.unknown(),
})
export type RawLine = z.infer<typeof rawLineSchema>

/** One line of `warnings.jsonl`: something odd about a record that was kept all the same. */
export const warningLineSchema = z.object({
  source: z.string().min(1),
  kind: z.string().min(1),
  sourceId: z.string().min(1),
  /** `extract` (read), `blob` (bytes fetched), `identity` (id checks). */
  phase: z.string(),
  code: z.string(),
  detail: z.string(),
})
export type WarningLine = z.infer<typeof warningLineSchema>

/** One line of `rejects.jsonl`: an open reject (what could not be read, fetched, planned or written). */
export const rejectLineSchema = z.object({
  phase: z.string(),
  source: z.string().min(1),
  target: z.string().nullable(),
  stream: z.string().nullable(),
  kind: z.string(),
  sourceId: z.string(),
  reason: z.string(),
  detail: z.string(),
  /** The vendor payload, when there was one. */
  raw: z.unknown().optional(),
  createdAt: z.string(),
})
export type RejectLine = z.infer<typeof rejectLineSchema>

/**
 * One line of `attachment-files.jsonl`, for every attachment record: where its bytes are in the archive, or why
 * they are not (`pending`: never fetched, e.g. `--no-attachments`; `failed`, `too-large`, `skipped`: see `error`).
 */
export const attachmentFileLineSchema = z.object({
  source: z.string().min(1),
  attachmentId: z.string().min(1),
  fileName: z.string(),
  status: z.enum(['stored', 'pending', 'failed', 'too-large', 'skipped']),
  sha256: sha256Schema.nullable(),
  size: z.number().int().nonnegative().nullable(),
  /** `blobs/<sha256>` when the bytes are in the archive. */
  file: z.string().nullable(),
  error: z.string().nullable(),
})
export type AttachmentFileLine = z.infer<typeof attachmentFileLineSchema>

/** One line of `eml/index.jsonl`: a message's email file, or why the message has none. */
export const emlIndexLineSchema = z.object({
  source: z.string().min(1),
  ticketId: z.string().min(1),
  messageId: z.string().min(1),
  /** `eml/<ticket>/<position>-<message>.eml`; null when the message is not an email (system events). */
  path: z.string().nullable(),
  sha256: sha256Schema.nullable(),
  bytes: z.number().int().nonnegative().nullable(),
  /** The RFC 5322 Message-ID header written (the original one when the source knew it). */
  headerMessageId: z.string().nullable(),
  /** Attachments of the message whose bytes are not in the archive: named in `X-Deskmove-Missing-Attachment`. */
  missingAttachments: z.array(z.object({ attachmentId: z.string(), fileName: z.string(), status: z.string() })),
  skipped: z.string().nullable(),
})
export type EmlIndexLine = z.infer<typeof emlIndexLineSchema>

export const fileEntrySchema = z.object({ sha256: sha256Schema, bytes: z.number().int().nonnegative(), lines: z.number().int().nonnegative() })

/** `manifest.json`: written last, so its presence means the archive is complete. */
export const manifestSchema = z.object({
  format: z.literal(ARCHIVE_FORMAT),
  formatVersion: z.number().int().positive(),
  deskmoveVersion: z.string(),
  createdAt: isoTimeSchema,
  /** Sources whose records the archive holds (a staging store may hold several). */
  sources: z.array(z.string()),
  /** The parts written (`jsonl`, `eml`). Strings, not an enum: a later version may add a part without a new major. */
  formats: z.array(z.string()).min(1),
  counts: z.object({
    records: z.record(z.number().int().nonnegative()),
    warnings: z.number().int().nonnegative(),
    rejects: z.number().int().nonnegative(),
    attachmentFiles: z.object({ stored: z.number().int().nonnegative(), withoutBytes: z.number().int().nonnegative(), distinctBlobs: z.number().int().nonnegative(), bytes: z.number().int().nonnegative() }),
    eml: z.object({ files: z.number().int().nonnegative(), skipped: z.number().int().nonnegative() }),
  }),
  /** Every file but the blobs (named by their own hash) and the emails (hashed in `eml/index.jsonl`). */
  files: z.record(fileEntrySchema),
})
export type Manifest = z.infer<typeof manifestSchema>

/** Every schema of the archive, by the published file name (schemas/archive/v1/<name>.schema.json). */
export function archiveSchemas(): Record<string, z.ZodTypeAny> {
  const out: Record<string, z.ZodTypeAny> = {
    manifest: manifestSchema,
    'raw-line': rawLineSchema,
    'warning-line': warningLineSchema,
    'reject-line': rejectLineSchema,
    'attachment-file-line': attachmentFileLineSchema,
    'eml-index-line': emlIndexLineSchema,
  }
  for (const kind of ENTITY_KINDS) out[`record-${kind}`] = schemaByKind[kind]
  return out
}
