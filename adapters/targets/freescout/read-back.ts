// Reads imported conversations back out of FreeScout for `verify`: rows in a few batched queries, and
// attachment files hashed from storage, so what is compared is what FreeScout will actually serve.
import { createHash } from 'node:crypto'
import { createReadStream, readFileSync, statSync } from 'node:fs'
import { stat } from 'node:fs/promises'
import { join, resolve, sep } from 'node:path'
import type { FsDb } from './db.js'
import { moduleTables } from './lookups.js'

/** What hashing an attachment file found: its bytes' size and sha256, or why it could not be read. */
export type FileReadBack = { readonly size: number; readonly sha256: string } | { readonly error: 'missing' | 'outside-storage' | 'unreadable'; readonly detail: string }

export interface ReadBackAttachment {
  readonly id: number
  readonly fileName: string
  readonly fileDir: string | null
  /** `attachments.size`. */
  readonly size: number | null
  readonly embedded: boolean
  readonly file: FileReadBack
}

export interface ReadBackThread {
  readonly id: number
  /** The source message id deskmove stored in `meta`; null for the import note (and threads deskmove did not write). */
  readonly sourceId: string | null
  /** Whether `meta` carries deskmove provenance at all. */
  readonly imported: boolean
  readonly type: number
  readonly createdAt: string | null
  readonly createdByUserId: number | null
  readonly createdByCustomerId: number | null
  /** Attachments in id (= insertion) order. */
  readonly attachments: readonly ReadBackAttachment[]
}

export interface ReadBackConversation {
  readonly id: number
  readonly number: number | null
  readonly status: number
  readonly state: number
  readonly subject: string | null
  readonly mailboxId: number
  readonly folderId: number | null
  readonly userId: number | null
  readonly customerId: number | null
  readonly threadsCount: number
  readonly createdAt: string | null
  readonly closedAt: string | null
  /** Ordered as FreeScout shows them: by created_at, then id. */
  readonly threads: readonly ReadBackThread[]
  /** Lower-cased tag names, sorted; null when the Tags module's tables do not exist. */
  readonly tags: readonly string[] | null
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v))
const inList = (ids: readonly number[]) => ids.map(() => '?').join(', ')

/** Files hashed at once: enough to overlap disk latency without opening thousands of descriptors. */
const HASH_CONCURRENCY = 8

/** Files up to this size are read in one call; larger ones are streamed. */
const SMALL_FILE = 256 * 1024
/** Small reads slower than this (a few of them, so one GC pause does not count) mean network or cold storage. */
const SLOW_READ_MS = 10
const SLOW_READS = 5
/** Slow small reads seen per storage directory; from `SLOW_READS` on, its files are read asynchronously. */
const slowReads = new Map<string, number>()
const isSlow = (root: string) => (slowReads.get(root) ?? 0) >= SLOW_READS
const timed = (root: string, started: number) => {
  if (performance.now() - started > SLOW_READ_MS) slowReads.set(root, (slowReads.get(root) ?? 0) + 1)
}

const fileError = (e: NodeJS.ErrnoException, rel: string): FileReadBack =>
  e.code === 'ENOENT' ? { error: 'missing', detail: `attachment/${rel} does not exist` } : { error: 'unreadable', detail: `attachment/${rel}: ${e.code ?? e.message}` }

/**
 * Hashes a file of FreeScout's storage; never throws (a missing file is a finding, not a failure). A file the
 * database says is small is read in one synchronous call, several times cheaper than a stream on local disk;
 * once such a read turns out slow, files of that storage directory are streamed instead.
 */
