// Reads of the id map the engine makes on its hot paths (load, verify) and for rollback, each statement prepared
// once: where a record went in a target, and whether that write finished.
import type { Db } from './store.js'

/** An id-map row without its op: enough to decide create, update or unchanged. */
export interface IdMapStatus {
  readonly targetRef: string | null
  readonly state: string
  readonly contentHash: string | null
}

/** Id-map reads of one source toward one target. */
export interface IdMapReader {
  /** The target ref of a record whose write finished; undefined when it was never written or is in flight. */
  loadedRef(kind: string, sourceId: string): string | undefined
  /** The record's row, or undefined when it was never applied. */
  status(kind: string, sourceId: string): IdMapStatus | undefined
}

export function idMapReader(db: Db, source: string, target: string): IdMapReader {
  const loaded = db.prepare("SELECT target_ref FROM id_map WHERE source = ? AND kind = ? AND source_id = ? AND target = ? AND state = 'loaded'").pluck()
  const row = db.prepare('SELECT target_ref AS targetRef, state, content_hash AS contentHash FROM id_map WHERE source = ? AND kind = ? AND source_id = ? AND target = ?')
  return {
    loadedRef: (kind, sourceId) => (loaded.get(source, kind, sourceId, target) as string | null | undefined) ?? undefined,
    status: (kind, sourceId) => row.get(source, kind, sourceId, target) as IdMapStatus | undefined,
  }
}

/** Every id-map row toward `target` that points at a target object (any source, any run). */
export function idMapRefs(db: Db, target: string): IterableIterator<{ source: string; kind: string; sourceId: string; ref: string }> {
  return db.prepare('SELECT source, kind, source_id AS sourceId, target_ref AS ref FROM id_map WHERE target = ? AND target_ref IS NOT NULL').iterate(target) as IterableIterator<{
    source: string
    kind: string
    sourceId: string
    ref: string
  }>
}
