import { stmt, type Db } from './store.js'
import type { CanonicalRecord } from '../core/model/index.js'
import type { EntityKind } from '../core/model/common.js'
import { hashText } from './hash.js'

export interface StoredRecord<R extends CanonicalRecord = CanonicalRecord> {
  readonly canonical: R
  readonly raw: unknown
  readonly contentHash: string
  readonly stream: string
}

/** The ticket a message or attachment belongs to, so a ticket's history is one indexed read. */
export function parentIdOf(rec: CanonicalRecord): string | null {
  if (rec.kind === 'message' || rec.kind === 'attachment') return rec.ticketRef.sourceId
  return null
}

export type UpsertOutcome = 'inserted' | 'updated' | 'unchanged'

/** A record already serialised for staging (JSON done where the record was read; hashing and SQL here). */
export interface SerializedRecord {
  readonly source: string
  readonly kind: EntityKind
  readonly sourceId: string
  readonly stream: string
  readonly parentId: string | null
  readonly canonicalJson: string
  readonly rawJson: string
  readonly sourceUpdatedAt: string | null
}

export function serializeRecord(rec: CanonicalRecord, raw: unknown, stream: string): SerializedRecord {
  return {
    source: rec.source,
    kind: rec.kind,
    sourceId: rec.sourceId,
    stream,
    parentId: parentIdOf(rec),
    canonicalJson: JSON.stringify(rec),
    rawJson: JSON.stringify(raw ?? null),
    sourceUpdatedAt: rec.sourceUpdatedAt,
  }
}

/** Inserts or replaces a record; returns what happened. Call inside the page transaction. */
export function upsertRecord(db: Db, rec: CanonicalRecord, raw: unknown, stream: string, runId: string, now: string): UpsertOutcome {
  return upsertSerialized(db, serializeRecord(rec, raw, stream), runId, now)
}

/** Inserts or replaces a record with no identity checks (re-staging a record read from the store itself). */
export function upsertSerialized(db: Db, r: SerializedRecord, runId: string, now: string): UpsertOutcome {
  const res = stageSerialized(db, r, runId, now, false)
  return res.outcome === 'inserted' || res.outcome === 'unchanged' || res.outcome === 'updated' ? res.outcome : 'unchanged'
}

/**
 * What staging a record did. `other-parent`: the id is already staged under another ticket (or, for an
 * attachment, another message), nothing was written: a reused id must never move a record. `older-copy`: a
 * copy with a later `sourceUpdatedAt` is staged, nothing was written (latest wins). `updated` with `sameRun`:
 * this run had already staged a different copy, i.e. the id is listed twice.
 */
export type StageResult =
  | { readonly outcome: 'inserted' | 'unchanged' }
  | { readonly outcome: 'updated'; readonly sameRun: boolean }
  | { readonly outcome: 'other-parent'; readonly parentId: string; readonly messageId: string | null }
  | { readonly outcome: 'older-copy'; readonly storedUpdatedAt: string }

interface PrevRow {
  content_hash: string
  parent_id: string | null
  source_updated_at: string | null
  last_run_id: string
}

/** The message an attachment's canonical JSON hangs under (read only on the rare changed-content path). */
function messageOf(canonicalJson: string): string | null {
  return (JSON.parse(canonicalJson) as { messageRef?: { sourceId?: string } }).messageRef?.sourceId ?? null
}

