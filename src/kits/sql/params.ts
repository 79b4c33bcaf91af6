// Placeholder rewriting and parameter normalisation shared by both drivers.
import type { SqlDialect } from './types.js'

/** Rewrites `?` placeholders outside quotes and comments; `render(i)` gives the text for the i-th (0-based) one. */
export function rewritePlaceholders(sql: string, dialect: SqlDialect, render: (index: number) => string): string {
  let out = ''
  let n = 0
  let i = 0
  while (i < sql.length) {
    const ch = sql[i] as string
    if (ch === "'" || ch === '"' || ch === '`') {
      let j = i + 1
      while (j < sql.length && sql[j] !== ch) j += dialect === 'mysql' && sql[j] === '\\' ? 2 : 1
      out += sql.slice(i, j + 1)
      i = j + 1
    } else if (ch === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i)
      const j = end < 0 ? sql.length : end
      out += sql.slice(i, j)
      i = j
    } else if (ch === '?') {
      out += render(n++)
      i++
    } else {
      out += ch
      i++
    }
  }
  return out
}

/** Formats a Date as the `'YYYY-MM-DD HH:MM:SS'` UTC string both dialects store. */
export function toSqlDateTime(d: Date): string {
  if (Number.isNaN(d.getTime())) throw new TypeError('invalid Date passed as SQL parameter')
  return d.toISOString().slice(0, 19).replace('T', ' ')
}

/** The value a driver receives for a param: null for undefined, UTC strings for Dates; objects are refused. */
export function normalizeParam(v: unknown): unknown {
  if (v === undefined || v === null) return null
  if (v instanceof Date) return toSqlDateTime(v)
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' || Buffer.isBuffer(v)) return v
  // Objects and arrays would be expanded differently by each driver: callers JSON.stringify them explicitly.
  throw new TypeError(`unsupported SQL parameter type: ${Object.prototype.toString.call(v)}`)
}

/** Rewrites the placeholders and checks their count against the params. */
export function bindPlaceholders(sql: string, params: readonly unknown[], dialect: SqlDialect, render: (i: number) => string): string {
  let count = 0
  const text = rewritePlaceholders(sql, dialect, (i) => {
    count++
    return render(i)
  })
  if (count !== params.length) throw new TypeError(`SQL has ${count} placeholders but ${params.length} params were given`)
  return text
}
