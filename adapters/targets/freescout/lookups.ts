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