/** Upserts one record, guarding its identity (see {@link StageResult}). Call inside the page transaction. */
export function stageSerialized(db: Db, r: SerializedRecord, runId: string, now: string, guard = true): StageResult {
  const hash = hashText(r.canonicalJson)
  // Insert first: on a first extract nearly every record is new, so the lookup is only paid on conflict.
  const inserted = stmt(
    db,
    `INSERT INTO staged_record (source, kind, source_id, stream, parent_id, canonical, raw, content_hash, source_updated_at, first_run_id, last_run_id, staged_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (source, kind, source_id) DO NOTHING`,
  ).run(r.source, r.kind, r.sourceId, r.stream, r.parentId, r.canonicalJson, r.rawJson, hash, r.sourceUpdatedAt, runId, runId, now)
  if (inserted.changes === 1) return { outcome: 'inserted' }
  const prev = stmt(db, 'SELECT content_hash, parent_id, source_updated_at, last_run_id FROM staged_record WHERE source = ? AND kind = ? AND source_id = ?').get(r.source, r.kind, r.sourceId) as
    | PrevRow
    | undefined
  if (!prev) throw new Error(`staged_record ${r.kind} ${r.sourceId} vanished during an upsert`)
  if (guard && prev.parent_id !== null && r.parentId !== null && prev.parent_id !== r.parentId) return { outcome: 'other-parent', parentId: prev.parent_id, messageId: null }
  if (prev.content_hash === hash) {
    // Keep raw fresh (vendors add fields the canonical model ignores) without calling it a change.
    stmt(db, 'UPDATE staged_record SET raw = ?, last_run_id = ? WHERE source = ? AND kind = ? AND source_id = ?').run(r.rawJson, runId, r.source, r.kind, r.sourceId)
    return { outcome: 'unchanged' }
  }
  if (guard && r.kind === 'attachment') {
    const stored = (stmt(db, 'SELECT canonical FROM staged_record WHERE source = ? AND kind = ? AND source_id = ?').get(r.source, r.kind, r.sourceId) as { canonical: string }).canonical
    const was = messageOf(stored)
    if (was !== null && was !== messageOf(r.canonicalJson)) return { outcome: 'other-parent', parentId: prev.parent_id ?? '', messageId: was }
  }
  // Latest wins: a copy older than the staged one (the same id listed twice) never replaces it.
  if (guard && prev.source_updated_at !== null && r.sourceUpdatedAt !== null && Date.parse(r.sourceUpdatedAt) < Date.parse(prev.source_updated_at)) {
    stmt(db, 'UPDATE staged_record SET last_run_id = ? WHERE source = ? AND kind = ? AND source_id = ?').run(runId, r.source, r.kind, r.sourceId)
    return { outcome: 'older-copy', storedUpdatedAt: prev.source_updated_at }
  }
  stmt(
    db,
    `UPDATE staged_record SET stream = ?, parent_id = ?, canonical = ?, raw = ?, content_hash = ?, source_updated_at = ?, last_run_id = ?, staged_at = ?
     WHERE source = ? AND kind = ? AND source_id = ?`,
  ).run(r.stream, r.parentId, r.canonicalJson, r.rawJson, hash, r.sourceUpdatedAt, runId, now, r.source, r.kind, r.sourceId)
  return { outcome: 'updated', sameRun: prev.last_run_id === runId }
}

interface Row {
  canonical: string
  raw: string
  content_hash: string
  stream: string
}

function toStored<R extends CanonicalRecord>(row: Row): StoredRecord<R> {
  return { canonical: JSON.parse(row.canonical) as R, raw: JSON.parse(row.raw) as unknown, contentHash: row.content_hash, stream: row.stream }
}

export function getRecord<K extends EntityKind>(db: Db, source: string, kind: K, sourceId: string): StoredRecord<Extract<CanonicalRecord, { kind: K }>> | undefined {
  const row = stmt(db, 'SELECT canonical, raw, content_hash, stream FROM staged_record WHERE source = ? AND kind = ? AND source_id = ?')
    .get(source, kind, sourceId) as Row | undefined
  return row ? toStored(row) : undefined
}

/** Record counts per kind (all sources unless one is named). */
export function countByKind(db: Db, source?: string): Partial<Record<EntityKind, number>> {
  const rows = (source
    ? stmt(db, 'SELECT kind, COUNT(*) AS n FROM staged_record WHERE source = ? GROUP BY kind').all(source)
    : stmt(db, 'SELECT kind, COUNT(*) AS n FROM staged_record GROUP BY kind').all()) as { kind: EntityKind; n: number }[]
  return Object.fromEntries(rows.map((r) => [r.kind, r.n]))
}

/** Sources present in the store. */
export function stagedSources(db: Db): string[] {
  return (stmt(db, 'SELECT DISTINCT source FROM staged_record').all() as { source: string }[]).map((r) => r.source)
}
