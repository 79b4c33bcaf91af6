import { randomBytes, scryptSync } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { ConfigError } from '../../../../src/core/errors.js'
import { PERSONAL_FOLDER_TYPES, PUBLIC_FOLDER_TYPES } from '../counters.js'
import { connectFreescoutDb, redactDbUrl, type FsDb } from '../db.js'
import { renderTableDdl } from './render-ddl.js'
import { CORE_TABLES, CUSTOM_FIELDS_TABLES, TAGS_TABLES, type TableDef } from './schema.js'

/** What `simulate freescout` builds. */
export interface StandInOptions {
  /** An existing, empty database (mysql://, mariadb://, postgres://). */
  dbUrl: string
  /** Plays FreeScout's `storage/app`; `attachment/` is created inside it. */
  storageDir: string
  /** Number of mailboxes, default 2. */
  mailboxes?: number
  /** Module tables to create; both default to true. */
  modules?: { tags?: boolean; customFields?: boolean }
}

/** What a test or a user needs to point deskmove at the stand-in. */
export interface StandInResult {
  env: { FREESCOUT_DB_URL: string; FREESCOUT_STORAGE_DIR: string }
  admin: { id: number; email: string }
  mailboxes: { id: number; name: string; email: string }[]
}

const ADMIN_EMAIL = 'admin@standin.deskmove.test'
const AGENT_EMAIL = 'agent@standin.deskmove.test'
const BCRYPT_ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/**
 * A `$2y$10$…` string with bcrypt's shape (60 chars, bcrypt's base64 alphabet) derived from a random password that is
 * thrown away. No bcrypt implementation ships with the project, so nobody can log in with it — which is the point.
 */
export function bcryptShapedHash(): string {
  const encode = (buf: Buffer, length: number): string =>
    Array.from(buf.subarray(0, length), (b) => BCRYPT_ALPHABET[b % 64]).join('')
  const salt = randomBytes(22)
  const digest = scryptSync(randomBytes(24), salt, 31)
  return `$2y$10$${encode(salt, 22)}${encode(digest, 31)}`
}

async function tableCount(db: FsDb): Promise<number> {
  const schemaExpr = db.dialect === 'mysql' ? 'DATABASE()' : 'current_schema()'
  const rows = await db.query<{ n: number }>(
    `SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = ${schemaExpr}`,
  )
  return Number(rows[0]?.n ?? 0)
}

function tablesFor(o: StandInOptions): TableDef[] {
  return [
    ...CORE_TABLES,
    ...(o.modules?.tags === false ? [] : TAGS_TABLES),
    ...(o.modules?.customFields === false ? [] : CUSTOM_FIELDS_TABLES),
  ]
}

async function insertUser(db: FsDb, u: { first: string; last: string; email: string; role: number }, now: Date): Promise<number> {
  const r = await db.execute(
    'INSERT INTO users (first_name, last_name, email, password, role, status, invite_state, created_at, updated_at) ' +
      'VALUES (?, ?, ?, ?, ?, 1, 1, ?, ?)',
    [u.first, u.last, u.email, bcryptShapedHash(), u.role, now, now],
  )
  if (r.insertId === null) throw new Error('stand-in: users insert returned no id')
  return r.insertId
}

/** Seeds users, mailboxes, access rows and folders as FreeScout's observers would on creation (A.3). */
async function seed(db: FsDb, mailboxCount: number): Promise<Omit<StandInResult, 'env'>> {
  const now = new Date()
  const adminId = await insertUser(db, { first: 'Stand-in', last: 'Admin', email: ADMIN_EMAIL, role: 2 }, now)
  const agentId = await insertUser(db, { first: 'Stand-in', last: 'Agent', email: AGENT_EMAIL, role: 1 }, now)
  const mailboxes: StandInResult['mailboxes'] = []
  for (let i = 1; i <= mailboxCount; i++) {
    const name = `Support ${i}`
    const email = `support${i}@standin.deskmove.test`
    // No in_server: the mailbox never fetches mail.
    const r = await db.execute('INSERT INTO mailboxes (name, email, created_at, updated_at) VALUES (?, ?, ?, ?)', [
      name, email, now, now,
    ])
    const id = r.insertId as number
    mailboxes.push({ id, name, email })
    await db.execute('INSERT INTO mailbox_user (mailbox_id, user_id) VALUES (?, ?)', [id, agentId])
    for (const type of PUBLIC_FOLDER_TYPES) {
      await db.execute('INSERT INTO folders (mailbox_id, user_id, type) VALUES (?, NULL, ?)', [id, type])
    }
    // The admin sees every mailbox without a mailbox_user row but still gets personal folders in each.
    for (const userId of [adminId, agentId]) {
      for (const type of PERSONAL_FOLDER_TYPES) {
        await db.execute('INSERT INTO folders (mailbox_id, user_id, type) VALUES (?, ?, ?)', [id, userId, type])
      }
    }
  }
  return { admin: { id: adminId, email: ADMIN_EMAIL }, mailboxes }
}

/**
 * Builds a FreeScout stand-in: the project's own schema (schema.ts) in an empty database, an admin and an agent,
 * N mailboxes with their folders, and `storageDir/attachment/`. Refuses a database that already has tables.
 */
export async function createFreescoutStandIn(o: StandInOptions): Promise<StandInResult> {
  const mailboxCount = o.mailboxes ?? 2
  if (!Number.isInteger(mailboxCount) || mailboxCount < 1) throw new ConfigError('the stand-in needs at least one mailbox')
  const db = await connectFreescoutDb(o.dbUrl)
  try {
    const existing = await tableCount(db)
    if (existing > 0) {
      throw new ConfigError(`refusing to build a FreeScout stand-in in ${redactDbUrl(o.dbUrl)}: it already has ${existing} table(s)`, {
        hint: 'point the URL at a new, empty database',
      })
    }
    const statements = tablesFor(o).flatMap((t) => renderTableDdl(t, db.dialect))
    const build = async (h: FsDb): Promise<Omit<StandInResult, 'env'>> => {
      for (const sql of statements) await h.execute(sql)
      return seed(h, mailboxCount)
    }
    // PostgreSQL DDL is transactional, so a failure leaves the database empty; MySQL commits each DDL statement.
    const seeded = db.dialect === 'postgres' ? await db.transaction(build) : await build(db)
    const storageDir = resolve(o.storageDir)
    await mkdir(join(storageDir, 'attachment'), { recursive: true })
    return { env: { FREESCOUT_DB_URL: o.dbUrl, FREESCOUT_STORAGE_DIR: storageDir }, ...seeded }
  } finally {
    await db.close()
  }
}
