// A digest of what staging holds for a source (and of its id map toward a target): a plan file carries it, so
// applying a plan made from different staging is refused.
import { createHash } from 'node:crypto'
import type { Db } from './store.js'

/** Digest of what staging holds for this source (`withIdMap`: and of the id map toward this target). */
export function stagingFingerprint(db: Db, source: string, target: string, withIdMap = true): string {
  const h = createHash('sha256')
  const recs = db.prepare('SELECT kind, source_id, content_hash FROM staged_record WHERE source = ? ORDER BY kind, source_id').raw()
  for (const r of recs.iterate(source) as IterableIterator<unknown[]>) h.update(r.join('\u0000') + '\n')
  if (!withIdMap) return h.digest('hex').slice(0, 32)
  h.update('--id_map--\n')
  const ids = db.prepare('SELECT kind, source_id, state, content_hash, target_ref FROM id_map WHERE source = ? AND target = ? ORDER BY kind, source_id').raw()
  for (const r of ids.iterate(source, target) as IterableIterator<unknown[]>) h.update(r.map((x) => x ?? '').join('\u0000') + '\n')
  return h.digest('hex').slice(0, 32)
}
