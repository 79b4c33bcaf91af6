import { stmt, type Db } from './store.js'
import type { RecordWarning } from '../core/source.js'
import type { WarningKey } from './warnings.js'

/**
 * Reused ids. A vendor may hand the same thread or attachment id to two conversations; staging keys records
 * by (source, kind, id), so the second would silently take the first one's row (the first conversation loses
 * it). Instead the second copy is staged under a derived id, `<id>~<parent id>`, and both carry a warning
 * naming the other. Warnings of this phase survive re-reads (extract replaces only its own phase) and are
 * written once however often the pages are read again.
 */
export const IDENTITY_PHASE = 'identity'

/** The id a record seen again under another parent is staged under. */
export function derivedId(sourceId: string, parentId: string): string {
  return `${sourceId}~${parentId}`
}

/** Adds a warning to a record unless it carries it already (re-runs stay idempotent). */
export function addIdentityWarning(db: Db, key: WarningKey, w: RecordWarning, a: { runId: string; now: string }): void {
  const has = stmt(db, 'SELECT 1 FROM record_warning WHERE source = ? AND kind = ? AND source_id = ? AND phase = ? AND code = ? AND detail = ?')
    .get(key.source, key.kind, key.sourceId, IDENTITY_PHASE, w.code, w.detail)
  if (has) return
  stmt(db, 'INSERT INTO record_warning (source, kind, source_id, phase, code, detail, run_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
    .run(key.source, key.kind, key.sourceId, IDENTITY_PHASE, w.code, w.detail, a.runId, a.now)
}

/** True when a record of that key is staged. */
export function isStaged(db: Db, source: string, kind: string, sourceId: string): boolean {
  return stmt(db, 'SELECT 1 FROM staged_record WHERE source = ? AND kind = ? AND source_id = ?').get(source, kind, sourceId) !== undefined
}
