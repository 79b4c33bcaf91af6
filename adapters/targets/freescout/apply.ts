// The only module that writes to FreeScout: one op per call, a conversation with all its rows in one transaction.
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs'
import { createWriteStream } from 'node:fs'
import { dirname, join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { Readable } from 'node:stream'
import type { RecordRef } from '../../../src/core/model/common.js'
import type { ApplyContext } from '../../../src/core/target.js'
import { MigrationError, RecordRejectedError, RemoteUnavailableError } from '../../../src/core/errors.js'
import type { FsDb } from './db.js'
import type { FsConversationOp, FsCustomerLinkOp, FsCustomerOp, FsOp, FsThreadPlan, FsUserOp } from './plan-ops.js'
import { attachmentFileDir, attachmentUrl, pdfNeedsGuard, rewriteCids } from './plan-files.js'
import { bcryptShapedHash } from './standin/create-stand-in.js'
import { deleteConversations } from './rollback.js'

/** What apply needs besides the op. */
export interface FsWriter {
  readonly db: FsDb
  readonly storageDir: string
  readonly appUrl: string | null
  readonly appKey: string | null
  /** Mailboxes written to in this run: their folder counters are recomputed at the end. */
  readonly touched: Set<number>
  /** Next free conversation number, read once (MAX(number) is a full scan: no index on `number`). */
  readonly numbers: { next: number | null }
  /** Main address per customer id, read once per run (customers are written before conversations). */
  readonly mainEmails: Map<number, string | null>
}

/** The `job_title` that marks a user deskmove created (rollback removes exactly those of a run). */
export const createdUserMarker = (runId: string) => `deskmove import ${runId}`

/** Provenance stored in `meta` JSON; key order fixed so it can be searched. */
export function provenanceMeta(source: string, sourceId: string, runId: string, hash: string, url?: string | null): string {
  return JSON.stringify({ deskmove: { source, id: sourceId, run: runId, hash, ...(url ? { url } : {}) } })
}

/** Reads the deskmove provenance back from a `meta` column. */
export function readProvenance(meta: unknown): { source: string; id: string; run: string; hash: string } | null {
  if (typeof meta !== 'string') return null
  try {
    const d = (JSON.parse(meta) as { deskmove?: { source: string; id: string; run: string; hash: string } }).deskmove
    return d && typeof d.run === 'string' ? d : null
  } catch {
    return null
  }
}

const CONNECTION_CODES = /^(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|PROTOCOL_CONNECTION_LOST|PROTOCOL_SEQUENCE_TIMEOUT|ER_SERVER_SHUTDOWN|ER_CON_COUNT_ERROR|57P0[1-3]|08\d{3}|53300)$/

/** Lost connection → RemoteUnavailableError (resumable); any other database error → this record is rejected. */
export function classifyDbError(e: unknown, what: string): MigrationError {
  if (e instanceof MigrationError) return e
  const err = e as { code?: string; message?: string }
  const msg = err.message ?? String(e)
  if ((err.code && CONNECTION_CODES.test(err.code)) || /connection (terminated|lost|closed)|Cannot enqueue|Pool is closed|server closed the connection/i.test(msg))
    return new RemoteUnavailableError(`lost the connection to the FreeScout database while writing ${what}`, { cause: e })
  return new RecordRejectedError(/duplicate|unique/i.test(msg) ? 'duplicate' : 'db-error', `FreeScout refused ${what}: ${msg}`, { cause: e })
}

function need(ctx: ApplyContext, ref: RecordRef | null, what: string): number | null {
  if (!ref) return null
  const r = ctx.resolve(ref)
  if (r === undefined) throw new RecordRejectedError('dangling-reference', `${what} (${ref.kind} ${ref.sourceId}) was not written to FreeScout`)
  return Number(r)
}

/** Attachment files written by an op (removed again if it rolls back) and replaced ones (removed after commit). */
interface FileLog {
  readonly written: string[]
  readonly old: string[]
}

function writeOp(w: FsWriter, tx: FsDb, op: FsOp, ctx: ApplyContext, files: FileLog): Promise<string> {
  if (op.type === 'user') return applyUser(tx, op, ctx)
  if (op.type === 'customer') return applyCustomer(tx, op, ctx)
  if (op.type === 'customer-link') return applyLink(tx, op, ctx)
  return writeConversation(w, tx, op, ctx, files)
}

/** Signals that the fast pass met a failing op: the batch is redone with one savepoint per op. */
class RetryIsolated extends Error {}

/**
 * Writes a batch of ops in one database transaction. The fast pass writes them straight through; if any op
 * fails, that transaction is rolled back and the batch is redone with each op inside its own savepoint, so
 * the failing op is rolled back alone (its files removed) and reported as its `RecordRejectedError` while
 * the rest commit together. Ops of the batch resolve earlier ones of the same pass (a customer merged into
 * one written just before). A lost connection or failed commit throws `RemoteUnavailableError` and removes
 * every file the batch wrote. `applied` is called for each committed op, after the commit.
 */
export async function applyFsBatch(
  w: FsWriter,
  items: readonly { readonly op: FsOp; readonly ctx: ApplyContext }[],
  applied: (index: number, ref: string) => void,
): Promise<(string | RecordRejectedError)[]> {
  const pass = async (isolate: boolean): Promise<{ results: (string | RecordRejectedError)[]; old: string[] }> => {
    const results: (string | RecordRejectedError)[] = []
    const all: FileLog = { written: [], old: [] }
    const local = new Map<string, string>()
    try {
      await w.db.transaction(async (tx) => {
        for (const [i, { op, ctx }] of items.entries()) {
          const scoped: ApplyContext = { ...ctx, resolve: (r) => local.get(`${r.kind}:${r.sourceId}`) ?? ctx.resolve(r) }
          const files: FileLog = { written: [], old: [] }
          try {
            const ref = isolate ? await tx.transaction((sp) => writeOp(w, sp, op, scoped, files)) : await writeOp(w, tx, op, scoped, files)
            local.set(`${op.ref.kind}:${op.ref.sourceId}`, ref)
            results[i] = ref
          } catch (e) {
            const err = classifyDbError(e, `${op.ref.kind} ${op.ref.sourceId}`)
            if (!(err instanceof RecordRejectedError)) throw err
            if (!isolate) throw new RetryIsolated()
            results[i] = err
          } finally {
            all.written.push(...files.written)
          }
          // A rejected op's new files are not part of the commit, and its old files were restored with its rows.
          if (typeof results[i] === 'string') all.old.push(...files.old)
          else for (const f of files.written) rmSync(f, { force: true })
        }
      })
    } catch (e) {
      for (const f of all.written) rmSync(f, { force: true })
      if (e instanceof RetryIsolated) throw e
      const err = classifyDbError(e, `a batch of ${items.length} op(s)`)
      throw err instanceof RecordRejectedError ? new RemoteUnavailableError(`the FreeScout transaction failed to commit: ${err.message}`, { cause: e }) : err
    }
    return { results, old: all.old }
  }
  let done: { results: (string | RecordRejectedError)[]; old: string[] }
  try {
    done = await pass(false)
  } catch (e) {
    if (!(e instanceof RetryIsolated)) throw e
    done = await pass(true)
  }
  // Old files go only once the new rows committed, so a failed update never loses the previous attachments.
  for (const f of done.old) rmSync(f, { force: true })
  done.results.forEach((r, i) => typeof r === 'string' && applied(i, r))
  return done.results
}

/** Applies one op (a batch of one); returns the FreeScout id as the target ref. */
export async function applyFsOp(w: FsWriter, op: FsOp, ctx: ApplyContext): Promise<string> {
  const [r] = await applyFsBatch(w, [{ op, ctx }], () => {})
  if (r instanceof RecordRejectedError) throw r
  return r!
}

async function applyUser(db: FsDb, op: FsUserOp, ctx: ApplyContext): Promise<string> {
  if (op.action !== 'create-disabled') return String(op.userId)
  if (ctx.existingRef) {
    await db.execute('UPDATE users SET first_name = ?, last_name = ? WHERE id = ?', [op.firstName, op.lastName, Number(ctx.existingRef)])
    return ctx.existingRef
  }
  const taken = await db.query<{ id: number }>('SELECT id FROM users WHERE email = ?', [op.email])
  if (taken[0]) return String(taken[0].id)
  const now = op.createdAt ?? '2000-01-01 00:00:00'
  // Disabled, never invited, password unusable: the user exists only to carry names on imported history.
  const r = await db.execute(
    'INSERT INTO users (first_name, last_name, email, password, role, status, type, invite_state, job_title, created_at, updated_at) VALUES (?, ?, ?, ?, 1, 2, 1, 3, ?, ?, ?)',
    [op.firstName, op.lastName, op.email, bcryptShapedHash(), createdUserMarker(ctx.runId), now, now],
  )
  return String(r.insertId)
}

async function applyCustomer(tx: FsDb, op: FsCustomerOp, ctx: ApplyContext): Promise<string> {
  const r = op.row
  const cols = [r.firstName, r.lastName, r.company, r.jobTitle, r.notes, r.phones, r.websites]
  let id: number
  if (ctx.existingRef) {
    id = Number(ctx.existingRef)
    const prev = await tx.query<{ meta: string | null }>('SELECT meta FROM customers WHERE id = ?', [id])
    const run = readProvenance(prev[0]?.meta)?.run ?? ctx.runId
    await tx.execute('UPDATE customers SET first_name = ?, last_name = ?, company = ?, job_title = ?, notes = ?, phones = ?, websites = ?, meta = ?, updated_at = ? WHERE id = ?', [
      ...cols,
      provenanceMeta(op.ref.source, op.ref.sourceId, run, ctx.opHash),
      r.updatedAt,
      id,
    ])
    await tx.execute('DELETE FROM emails WHERE customer_id = ?', [id])
  } else {
    const res = await tx.execute(
      'INSERT INTO customers (first_name, last_name, company, job_title, notes, phones, websites, meta, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [...cols, provenanceMeta(op.ref.source, op.ref.sourceId, ctx.runId, ctx.opHash), r.createdAt, r.updatedAt],
    )
    id = res.insertId!
  }
  for (const e of op.emails) {
    const owner = await tx.query<{ customer_id: number }>('SELECT customer_id FROM emails WHERE email = ?', [e])
    if (owner[0]) throw new RecordRejectedError('duplicate-email', `${e} already belongs to FreeScout customer ${owner[0].customer_id}`)
    await tx.execute('INSERT INTO emails (customer_id, email, type) VALUES (?, ?, 1)', [id, e])
  }
  return String(id)
}

async function applyLink(db: FsDb, op: FsCustomerLinkOp, ctx: ApplyContext): Promise<string> {
  if (op.existingCustomerId !== null) {
    const rows = await db.query<{ id: number }>('SELECT id FROM customers WHERE id = ?', [op.existingCustomerId])
    if (!rows[0]) throw new RecordRejectedError('dangling-reference', `FreeScout customer ${op.existingCustomerId} no longer exists`)
    return String(op.existingCustomerId)
  }
  return String(need(ctx, op.into, 'the customer it merges into'))
}

const json = (xs: readonly string[] | null) => (xs && xs.length ? JSON.stringify(xs) : null)

async function writeConversation(w: FsWriter, tx: FsDb, op: FsConversationOp, ctx: ApplyContext, files: FileLog): Promise<string> {
  const customerId = need(ctx, op.customer, 'the customer')!
  const ids = {
    assignee: need(ctx, op.assignee, 'the assignee'),
    closedBy: need(ctx, op.closedBy, 'the agent who closed it'),
    createdByUser: need(ctx, op.createdByUser, 'the creator'),
    createdByCustomer: need(ctx, op.createdByCustomer, 'the creator'),
  }
  let mainEmail = w.mainEmails.get(customerId)
  if (mainEmail === undefined) {
    mainEmail = (await tx.query<{ email: string }>('SELECT email FROM emails WHERE customer_id = ? ORDER BY id LIMIT 1', [customerId]))[0]?.email ?? null
    w.mainEmails.set(customerId, mainEmail)
  }
  let id: number
  const values = [
    op.convType, op.folderId, op.status, op.state, op.subject, mainEmail, json(op.cc), json(op.bcc), op.preview, op.hasAttachments ? 1 : 0,
    op.mailboxId, ids.assignee, customerId, ids.createdByUser, ids.createdByCustomer, op.sourceVia, op.sourceType, op.closedAt ? ids.closedBy : null,
    op.closedAt, op.userUpdatedAt, op.lastReplyAt, op.lastReplyFrom, op.threadsCount, op.createdAt, op.updatedAt,
  ]
  if (ctx.existingRef) {
    id = Number(ctx.existingRef)
    const prev = await tx.query<{ meta: string | null; mailbox_id: number }>('SELECT meta, mailbox_id FROM conversations WHERE id = ?', [id])
    if (!prev[0]) throw new RecordRejectedError('dangling-reference', `FreeScout conversation ${id} is gone; roll back or delete the id map row`)
    w.touched.add(prev[0].mailbox_id)
    const run = readProvenance(prev[0].meta)?.run ?? ctx.runId
    files.old.push(...(await deleteConversations(tx, w.storageDir, [id], { keepConversationRows: true })))
    await tx.execute(
      `UPDATE conversations SET type = ?, folder_id = ?, status = ?, state = ?, subject = ?, customer_email = ?, cc = ?, bcc = ?, preview = ?, has_attachments = ?,
         mailbox_id = ?, user_id = ?, customer_id = ?, created_by_user_id = ?, created_by_customer_id = ?, source_via = ?, source_type = ?, closed_by_user_id = ?,
         closed_at = ?, user_updated_at = ?, last_reply_at = ?, last_reply_from = ?, threads_count = ?, created_at = ?, updated_at = ?, imported = ?, meta = ?
       ${op.number !== null ? ', number = ?' : ''} WHERE id = ?`,
      [...values, 1, provenanceMeta(op.provenance.source, op.provenance.sourceId, run, ctx.opHash, op.provenance.url), ...(op.number !== null ? [op.number] : []), id],
    )
  } else {
    w.numbers.next ??= Number((await tx.query<{ n: number }>('SELECT COALESCE(MAX(number), 0) + 1 AS n FROM conversations'))[0]!.n)
    const number = op.number ?? w.numbers.next
    w.numbers.next = Math.max(w.numbers.next, number + 1)
    const res = await tx.execute(
      `INSERT INTO conversations (type, folder_id, status, state, subject, customer_email, cc, bcc, preview, has_attachments, mailbox_id, user_id, customer_id,
         created_by_user_id, created_by_customer_id, source_via, source_type, closed_by_user_id, closed_at, user_updated_at, last_reply_at, last_reply_from,
         threads_count, created_at, updated_at, imported, read_by_user, meta, number)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [...values, 1, 1, provenanceMeta(op.provenance.source, op.provenance.sourceId, ctx.runId, ctx.opHash, op.provenance.url), number],
    )
    id = res.insertId!
  }
  // Only original Message-IDs can already be in FreeScout; deskmove's own ids are unique per source record, so
  // a clash on one means this very record is already there (e.g. from another staging file): the insert fails
  // on the unique index and the conversation is rejected instead of duplicated.
  const taken = await takenMessageIds(tx, op.threads.map((t) => t.messageId).filter((m) => !m.startsWith('<deskmove.')))
  await insertThreads(w, tx, ctx, op, { convId: id, customerId, mainEmail, taken, written: files.written })
  await writeTags(tx, id, op.tags)
  for (const f of op.customFields) await tx.execute('INSERT INTO conversation_custom_field (conversation_id, custom_field_id, value) VALUES (?, ?, ?)', [id, f.fieldId, f.value])
  w.touched.add(op.mailboxId)
  return String(id)
}

async function takenMessageIds(tx: FsDb, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set()
  const rows = await tx.query<{ message_id: string }>(`SELECT message_id FROM threads WHERE message_id IN (${ids.map(() => '?').join(', ')})`, ids)
  return new Set(rows.map((r) => r.message_id.toLowerCase()))
}

interface ThreadEnv {
  convId: number
  customerId: number
  mainEmail: string | null
  taken: Set<string>
  written: string[]
}

const THREAD_COLUMNS = `conversation_id, user_id, type, subtype, status, state, action_type, body, "from", "to", cc, bcc, has_attachments, message_id,
  source_via, source_type, customer_id, created_by_user_id, created_by_customer_id, first, created_at, updated_at, meta, imported`
const THREAD_VALUES = `(${Array.from({ length: 24 }, () => '?').join(', ')})`
const THREADS_PER_INSERT = 100

/** The column values of one thread row, and the Message-ID it is stored under. */
function threadRow(ctx: ApplyContext, op: FsConversationOp, t: FsThreadPlan, env: ThreadEnv): { messageId: string; values: unknown[] } {
  // A Message-ID FreeScout already holds (the same email fetched before, or another ticket) would break the
  // unique index: keep it in meta and use deskmove's own id instead.
  const clash = env.taken.has(t.messageId.toLowerCase())
  const messageId = clash ? `<deskmove.${op.provenance.source}.${env.convId}.${t.sourceId ?? 'note'}.dup@${t.messageId.replace(/^.*@|>$/g, '') || 'deskmove.invalid'}>` : t.messageId
  const meta = JSON.stringify({ deskmove: { source: op.provenance.source, id: t.sourceId, ...(clash ? { original_message_id: t.messageId } : {}) } })
  const to = t.to ?? (env.mainEmail ? [env.mainEmail] : null)
  const from = t.from ?? (t.type === 1 ? env.mainEmail : null)
  const values = [
    env.convId, need(ctx, t.user, 'the assignee'), t.type, t.subtype, t.status, 2, t.actionType, t.body, from, json(to), json(t.cc), json(t.bcc),
    t.hasAttachments ? 1 : 0, messageId, t.sourceVia, t.sourceType, env.customerId, need(ctx, t.authorUser, 'the author'),
    t.authorCustomer ? need(ctx, t.authorCustomer, 'the author') : null, t.first ? 1 : 0, t.createdAt, t.createdAt, meta, 1,
  ]
  return { messageId, values }
}

/** Inserts a conversation's threads with multi-row INSERTs, then their attachments (ids read back by Message-ID, which is unique). */
async function insertThreads(w: FsWriter, tx: FsDb, ctx: ApplyContext, op: FsConversationOp, env: ThreadEnv): Promise<void> {
  const rows = op.threads.map((t) => ({ t, ...threadRow(ctx, op, t, env) }))
  for (let i = 0; i < rows.length; i += THREADS_PER_INSERT) {
    const part = rows.slice(i, i + THREADS_PER_INSERT)
    await tx.execute(`INSERT INTO threads (${THREAD_COLUMNS}) VALUES ${part.map(() => THREAD_VALUES).join(', ')}`, part.flatMap((r) => r.values))
  }
  if (!rows.some((r) => r.t.attachments.length)) return
  const ids = new Map((await tx.query<{ id: number; message_id: string }>('SELECT id, message_id FROM threads WHERE conversation_id = ?', [env.convId])).map((r) => [r.message_id, Number(r.id)]))
  for (const r of rows) {
    if (!r.t.attachments.length) continue
    const threadId = ids.get(r.messageId)
    if (threadId === undefined) throw new Error(`thread ${r.messageId} was not found after inserting it`)
    await writeAttachments(w, tx, ctx, op, r.t, threadId, env)
  }
}

async function writeAttachments(w: FsWriter, tx: FsDb, ctx: ApplyContext, op: FsConversationOp, t: FsThreadPlan, threadId: number, env: ThreadEnv): Promise<void> {
  const urls = new Map<string, string>()
  const userId = t.sourceVia === 2 ? need(ctx, t.authorUser, 'the author') : null
  for (const a of t.attachments) {
    const bytes = a.mimeType === 'application/pdf' || /\.pdf$/i.test(a.fileName) ? await readAll(ctx.openBlob(a.sha256)) : null
    const fileName = bytes && pdfNeedsGuard(a.fileName, bytes) ? `${a.fileName}_` : a.fileName
    const row = await tx.execute('INSERT INTO attachments (thread_id, user_id, file_name, mime_type, type, size, embedded, public) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
      threadId, userId, fileName, a.mimeType, a.typeCode, a.size, a.embedded ? 1 : 0, 0,
    ])
    const id = row.insertId!
    // Rows first (the id names the directory), then the file, then file_dir — as FreeScout's own uploader does.
    const fileDir = attachmentFileDir(id, fileName, (rel) => existsSync(join(w.storageDir, rel)))
    const path = join(w.storageDir, 'attachment', fileDir, fileName)
    mkdirSync(dirname(path), { recursive: true })
    env.written.push(path)
    await pipeline(bytes ? Readable.from([bytes]) : ctx.openBlob(a.sha256), createWriteStream(path, { flags: 'wx' }))
    const size = statSync(path).size
    await tx.execute(size === a.size ? 'UPDATE attachments SET file_dir = ? WHERE id = ?' : 'UPDATE attachments SET file_dir = ?, size = ? WHERE id = ?', size === a.size ? [fileDir, id] : [fileDir, size, id])
    if (a.embedded && a.contentId && w.appUrl && w.appKey) urls.set(a.contentId, attachmentUrl(w.appUrl, w.appKey, { id, fileDir, fileName, size }))
  }
  if (op.rewriteCids && urls.size) {
    const { html } = rewriteCids(t.body, urls)
    if (html !== t.body) await tx.execute('UPDATE threads SET body = ? WHERE id = ?', [html, threadId])
  }
}

async function writeTags(tx: FsDb, convId: number, tags: readonly string[]): Promise<void> {
  for (const name of tags) {
    let tag = (await tx.query<{ id: number }>('SELECT id FROM tags WHERE name = ?', [name]))[0]?.id
    tag ??= (await tx.execute('INSERT INTO tags (name, counter, color) VALUES (?, 0, 0)', [name])).insertId!
    await tx.execute('INSERT INTO conversation_tag (conversation_id, tag_id) VALUES (?, ?)', [convId, tag])
    await tx.execute('UPDATE tags SET counter = counter + 1 WHERE id = ?', [tag])
  }
}

async function readAll(s: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const c of s) chunks.push(c as Buffer)
  return Buffer.concat(chunks)
}
