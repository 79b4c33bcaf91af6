// Reads FreeScout's reference data once per run (mailboxes, folders, users, customers' emails, modules).
import { createHash } from 'node:crypto'
import type { FsDb } from './db.js'
import type { FsLookups } from './plan-ops.js'
import { ConfigError } from '../../../src/core/errors.js'
import { idStrategy as kitIdStrategy, type IdStrategy } from '../../../src/kits/sql/index.js'

export type { IdStrategy }

/** users.job_title prefix of users deskmove created: they are not "existing" users to match against. */
export const CREATED_USER_PREFIX = 'deskmove import '

/** FreeScout's attachments.size is int unsigned. */
export const FREESCOUT_MAX_ATTACHMENT_BYTES = 4294967295

/** Host part of the Message-IDs deskmove makes up for threads without one. */
export const MESSAGE_ID_HOST = 'import.deskmove.invalid'

const moduleCache = new WeakMap<FsDb, Promise<{ tags: boolean; customFields: boolean }>>()

/** Whether the Tags and Custom Fields modules' tables exist (cached per connection handle). */
export function moduleTables(db: FsDb): Promise<{ tags: boolean; customFields: boolean }> {
  let p = moduleCache.get(db)
  if (!p) {
    const schema = db.dialect === 'mysql' ? 'DATABASE()' : 'current_schema()'
    p = db
      .query<{ table_name: string }>(
        `SELECT table_name AS table_name FROM information_schema.tables WHERE table_schema = ${schema} AND table_name IN ('tags', 'conversation_tag', 'custom_fields', 'conversation_custom_field')`,
      )
      .then((rows) => {
        const names = new Set(rows.map((r) => String((r as Record<string, unknown>).table_name ?? (r as Record<string, unknown>).TABLE_NAME)))
        return { tags: names.has('tags') && names.has('conversation_tag'), customFields: names.has('custom_fields') && names.has('conversation_custom_field') }
      })
    moduleCache.set(db, p)
  }
  return p
}

/** Reads everything `plan` needs from FreeScout. Reads only. */
export async function readLookups(db: FsDb, opts: { rewriteCids: boolean; timeZone?: string; importUser?: string | null }): Promise<FsLookups> {
  const mailboxes = await db.query<{ id: number; email: string; name: string }>('SELECT id, email, name FROM mailboxes ORDER BY id')
  const folders: Record<string, Record<string, number>> = {}
  for (const f of await db.query<{ id: number; mailbox_id: number; type: number }>('SELECT id, mailbox_id, type FROM folders WHERE user_id IS NULL ORDER BY id')) {
    const m = (folders[String(f.mailbox_id)] ??= {})
    m[String(f.type)] ??= f.id
  }
  const users: Record<string, { id: number; status: number }> = {}
  const userIds: number[] = []
  let firstAdmin: number | null = null
  for (const u of await db.query<{ id: number; email: string; status: number; role: number; job_title: string | null }>('SELECT id, email, status, role, job_title FROM users ORDER BY id')) {
    if (u.job_title?.startsWith(CREATED_USER_PREFIX)) continue
    users[u.email.toLowerCase()] ??= { id: u.id, status: u.status }
    userIds.push(u.id)
    if (firstAdmin === null && Number(u.role) === 2 && Number(u.status) === 1) firstAdmin = Number(u.id)
  }
  let importUserId = firstAdmin
  if (opts.importUser) {
    const v = opts.importUser.trim()
    const id = /^\d+$/.test(v) ? (userIds.includes(Number(v)) ? Number(v) : undefined) : users[v.toLowerCase()]?.id
    if (id === undefined) throw new ConfigError(`FREESCOUT_IMPORT_USER ${v} is no FreeScout user`, { hint: 'name an existing user by email or id; it authors the import notes' })
    importUserId = Number(id)
  }
  const existingEmails: Record<string, number> = {}
  const rows = await db.query<{ email: string; customer_id: number }>(
    `SELECT e.email, e.customer_id FROM emails e JOIN customers c ON c.id = e.customer_id WHERE c.meta IS NULL OR c.meta NOT LIKE '%"deskmove":%' ORDER BY e.id`,
  )
  for (const r of rows) existingEmails[r.email.toLowerCase()] ??= r.customer_id
  const modules = await moduleTables(db)
  const customFields: Record<string, Record<string, number>> = {}
  if (modules.customFields) {
    for (const f of await db.query<{ id: number; mailbox_id: number; name: string }>('SELECT id, mailbox_id, name FROM custom_fields ORDER BY id')) {
      const m = (customFields[String(f.mailbox_id)] ??= {})
      m[f.name.toLowerCase()] ??= f.id
    }
  }
  return {
    mailboxes: mailboxes.map((m) => ({ id: Number(m.id), email: m.email, name: m.name })),
    folders,
    users,
    userIds,
    existingEmails,
    modules,
    customFields,
    settings: { rewriteCids: opts.rewriteCids, maxAttachmentBytes: FREESCOUT_MAX_ATTACHMENT_BYTES, messageIdHost: MESSAGE_ID_HOST, timeZone: opts.timeZone ?? 'UTC', importUserId },
  }
}

