import type { Checkpoint, SourcePage } from '../core/source.js'
import type { Db } from '../staging/store.js'
import type { CheckpointMode } from '../staging/checkpoints.js'
import { saveCheckpoint } from '../staging/checkpoints.js'
import { serializeRecord, type SerializedRecord } from '../staging/records.js'
import { followDerivedMessage, stageRecord } from './stage-record.js'
import { addReject, hasOpenRejects, resolveRejects } from '../staging/rejects.js'
import { isTooDeep, safeJson } from '../staging/deep-json.js'
import { replaceWarnings } from '../staging/warnings.js'
import type { RecordWarning } from '../core/source.js'
import { enqueueBlob, storedBlob } from '../staging/blob-queue.js'

/** Where a stream stands: everything a page commit needs besides the page. */
export interface StreamPosition {
  readonly source: string
  readonly stream: string
  readonly mode: CheckpointMode
  readonly signpost: string | null
  readonly runId: string
  /** `per-page` streams advance their checkpoint with every page; `restart` streams only when done. */
  readonly perPage: boolean
}

export interface SerializedReject {
  readonly kind: string
  readonly sourceId: string
  readonly reason: string
  readonly detail: string
  readonly rawJson: string
}

/** A record ready to commit: its JSON, the attachment's declared size, and its warnings (null: none). */
export type CommitRecord = SerializedRecord & { readonly declaredSize: number | null; readonly warnings: readonly RecordWarning[] | null }

/** A page ready to be committed: plain data, so it can cross to the writer thread cheaply. */
export type CommitJob =
  | {
      readonly type: 'page'
      readonly at: StreamPosition
      readonly nowIso: string
      readonly checkpoint: Checkpoint
      /** False when only part of the page is staged (`--limit`): its records are kept, the checkpoint stays. */
      readonly advance?: boolean
      readonly records: readonly CommitRecord[]
      readonly rejects: readonly SerializedReject[]
    }
  | {
      readonly type: 'done'
      readonly at: StreamPosition
      readonly nowIso: string
      readonly pages: number
      readonly records: number
      /** The last page's checkpoint: kept, as where the next delta starts (null: keep the stored one). */
      readonly checkpoint?: Checkpoint | null
    }

export interface CommitOutcome {
  readonly records: number
  readonly byKind: Record<string, { staged: number; unchanged: number }>
}

/**
 * A re-read attachment comes without the hash of bytes fetched earlier: keep the stored blob's sha256 and size
 * while the vendor still declares the same size, so a delta neither loses them nor fetches the file again.
 */
function withStoredBlob<R extends CommitRecord>(db: Db, r: R): R {
  const blob = storedBlob(db, r.source, r.sourceId)
  // The same declaration the bytes were fetched against (even one they disagreed with) means the same file.
  if (!blob || (r.declaredSize !== null && r.declaredSize !== blob.size && r.declaredSize !== blob.declaredSize)) return r
  const canonical = JSON.parse(r.canonicalJson) as { sha256: string | null; size: number | null }
  canonical.sha256 = blob.sha256
  canonical.size = blob.size
  return { ...r, canonicalJson: JSON.stringify(canonical) }
}

/**
 * Serialises a page on the reading side (the JSON work is done once, where the objects live). One record that
 * cannot be serialised (nested deeper than `JSON.stringify` can go) becomes a reject holding its raw payload,
 * and the rest of the page goes on; a raw payload alone that is too deep is written without recursion.
 */
export function toCommitJob(page: SourcePage, at: StreamPosition, nowIso: string, advance = true): CommitJob {
  const records: CommitRecord[] = []
  const rejects: SerializedReject[] = page.rejects.map((r) => ({ kind: r.kind, sourceId: r.sourceId, reason: r.reason, detail: r.detail, rawJson: safeJson(r.raw) }))
  for (const { canonical, raw, warnings: given } of page.records) {
    let warnings = given
    let serialized: SerializedRecord
    try {
      serialized = serializeRecord(canonical, raw, at.stream)
    } catch (e) {
      if (!isTooDeep(e)) throw e
      let canonicalJson: string | null = null
      try {
        canonicalJson = JSON.stringify(canonical)
      } catch (inner) {
        if (!isTooDeep(inner)) throw inner
      }
      if (canonicalJson !== null) {
        // Only the vendor payload is too deep for JSON.stringify: the record is fine, its raw written stack-free.
        serialized = { ...serializeRecord(canonical, null, at.stream), rawJson: safeJson(raw) }
        // Nothing is lost, but a payload this odd is worth a look: name it.
        warnings = [...(warnings ?? []), { code: 'raw-too-deep', detail: 'the vendor payload is nested deeper than JSON.stringify can follow; it is kept whole (written without recursion)' }]
      } else {
        rejects.push({ kind: canonical.kind, sourceId: canonical.sourceId, reason: 'unserialisable', detail: 'the record is nested too deeply to store (JSON depth beyond what the serialiser can follow); its raw payload is kept', rawJson: safeJson(raw) })
        continue
      }
    }
    // U+FFFD is what invalid UTF-8 from the vendor decodes to: the original bytes are gone, so say where.
    if (serialized.canonicalJson.includes('\uFFFD')) {
      warnings = [...(warnings ?? []), { code: 'replacement-character', detail: 'a text holds U+FFFD: the vendor sent bytes that are not valid UTF-8 (or stored the character itself); the text is kept as received' }]
    }
    records.push({ ...serialized, declaredSize: canonical.kind === 'attachment' ? canonical.size : null, warnings: warnings && warnings.length > 0 ? warnings : null })
  }
  return { type: 'page', at, nowIso, checkpoint: page.checkpoint, ...(advance ? {} : { advance: false }), records, rejects }
}

