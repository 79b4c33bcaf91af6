// Multi-row INSERTs sized to stay far below the server's packet limit, and a small concurrency helper.
import type { FsDb } from './db.js'
import { idStrategy } from './lookups.js'
import type { FsWriter } from './apply.js'

/** Rows per multi-row INSERT, and a cap on their text so a statement stays far below `max_allowed_packet`. */
export const ROWS_PER_INSERT = 500
export const CHARS_PER_INSERT = 1_000_000
/** Attachment files written at once: overlaps disk latency without opening many descriptors. */
export const FILE_CONCURRENCY = 8
/** Customers' main addresses remembered between batches (bounded so memory stays flat). */
export const MAIN_EMAIL_CACHE = 50_000

export const rowChars = (row: readonly unknown[]) => row.reduce<number>((n, v) => n + (typeof v === 'string' ? v.length : 8), 0)

/**
 * Inserts rows with as few multi-row INSERTs as the size caps allow and returns their ids in row order,
 * by the server's `IdStrategy` (consecutive auto-increment values, ids reserved from the sequence, or one
 * INSERT per row).
 */
export async function insertRows(w: FsWriter, tx: FsDb, table: string, columns: string, rows: readonly (readonly unknown[])[]): Promise<number[]> {
  const ids: number[] = []
  const strategy = await idStrategy(w.db)
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

/** Runs `fn` over the items, at most `limit` at a time. */
export async function eachLimit<T>(items: readonly T[], limit: number, fn: (x: T) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!)
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}
