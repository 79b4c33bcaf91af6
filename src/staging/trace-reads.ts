// The reads `deskmove trace` makes of one record: which sources hold it, where it went, what was rejected.
import type { Db } from './store.js'

/** The sources that staged or applied a record of this kind and id (several means the caller must name one). */
export function sourcesHolding(db: Db, kind: string, sourceId: string): string[] {
  return db
    .prepare('SELECT DISTINCT source FROM staged_record WHERE kind = ? AND source_id = ? UNION SELECT DISTINCT source FROM id_map WHERE kind = ? AND source_id = ? ORDER BY 1')
    .pluck()
    .all(kind, sourceId, kind, sourceId) as string[]
}

/**
 * The source customer that owns an address before `sourceId` in load order: the earliest staged customer
 * listing it. An approximation of the load loop's running owner map, which also leaves out customers that
 * were themselves merged or rejected.
 */
export function emailOwnerBefore(db: Db, source: string, sourceId: string): (email: string) => string | undefined {
  const q = db
    .prepare(
      `SELECT r.source_id FROM staged_record r, json_each(r.canonical, '$.emails') e
       WHERE r.source = ? AND r.kind = 'customer' AND r.source_id < ? AND lower(trim(json_extract(e.value, '$.value'))) = ? ORDER BY r.source_id LIMIT 1`,
    )
    .pluck()
  return (email: string) => (q.get(source, sourceId, email.toLowerCase()) as string | undefined) ?? undefined
}

/** The record's id-map rows toward every target, as stored (snake_case columns). */
export function idMapRowsOf(db: Db, source: string, kind: string, sourceId: string): Record<string, string | null>[] {
  return db.prepare('SELECT * FROM id_map WHERE source = ? AND kind = ? AND source_id = ? ORDER BY target').all(source, kind, sourceId) as Record<string, string | null>[]
}

/** Rejects of the record, resolved ones included; a ticket's include those of its messages and attachments. */
export function rejectRowsOf(db: Db, source: string, kind: string, sourceId: string): Record<string, string | null>[] {
  const children = kind === 'ticket' ? `OR (kind IN ('message', 'attachment') AND source_id IN (SELECT source_id FROM staged_record WHERE source = ? AND parent_id = ? AND kind IN ('message', 'attachment')))` : ''
  const args = kind === 'ticket' ? [source, kind, sourceId, source, sourceId] : [source, kind, sourceId]
  return db.prepare(`SELECT * FROM reject WHERE source = ? AND ((kind = ? AND source_id = ?) ${children}) ORDER BY id`).all(...args) as Record<string, string | null>[]
}
