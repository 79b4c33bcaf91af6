import { FOLDER_TYPE, expectedFolderType } from './counters.js'
import type { FsDb } from './db.js'
import { statStorageFile } from './read-back.js'
import { listOrphanFiles } from './attachment-files.js'

/** Names of the read-only checks of freescout.md §5.1, in the order they run. */
export const IMPORT_CHECKS = [
  'visibility',
  'folder',
  'threads-count',
  'last-reply',
  'thread-has-attachments',
  'conversation-has-attachments',
  'attachment-file-dir',
  'attachment-file',
  'thread-order',
  'email-lowercase',
  'customer-email',
  'message-id-unique',
  'folder-counters',
  'orphan-file',
] as const
export type ImportCheckName = (typeof IMPORT_CHECKS)[number]

/** One broken invariant. `conversationId` is set when the problem belongs to one conversation. */
export interface ImportCheckViolation {
  check: ImportCheckName
  conversationId?: number
  detail: string
}

/** Restricts a check to a set of conversations; `sql(col)` is a condition on a conversation id column. */
interface Scope {
  sql(col: string): string
  params: readonly number[]
}

/** Conversation ids per `IN` list: large enough that a verify of 10,000 conversations is two passes per check. */
const CHUNK = 5000
const ALL: Scope = { sql: () => '1 = 1', params: [] }

function scopesOf(ids: readonly number[] | undefined): Scope[] {
  if (ids === undefined) return [ALL]
  const out: Scope[] = []
  // Chunked so a large import never exceeds placeholder or packet limits.
  for (let i = 0; i < ids.length; i += CHUNK) {
    const part = ids.slice(i, i + CHUNK)
    const marks = part.map(() => '?').join(', ')
    out.push({ sql: (col) => `${col} IN (${marks})`, params: part })
  }
  return out
}

const v = (check: ImportCheckName, detail: string, conversationId?: number | null): ImportCheckViolation =>
  conversationId === undefined || conversationId === null ? { check, detail } : { check, conversationId, detail }
const clip = (s: string, n = 80): string => (s.length > n ? `${s.slice(0, n)}…` : s)

type Check = (db: FsDb, s: Scope) => Promise<ImportCheckViolation[]>

// Deleted (3) is what a conversation deleted in the source should be (it shows in the Deleted folder);
// a draft (1), FreeScout's column default, is the trap: invisible everywhere.
const visibility: Check = async (db, s) => {
  const rows = await db.query<{ id: number; state: number }>(
    `SELECT c.id, c.state FROM conversations c WHERE ${s.sql('c.id')} AND c.state NOT IN (2, 3) ORDER BY c.id`,
    s.params,
  )
  const name: Record<number, string> = { 1: 'draft', 3: 'deleted' }
  return rows.map((r) => v('visibility', `state is ${r.state} (${name[r.state] ?? 'unknown'}), not 2 (published) or 3 (deleted): hidden from every folder list`, r.id))
}

const folder: Check = async (db, s) => {
  const rows = await db.query<{ id: number; state: number; status: number; user_id: number | null; mailbox_id: number; folder_id: number; f_id: number | null; f_type: number | null; f_mailbox: number | null; f_user: number | null }>(
    `SELECT c.id, c.state, c.status, c.user_id, c.mailbox_id, c.folder_id, f.id AS f_id, f.type AS f_type, ` +
      `f.mailbox_id AS f_mailbox, f.user_id AS f_user FROM conversations c LEFT JOIN folders f ON f.id = c.folder_id ` +
      `WHERE ${s.sql('c.id')} ORDER BY c.id`,
    s.params,
  )
  const out: ImportCheckViolation[] = []
  for (const r of rows) {
    const want = expectedFolderType({ state: r.state, status: r.status, userId: r.user_id })
    if (r.f_id === null) out.push(v('folder', `folder_id ${r.folder_id} does not exist (expected a type ${want} folder)`, r.id))
    else {
      if (r.f_type !== want) out.push(v('folder', `folder ${r.f_id} has type ${r.f_type}, but state ${r.state}/status ${r.status}/user ${r.user_id ?? 'none'} needs type ${want}`, r.id))
      if (r.f_mailbox !== r.mailbox_id) out.push(v('folder', `folder ${r.f_id} belongs to mailbox ${r.f_mailbox}, the conversation to mailbox ${r.mailbox_id}`, r.id))
      if (r.f_user !== null) out.push(v('folder', `folder ${r.f_id} is a personal folder of user ${r.f_user}`, r.id))
    }
  }
  return out
}