/**
 * Commits one job in ONE transaction: the page's records, its rejects, its attachment fetch queue entries
 * and the checkpoint that covers it. A crash before the commit loses the page, which is read again.
 */
export function commitJob(db: Db, job: CommitJob): CommitOutcome {
  return db.transaction((): CommitOutcome => {
    const { at } = job
    if (job.type === 'done') {
      saveCheckpoint(db, { source: at.source, stream: at.stream, mode: at.mode, state: job.checkpoint ?? null, done: true, addPages: at.perPage ? 0 : job.pages, addRecords: at.perPage ? 0 : job.records, signpost: at.signpost, runId: at.runId, now: job.nowIso })
      return { records: 0, byKind: {} }
    }
    const byKind: CommitOutcome['byKind'] = {}
    const mayResolve = hasOpenRejects(db, 'extract', at.source)
    for (const record of job.records) {
      const first = record.kind === 'attachment' ? followDerivedMessage(db, record) : record
      const { record: r, outcome } = stageRecord(db, first, (x) => (x.kind === 'attachment' ? withStoredBlob(db, x) : x), { runId: at.runId, now: job.nowIso })
      if (r.warnings !== null || outcome !== 'inserted') {
        replaceWarnings(db, r, 'extract', r.warnings ?? [], { runId: at.runId, now: job.nowIso, fresh: outcome === 'inserted' })
      }
      const c = (byKind[r.kind] ??= { staged: 0, unchanged: 0 })
      if (outcome === 'unchanged') c.unchanged++
      else c.staged++
      if (r.kind === 'attachment') enqueueBlob(db, { source: r.source, sourceId: r.sourceId, size: r.declaredSize }, at.runId, job.nowIso)
      if (mayResolve) resolveRejects(db, { phase: 'extract', source: at.source, kind: r.kind, sourceId: r.sourceId, runId: at.runId, now: job.nowIso })
    }
    for (const r of job.rejects) {
      addReject(db, { runId: at.runId, phase: 'extract', source: at.source, stream: at.stream, kind: r.kind, sourceId: r.sourceId, reason: r.reason, detail: r.detail, rawJson: r.rawJson }, job.nowIso)
    }
    if (at.perPage && job.advance !== false) {
      saveCheckpoint(db, { source: at.source, stream: at.stream, mode: at.mode, state: job.checkpoint, done: false, addPages: 1, addRecords: job.records.length, signpost: at.signpost, runId: at.runId, now: job.nowIso })
    }
    return { records: job.records.length, byKind }
  }).immediate()
}

type PageJob = Extract<CommitJob, { type: 'page' }>
type RecordMeta = [source: string, kind: string, sourceId: string, stream: string, parentId: string | null, sourceUpdatedAt: string | null, declaredSize: number | null, warnings: readonly RecordWarning[] | null]

/**
 * Packs a page into one string for the writer thread: copying one string is far cheaper than the structured
 * clone of thousands of small objects. JSON never contains a raw newline, so lines delimit the fields.
 */
export function packJob(job: CommitJob): string {
  if (job.type === 'done') return JSON.stringify(job)
  const { records, ...head } = job
  const lines = [JSON.stringify({ ...head, records: records.length })]
  for (const r of records) {
    const meta: RecordMeta = [r.source, r.kind, r.sourceId, r.stream, r.parentId, r.sourceUpdatedAt, r.declaredSize, r.warnings]
    lines.push(JSON.stringify(meta), r.canonicalJson, r.rawJson)
  }
  return lines.join('\n')
}

export function unpackJob(text: string): CommitJob {
  const lines = text.split('\n')
  const head = JSON.parse(lines[0]!) as CommitJob | (Omit<PageJob, 'records'> & { records: number })
  if (head.type === 'done') return head
  const records: PageJob['records'][number][] = []
  for (let i = 1; i < lines.length; i += 3) {
    const [source, kind, sourceId, stream, parentId, sourceUpdatedAt, declaredSize, warnings] = JSON.parse(lines[i]!) as RecordMeta
    records.push({ source, kind: kind as PageJob['records'][number]['kind'], sourceId, stream, parentId, sourceUpdatedAt, declaredSize, warnings, canonicalJson: lines[i + 1]!, rawJson: lines[i + 2]! })
  }
  if (records.length !== head.records) throw new Error(`packed page holds ${records.length} records, expected ${head.records}`)
  return { ...head, records }
}