export function hashStorageFile(storageDir: string, fileDir: string | null, fileName: string, expectedSize: number | null = null): Promise<FileReadBack> {
  const root = resolve(storageDir, 'attachment')
  const path = resolve(join(root, fileDir ?? '', fileName))
  const rel = `${fileDir ?? ''}${fileName}`
  // Names come from the database: never follow one out of the attachment directory.
  if (!path.startsWith(root + sep)) return Promise.resolve({ error: 'outside-storage', detail: `attachment/${rel} points outside the storage directory` })
  if (expectedSize !== null && expectedSize <= SMALL_FILE && !isSlow(root)) {
    const started = performance.now()
    try {
      const bytes = readFileSync(path)
      return Promise.resolve({ size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') })
    } catch (e) {
      return Promise.resolve(fileError(e as NodeJS.ErrnoException, rel))
    } finally {
      timed(root, started)
    }
  }
  return new Promise((done) => {
    const hash = createHash('sha256')
    let size = 0
    createReadStream(path)
      .on('data', (c: string | Buffer) => {
        const b = typeof c === 'string' ? Buffer.from(c) : c
        size += b.length
        hash.update(b)
      })
      .on('end', () => done({ size, sha256: hash.digest('hex') }))
      .on('error', (e: NodeJS.ErrnoException) => done(fileError(e, rel)))
  })
}

/**
 * What is at `attachment/<fileDir><fileName>` (null when nothing is): a synchronous stat on local disk (several
 * times cheaper), an asynchronous one once reads from this storage directory turned out slow.
 */
export async function statStorageFile(storageDir: string, fileDir: string, fileName: string): Promise<{ isFile: boolean; size: number } | null> {
  const root = resolve(storageDir, 'attachment')
  const path = join(root, fileDir, fileName)
  if (isSlow(root)) {
    const st = await stat(path).catch(() => null)
    return st && { isFile: st.isFile(), size: st.size }
  }
  const started = performance.now()
  const st = statSync(path, { throwIfNoEntry: false })
  timed(root, started)
  return st ? { isFile: st.isFile(), size: st.size } : null
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      out[i] = await fn(items[i]!)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return out
}

function threadSourceId(meta: unknown): { imported: boolean; sourceId: string | null } {
  if (typeof meta !== 'string') return { imported: false, sourceId: null }
  try {
    const d = (JSON.parse(meta) as { deskmove?: { id?: unknown } }).deskmove
    return d ? { imported: true, sourceId: typeof d.id === 'string' ? d.id : null } : { imported: false, sourceId: null }
  } catch {
    return { imported: false, sourceId: null }
  }
}

/**
 * Reads the given conversations with their threads, attachments (files hashed) and tags in one query per
 * table. Conversations that do not exist are absent from the map. Reads only.
 */
export async function readBackConversations(db: FsDb, storageDir: string, ids: readonly number[]): Promise<Map<number, ReadBackConversation>> {
  const out = new Map<number, ReadBackConversation>()
  if (ids.length === 0) return out
  const convs = await db.query<Record<string, unknown>>(
    `SELECT id, number, status, state, subject, mailbox_id, folder_id, user_id, customer_id, threads_count, created_at, closed_at FROM conversations WHERE id IN (${inList(ids)})`,
    ids,
  )
  if (convs.length === 0) return out
  const found = convs.map((c) => Number(c.id))
  const threads = await db.query<Record<string, unknown>>(
    `SELECT id, conversation_id, type, created_at, created_by_user_id, created_by_customer_id, meta FROM threads WHERE conversation_id IN (${inList(found)}) ORDER BY conversation_id, created_at, id`,
    found,
  )
  const atts = await db.query<Record<string, unknown>>(
    `SELECT a.id, a.thread_id, a.file_dir, a.file_name, a.size, a.embedded FROM attachments a JOIN threads t ON t.id = a.thread_id WHERE t.conversation_id IN (${inList(found)}) ORDER BY a.id`,
    found,
  )
  const files = await mapLimit(atts, HASH_CONCURRENCY, (a) => hashStorageFile(storageDir, (a.file_dir as string | null) ?? null, String(a.file_name), num(a.size)))
  const attsByThread = new Map<number, ReadBackAttachment[]>()
  atts.forEach((a, i) => {
    const list = attsByThread.get(Number(a.thread_id)) ?? []
    list.push({ id: Number(a.id), fileName: String(a.file_name), fileDir: (a.file_dir as string | null) ?? null, size: num(a.size), embedded: Number(a.embedded) === 1, file: files[i]! })
    attsByThread.set(Number(a.thread_id), list)
  })
  const threadsByConv = new Map<number, ReadBackThread[]>()
  for (const t of threads) {
    const list = threadsByConv.get(Number(t.conversation_id)) ?? []
    list.push({
      id: Number(t.id),
      ...threadSourceId(t.meta),
      type: Number(t.type),
      createdAt: (t.created_at as string | null) ?? null,
      createdByUserId: num(t.created_by_user_id),
      createdByCustomerId: num(t.created_by_customer_id),
      attachments: attsByThread.get(Number(t.id)) ?? [],
    })
    threadsByConv.set(Number(t.conversation_id), list)
  }
  let tagsByConv: Map<number, string[]> | null = null
  if ((await moduleTables(db)).tags) {
    tagsByConv = new Map()
    const rows = await db.query<{ conversation_id: number; name: string }>(
      `SELECT ct.conversation_id, tg.name FROM conversation_tag ct JOIN tags tg ON tg.id = ct.tag_id WHERE ct.conversation_id IN (${inList(found)})`,
      found,
    )
    for (const r of rows) {
      const list = tagsByConv.get(Number(r.conversation_id)) ?? []
      list.push(String(r.name))
      tagsByConv.set(Number(r.conversation_id), list)
    }
  }
  for (const c of convs) {
    const id = Number(c.id)
    out.set(id, {
      id,
      number: num(c.number),
      status: Number(c.status),
      state: Number(c.state),
      subject: (c.subject as string | null) ?? null,
      mailboxId: Number(c.mailbox_id),
      folderId: num(c.folder_id),
      userId: num(c.user_id),
      customerId: num(c.customer_id),
      threadsCount: Number(c.threads_count),
      createdAt: (c.created_at as string | null) ?? null,
      closedAt: (c.closed_at as string | null) ?? null,
      threads: threadsByConv.get(id) ?? [],
      tags: tagsByConv ? (tagsByConv.get(id) ?? []).sort() : null,
    })
  }
  return out
}