const threadsCount: Check = async (db, s) => {
  const rows = await db.query<{ id: number; threads_count: number; n: number }>(
    `SELECT c.id, c.threads_count, COUNT(t.id) AS n FROM conversations c ` +
      `LEFT JOIN threads t ON t.conversation_id = c.id AND t.type IN (1, 2) AND t.state = 2 ` +
      `WHERE ${s.sql('c.id')} GROUP BY c.id, c.threads_count HAVING c.threads_count <> COUNT(t.id) ORDER BY c.id`,
    s.params,
  )
  return rows.map((r) => v('threads-count', `threads_count is ${r.threads_count}, but ${r.n} published customer/agent threads exist`, r.id))
}

const lastReply: Check = async (db, s) => {
  const published = 't2.conversation_id = c.id AND t2.type IN (1, 2) AND t2.state = 2'
  // The latest published customer/agent thread; on a created_at tie the higher id wins (the UI's secondary order).
  const rows = await db.query<{ id: number; last_reply_at: string | null; last_reply_from: number | null; created_at: string; source_via: number; tid: number }>(
    `SELECT c.id, c.last_reply_at, c.last_reply_from, t.created_at, t.source_via, t.id AS tid FROM conversations c ` +
      `JOIN threads t ON t.conversation_id = c.id AND t.type IN (1, 2) AND t.state = 2 ` +
      `WHERE ${s.sql('c.id')} AND t.created_at = (SELECT MAX(t2.created_at) FROM threads t2 WHERE ${published}) ORDER BY c.id, t.id`,
    s.params,
  )
  const latest = new Map<number, (typeof rows)[number]>()
  for (const r of rows) latest.set(r.id, r)
  const out: ImportCheckViolation[] = []
  for (const r of latest.values()) {
    if (r.last_reply_at !== r.created_at) out.push(v('last-reply', `last_reply_at is ${r.last_reply_at ?? 'NULL'}, latest reply (thread ${r.tid}) is at ${r.created_at}`, r.id))
    if (r.last_reply_from !== r.source_via) out.push(v('last-reply', `last_reply_from is ${r.last_reply_from ?? 'NULL'}, latest reply (thread ${r.tid}) has source_via ${r.source_via}`, r.id))
  }
  return out
}

const threadFlags: Check = async (db, s) => {
  const rows = await db.query<{ id: number; conversation_id: number; flag: number; n: number }>(
    `SELECT x.* FROM (SELECT t.id, t.conversation_id, CASE WHEN t.has_attachments THEN 1 ELSE 0 END AS flag, ` +
      `(SELECT COUNT(*) FROM attachments a WHERE a.thread_id = t.id AND NOT a.embedded) AS n ` +
      `FROM threads t WHERE ${s.sql('t.conversation_id')}) x WHERE (x.flag = 1 AND x.n = 0) OR (x.flag = 0 AND x.n > 0) ORDER BY x.id`,
    s.params,
  )
  return rows.map((r) => v('thread-has-attachments', `thread ${r.id} has has_attachments=${r.flag} but ${r.n} non-embedded attachments`, r.conversation_id))
}

const conversationFlags: Check = async (db, s) => {
  const rows = await db.query<{ id: number; flag: number; n: number }>(
    `SELECT x.* FROM (SELECT c.id, CASE WHEN c.has_attachments THEN 1 ELSE 0 END AS flag, ` +
      `(SELECT COUNT(*) FROM threads t WHERE t.conversation_id = c.id AND t.has_attachments) AS n ` +
      `FROM conversations c WHERE ${s.sql('c.id')}) x WHERE (x.flag = 1 AND x.n = 0) OR (x.flag = 0 AND x.n > 0) ORDER BY x.id`,
    s.params,
  )
  return rows.map((r) => v('conversation-has-attachments', `has_attachments=${r.flag} but ${r.n} of its threads have attachments`, r.id))
}

const FILE_DIR = /^[^/]+\/[^/]+\/[^/]+\/$/

