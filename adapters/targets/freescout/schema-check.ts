// Refuses a database that is not FreeScout's (empty, another application, the wrong schema) before anything
// reads or writes it: a configuration error (exit 3) naming the table, the database and the host.
import { ConfigError } from '../../../src/core/errors.js'
import { missingTables } from '../../../src/kits/sql/index.js'
import { connectFreescoutDb, type FsDb } from './db.js'

/** Tables every FreeScout install has and deskmove reads or writes; `conversations` first, as the one named. */
export const FREESCOUT_CORE_TABLES = ['conversations', 'threads', 'attachments', 'customers', 'emails', 'mailboxes', 'folders', 'users'] as const

/** Throws a ConfigError when the handle's database lacks a FreeScout core table. */
export async function assertFreescoutSchema(db: FsDb): Promise<void> {
  const missing = await missingTables(db, FREESCOUT_CORE_TABLES)
  if (missing.length === 0) return
  const { database, host } = db.location
  const others = missing.length > 1 ? ` (${missing.length - 1} other FreeScout table(s) are missing too: ${missing.slice(1).join(', ')})` : ''
  throw new ConfigError(`not a FreeScout database: table \`${missing[0]}\` missing in \`${database}\` on ${host}`, {
    hint: `check the database name in FREESCOUT_DB_URL${db.dialect === 'postgres' ? ' (and the schema: FreeScout tables must be in the search_path)' : ''}; it must be the database FreeScout itself uses${others}`,
  })
}

/** Connects to FreeScout's database and checks it is one (the pool is closed again when it is not). */
export async function openFreescoutDb(url: string): Promise<FsDb> {
  const db = await connectFreescoutDb(url)
  try {
    await assertFreescoutSchema(db)
  } catch (e) {
    await db.close().catch(() => {})
    throw e
  }
  return db
}
