import { stmt, type Db } from './store.js'

export type IdMapState = 'in-flight' | 'loaded'

export interface IdMapRow {
  readonly source: string
  readonly kind: string
  readonly sourceId: string
  readonly target: string
  readonly targetRef: string | null
  readonly state: IdMapState
  readonly contentHash: string | null
  readonly op: unknown
  readonly runId: string
  readonly updatedAt: string
}

interface Key {
  source: string
  kind: string
  sourceId: string
  target: string
}

function toRow(r: Record<string, unknown>): IdMapRow {
  return {
    source: r.source as string,
    kind: r.kind as string,
    sourceId: r.source_id as string,
    target: r.target as string,
    targetRef: (r.target_ref as string | null) ?? null,
    state: r.state as IdMapState,
    contentHash: (r.content_hash as string | null) ?? null,
    op: r.op ? (JSON.parse(r.op as string) as unknown) : null,
    runId: r.run_id as string,
    updatedAt: r.updated_at as string,
  }
}

export function getIdMap(db: Db, k: Key): IdMapRow | undefined {
  const r = stmt(db, 'SELECT * FROM id_map WHERE source = ? AND kind = ? AND source_id = ? AND target = ?').get(k.source, k.kind, k.sourceId, k.target) as
    | Record<string, unknown>
    | undefined
  return r ? toRow(r) : undefined
}

/** Before the target is touched: an op that crashes mid-way is found here on resume and `locate`d first. */
export function markInFlight(db: Db, k: Key & { op: unknown; runId: string; now: string }): void {
  stmt(db, 
    `INSERT INTO id_map (source, kind, source_id, target, state, op, run_id, updated_at) VALUES (?, ?, ?, ?, 'in-flight', ?, ?, ?)
     ON CONFLICT (source, kind, source_id, target) DO UPDATE SET state = 'in-flight', op = excluded.op, run_id = CASE WHEN id_map.target_ref IS NULL THEN excluded.run_id ELSE id_map.run_id END, updated_at = excluded.updated_at`,
  ).run(k.source, k.kind, k.sourceId, k.target, JSON.stringify(k.op), k.runId, k.now)
}

/** After the target committed: remember where the record went and the content it had. */
export function markLoaded(db: Db, k: Key & { targetRef: string; contentHash: string; runId: string; now: string; keepRun?: boolean }): void {
  stmt(db, 
    `INSERT INTO id_map (source, kind, source_id, target, target_ref, state, content_hash, run_id, updated_at) VALUES (?, ?, ?, ?, ?, 'loaded', ?, ?, ?)
     ON CONFLICT (source, kind, source_id, target) DO UPDATE SET target_ref = excluded.target_ref, state = 'loaded', content_hash = excluded.content_hash,
       op = NULL, run_id = CASE WHEN ? = 1 THEN id_map.run_id ELSE excluded.run_id END, updated_at = excluded.updated_at`,
  ).run(k.source, k.kind, k.sourceId, k.target, k.targetRef, k.contentHash, k.runId, k.now, k.keepRun ? 1 : 0)
}

export function deleteIdMap(db: Db, k: Key): void {
  stmt(db, 'DELETE FROM id_map WHERE source = ? AND kind = ? AND source_id = ? AND target = ?').run(k.source, k.kind, k.sourceId, k.target)
}

export function listIdMap(db: Db, f: { target: string; kind?: string; runId?: string; state?: IdMapState }): IdMapRow[] {
  const where = ['target = ?']
  const args: unknown[] = [f.target]
  if (f.kind) { where.push('kind = ?'); args.push(f.kind) }
  if (f.runId) { where.push('run_id = ?'); args.push(f.runId) }
  if (f.state) { where.push('state = ?'); args.push(f.state) }
  return (stmt(db, `SELECT * FROM id_map WHERE ${where.join(' AND ')} ORDER BY rowid`).all(...args) as Record<string, unknown>[]).map(toRow)
}
