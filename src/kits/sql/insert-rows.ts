// Multi-row INSERTs that learn their generated ids, sized to stay far below the server's packet limit.
import type { SqlDb } from './types.js'

/** Rows per multi-row INSERT, and a cap on their text so a statement stays far below `max_allowed_packet`. */
export const ROWS_PER_INSERT = 500
export const CHARS_PER_INSERT = 1_000_000

/**
 * How a multi-row INSERT learns the ids it generated. MySQL/MariaDB hand out consecutive auto-increment
 * values (stepping by `auto_increment_increment`) to one multi-row INSERT only when InnoDB runs with
 * `innodb_autoinc_lock_mode` 0 or 1; PostgreSQL ids are reserved from the column's sequence first; anything
 * else inserts row by row and reads each `insertId`.
 */
export type IdStrategy = { readonly kind: 'consecutive'; readonly step: number } | { readonly kind: 'reserve' } | { readonly kind: 'one-by-one' }

const idStrategyCache = new WeakMap<SqlDb, Promise<IdStrategy>>()

/**
 * The id strategy of this server for these tables (read once per handle; any doubt means one row at a time).
 * `tables` are the tables the caller inserts into with `insertRows`: all must be InnoDB for consecutive ids.
 */
export function idStrategy(db: SqlDb, tables: readonly string[]): Promise<IdStrategy> {
  let p = idStrategyCache.get(db)
  if (!p) {
    p = (async (): Promise<IdStrategy> => {
      if (db.dialect === 'postgres') return { kind: 'reserve' }
      const [v] = await db.query<{ mode: number; step: number }>('SELECT @@innodb_autoinc_lock_mode AS mode, @@auto_increment_increment AS step')
      const engines = await db.query<Record<string, unknown>>(
        `SELECT ENGINE AS engine FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name IN (${tables.map(() => '?').join(', ')})`,
        tables,
      )
      const innodb = engines.length === tables.length && engines.every((r) => String(r.engine ?? r.ENGINE).toLowerCase() === 'innodb')
      return innodb && v && (Number(v.mode) === 0 || Number(v.mode) === 1) && Number(v.step) >= 1 ? { kind: 'consecutive', step: Number(v.step) } : { kind: 'one-by-one' }
    })().catch((): IdStrategy => {
      // Not remembered: a lost connection should not cost the rest of the run its multi-row inserts.
      idStrategyCache.delete(db)
      return { kind: 'one-by-one' }
    })
    idStrategyCache.set(db, p)
  }
  return p
}

export const rowChars = (row: readonly unknown[]) => row.reduce<number>((n, v) => n + (typeof v === 'string' ? v.length : 8), 0)

/**
 * Inserts rows with as few multi-row INSERTs as the size caps allow and returns their ids in row order, by
 * `strategy` (see `idStrategy`). `table` and `columns` are trusted SQL text (never user input).
 */
export async function insertRows(tx: SqlDb, strategy: IdStrategy, table: string, columns: string, rows: readonly (readonly unknown[])[]): Promise<number[]> {
  const ids: number[] = []
  const marks = `(${columns.split(',').map(() => '?').join(', ')}${strategy.kind === 'reserve' ? ', ?' : ''})`
  for (let i = 0; i < rows.length; ) {
    let j = i + 1
    for (let chars = rowChars(rows[i]!); j < rows.length && j - i < ROWS_PER_INSERT && (chars += rowChars(rows[j]!)) <= CHARS_PER_INSERT; ) j++
    if (strategy.kind === 'one-by-one') j = i + 1
    const part = rows.slice(i, j)
    if (strategy.kind === 'reserve') {
      // The sequence is looked up once per statement (a scalar subquery), not once per row.
      const got = await tx.query<{ id: number }>(`SELECT nextval((SELECT pg_get_serial_sequence(?, 'id'))::regclass) AS id FROM generate_series(1, ?)`, [table, part.length])
      const reserved = got.map((r) => Number(r.id)).sort((a, b) => a - b)
      await tx.execute(`INSERT INTO ${table} (${columns}, id) VALUES ${part.map(() => marks).join(', ')}`, part.flatMap((r, k) => [...r, reserved[k]]))
      ids.push(...reserved)
    } else {
      const r = await tx.execute(`INSERT INTO ${table} (${columns}) VALUES ${part.map(() => marks).join(', ')}`, part.flat())
      if (r.insertId === null || r.affectedRows !== part.length) throw new Error(`INSERT INTO ${table} reported ${r.affectedRows} row(s) and id ${r.insertId} for ${part.length}`)
      const step = strategy.kind === 'consecutive' ? strategy.step : 1
      for (let k = 0; k < part.length; k++) ids.push(r.insertId + k * step)
    }
    i = j
  }
  return ids
}