function attachmentFiles(storageDir: string): Check {
  return async (db, s) => {
    const rows = await db.query<{ id: number; file_dir: string | null; file_name: string; size: number | null; conversation_id: number | null }>(
      `SELECT a.id, a.file_dir, a.file_name, a.size, t.conversation_id FROM attachments a ` +
        `LEFT JOIN threads t ON t.id = a.thread_id WHERE ${s.sql('t.conversation_id')} ORDER BY a.id`,
      s.params,
    )
    const out: ImportCheckViolation[] = []
    const inspect = async (r: (typeof rows)[number]): Promise<void> => {
      const conv = r.conversation_id
      if (r.file_dir === null || !FILE_DIR.test(r.file_dir) || r.file_dir.split('/').includes('..')) {
        out.push(v('attachment-file-dir', `attachment ${r.id} has file_dir ${JSON.stringify(r.file_dir)}, not three segments like "4/4/1/"`, conv))
        return
      }
      if (r.file_name.includes('/') || r.file_name === '..') {
        out.push(v('attachment-file', `attachment ${r.id} has a file_name with a path in it: ${JSON.stringify(r.file_name)}`, conv))
        return
      }
      const st = await statStorageFile(storageDir, r.file_dir, r.file_name)
      if (st === null || !st.isFile) out.push(v('attachment-file', `attachment ${r.id}: no file at attachment/${r.file_dir}${r.file_name}`, conv))
      else if (st.size !== r.size) out.push(v('attachment-file', `attachment ${r.id}: file has ${st.size} bytes, size column says ${r.size ?? 'NULL'}`, conv))
    }
    // A few stats at a time: enough to hide disk latency without flooding the event loop with handles.
    for (let i = 0; i < rows.length; i += 16) await Promise.all(rows.slice(i, i + 16).map(inspect))
    return out.sort((a, b) => (a.conversationId ?? 0) - (b.conversationId ?? 0))
  }
}

const threadOrder: Check = async (db, s) => {
  const rows = await db.query<{ conversation_id: number; created_at: string | null; n: number }>(
    `SELECT t.conversation_id, t.created_at, COUNT(*) AS n FROM threads t WHERE ${s.sql('t.conversation_id')} ` +
      `GROUP BY t.conversation_id, t.created_at HAVING COUNT(*) > 1 ORDER BY t.conversation_id`,
    s.params,
  )
  return rows.map((r) => v('thread-order', `${r.n} threads share created_at ${r.created_at ?? 'NULL'}: their order is undefined`, r.conversation_id))
}

const emailLowercase: Check = async (db, s) => {
  // MySQL compares case-insensitively under utf8mb4_unicode_ci, so the comparison needs a binary collation there.
  const differs = db.dialect === 'mysql' ? 'e.email COLLATE utf8mb4_bin <> LOWER(e.email)' : 'e.email <> LOWER(e.email)'
  const scoped = s === ALL ? '1 = 1' : `e.customer_id IN (SELECT c.customer_id FROM conversations c WHERE ${s.sql('c.id')})`
  const rows = await db.query<{ id: number; customer_id: number; email: string }>(
    `SELECT e.id, e.customer_id, e.email FROM emails e WHERE ${scoped} AND ${differs} ORDER BY e.id`,
    s.params,
  )
  return rows.map((r) => v('email-lowercase', `emails row ${r.id} (customer ${r.customer_id}) is not lowercase: ${clip(r.email)}`))
}

const customerEmail: Check = async (db, s) => {
  const rows = await db.query<{ id: number; customer_id: number }>(
    `SELECT c.id, c.customer_id FROM conversations c WHERE ${s.sql('c.id')} AND c.customer_id IS NOT NULL ` +
      `AND NOT EXISTS (SELECT 1 FROM emails e WHERE e.customer_id = c.customer_id) ORDER BY c.id`,
    s.params,
  )
  return rows.map((r) => v('customer-email', `customer ${r.customer_id} has no emails row`, r.id))
}

/**
 * Whether a unique index on at most the first 191 characters of `threads.message_id` (FreeScout's own) makes
 * duplicates impossible: then there is nothing to look for. Any other index (or none) means a full look.
 */
