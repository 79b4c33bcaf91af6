// Questions the engine asks staging about a source's records while planning: is a record staged, and which
// values a mapping section must cover. Answered with SQL so memory stays flat however large staging is.
import type { Db } from './store.js'
import type { ObservedField } from '../core/mapping-section.js'
import type { RecordRef } from '../core/model/common.js'

/** The value reported for records where the observed field is absent or null. */
export const NO_VALUE = '(none)'

/** Distinct values of one JSON field over a source's staged records of one kind, with how many records use each. */
export function observedValues(db: Db, source: string, field: ObservedField): Map<string, number> {
  const rows = db
    .prepare('SELECT json_extract(canonical, ?) AS v, COUNT(*) AS n FROM staged_record WHERE source = ? AND kind = ? GROUP BY v')
    .all(field.path, source, field.kind) as { v: string | number | null; n: number }[]
  const out = new Map<string, number>()
  for (const r of rows) {
    const k = r.v === null ? NO_VALUE : String(r.v)
    out.set(k, (out.get(k) ?? 0) + r.n)
  }
  return out
}

/** Whether a record is staged for this source: the one "is it staged" query (callers cache answers). */
export function stagedChecker(db: Db, source: string): (ref: RecordRef) => boolean {
  const stmt = db.prepare('SELECT 1 FROM staged_record WHERE source = ? AND kind = ? AND source_id = ?').pluck()
  return (ref) => stmt.get(source, ref.kind, ref.sourceId) !== undefined
}

/** Name and email of staged records of one kind (groups, agents), for listing observed values by name. */
export function describeRecords(db: Db, source: string, kind: string): Map<string, { name: string | null; email: string | null }> {
  const rows = db
    .prepare("SELECT source_id AS id, json_extract(canonical, '$.name') AS name, json_extract(canonical, '$.email') AS email FROM staged_record WHERE source = ? AND kind = ?")
    .all(source, kind) as { id: string; name: string | null; email: string | null }[]
  return new Map(rows.map((r) => [r.id, { name: r.name, email: r.email }]))
}
