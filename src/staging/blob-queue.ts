import { stmt, type Db } from './store.js'

export type BlobStatus = 'pending' | 'stored' | 'failed' | 'too-large' | 'skipped'

/**
 * Queues an attachment's bytes for fetching. A blob already stored stays stored unless the vendor now
 * reports another size (a replaced file); failed ones are retried by the next run.
 */
export function enqueueBlob(db: Db, a: { source: string; sourceId: string; size: number | null }, runId: string, nowIso: string): void {
  const prev = stmt(db, 'SELECT status, size, declared_size FROM blob_fetch WHERE source = ? AND source_id = ?').get(a.source, a.sourceId) as
    | { status: BlobStatus; size: number | null; declared_size: number | null }
    | undefined
  if (prev && prev.status === 'stored' && (a.size === null || a.size === prev.size || a.size === prev.declared_size)) return
  stmt(
    db,
    `INSERT INTO blob_fetch (source, source_id, status, run_id, updated_at) VALUES (?, ?, 'pending', ?, ?)
     ON CONFLICT (source, source_id) DO UPDATE SET status = CASE WHEN blob_fetch.status = 'stored' THEN 'pending' ELSE blob_fetch.status END, updated_at = excluded.updated_at`,
  ).run(a.source, a.sourceId, runId, nowIso)
}

export interface BlobRow {
  readonly sourceId: string
  readonly status: BlobStatus
  readonly attempts: number
}

/** Attachments whose bytes still need fetching (pending, or failed in an earlier run), in batches. */
export function* blobsToFetch(db: Db, source: string, batch = 500): Generator<BlobRow> {
  let after = ''
  const query = stmt(db, 
    `SELECT source_id, status, attempts FROM blob_fetch WHERE source = ? AND status IN ('pending', 'failed') AND source_id > ? ORDER BY source_id LIMIT ?`,
  )
  for (;;) {
    const rows = query.all(source, after, batch) as { source_id: string; status: BlobStatus; attempts: number }[]
    if (rows.length === 0) return
    for (const r of rows) yield { sourceId: r.source_id, status: r.status, attempts: r.attempts }
    after = rows[rows.length - 1]!.source_id
  }
}

export function countBlobs(db: Db, source: string): Record<BlobStatus, number> {
  const out: Record<BlobStatus, number> = { pending: 0, stored: 0, failed: 0, 'too-large': 0, skipped: 0 }
  for (const r of stmt(db, 'SELECT status, COUNT(*) AS n FROM blob_fetch WHERE source = ? GROUP BY status').all(source) as { status: BlobStatus; n: number }[]) {
    out[r.status] = r.n
  }
  return out
}

/** `declaredSize`: the size the vendor declared for the bytes being stored (kept to recognise them later). */
export function setBlobStatus(db: Db, a: { source: string; sourceId: string; status: BlobStatus; sha256?: string | null; size?: number | null; declaredSize?: number | null; error?: string | null; runId: string; nowIso: string }): void {
  stmt(db, 
    `UPDATE blob_fetch SET status = ?, sha256 = COALESCE(?, sha256), size = COALESCE(?, size), declared_size = COALESCE(?, declared_size), error = ?, attempts = attempts + 1, run_id = ?, updated_at = ?
     WHERE source = ? AND source_id = ?`,
  ).run(a.status, a.sha256 ?? null, a.size ?? null, a.declaredSize ?? null, a.error ?? null, a.runId, a.nowIso, a.source, a.sourceId)
}


/** The fetched blob of an attachment, if its bytes are in the store, with the size declared when it was fetched. */
export function storedBlob(db: Db, source: string, sourceId: string): { sha256: string; size: number; declaredSize: number | null } | undefined {
  return stmt(db, "SELECT sha256, size, declared_size AS declaredSize FROM blob_fetch WHERE source = ? AND source_id = ? AND status = 'stored'").get(source, sourceId) as
    | { sha256: string; size: number; declaredSize: number | null }
    | undefined
}