async function messageIdsIndexedUnique(db: FsDb): Promise<boolean> {
  if (db.dialect === 'mysql') {
    const rows = await db.query<{ idx: string; col: string; sub: number | null; nu: number }>(
      "SELECT INDEX_NAME AS idx, COLUMN_NAME AS col, SUB_PART AS sub, NON_UNIQUE AS nu FROM information_schema.statistics WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'threads'",
    )
    const byIndex = new Map<string, typeof rows>()
    for (const r of rows) byIndex.set(r.idx, [...(byIndex.get(r.idx) ?? []), r])
    return [...byIndex.values()].some((cols) => cols.length === 1 && cols[0]!.col === 'message_id' && Number(cols[0]!.nu) === 0 && cols[0]!.sub !== null && Number(cols[0]!.sub) <= 191)
  }
  const rows = await db.query<{ def: string }>("SELECT indexdef AS def FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'threads'")
  return rows.some((r) => {
    const m = /^CREATE UNIQUE INDEX \S+ ON \S+ USING btree \("?left"?\(\(?message_id\)?(?:::text)?, (\d+)\)\)$/.exec(r.def)
    return m !== null && Number(m[1]) <= 191
  })
}

/**
 * Message-IDs shared by several threads, compared on the indexed 191-character prefix in the column's collation
 * (what the unique index rejects). One pass over all threads however many conversations are in scope: a
 * duplicate is reported when one of its threads belongs to a scoped conversation.
 */
async function messageIds(db: FsDb, conversationIds: ReadonlySet<number> | null): Promise<ImportCheckViolation[]> {
  if (await messageIdsIndexedUnique(db)) return []
  const key = 'LEFT(t.message_id, 191)'
  const rows = await db.query<{ k: string; n: number; lo: number; hi: number; conv: number }>(
    `SELECT ${key} AS k, COUNT(*) AS n, MIN(t.id) AS lo, MAX(t.id) AS hi, MIN(t.conversation_id) AS conv FROM threads t ` +
      `WHERE t.message_id IS NOT NULL GROUP BY ${key} HAVING COUNT(*) > 1 ORDER BY MIN(t.id)`,
  )
  const out: ImportCheckViolation[] = []
  for (const r of rows) {
    if (conversationIds !== null) {
      const convs = await db.query<{ c: number }>(`SELECT DISTINCT t.conversation_id AS c FROM threads t WHERE ${key} = ?`, [r.k])
      if (!convs.some((x) => conversationIds.has(Number(x.c)))) continue
    }
    out.push(v('message-id-unique', `message_id ${clip(r.k)} is shared by ${r.n} threads (ids ${r.lo}…${r.hi})`, r.conv))
  }
  return out
}

