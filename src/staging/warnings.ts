import { stmt, type Db } from './store.js'
import type { RecordWarning } from '../core/source.js'

export type WarningPhase = 'extract' | 'blob' | 'identity'

export interface WarningKey {
  readonly source: string
  readonly kind: string
  readonly sourceId: string
}

/**
 * Sets a record's warnings of one phase to `warnings` (none clears them). Call inside the transaction that
 * stages the record. `fresh`: the record was just inserted, so there is nothing to clear (the common case).
 */
export function replaceWarnings(db: Db, key: WarningKey, phase: WarningPhase, warnings: readonly RecordWarning[], a: { runId: string; now: string; fresh?: boolean }): void {
  if (!a.fresh) stmt(db, 'DELETE FROM record_warning WHERE source = ? AND kind = ? AND source_id = ? AND phase = ?').run(key.source, key.kind, key.sourceId, phase)
  for (const w of warnings) {
    stmt(db, 'INSERT INTO record_warning (source, kind, source_id, phase, code, detail, run_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(key.source, key.kind, key.sourceId, phase, w.code, w.detail, a.runId, a.now)
  }
}

export interface WarningCounts {
  /** Warnings in all. */
  readonly total: number
  /** Records with at least one warning. */
  readonly records: number
  /** Per code, e.g. `{ 'size-mismatch': 2, 'missing-field': 14 }`. */
  readonly byCode: Readonly<Record<string, number>>
}

/** What `status` shows: warnings on staged records, per code (one source, or all). */
export function countWarnings(db: Db, source?: string): WarningCounts {
  const where = source === undefined ? '' : 'WHERE source = ?'
  const args = source === undefined ? [] : [source]
  const rows = stmt(db, `SELECT code, COUNT(*) AS n FROM record_warning ${where} GROUP BY code ORDER BY code`).all(...args) as { code: string; n: number }[]
  const records = stmt(db, `SELECT COUNT(*) AS n FROM (SELECT DISTINCT source, kind, source_id FROM record_warning ${where})`).get(...args) as { n: number }
  return { total: rows.reduce((t, r) => t + r.n, 0), records: records.n, byCode: Object.fromEntries(rows.map((r) => [r.code, r.n])) }
}

/** The warnings of one record (for `show`). */
export function warningsOf(db: Db, key: WarningKey): (RecordWarning & { readonly phase: WarningPhase })[] {
  return stmt(db, 'SELECT phase, code, detail FROM record_warning WHERE source = ? AND kind = ? AND source_id = ? ORDER BY id').all(key.source, key.kind, key.sourceId) as (RecordWarning & { phase: WarningPhase })[]
}

/** Warnings of one code (e.g. `size-mismatch`), oldest first: how many, and the first `limit` with their record. */
export function warningsWithCode(db: Db, source: string, code: string, limit = 20): { total: number; examples: { kind: string; sourceId: string; detail: string }[] } {
  const total = (stmt(db, 'SELECT COUNT(*) AS n FROM record_warning WHERE source = ? AND code = ?').get(source, code) as { n: number }).n
  const examples = stmt(db, 'SELECT kind, source_id AS sourceId, detail FROM record_warning WHERE source = ? AND code = ? ORDER BY id LIMIT ?').all(source, code, limit) as { kind: string; sourceId: string; detail: string }[]
  return { total, examples }
}
