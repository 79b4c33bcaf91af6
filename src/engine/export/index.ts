// `exportArchive`: the whole staging store as a vendor-neutral archive (README "Export archive").
import { fsyncSync, openSync, closeSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Logger } from '../../core/log.js'
import type { Progress } from '../../core/progress.js'
import type { StagingStore } from '../../staging/store.js'
import { exportSources } from '../../staging/export-reads.js'
import { UsageError } from '../../core/errors.js'
import { ARCHIVE_FORMAT, ARCHIVE_FORMATS, ARCHIVE_VERSION, INCOMPLETE_MARKER, MANIFEST_FILE, archivePaths, type ArchiveFormatPart, type Manifest } from '../../core/archive/format.js'
import { prepareOutDir, removeStaleBlobs, type PreviousArchive } from './out-dir.js'
import { writeJsonlPart } from './write-jsonl.js'
import { writeEmlPart } from './write-eml.js'
import { deskmoveVersion } from './version.js'
import type { WrittenFile } from './jsonl-writer.js'

export interface ExportArchiveOptions {
  /** The staging store to export (opened by the caller; read only). */
  readonly store: StagingStore
  /** The archive folder: new, empty, an interrupted export's, or (with `force`) a previous archive. */
  readonly out: string
  /** Which parts to write; both by default. */
  readonly formats?: readonly ArchiveFormatPart[]
  /** Replace a previous complete archive in `out`. */
  readonly force?: boolean
  /** Soft stop (Ctrl-C): the export stops with `InterruptedError`, leaving no manifest. */
  readonly signal?: AbortSignal
  readonly log: Logger
  readonly progress?: Progress
  readonly now?: () => Date
}

export interface ExportArchiveSummary {
  /** Absolute path of the archive folder. */
  readonly out: string
  /** What `out` held before: nothing, an interrupted export (written over), or an archive replaced with `force`. */
  readonly replaced: PreviousArchive
  readonly manifest: Manifest
  /** Attachments listed without bytes in the archive (never fetched, failed, too large): see attachment-files.jsonl. */
  readonly attachmentsWithoutBytes: number
  readonly seconds: number
}

function fileEntry(w: WrittenFile): Manifest['files'][string] {
  return { sha256: w.sha256, bytes: w.bytes, lines: w.lines }
}

/** Writes the manifest through a temp file and a rename: it appears whole, and last. */
function writeManifest(out: string, manifest: Manifest): void {
  const tmp = join(out, `${MANIFEST_FILE}.tmp`)
  writeFileSync(tmp, `${JSON.stringify(manifest, null, 2)}\n`)
  const fd = openSync(tmp, 'r')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  renameSync(tmp, join(out, MANIFEST_FILE))
}

/**
 * Exports the whole staging store to `out` as a deskmove archive (format version {@link ARCHIVE_VERSION}):
 * `records/<kind>.jsonl` (canonical records), `raw/<kind>.jsonl` (vendor payloads), `warnings.jsonl`,
 * `rejects.jsonl`, `attachment-files.jsonl` + `blobs/<sha256>` (jsonl part); `eml/<source>/<ticket>/*.eml` +
 * `eml/index.jsonl` (eml part); `manifest.json` last, holding counts and every file's sha256. Until the
 * manifest exists the folder holds `.deskmove-export-incomplete`, so an interrupted export never looks complete.
 * Throws `UsageError` for an unusable `out` (see `prepareOutDir`), `InterruptedError` when `signal` aborts.
 */
export async function exportArchive(o: ExportArchiveOptions): Promise<ExportArchiveSummary> {
  const started = Date.now()
  const now = o.now ?? (() => new Date())
  const signal = o.signal ?? new AbortController().signal
  const formats = ARCHIVE_FORMATS.filter((f) => (o.formats ?? ARCHIVE_FORMATS).includes(f))
  if (formats.length === 0) throw new UsageError('no archive format chosen', { hint: `--format takes ${ARCHIVE_FORMATS.join(', ')} (or both, comma separated)` })
  const out = resolve(o.out)
  const replaced = prepareOutDir(out, o.force ?? false)
  // One read transaction: the archive is one consistent snapshot even while another process extracts.
  const { db } = o.store
  const ownSnapshot = !db.inTransaction
  if (ownSnapshot) db.exec('BEGIN')
  try {
    return await writeArchive(o, out, replaced, formats, signal, now, started)
  } finally {
    if (ownSnapshot && db.inTransaction) db.exec('COMMIT')
  }
}

async function writeArchive(o: ExportArchiveOptions, out: string, replaced: PreviousArchive, formats: ArchiveFormatPart[], signal: AbortSignal, now: () => Date, started: number): Promise<ExportArchiveSummary> {
  if (replaced === 'incomplete') o.log.info(`${out} held an interrupted export: it is written again`)
  const files: Record<string, Manifest['files'][string]> = {}
  let counts: Manifest['counts'] = { records: {}, warnings: 0, rejects: 0, attachmentFiles: { stored: 0, withoutBytes: 0, distinctBlobs: 0, bytes: 0 }, eml: { files: 0, skipped: 0 } }
  let done = 0
  if (formats.includes('jsonl')) {
    o.progress?.phase('records', null)
    const part = await writeJsonlPart({ store: o.store, out, signal, log: o.log, onRecord: () => o.progress?.update(++done) })
    for (const [path, w] of Object.entries(part.files)) files[path] = fileEntry(w)
    counts = { ...counts, records: part.records, warnings: part.warnings, rejects: part.rejects, attachmentFiles: part.attachmentFiles }
    const stale = removeStaleBlobs(out, part.blobs)
    if (stale > 0) o.log.debug(`removed ${stale} attachment file(s) of the replaced archive that no record references now`)
  } else {
    // No blob files without the jsonl part: the emails carry the bytes.
    removeStaleBlobs(out, new Set())
  }
  if (formats.includes('eml')) {
    done = 0
    o.progress?.phase('emails', null)
    const part = await writeEmlPart({ store: o.store, out, signal, onTicket: () => o.progress?.update(++done) })
    files[archivePaths.emlIndex] = fileEntry(part.index)
    counts = { ...counts, eml: { files: part.files, skipped: part.skipped } }
  }
  const manifest: Manifest = {
    format: ARCHIVE_FORMAT,
    formatVersion: ARCHIVE_VERSION,
    deskmoveVersion: deskmoveVersion(),
    createdAt: now().toISOString(),
    sources: exportSources(o.store.db),
    formats,
    counts,
    files: Object.fromEntries(Object.entries(files).sort(([a], [b]) => a.localeCompare(b))),
  }
  writeManifest(out, manifest)
  rmSync(join(out, INCOMPLETE_MARKER), { force: true })
  return { out, replaced, manifest, attachmentsWithoutBytes: counts.attachmentFiles.withoutBytes, seconds: (Date.now() - started) / 1000 }
}