/** A digest of the rows a plan depends on: counts, highest ids and latest updates. Reads only. */
export async function fingerprintFreescout(db: FsDb): Promise<string> {
  const parts: unknown[] = []
  for (const t of ['conversations', 'threads', 'customers', 'emails', 'users', 'mailboxes', 'folders', 'attachments']) {
    const r = await db.query(`SELECT COUNT(*) AS n, COALESCE(MAX(id), 0) AS m FROM ${t}`)
    parts.push(t, r[0]?.n, r[0]?.m)
  }
  for (const t of ['conversations', 'customers', 'users']) {
    const r = await db.query<{ u: string | null }>(`SELECT MAX(updated_at) AS u FROM ${t}`)
    parts.push(r[0]?.u ?? null)
  }
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32)
}

// ---------------------------------------------------------------- per-batch reads for apply

/** Values per `IN (…)` list: well under every placeholder limit, large enough that a batch is one query. */
const IN_CHUNK = 1000

/** Runs `fn` over `values` in `IN`-list sized chunks and concatenates the rows. */
export async function queryInChunks<T, V>(values: readonly V[], fn: (part: readonly V[], marks: string) => Promise<T[]>): Promise<T[]> {
  const out: T[] = []
  for (let i = 0; i < values.length; i += IN_CHUNK) {
    const part = values.slice(i, i + IN_CHUNK)
    out.push(...(await fn(part, part.map(() => '?').join(', '))))
  }
  return out
}

/** The tables FreeScout's writer inserts into with multi-row INSERTs: all must be InnoDB for consecutive ids. */
const INSERTED_TABLES = ['conversations', 'threads', 'attachments', 'customers', 'tags']

/** The id strategy of this FreeScout server (see the SQL kit's `idStrategy`). */
export function idStrategy(db: FsDb): Promise<IdStrategy> {
  return kitIdStrategy(db, INSERTED_TABLES)
}

/** Each customer's main address (its oldest `emails` row), null when it has none. */
export async function mainEmailsOf(db: FsDb, customerIds: readonly number[]): Promise<Map<number, string | null>> {
  const out = new Map<number, string | null>()
  const rows = await queryInChunks(customerIds, (part, marks) =>
    db.query<{ customer_id: number; email: string }>(`SELECT customer_id, email FROM emails WHERE customer_id IN (${marks}) ORDER BY id`, part),
  )
  for (const r of rows) if (!out.has(Number(r.customer_id))) out.set(Number(r.customer_id), r.email)
  for (const id of customerIds) if (!out.has(id)) out.set(id, null)
  return out
}

/**
 * Which of these Message-IDs FreeScout already holds, compared the way the server compares them (MySQL's
 * collation ignores case; PostgreSQL's does not). Keys are what `messageIdKey` gives for the dialect.
 */
export async function takenMessageIds(db: FsDb, ids: readonly string[]): Promise<Set<string>> {
  const rows = await queryInChunks([...new Set(ids)], (part, marks) => db.query<{ message_id: string }>(`SELECT message_id FROM threads WHERE message_id IN (${marks})`, part))
  return new Set(rows.map((r) => messageIdKey(db.dialect, r.message_id)))
}

/** The comparison key of a Message-ID: lower-cased where the unique index ignores case (MySQL). */
export function messageIdKey(dialect: FsDb['dialect'], messageId: string): string {
  return dialect === 'mysql' ? messageId.toLowerCase() : messageId
}

/** Tag id per name, each looked up with the server's own `name = ?` comparison (one query for all). */
export async function tagIdsByName(db: FsDb, names: readonly string[]): Promise<Map<string, number>> {
  const rows = await queryInChunks(names, async (part) => {
    const found = await db.query<{ i: number; id: number | null }>(
      part.map((_, i) => `SELECT ${i} AS i, (SELECT id FROM tags WHERE name = ? ORDER BY id LIMIT 1) AS id`).join(' UNION ALL '),
      part,
    )
    return found.map((r) => ({ name: part[Number(r.i)]!, id: r.id === null ? null : Number(r.id) }))
  })
  return new Map(rows.filter((r): r is { name: string; id: number } => r.id !== null).map((r) => [r.name, r.id]))
}
