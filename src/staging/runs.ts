import { randomBytes } from 'node:crypto'
import { stmt, type Db } from './store.js'

export type RunStatus = 'running' | 'succeeded' | 'completed-with-rejects' | 'failed' | 'interrupted'

export interface RunRow {
  readonly id: string
  readonly command: string
  readonly source: string | null
  readonly target: string | null
  readonly args: Record<string, unknown>
  readonly startedAt: string
  readonly finishedAt: string | null
  readonly status: RunStatus
  readonly summary: unknown
}

/** Run ids sort by time: `20261122T062500Z-3f9a1c`. */
export function newRunId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')
  return `${stamp}-${randomBytes(3).toString('hex')}`
}

export function startRun(db: Db, a: { command: string; source?: string | null; target?: string | null; args?: Record<string, unknown>; now: Date }): string {
  const id = newRunId(a.now)
  stmt(db, 'INSERT INTO run (id, command, source, target, args, started_at) VALUES (?, ?, ?, ?, ?, ?)').run(
    id,
    a.command,
    a.source ?? null,
    a.target ?? null,
    JSON.stringify(a.args ?? {}),
    a.now.toISOString(),
  )
  return id
}

export function finishRun(db: Db, id: string, status: RunStatus, summary: unknown, now: Date): void {
  stmt(db, 'UPDATE run SET finished_at = ?, status = ?, summary = ? WHERE id = ?').run(now.toISOString(), status, JSON.stringify(summary ?? null), id)
}

export function listRuns(db: Db, limit = 50): RunRow[] {
  return (stmt(db, 'SELECT * FROM run ORDER BY started_at DESC, rowid DESC LIMIT ?').all(limit) as Record<string, unknown>[]).map(toRun)
}

export function getRun(db: Db, id: string): RunRow | undefined {
  const r = stmt(db, 'SELECT * FROM run WHERE id = ?').get(id) as Record<string, unknown> | undefined
  return r ? toRun(r) : undefined
}

function toRun(r: Record<string, unknown>): RunRow {
  return {
    id: r.id as string,
    command: r.command as string,
    source: (r.source as string | null) ?? null,
    target: (r.target as string | null) ?? null,
    args: JSON.parse(r.args as string) as Record<string, unknown>,
    startedAt: r.started_at as string,
    finishedAt: (r.finished_at as string | null) ?? null,
    status: r.status as RunStatus,
    summary: r.summary ? (JSON.parse(r.summary as string) as unknown) : null,
  }
}

/**
 * Marks runs still "running" as interrupted. Only call it while holding a fresh writer lock: every writer
 * holds the lock while it runs, so such runs belong to processes that were killed.
 */
export function markAbandonedRuns(db: Db, now: Date): number {
  return stmt(db, "UPDATE run SET status = 'interrupted', finished_at = ? WHERE status = 'running'").run(now.toISOString()).changes
}
