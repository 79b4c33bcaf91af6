// What every FreeScout write step shares: the writer state, provenance stamps, error classification, and the
// per-op file log. Kept apart from apply.ts so the steps (people, attachments, SQL) do not import their caller.
import type { RecordRef } from '../../../src/core/model/common.js'
import type { ApplyContext } from '../../../src/core/target.js'
import { MigrationError, RecordRejectedError, RemoteUnavailableError } from '../../../src/core/errors.js'
import type { FsDb } from './db.js'
import { classifySqlError } from '../../../src/kits/sql/index.js'
import type { FsConversationOp } from './plan-ops.js'

/** What apply needs besides the op. */
export interface FsWriter {
  readonly db: FsDb
  readonly storageDir: string
  readonly appUrl: string | null
  readonly appKey: string | null
  /** Mailboxes written to in this run: their folder counters are recomputed at the end. */
  readonly touched: Set<number>
  /** Next free conversation number, read once (MAX(number) is a full scan: no index on `number`). */
  readonly numbers: { next: number | null }
  /** Main address per customer id, read once per run and batch (bounded: cleared past 50,000 customers). */
  readonly mainEmails: Map<number, string | null>
}

/** The `job_title` that marks a user deskmove created (rollback removes exactly those of a run). */
export const createdUserMarker = (runId: string) => `deskmove import ${runId}`

/** The conversation state deskmove wrote: rollback compares it with what FreeScout holds now (changed → kept). */
export interface WrittenState {
  readonly status: number
  readonly state: number
  readonly mailbox: number
  readonly user: number | null
  readonly customer: number
  /** Sorted tag names. */
  readonly tags: readonly string[]
}

/** Provenance stored in `meta` JSON; key order fixed so it can be searched. */
export function provenanceMeta(source: string, sourceId: string, runId: string, hash: string, url?: string | null, wrote?: WrittenState): string {
  return JSON.stringify({ deskmove: { source, id: sourceId, run: runId, hash, ...(url ? { url } : {}), ...(wrote ? { wrote } : {}) } })
}

/** The state a conversation was written with (see `WrittenState`), from its `meta`; null for older imports. */
export function readWrittenState(meta: unknown): WrittenState | null {
  if (typeof meta !== 'string') return null
  try {
    const w = (JSON.parse(meta) as { deskmove?: { wrote?: WrittenState } }).deskmove?.wrote
    return w && typeof w.status === 'number' && Array.isArray(w.tags) ? w : null
  } catch {
    return null
  }
}

/** Reads the deskmove provenance back from a `meta` column. */
export function readProvenance(meta: unknown): { source: string; id: string; run: string; hash: string } | null {
  if (typeof meta !== 'string') return null
  try {
    const d = (JSON.parse(meta) as { deskmove?: { source: string; id: string; run: string; hash: string } }).deskmove
    return d && typeof d.run === 'string' ? d : null
  } catch {
    return null
  }
}

/** Lost connection → RemoteUnavailableError (resumable); any other database error → this record is rejected. */
export function classifyDbError(e: unknown, what: string): MigrationError {
  if (e instanceof MigrationError) return e
  const kind = classifySqlError(e)
  if (kind === 'connection') return new RemoteUnavailableError(`lost the connection to the FreeScout database while writing ${what}`, { cause: e })
  const msg = (e as { message?: string } | null)?.message ?? String(e)
  return new RecordRejectedError(kind === 'duplicate' ? 'duplicate' : 'db-error', `FreeScout refused ${what}: ${msg}`, { cause: e })
}

export function need(ctx: ApplyContext, ref: RecordRef | null, what: string): number | null {
  if (!ref) return null
  const r = ctx.resolve(ref)
  if (r === undefined) throw new RecordRejectedError('dangling-reference', `${what} (${ref.kind} ${ref.sourceId}) was not written to FreeScout`)
  return Number(r)
}

/**
 * Attachment files of an op: `written` are temporary files (removed again if it rolls back), `moves` put them in
 * place after the commit, `old` are replaced files (removed after the commit), `failed` attachments whose file
 * could not be written (left out of the commit and reported as that attachment's reject).
 */
export interface FileLog {
  readonly written: string[]
  readonly old: string[]
  readonly moves: { readonly tmp: string; readonly final: string; readonly id: number; readonly fileName: string }[]
  readonly failed: { readonly ctx: ApplyContext; readonly sourceId: string; readonly detail: string }[]
}

export interface ConvWrite {
  readonly op: FsConversationOp
  readonly ctx: ApplyContext
}
