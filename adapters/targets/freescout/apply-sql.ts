// FreeScout's multi-row INSERTs (through the SQL kit) and a small concurrency helper.
import type { FsDb } from './db.js'
import { idStrategy } from './lookups.js'
import { insertRows as kitInsertRows } from '../../../src/kits/sql/index.js'
import type { FsWriter } from './writer.js'

export { CHARS_PER_INSERT, ROWS_PER_INSERT, rowChars } from '../../../src/kits/sql/index.js'
/** Attachment files written at once: overlaps disk latency without opening many descriptors. */
export const FILE_CONCURRENCY = 8
/** Customers' main addresses remembered between batches (bounded so memory stays flat). */
export const MAIN_EMAIL_CACHE = 50_000

/** Inserts rows in as few multi-row INSERTs as possible and returns their ids in row order (the SQL kit's `insertRows`). */
export async function insertRows(w: FsWriter, tx: FsDb, table: string, columns: string, rows: readonly (readonly unknown[])[]): Promise<number[]> {
  return kitInsertRows(tx, await idStrategy(w.db), table, columns, rows)
}

/**
 * Runs `fn` over the items, at most `limit` at a time, and settles only once every started call has ended:
 * after a failure no call is still running (a file still being written after the caller cleaned up would be
 * left behind). The first failure is thrown then; no other item is started after it.
 */
export async function eachLimit<T>(items: readonly T[], limit: number, fn: (x: T) => Promise<void>): Promise<void> {
  let next = 0
  let failed: { error: unknown } | null = null
  const worker = async () => {
    while (!failed && next < items.length) {
      try {
        await fn(items[next++]!)
      } catch (e) {
        failed ??= { error: e }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  if (failed) throw (failed as { error: unknown }).error
}
