// Which run created which Znuny object. Znuny has no column for it, so deskmove keeps a small table of its own
// in Znuny's database (`deskmove_run_object`, created on first use; drop it once the migration is accepted) and,
// for tickets, also recognises the history comment its articles carry. Rollback reads both.
import { existingTables, type SqlDb } from '../../../../src/kits/sql/index.js'

export const RUN_OBJECT_TABLE = 'deskmove_run_object'

/** Object kinds recorded: the run that created them owns them. */
export type RunObjectKind = 'ticket' | 'customer' | 'organization'

/**
 * The `HistoryComment` a target sends with every article it creates (TicketCreate and TicketUpdate): Znuny
 * stores it as the article's history row name, so rollback can tell which run created a ticket even when the
 * run died before anything else was recorded. Run ids hold no `%`.
 */
export function runHistoryComment(runId: string): string {
  return `%%deskmove run ${runId}`
}

const ensured = new WeakMap<SqlDb, Promise<void>>()

/** Creates the table when missing (both dialects). */
export function ensureRunObjectTable(db: SqlDb): Promise<void> {
  let p = ensured.get(db)
  if (!p) {
    p = db
      .execute(`CREATE TABLE IF NOT EXISTS ${RUN_OBJECT_TABLE} (run_id VARCHAR(100) NOT NULL, kind VARCHAR(20) NOT NULL, object_key VARCHAR(250) NOT NULL, PRIMARY KEY (kind, object_key))`)
      .then(() => undefined)
      .catch((e: unknown) => {
        ensured.delete(db)
        throw e
      })
    ensured.set(db, p)
  }
  return p
}

/**
 * Records that run `runId` created these objects (ticket id, customer user login, customer company id). The first
 * run to record an object owns it: a later run that only updates it does not take it over. Idempotent.
 */
export async function recordRunObjects(db: SqlDb, runId: string, kind: RunObjectKind, keys: readonly string[]): Promise<void> {
  if (!keys.length) return
  await ensureRunObjectTable(db)
  for (const key of keys) {
    const has = await db.query('SELECT run_id FROM deskmove_run_object WHERE kind = ? AND object_key = ?', [kind, key])
    if (!has.length) await db.execute('INSERT INTO deskmove_run_object (run_id, kind, object_key) VALUES (?, ?, ?)', [runId, kind, key])
  }
}

/** The objects of one kind run `runId` created, as recorded (empty when the table does not exist yet). */
export async function runObjects(db: SqlDb, runId: string, kind: RunObjectKind): Promise<string[]> {
  if (!(await runObjectTableExists(db))) return []
  return (await db.query<{ object_key: string }>('SELECT object_key FROM deskmove_run_object WHERE run_id = ? AND kind = ? ORDER BY object_key', [runId, kind])).map((r) => String(r.object_key))
}

/** Forgets objects a rollback removed. */
export async function forgetRunObjects(db: SqlDb, kind: RunObjectKind, keys: readonly string[]): Promise<void> {
  if (!keys.length) return
  if (!(await runObjectTableExists(db))) return
  for (let i = 0; i < keys.length; i += 500) {
    const part = keys.slice(i, i + 500)
    await db.execute(`DELETE FROM deskmove_run_object WHERE kind = ? AND object_key IN (${part.map(() => '?').join(', ')})`, [kind, ...part])
  }
}

async function runObjectTableExists(db: SqlDb): Promise<boolean> {
  return (await existingTables(db, [RUN_OBJECT_TABLE])).has(RUN_OBJECT_TABLE)
}
