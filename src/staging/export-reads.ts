// Reads for `deskmove export`: the whole staging store, streamed in batches so memory stays flat.
import { stmt, type Db } from './store.js'
import type { BlobStatus } from './blob-queue.js'

export interface ExportRecordRow {
  readonly source: string
  readonly kind: string
  readonly sourceId: string
  readonly stream: string
  readonly parentId: string | null
  /** As stored: JSON text, written to the archive without a parse/serialise round trip where possible. */
  readonly canonicalJson: string
  readonly rawJson: string
}

/**
 * Staged records of one kind, per source then by id, `batch` rows per query: keyset paging on the
 * (source, kind, source_id) index, so each batch is an index seek however large the store.
 */
export function* recordsOfKind(db: Db, kind: string, batch = 500): Generator<ExportRecordRow> {
  const q = stmt(db, 'SELECT source, kind, source_id, stream, parent_id, canonical, raw FROM staged_record WHERE source = ? AND kind = ? AND source_id > ? ORDER BY source_id LIMIT ?')
  for (const source of exportSources(db)) {
    let after = ''
    for (;;) {
      const rows = q.all(source, kind, after, batch) as { source: string; kind: string; source_id: string; stream: string; parent_id: string | null; canonical: string; raw: string }[]
      if (rows.length === 0) break
      for (const r of rows) yield { source: r.source, kind: r.kind, sourceId: r.source_id, stream: r.stream, parentId: r.parent_id, canonicalJson: r.canonical, rawJson: r.raw }
      after = rows[rows.length - 1]!.source_id
    }
  }
}

/** The messages and attachments of one ticket (the parent index), for rendering its emails. */
export function childrenOfTicket(db: Db, source: string, kind: 'message' | 'attachment', ticketId: string): string[] {
  return (stmt(db, 'SELECT canonical FROM staged_record WHERE source = ? AND kind = ? AND parent_id = ? ORDER BY id').all(source, kind, ticketId) as { canonical: string }[]).map((r) => r.canonical)
}

export interface ExportWarningRow {
  readonly source: string
  readonly kind: string
  readonly sourceId: string
  readonly phase: string
  readonly code: string
  readonly detail: string
}

export function* allWarnings(db: Db, batch = 1000): Generator<ExportWarningRow> {
  let after = 0
  const q = stmt(db, 'SELECT id, source, kind, source_id AS sourceId, phase, code, detail FROM record_warning WHERE id > ? ORDER BY id LIMIT ?')
  for (;;) {
    const rows = q.all(after, batch) as (ExportWarningRow & { id: number })[]
    if (rows.length === 0) return
    for (const { id: _id, ...r } of rows) yield r
    after = rows[rows.length - 1]!.id
  }
}

export interface ExportRejectRow {
  readonly phase: string
  readonly source: string
  readonly target: string | null
  readonly stream: string | null
  readonly kind: string
  readonly sourceId: string
  readonly reason: string
  readonly detail: string
  readonly rawJson: string | null
  readonly createdAt: string
}

/** Rejects still open (resolved ones were later read or written after all). */
export function* openRejects(db: Db, batch = 1000): Generator<ExportRejectRow> {
  let after = 0
  const q = stmt(
    db,
    `SELECT id, phase, source, target, stream, kind, source_id AS sourceId, reason, detail, raw AS rawJson, created_at AS createdAt
     FROM reject WHERE resolved_at IS NULL AND id > ? ORDER BY id LIMIT ?`,
  )
  for (;;) {
    const rows = q.all(after, batch) as (ExportRejectRow & { id: number })[]
    if (rows.length === 0) return
    for (const { id: _id, ...r } of rows) yield r
    after = rows[rows.length - 1]!.id
  }
}

export interface BlobStateRow {
  readonly status: BlobStatus
  readonly sha256: string | null
  readonly size: number | null
  readonly error: string | null
}

/** Where an attachment's bytes stand (null: never queued). */
export function blobStateOf(db: Db, source: string, attachmentId: string): BlobStateRow | null {
  const row = stmt(db, 'SELECT status, sha256, size, error FROM blob_fetch WHERE source = ? AND source_id = ?').get(source, attachmentId) as BlobStateRow | undefined
  return row ?? null
}

/** Distinct sources of staged records, sorted. */
export function exportSources(db: Db): string[] {
  return (stmt(db, 'SELECT DISTINCT source FROM staged_record ORDER BY source').all() as { source: string }[]).map((r) => r.source)
}
