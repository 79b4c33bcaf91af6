// Reads FreeScout's reference data once per run (mailboxes, folders, users, customers' emails, modules).
import { createHash } from 'node:crypto'
import type { FsDb } from './db.js'
import type { FsLookups } from './plan-ops.js'

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
export async function readLookups(db: FsDb, opts: { rewriteCids: boolean }): Promise<FsLookups> {
  const mailboxes = await db.query<{ id: number; email: string; name: string }>('SELECT id, email, name FROM mailboxes ORDER BY id')
  const folders: Record<string, Record<string, number>> = {}
  for (const f of await db.query<{ id: number; mailbox_id: number; type: number }>('SELECT id, mailbox_id, type FROM folders WHERE user_id IS NULL ORDER BY id')) {
    const m = (folders[String(f.mailbox_id)] ??= {})
    m[String(f.type)] ??= f.id
  }
  const users: Record<string, { id: number; status: number }> = {}
  const userIds: number[] = []
  for (const u of await db.query<{ id: number; email: string; status: number; job_title: string | null }>('SELECT id, email, status, job_title FROM users ORDER BY id')) {
    if (u.job_title?.startsWith(CREATED_USER_PREFIX)) continue
    users[u.email.toLowerCase()] ??= { id: u.id, status: u.status }
    userIds.push(u.id)
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
    settings: { rewriteCids: opts.rewriteCids, maxAttachmentBytes: FREESCOUT_MAX_ATTACHMENT_BYTES, messageIdHost: MESSAGE_ID_HOST },
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

/**
 * How a multi-row INSERT learns the ids it generated. MySQL/MariaDB hand out consecutive auto-increment
 * values (stepping by `auto_increment_increment`) to one multi-row INSERT only when InnoDB runs with
 * `innodb_autoinc_lock_mode` 0 or 1; PostgreSQL ids are reserved from the column's sequence first; anything
 * else inserts row by row and reads each `insertId`.
 */
export type IdStrategy = { readonly kind: 'consecutive'; readonly step: number } | { readonly kind: 'reserve' } | { readonly kind: 'one-by-one' }

const idStrategyCache = new WeakMap<FsDb, Promise<IdStrategy>>()

/** The id strategy of this server (read once per connection handle; any doubt means one row at a time). */
export function idStrategy(db: FsDb): Promise<IdStrategy> {
  let p = idStrategyCache.get(db)
  if (!p) {
    p = (async (): Promise<IdStrategy> => {
      if (db.dialect === 'postgres') return { kind: 'reserve' }
      const [v] = await db.query<{ mode: number; step: number }>('SELECT @@innodb_autoinc_lock_mode AS mode, @@auto_increment_increment AS step')
      const engines = await db.query<Record<string, unknown>>(
        "SELECT ENGINE AS engine FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name IN ('conversations', 'threads', 'attachments', 'customers', 'tags')",
      )
      const innodb = engines.length === 5 && engines.every((r) => String(r.engine ?? r.ENGINE).toLowerCase() === 'innodb')
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
