import { stmt, type Db } from './store.js'

export type RejectPhase = 'extract' | 'blob' | 'plan' | 'apply' | 'verify'

export interface RejectInput {
  readonly runId: string
  readonly phase: RejectPhase
  readonly source: string
  readonly target?: string | null
  readonly stream?: string | null
  readonly kind: string
  readonly sourceId: string
  readonly reason: string
  readonly detail: string
  readonly raw?: unknown
  /** The raw payload already as JSON text (kept as given: it may be too deep to serialise again). */
  readonly rawJson?: string
}

export interface RejectRow {
  readonly id: number
  readonly runId: string
  readonly phase: RejectPhase
  readonly source: string
  readonly target: string | null
  readonly stream: string | null
  readonly kind: string
  readonly sourceId: string
  readonly reason: string
  readonly detail: string
  readonly raw: string | null
  readonly createdAt: string
  readonly resolvedAt: string | null
  /** The run that loaded the record (or found it unchanged) and so resolved this reject. */
  readonly resolvedByRun: string | null
}

/**
 * Records a reject. An open reject for the same (phase, source, target, kind, id) is replaced rather than
 * repeated, so re-running a failing record does not pile up rows.
 */
export function addReject(db: Db, r: RejectInput, now: string): void {
  stmt(db, 
    `DELETE FROM reject WHERE resolved_at IS NULL AND phase = ? AND source = ? AND IFNULL(target, '') = IFNULL(?, '') AND kind = ? AND source_id = ?`,
  ).run(r.phase, r.source, r.target ?? null, r.kind, r.sourceId)
  stmt(db, 
    `INSERT INTO reject (run_id, phase, source, target, stream, kind, source_id, reason, detail, raw, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(r.runId, r.phase, r.source, r.target ?? null, r.stream ?? null, r.kind, r.sourceId, r.reason, r.detail, r.rawJson ?? (r.raw === undefined ? null : JSON.stringify(r.raw)), now)
}

/** Marks open rejects of a record resolved (it was later read or written successfully). */
export function resolveRejects(db: Db, a: { phase: RejectPhase; source: string; target?: string | null; kind: string; sourceId: string; runId: string; now: string }): void {
  stmt(db, 
    `UPDATE reject SET resolved_at = ?, resolved_by_run = ? WHERE resolved_at IS NULL AND phase = ? AND source = ? AND IFNULL(target, '') = IFNULL(?, '') AND kind = ? AND source_id = ?`,
  ).run(a.now, a.runId, a.phase, a.source, a.target ?? null, a.kind, a.sourceId)
}

export interface RejectFilter {
  readonly phase?: RejectPhase
  readonly source?: string
  readonly target?: string
  readonly runId?: string
  readonly includeResolved?: boolean
  readonly limit?: number
}

export function listRejects(db: Db, f: RejectFilter = {}): RejectRow[] {
  const where: string[] = []
  const args: unknown[] = []
  if (!f.includeResolved) where.push('resolved_at IS NULL')
  if (f.phase) { where.push('phase = ?'); args.push(f.phase) }
  if (f.source) { where.push('source = ?'); args.push(f.source) }
  if (f.target) { where.push('target = ?'); args.push(f.target) }
  if (f.runId) { where.push('run_id = ?'); args.push(f.runId) }
  const sql = `SELECT * FROM reject ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY id LIMIT ?`
  args.push(f.limit ?? -1)
  return (stmt(db, sql).all(...args) as Record<string, unknown>[]).map((r) => ({
    id: r.id as number,
    runId: r.run_id as string,
    phase: r.phase as RejectPhase,
    source: r.source as string,
    target: (r.target as string | null) ?? null,
    stream: (r.stream as string | null) ?? null,
    kind: r.kind as string,
    sourceId: r.source_id as string,
    reason: r.reason as string,
    detail: r.detail as string,
    raw: (r.raw as string | null) ?? null,
    createdAt: r.created_at as string,
    resolvedAt: (r.resolved_at as string | null) ?? null,
    resolvedByRun: (r.resolved_by_run as string | null) ?? null,
  }))
}

export function countOpenRejects(db: Db, f: { phase?: RejectPhase; source?: string; target?: string; runId?: string } = {}): number {
  return listRejects(db, f).length
}

/** Whether any reject of this phase and source is still open (lets hot paths skip per-record resolution). */
export function hasOpenRejects(db: Db, phase: RejectPhase, source: string): boolean {
  return stmt(db, 'SELECT 1 FROM reject WHERE resolved_at IS NULL AND phase = ? AND source = ? LIMIT 1').get(phase, source) !== undefined
}

/** The newest open apply reject of one record (why the target refused it), or undefined. */
export function openApplyReject(db: Db, k: { source: string; kind: string; sourceId: string; target: string }): { reason: string; detail: string } | undefined {
  return stmt(
    db,
    "SELECT reason, detail FROM reject WHERE phase = 'apply' AND source = ? AND kind = ? AND source_id = ? AND (target = ? OR target IS NULL) AND resolved_at IS NULL ORDER BY id DESC LIMIT 1",
  ).get(k.source, k.kind, k.sourceId, k.target) as { reason: string; detail: string } | undefined
}
