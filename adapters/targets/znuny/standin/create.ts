// Builds the Znuny-schema stand-in in an EMPTY database: the tables of schema.ts and the seed rows of a fresh
// simulated Znuny (queues with the mail-trap queue, states, priorities, types, agents, dynamic fields incl. the
// provenance field, a customer company and user, SendmailModule).
import { ConfigError } from '../../../../src/core/errors.js'
import { connectSqlDb, redactDbUrl } from '../../../../src/kits/sql/index.js'
import type { SqlDb } from '../../../../src/kits/sql/types.js'
import { ADMIN_LOGIN, seedRows } from '../simulator/catalog.js'
import { TABLES_WITHOUT_ID } from '../simulator/tables.js'
import { renderZnunyDdl } from './render-ddl.js'
import { ZNUNY_TABLES } from './schema.js'

export interface ZnunyStandInOptions {
  /** An existing, empty database: mysql://, mariadb://, postgres:// or postgresql://. */
  readonly dbUrl: string
  /** The admin's (and the seeded customer user's) password; default a fixed, clearly fake one. */
  readonly password?: string
  /** The SendmailModule recorded in sysconfig_default; default Znuny's `Kernel::System::Email::Sendmail`. */
  readonly sendmailModule?: string
}

export interface ZnunyStandIn {
  readonly env: { readonly ZNUNY_DB_URL: string }
  readonly admin: { readonly login: string; readonly password: string }
}

export const DEFAULT_STANDIN_PASSWORD = 'standin-password-not-a-real-secret'

/** Opens a handle on a stand-in URL with the Znuny wording for errors. */
export function connectStandIn(dbUrl: string): Promise<SqlDb> {
  return connectSqlDb(dbUrl, { label: 'the Znuny stand-in database', hint: 'check the --db-url / ZNUNY_DB_URL (mysql://user:pass@host/db or postgres://…)' })
}

async function tableCount(db: SqlDb): Promise<number> {
  const schema = db.dialect === 'mysql' ? 'DATABASE()' : 'current_schema()'
  const [r] = await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = ${schema}`)
  return Number(r?.n ?? 0)
}

/** Creates the schema and seed rows through `db` (which must point at an empty database). */
export async function buildStandIn(db: SqlDb, password: string, sendmailModule: string): Promise<void> {
  const ddl = async (h: SqlDb): Promise<void> => {
    for (const t of ZNUNY_TABLES) for (const sql of renderZnunyDdl(t, h.dialect)) await h.execute(sql)
  }
  const seed = async (h: SqlDb): Promise<void> => {
    for (const [table, rows] of Object.entries(seedRows(password, sendmailModule))) {
      if (rows.length === 0) continue
      // One multi-row INSERT per table; every seed row of a table has the same columns.
      const cols = Object.keys(rows[0]!)
      const marks = `(${cols.map(() => '?').join(', ')})`
      await h.execute(`INSERT INTO "${table}" (${cols.map((c) => `"${c}"`).join(', ')}) VALUES ${rows.map(() => marks).join(', ')}`, rows.flatMap((r) => cols.map((c) => r[c])))
      // Rows were inserted with their ids: move PostgreSQL's sequence past them.
      if (h.dialect === 'postgres' && !TABLES_WITHOUT_ID.has(table)) {
        await h.query(`SELECT setval(pg_get_serial_sequence('"${table}"', 'id'), (SELECT MAX(id) FROM "${table}"))`)
      }
    }
  }
  // PostgreSQL DDL is transactional, so a failure leaves the database empty; MySQL commits each DDL statement.
  if (db.dialect === 'postgres') {
    await db.transaction(async (tx) => {
      await ddl(tx)
      await seed(tx)
    })
  } else {
    await ddl(db)
    await db.transaction(seed)
  }
}

/** Builds the stand-in; refuses a database that already has tables. */
export async function createZnunyStandIn(o: ZnunyStandInOptions): Promise<ZnunyStandIn> {
  const password = o.password ?? DEFAULT_STANDIN_PASSWORD
  const db = await connectStandIn(o.dbUrl)
  try {
    const existing = await tableCount(db)
    if (existing > 0) {
      throw new ConfigError(`refusing to build a Znuny stand-in in ${redactDbUrl(o.dbUrl)}: it already has ${existing} table(s)`, { hint: 'point the URL at a new, empty database' })
    }
    await buildStandIn(db, password, o.sendmailModule ?? 'Kernel::System::Email::Sendmail')
    return { env: { ZNUNY_DB_URL: o.dbUrl }, admin: { login: ADMIN_LOGIN, password } }
  } finally {
    await db.close()
  }
}

export { tableCount }