/** Counts recomputed by independent GROUP BY queries (not the UPDATE in counters.ts), compared per folder. */
async function folderCounters(db: FsDb, mailboxIds: readonly number[] | null): Promise<ImportCheckViolation[]> {
  if (mailboxIds !== null && mailboxIds.length === 0) return []
  const boxParams = mailboxIds ?? []
  const boxes = mailboxIds === null ? '' : ` AND mailbox_id IN (${mailboxIds.map(() => '?').join(', ')})`
  const sum = (cond: string): string => `SUM(CASE WHEN ${cond} THEN 1 ELSE 0 END)`
  const byFolder = await db.query<{ folder_id: number; pub: number; pub_active: number; deleted: number }>(
    `SELECT folder_id, ${sum('state = 2')} AS pub, ${sum('state = 2 AND status = 1')} AS pub_active, ${sum('state = 3')} AS deleted ` +
      `FROM conversations WHERE 1 = 1${boxes} GROUP BY folder_id`,
    boxParams,
  )
  const byUser = await db.query<{ mailbox_id: number; user_id: number; pub: number; pub_active: number }>(
    `SELECT mailbox_id, user_id, ${sum('state = 2')} AS pub, ${sum('state = 2 AND status = 1')} AS pub_active ` +
      `FROM conversations WHERE user_id IS NOT NULL${boxes} GROUP BY mailbox_id, user_id`,
    boxParams,
  )
  const links = await db.query<{ folder_id: number; n: number }>('SELECT folder_id, COUNT(*) AS n FROM conversation_folder GROUP BY folder_id')
  const folders = await db.query<{ id: number; mailbox_id: number; user_id: number | null; type: number; active_count: number; total_count: number }>(
    `SELECT id, mailbox_id, user_id, type, active_count, total_count FROM folders WHERE 1 = 1${boxes} ORDER BY id`,
    boxParams,
  )
  const f = new Map(byFolder.map((r) => [r.folder_id, r]))
  const u = new Map(byUser.map((r) => [`${r.mailbox_id}/${r.user_id}`, r]))
  const l = new Map(links.map((r) => [r.folder_id, r.n]))
  const out: ImportCheckViolation[] = []
  for (const folder of folders) {
    let active: number
    let total: number
    if (folder.type === FOLDER_TYPE.mine) {
      const r = u.get(`${folder.mailbox_id}/${folder.user_id}`)
      ;[active, total] = [r?.pub_active ?? 0, r?.pub ?? 0]
    } else if (folder.type === FOLDER_TYPE.deleted) {
      active = total = f.get(folder.id)?.deleted ?? 0
    } else if (folder.type === FOLDER_TYPE.starred || folder.type === FOLDER_TYPE.drafts) {
      active = total = l.get(folder.id) ?? 0
    } else {
      ;[active, total] = [f.get(folder.id)?.pub_active ?? 0, f.get(folder.id)?.pub ?? 0]
    }
    if (folder.active_count !== active || folder.total_count !== total) {
      out.push(v('folder-counters', `folder ${folder.id} (mailbox ${folder.mailbox_id}, type ${folder.type}) has active/total ${folder.active_count}/${folder.total_count}, expected ${active}/${total}`))
    }
  }
  return out
}

/**
 * Runs the read-only checks of freescout.md §5.1 and returns every violation (empty = consistent). With
 * `conversationIds`, conversation checks look only at those conversations, identity checks at their customers and
 * threads, and counter checks at their mailboxes. `storageDir` is FreeScout's `storage/app`.
 */
export async function runImportChecks(db: FsDb, storageDir: string, opts: { conversationIds?: number[] } = {}): Promise<ImportCheckViolation[]> {
  const scopes = scopesOf(opts.conversationIds)
  const scoped = opts.conversationIds === undefined ? null : new Set(opts.conversationIds)
  const checks: Check[] = [visibility, folder, threadsCount, lastReply, threadFlags, conversationFlags, attachmentFiles(storageDir), threadOrder, emailLowercase, customerEmail]
  const runs: (() => Promise<ImportCheckViolation[]>)[] = [
    ...checks.map((check) => async () => {
      const found: ImportCheckViolation[] = []
      for (const s of scopes) found.push(...(await check(db, s)))
      return found
    }),
    () => messageIds(db, scoped),
  ]
  // Two checks at a time: each is one server-side pass, and the server has more than one core to run them.
  const results: ImportCheckViolation[][] = []
  let next = 0
  const worker = async () => {
    for (let i = next++; i < runs.length; i = next++) results[i] = await runs[i]!()
  }
  await Promise.all([worker(), worker()])
  const out: ImportCheckViolation[] = []
  const seen = new Set<string>()
  for (const found of results.flat()) {
    // Identity checks can see the same row from two chunks (a customer shared across them).
    const key = JSON.stringify(found)
    if (!seen.has(key)) out.push(found)
    seen.add(key)
  }
  // Counters are per mailbox: one pass over the mailboxes the scoped conversations live in.
  let mailboxIds: number[] | null = null
  if (opts.conversationIds !== undefined) {
    const boxes = new Set<number>()
    for (const s of scopes) {
      const rows = await db.query<{ mailbox_id: number }>(`SELECT DISTINCT c.mailbox_id FROM conversations c WHERE ${s.sql('c.id')}`, s.params)
      for (const r of rows) boxes.add(r.mailbox_id)
    }
    mailboxIds = [...boxes].sort((a, b) => a - b)
  }
  out.push(...(await folderCounters(db, mailboxIds)))
  // Files no row points to (debris of a killed apply) are looked for only when every conversation is checked.
  if (opts.conversationIds === undefined) for (const f of await listOrphanFiles(db, storageDir)) out.push(v('orphan-file', `${f}: no attachments row points to this file`))
  return out
}
