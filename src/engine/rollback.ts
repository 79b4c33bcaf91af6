// Rollback of one apply run: the target removes what the run created; the id map forgets it.
import type { StagingStore } from '../staging/store.js'
import type { AnyTarget } from '../core/target.js'
import { deleteIdMap } from '../staging/id-map.js'
import { idMapRefs } from '../staging/id-map-reads.js'
import { UsageError } from '../core/errors.js'

export interface RollbackResult {
  readonly runId: string
  readonly preview: boolean
  /** What the target removed (or would remove), by object kind. */
  readonly counts: Readonly<Record<string, number>>
  /** Id-map rows forgotten (or, in preview, to be forgotten), so a later apply re-creates those records. */
  readonly idMapRows: number
  /** Objects left in place because they changed in the target after the run (unless `force`), and why. */
  readonly kept: readonly { readonly kind: string; readonly ref: string; readonly why: string }[]
}

/**
 * Removes exactly what run `runId` created in the target, then forgets those id-map rows so a later apply
 * re-creates them. Objects the run only updated keep their content; objects the target kept (other runs
 * still use them) keep their id-map rows. With `preview` nothing changes.
 */
export async function rollbackLoadRun(a: { store: StagingStore; target: AnyTarget; runId: string; preview: boolean; force?: boolean; signal: AbortSignal }): Promise<RollbackResult> {
  if (!a.target.rollback) throw new UsageError(`${a.target.id} cannot be rolled back: the target has no rollback capability`, { hint: 'remove what the run wrote with the target\'s own tools' })
  const res = await a.target.rollback(a.runId, { preview: a.preview, signal: a.signal, ...(a.force ? { force: true } : {}) })
  // Forget exactly the id-map rows (of any run) that point at removed objects: a kept customer keeps its row,
  // and a merge of another run into a removed customer is forgotten too, so nothing resolves to a gone id.
  const removed = new Set(res.removed.map((k) => `${k.kind}:${k.ref}`))
  const rows: { source: string; kind: string; sourceId: string }[] = []
  for (const r of idMapRefs(a.store.db, a.target.id)) {
    if (removed.has(`${r.kind}:${r.ref}`)) rows.push(r)
  }
  if (!a.preview) {
    a.store.db.transaction(() => {
      for (const r of rows) deleteIdMap(a.store.db, { ...r, target: a.target.id })
    })()
  }
  return { runId: a.runId, preview: a.preview, counts: res.counts, idMapRows: rows.length, kept: res.kept ?? [] }
}
