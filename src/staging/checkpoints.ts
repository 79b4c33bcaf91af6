import { stmt, type Db } from './store.js'
import type { Checkpoint } from '../core/source.js'

export type CheckpointMode = 'full' | 'delta'

export interface StreamCheckpoint {
  readonly stream: string
  readonly mode: CheckpointMode
  readonly state: Checkpoint | null
  readonly done: boolean
  readonly pages: number
  readonly records: number
  readonly signpost: string | null
  readonly updatedAt: string
  readonly runId: string
}

interface Row {
  stream: string
  mode: CheckpointMode
  state: string | null
  done: number
  pages: number
  records: number
  signpost: string | null
  updated_at: string
  run_id: string
}

const toCheckpoint = (r: Row): StreamCheckpoint => ({
  stream: r.stream,
  mode: r.mode,
  state: r.state ? (JSON.parse(r.state) as Checkpoint) : null,
  done: r.done === 1,
  pages: r.pages,
  records: r.records,
  signpost: r.signpost,
  updatedAt: r.updated_at,
  runId: r.run_id,
})

export function getCheckpoint(db: Db, source: string, stream: string, mode: CheckpointMode): StreamCheckpoint | null {
  const r = stmt(db, 'SELECT * FROM checkpoint WHERE source = ? AND stream = ? AND mode = ?').get(source, stream, mode) as Row | undefined
  return r ? toCheckpoint(r) : null
}

export function listCheckpoints(db: Db, source?: string): (StreamCheckpoint & { source: string })[] {
  const rows = (source
    ? stmt(db, 'SELECT * FROM checkpoint WHERE source = ? ORDER BY rowid').all(source)
    : stmt(db, 'SELECT * FROM checkpoint ORDER BY rowid').all()) as (Row & { source: string })[]
  return rows.map((r) => ({ ...toCheckpoint(r), source: r.source }))
}

/**
 * The state a stream's latest complete read ended on (full or delta, the most recent), or null: where the
 * next delta of a cursor-based source starts.
 */
export function lastCompleteState(db: Db, source: string, stream: string): Checkpoint | null {
  const r = stmt(db, 'SELECT state FROM checkpoint WHERE source = ? AND stream = ? AND done = 1 AND state IS NOT NULL ORDER BY updated_at DESC LIMIT 1').get(source, stream) as
    | { state: string }
    | undefined
  return r ? (JSON.parse(r.state) as Checkpoint) : null
}

/**
 * Advances a stream's checkpoint; call inside the same transaction as the page it covers. Completing a
 * stream keeps its last state (given, or the one stored): it is where the next delta starts.
 */
export function saveCheckpoint(
  db: Db,
  a: { source: string; stream: string; mode: CheckpointMode; state: Checkpoint | null; done: boolean; addPages: number; addRecords: number; signpost: string | null; runId: string; now: string },
): void {
  stmt(db, 
    `INSERT INTO checkpoint (source, stream, mode, state, done, pages, records, signpost, run_id, updated_at)
     VALUES (@source, @stream, @mode, @state, @done, @addPages, @addRecords, @signpost, @runId, @now)
     ON CONFLICT (source, stream, mode) DO UPDATE SET
       state = CASE WHEN excluded.done = 1 THEN COALESCE(excluded.state, checkpoint.state) ELSE excluded.state END, done = excluded.done, pages = checkpoint.pages + excluded.pages,
       records = checkpoint.records + excluded.records, signpost = COALESCE(excluded.signpost, checkpoint.signpost),
       run_id = excluded.run_id, updated_at = excluded.updated_at`,
  ).run({ ...a, state: a.state === null ? null : JSON.stringify(a.state), done: a.done ? 1 : 0 })
}

/** Forgets a stream's progress so the next run reads it from the start (restart streams, delta restarts). */
export function resetCheckpoint(db: Db, source: string, stream: string, mode: CheckpointMode): void {
  stmt(db, 'DELETE FROM checkpoint WHERE source = ? AND stream = ? AND mode = ?').run(source, stream, mode)
}
