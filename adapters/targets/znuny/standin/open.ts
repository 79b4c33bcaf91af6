// The simulator's database mode: its tables are a Znuny-schema database's (built first when the database is empty).
import { ConfigError } from '../../../../src/core/errors.js'
import { missingTables, redactDbUrl } from '../../../../src/kits/sql/index.js'
import { ADMIN_LOGIN } from '../simulator/catalog.js'
import { DbTables } from '../simulator/db-tables.js'
import { buildStandIn, connectStandIn, tableCount } from './create.js'
import { ZNUNY_TABLE_NAMES } from './schema.js'

/**
 * Opens the simulator's tables in `dbUrl`: an empty database gets the stand-in first; a database with the whole
 * schema is used as it is (its admin password wins, so a second simulator on the same stand-in logs in). Anything
 * else is refused.
 */
export async function openStandInTables(dbUrl: string, seed: { password: string; sendmailModule: string }): Promise<{ tables: DbTables; password: string }> {
  const db = await connectStandIn(dbUrl)
  try {
    if ((await tableCount(db)) === 0) await buildStandIn(db, seed.password, seed.sendmailModule)
    const missing = await missingTables(db, ZNUNY_TABLE_NAMES)
    if (missing.length > 0) {
      throw new ConfigError(`${redactDbUrl(dbUrl)} is neither empty nor a Znuny stand-in: missing table(s) ${missing.join(', ')}`, { hint: 'point --db-url at a new, empty database or at a stand-in built by deskmove' })
    }
    const [admin] = await db.query<{ pw: string }>('SELECT pw FROM users WHERE login = ?', [ADMIN_LOGIN])
    return { tables: new DbTables(db), password: admin?.pw ?? seed.password }
  } catch (e) {
    await db.close()
    throw e
  }
}
