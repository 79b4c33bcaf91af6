// Per-conversation verdicts of one verify run, kept in a TEMP table of the staging connection so memory
// stays flat however many conversations are checked, and so post-pass checks can still amend a verdict
// before the combined report (one line per conversation) is written.
import { createWriteStream } from 'node:fs'
import { once } from 'node:events'
import { finished } from 'node:stream/promises'
import type { Db } from './store.js'

/**
 * `=` same, `a` same as planned but altered by a stated rule to fit the target (a cut subject or tag, removed NUL
 * bytes; the full values are in the import note), `+` missing in target, `*` differs, `!` error, `~` skipped by
 * the plan (never written, by design).
 */
export type VerifyMarker = '=' | 'a' | '+' | '*' | '!' | '~'

import type { CheckFinding, FieldDiff } from '../core/target-verify.js'

export type { CheckFinding, FieldDiff } from '../core/target-verify.js'

/** The verdict on one record. */
export interface Verdict {
  readonly marker: VerifyMarker
  readonly sourceId: string
  readonly targetRef: string | null
  /** Why it is missing, erred or was skipped. */
  readonly detail: string | null
  readonly diffs: readonly FieldDiff[]
}

export interface VerdictCounts {
  matching: number
  missing: number
  differ: number
  errors: number
  skipped: number
  /** Found as planned, with values altered by rule (`a`). */
  altered: number
}

const TABLE = 'temp.deskmove_verify'
/** Field name prefix of differences that come from the target's consistency checks. */
export const CHECK_PREFIX = 'check '
const PAGE = 1000

function formatValue(v: unknown): string {
  if (v === undefined) return 'none'
  const s = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v)
  return s.length > 120 ? `${s.slice(0, 117)}...` : s
}

/** The one-line form of a verdict used in the combined report (`* t1 status: expected 3, got 1`). */
export function formatVerdict(v: Verdict): string {
  const parts: string[] = []
  if (v.detail) parts.push(v.detail)
  for (const d of v.diffs) parts.push(d.field.startsWith(CHECK_PREFIX) ? `${d.field}: ${String(d.actual)}` : `${d.field}: expected ${formatValue(d.expected)}, got ${formatValue(d.actual)}`)
  const text = parts.join('; ').replace(/[\r\n]+/g, ' ')
  return `${v.marker} ${v.sourceId}${text ? ` ${text}` : ''}`
}

interface Row {
  seq: number
  source_id: string
  target_ref: string | null
  marker: VerifyMarker
  detail: string | null
  diffs: string
}

const toVerdict = (r: Row): Verdict => ({ marker: r.marker, sourceId: r.source_id, targetRef: r.target_ref, detail: r.detail, diffs: JSON.parse(r.diffs) as FieldDiff[] })

/** The verdict table of one run. `drop()` when done (it lives only as long as the connection anyway). */
export class VerdictTable {
  private readonly insert
  constructor(private readonly db: Db) {
    db.exec(`DROP TABLE IF EXISTS ${TABLE}`)
    db.exec(`CREATE TABLE ${TABLE} (seq INTEGER PRIMARY KEY, source_id TEXT NOT NULL, target_ref TEXT, marker TEXT NOT NULL, detail TEXT, diffs TEXT NOT NULL)`)
    db.exec(`CREATE INDEX temp.deskmove_verify_ref ON deskmove_verify (target_ref)`)
    this.insert = db.prepare(`INSERT INTO ${TABLE} (source_id, target_ref, marker, detail, diffs) VALUES (?, ?, ?, ?, ?)`)
  }

  add(verdicts: readonly Verdict[]): void {
    this.db.transaction(() => {
      for (const v of verdicts) this.insert.run(v.sourceId, v.targetRef, v.marker, v.detail, JSON.stringify(v.diffs))
    })()
  }

  /** Whether any record was found in the target. */
  hasFound(): boolean {
    return this.db.prepare(`SELECT 1 FROM ${TABLE} WHERE marker IN ('=', 'a', '*') AND target_ref IS NOT NULL LIMIT 1`).get() !== undefined
  }

  /** Target refs of records that were found in the target (the scope of the post-pass checks). */
  foundRefs(): string[] {
    return this.db.prepare(`SELECT target_ref FROM ${TABLE} WHERE marker IN ('=', 'a', '*') AND target_ref IS NOT NULL ORDER BY seq`).pluck().all() as string[]
  }

  /**
   * Adds check findings to the verdicts of the records they concern (a matching record becomes `*`).
   * Returns the findings that belong to no checked record (e.g. a folder counter).
   */
  amend(findings: readonly CheckFinding[]): CheckFinding[] {
    const rest: CheckFinding[] = []
    const get = this.db.prepare(`SELECT * FROM ${TABLE} WHERE target_ref = ? ORDER BY seq LIMIT 1`)
    const set = this.db.prepare(`UPDATE ${TABLE} SET marker = ?, diffs = ? WHERE seq = ?`)
    this.db.transaction(() => {
      for (const f of findings) {
        const row = f.targetRef === null ? undefined : (get.get(f.targetRef) as Row | undefined)
        if (!row) {
          rest.push(f)
          continue
        }
        const diffs = [...(JSON.parse(row.diffs) as FieldDiff[]), { field: `${CHECK_PREFIX}${f.check}`, expected: 'ok', actual: f.detail }]
        set.run(row.marker === '=' || row.marker === 'a' ? '*' : row.marker, JSON.stringify(diffs), row.seq)
      }
    })()
    return rest
  }

  counts(): VerdictCounts {
    const c: VerdictCounts = { matching: 0, missing: 0, differ: 0, errors: 0, skipped: 0, altered: 0 }
    const key: Record<VerifyMarker, keyof VerdictCounts> = { '=': 'matching', a: 'altered', '+': 'missing', '*': 'differ', '!': 'errors', '~': 'skipped' }
    for (const r of this.db.prepare(`SELECT marker, COUNT(*) AS n FROM ${TABLE} GROUP BY marker`).all() as { marker: VerifyMarker; n: number }[]) c[key[r.marker]] += r.n
    return c
  }

  /** The first `limit` records that are missing, differ or erred, in verification order. */
  examples(limit: number): Verdict[] {
    return (this.db.prepare(`SELECT * FROM ${TABLE} WHERE marker IN ('+', '*', '!') ORDER BY seq LIMIT ?`).all(limit) as Row[]).map(toVerdict)
  }

  /** Writes one line per record to `path`, a page at a time. */
  async writeCombined(path: string): Promise<void> {
    const out = createWriteStream(path, { encoding: 'utf8' })
    const page = this.db.prepare(`SELECT * FROM ${TABLE} WHERE seq > ? ORDER BY seq LIMIT ?`)
    let after = 0
    try {
      for (;;) {
        const rows = page.all(after, PAGE) as Row[]
        if (rows.length === 0) break
        for (const r of rows) if (!out.write(formatVerdict(toVerdict(r)) + '\n')) await once(out, 'drain')
        after = rows[rows.length - 1]!.seq
      }
    } finally {
      out.end()
      await finished(out)
    }
  }

  drop(): void {
    this.db.exec(`DROP TABLE IF EXISTS ${TABLE}`)
  }
}
