import { createHash } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { expectedFolderType } from '../counters.js'
import type { FsDb } from '../db.js'

/**
 * Hand-made, fully consistent FreeScout rows for tests of the stand-in, the counters and the SQL checks: every
 * derived column (folder_id, threads_count, last_reply_*, has_attachments, first, file_dir/size) follows
 * freescout.md 4.3/4.4, so a test can break exactly one thing and expect exactly one check to fire.
 */
export interface SampleThread {
  /** 1 customer, 2 agent message, 3 note, 4 line item. */
  type: 1 | 2 | 3 | 4
  /** 'YYYY-MM-DD HH:MM:SS' UTC, distinct within a conversation. */
  createdAt: string
  state?: number
  messageId?: string | null
  attachments?: { fileName: string; content: string; embedded?: boolean }[]
}

export interface SampleConversation {
  mailboxId: number
  customerId: number | null
  status: 1 | 2 | 3 | 4
  /** Defaults to 2 (published). */
  state?: 1 | 2 | 3
  userId?: number | null
  threads: SampleThread[]
}

/** FreeScout's `d1/d2/1/` directory shape: the first two decimal digits of md5(id), then counter 1 (A.2). */
export function attachmentFileDir(id: number): string {
  const digits = createHash('md5').update(String(id)).digest('hex').replace(/[^0-9]/g, '')
  return `${digits[0] ?? '0'}/${digits[1] ?? '0'}/1/`
}

/** Inserts a customer with one (lowercased) emails row; returns the customer id. */
export async function insertSampleCustomer(db: FsDb, email: string, firstName = 'Sample'): Promise<number> {
  const c = await db.execute('INSERT INTO customers (first_name, created_at, updated_at) VALUES (?, ?, ?)', [
    firstName, '2024-01-01 00:00:00', '2024-01-01 00:00:00',
  ])
  await db.execute('INSERT INTO emails (customer_id, email, type) VALUES (?, ?, 1)', [c.insertId, email.toLowerCase()])
  return c.insertId as number
}

const isReply = (t: SampleThread): boolean => (t.type === 1 || t.type === 2) && (t.state ?? 2) === 2

// Booleans are bound as 0/1 params: PostgreSQL's boolean columns reject integer literals.

/** Inserts one conversation with its threads and attachment rows + files; returns the new ids. */
export async function insertSampleConversation(
  db: FsDb,
  storageDir: string,
  c: SampleConversation,
): Promise<{ id: number; threadIds: number[]; attachmentIds: number[] }> {
  const state = c.state ?? 2
  const userId = c.userId ?? null
  const folderType = expectedFolderType({ state, status: c.status, userId })
  const [folder] = await db.query<{ id: number }>('SELECT id FROM folders WHERE mailbox_id = ? AND type = ? AND user_id IS NULL', [
    c.mailboxId, folderType,
  ])
  if (!folder) throw new Error(`no type ${folderType} folder in mailbox ${c.mailboxId}`)
  const threads = [...c.threads].sort((a, b) => a.createdAt.localeCompare(b.createdAt))
  const replies = threads.filter(isReply)
  const last = replies[replies.length - 1]
  const hasFiles = (t: SampleThread): boolean => (t.attachments ?? []).some((a) => !a.embedded)
  const [email] = c.customerId === null ? [] : await db.query<{ email: string }>('SELECT email FROM emails WHERE customer_id = ? ORDER BY id', [c.customerId])
  const first = threads[0]?.createdAt ?? '2024-01-01 00:00:00'
  const conv = await db.execute(
    'INSERT INTO conversations (number, threads_count, type, folder_id, status, state, subject, customer_email, preview, imported, ' +
      'has_attachments, mailbox_id, user_id, customer_id, created_by_customer_id, source_via, source_type, last_reply_at, ' +
      'last_reply_from, closed_at, created_at, updated_at) VALUES (0, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 1, ?, ?, ?, ?, ?)',
    [
      replies.length, folder.id, c.status, state, 'Sample subject', email?.email ?? null, 'Sample preview', 1,
      threads.some(hasFiles) ? 1 : 0, c.mailboxId, userId, c.customerId, c.customerId, last?.createdAt ?? null,
      last ? (last.type === 1 ? 1 : 2) : null, c.status === 3 ? (last?.createdAt ?? first) : null, first, first,
    ],
  )
  const id = conv.insertId as number
  await db.execute('UPDATE conversations SET number = ? WHERE id = ?', [id, id])
  const threadIds: number[] = []
  const attachmentIds: number[] = []
  for (const [i, t] of threads.entries()) {
    const r = await db.execute(
      'INSERT INTO threads (conversation_id, user_id, type, status, state, body, "from", has_attachments, message_id, source_via, ' +
        'source_type, customer_id, created_by_customer_id, "first", created_at, updated_at, imported) ' +
        'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?)',
      [
        id, userId, t.type, c.status, t.state ?? 2, `<p>thread ${i + 1}</p>`, t.type === 1 ? (email?.email ?? null) : null,
        hasFiles(t) ? 1 : 0, t.messageId ?? null, t.type === 1 ? 1 : 2, c.customerId, t.type === 1 ? c.customerId : null,
        i === 0 ? 1 : 0, t.createdAt, t.createdAt, 1,
      ],
    )
    threadIds.push(r.insertId as number)
    for (const a of t.attachments ?? []) {
      const bytes = Buffer.from(a.content, 'utf8')
      const ar = await db.execute(
        'INSERT INTO attachments (thread_id, file_name, mime_type, type, size, embedded) VALUES (?, ?, ?, 0, ?, ?)',
        [r.insertId, a.fileName, 'text/plain', bytes.length, a.embedded ? 1 : 0],
      )
      const aid = ar.insertId as number
      const dir = attachmentFileDir(aid)
      await mkdir(join(storageDir, 'attachment', dir), { recursive: true })
      await writeFile(join(storageDir, 'attachment', dir, a.fileName), bytes)
      await db.execute('UPDATE attachments SET file_dir = ? WHERE id = ?', [dir, aid])
      attachmentIds.push(aid)
    }
  }
  return { id, threadIds, attachmentIds }
}
