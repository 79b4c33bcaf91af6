// The only module that writes to FreeScout: a batch of ops per transaction, runs of new conversations or customers
// in a few multi-row statements, and one savepoint per op when something in the batch fails.
import type { ApplyContext } from '../../../src/core/target.js'
import { RecordRejectedError, RemoteUnavailableError } from '../../../src/core/errors.js'
import type { FsDb } from './db.js'
import type { FsConversationOp, FsOp, FsThreadPlan } from './plan-ops.js'
import { mainEmailsOf, messageIdKey, takenMessageIds } from './lookups.js'
import { deleteConversations } from './rollback.js'
import { insertRows, MAIN_EMAIL_CACHE, ROWS_PER_INSERT } from './apply-sql.js'
import { applyCustomer, applyLink, applyUser, writeCustomers, type CustomerWrite } from './apply-people.js'
import { dropFailed, finishAttachments, placeAttachments, writeFileDirs, writeFiles, writeTags } from './apply-attachments.js'
import { placeFile, relocateFile, removeFile, sweepTempFiles } from './attachment-files.js'
import { classifyDbError, need, provenanceMeta, readProvenance, type ConvWrite, type FileLog, type FsWriter, type WrittenState } from './writer.js'

const newFileLog = (): FileLog => ({ written: [], old: [], moves: [], failed: [] })

function writeOp(w: FsWriter, tx: FsDb, op: FsOp, ctx: ApplyContext, files: FileLog): Promise<string> {
  if (op.type === 'user') return applyUser(tx, op, ctx)
  if (op.type === 'customer') return applyCustomer(tx, op, ctx)
  if (op.type === 'customer-link') return applyLink(tx, op, ctx)
  return writeConversations(w, tx, [{ op, ctx }], files).then(([ref]) => ref!)
}

/** The end of the run of new conversations (or new customers) starting at `items[from]`, written together in the fast pass. */
function createRun(items: readonly { readonly op: FsOp; readonly ctx: ApplyContext }[], from: number): number {
  const type = items[from]!.op.type
  if (type !== 'conversation' && type !== 'customer') return from
  let end = from
  while (end < items.length && items[end]!.op.type === type && !items[end]!.ctx.existingRef) end++
  return end
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
  const pass = async (isolate: boolean): Promise<{ results: (string | RecordRejectedError)[]; files: FileLog }> => {
    const results: (string | RecordRejectedError)[] = []
    const all = newFileLog()
    const local = new Map<string, string>()
    try {
      await w.db.transaction(async (tx) => {
        const scope = (ctx: ApplyContext): ApplyContext => ({ ...ctx, resolve: (r) => local.get(`${r.kind}:${r.sourceId}`) ?? ctx.resolve(r) })
        for (let i = 0; i < items.length; i++) {
          const end = isolate ? i : createRun(items, i)
          if (end > i) {
            // The fast pass writes a run of new records in a few multi-row statements; any failure redoes the batch isolated.
            const run = items.slice(i, end).map(({ op, ctx }) => ({ op, ctx: scope(ctx) }))
            const written = run[0]!.op.type === 'customer' ? writeCustomers(w, tx, run as CustomerWrite[]) : writeConversations(w, tx, run as ConvWrite[], all)
            const refs = await written.catch((e: unknown) => {
              const err = classifyDbError(e, `${end - i} ${run[0]!.op.type}(s)`)
              throw err instanceof RecordRejectedError ? new RetryIsolated() : err
            })
            run.forEach(({ op }, k) => local.set(`${op.ref.kind}:${op.ref.sourceId}`, (results[i + k] = refs[k]!)))
            i = end - 1
            continue
          }
          const { op, ctx } = items[i]!
          const scoped = scope(ctx)
          const files = newFileLog()
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
          if (typeof results[i] === 'string') {
            all.old.push(...files.old)
            all.moves.push(...files.moves)
            all.failed.push(...files.failed)
          }
          else for (const f of files.written) removeFile(f)
        }
      })
    } catch (e) {
      for (const f of all.written) removeFile(f)
      if (e instanceof RetryIsolated) throw e
      const err = classifyDbError(e, `a batch of ${items.length} op(s)`)
      throw err instanceof RecordRejectedError ? new RemoteUnavailableError(`the FreeScout transaction failed to commit: ${err.message}`, { cause: e }) : err
    }
    return { results, files: all }
  }
  await sweepOnce(w)
  let done: { results: (string | RecordRejectedError)[]; files: FileLog }
  try {
    done = await pass(false)
  } catch (e) {
    if (!(e instanceof RetryIsolated)) throw e
    done = await pass(true)
  }
  // Files move into place and old files go only once the rows committed: a kill before leaves only temporary
  // files (swept at the next apply), and a failed update never loses the previous attachments.
  for (const m of done.files.moves) {
    try {
      // Taken meanwhile (e.g. by an upload in FreeScout): never overwritten, the row moves to a free directory.
      if (!placeFile(m.tmp, m.final)) await relocateFile(w.db, w.storageDir, m.tmp, { id: m.id, file_name: m.fileName })
    } catch {
      // Left in the temporary directory: the next apply's sweep puts it in place.
    }
  }
  for (const f of done.files.old) removeFile(f)
  for (const f of done.files.failed) f.ctx.writeRejects?.push({ kind: 'attachment', sourceId: f.sourceId, reason: 'file-write-failed', detail: f.detail })
  done.results.forEach((r, i) => typeof r === 'string' && applied(i, r))
  return done.results
}

const swept = new WeakSet<FsDb>()

/** Before the first write through a handle: finishes or removes the temporary files of a killed run. */
async function sweepOnce(w: FsWriter): Promise<void> {
  if (swept.has(w.db)) return
  await sweepTempFiles(w.db, w.storageDir)
  swept.add(w.db)
}

/** Applies one op (a batch of one); returns the FreeScout id as the target ref. */
export async function applyFsOp(w: FsWriter, op: FsOp, ctx: ApplyContext): Promise<string> {
  const [r] = await applyFsBatch(w, [{ op, ctx }], () => {})
  if (r instanceof RecordRejectedError) throw r
  return r!
}

const json = (xs: readonly string[] | null) => (xs && xs.length ? JSON.stringify(xs) : null)


const CONV_COLUMNS = `type, folder_id, status, state, subject, customer_email, cc, bcc, preview, has_attachments, mailbox_id, user_id, customer_id,
  created_by_user_id, created_by_customer_id, source_via, source_type, closed_by_user_id, closed_at, user_updated_at, last_reply_at, last_reply_from,
  threads_count, created_at, updated_at, imported, read_by_user, meta, number`

/** Customers' main addresses, from the writer's bounded cache or one query for the missing ones. */
async function mainEmails(w: FsWriter, tx: FsDb, customerIds: readonly number[]): Promise<Map<number, string | null>> {
  const out = new Map<number, string | null>()
  const missing: number[] = []
  for (const id of new Set(customerIds)) {
    const e = w.mainEmails.get(id)
    if (e === undefined) missing.push(id)
    else out.set(id, e)
  }
  if (missing.length === 0) return out
  if (w.mainEmails.size + missing.length > MAIN_EMAIL_CACHE) w.mainEmails.clear()
  for (const [id, e] of await mainEmailsOf(tx, missing)) {
    out.set(id, e)
    w.mainEmails.set(id, e)
  }
  return out
}

/** Points an existing conversation row at the new version and drops everything hanging off it (rewritten after). */
async function updateConversationRow(w: FsWriter, tx: FsDb, { op, ctx }: ConvWrite, values: unknown[], wrote: WrittenState, files: FileLog): Promise<number> {
  const id = Number(ctx.existingRef)
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
    [...values, 1, provenanceMeta(op.provenance.source, op.provenance.sourceId, run, ctx.opHash, op.provenance.url, wrote), ...(op.number !== null ? [op.number] : []), id],
  )
  return id
}

const writtenState = (op: FsConversationOp, h: { customerId: number; assignee: number | null }): WrittenState => ({
  status: op.status,
  state: op.state,
  mailbox: op.mailboxId,
  user: h.assignee,
  customer: h.customerId,
  tags: [...op.tags].sort(),
})

/**
 * Writes conversations with all their rows: the conversations, then every thread, attachment (files
 * included), tag link and custom field value of the lot in a few multi-row statements. Callers pass either
 * new conversations only, or one update alone, so each row sees what FreeScout held before it exactly as
 * if the conversations were written one after another.
 */
async function writeConversations(w: FsWriter, tx: FsDb, items: readonly ConvWrite[], files: FileLog): Promise<string[]> {
  const heads = items.map(({ op, ctx }) => ({
    customerId: need(ctx, op.customer, 'the customer')!,
    assignee: need(ctx, op.assignee, 'the assignee'),
    closedBy: need(ctx, op.closedBy, 'the agent who closed it'),
    createdByUser: need(ctx, op.createdByUser, 'the creator'),
    createdByCustomer: need(ctx, op.createdByCustomer, 'the creator'),
  }))
  const mains = await mainEmails(w, tx, heads.map((h) => h.customerId))
  const values = items.map(({ op }, k) => {
    const h = heads[k]!
    return [
      op.convType, op.folderId, op.status, op.state, op.subject, mains.get(h.customerId) ?? null, json(op.cc), json(op.bcc), op.preview, op.hasAttachments ? 1 : 0,
      op.mailboxId, h.assignee, h.customerId, h.createdByUser, h.createdByCustomer, op.sourceVia, op.sourceType, op.closedAt ? h.closedBy : null,
      op.closedAt, op.userUpdatedAt, op.lastReplyAt, op.lastReplyFrom, op.threadsCount, op.createdAt, op.updatedAt,
    ]
  })
  const ids: number[] = []
  const creates: unknown[][] = []
  for (const [k, item] of items.entries()) {
    if (item.ctx.existingRef) {
      ids[k] = await updateConversationRow(w, tx, item, values[k]!, writtenState(item.op, heads[k]!), files)
      continue
    }
    w.numbers.next ??= Number((await tx.query<{ n: number }>('SELECT COALESCE(MAX(number), 0) + 1 AS n FROM conversations'))[0]!.n)
    const number = item.op.number ?? w.numbers.next
    w.numbers.next = Math.max(w.numbers.next, number + 1)
    const { op, ctx } = item
    creates.push([...values[k]!, 1, 1, provenanceMeta(op.provenance.source, op.provenance.sourceId, ctx.runId, ctx.opHash, op.provenance.url, writtenState(op, heads[k]!)), number])
  }
  const created = await insertRows(w, tx, 'conversations', CONV_COLUMNS, creates)
  let next = 0
  for (let k = 0; k < items.length; k++) ids[k] ??= created[next++]!
  // Only original Message-IDs can already be in FreeScout; deskmove's own ids are unique per source record, so
  // a clash on one means this very record is already there (e.g. from another staging file): the insert fails
  // on the unique index and the conversation is rejected instead of duplicated.
  const originals = items.flatMap(({ op }) => op.threads.map((t) => t.messageId).filter((m) => !m.startsWith('<deskmove.')))
  const taken = await takenMessageIds(tx, originals)
  const isTaken = (m: string) => !m.startsWith('<deskmove.') && taken.has(messageIdKey(tx.dialect, m))
  const threads: { item: ConvWrite; t: FsThreadPlan; messageId: string; values: unknown[] }[] = []
  items.forEach((item, k) => {
    const env: ThreadEnv = { convId: ids[k]!, customerId: heads[k]!.customerId, mainEmail: mains.get(heads[k]!.customerId) ?? null, isTaken }
    const rows = item.op.threads.map((t) => ({ item, t, ...threadRow(item.ctx, item.op, t, env) }))
    // Later conversations of the lot see these as taken, as they would had each been written alone.
    for (const r of rows) if (!r.messageId.startsWith('<deskmove.')) taken.add(messageIdKey(tx.dialect, r.messageId))
    threads.push(...rows)
  })
  const threadIds = await insertRows(w, tx, 'threads', THREAD_COLUMNS, threads.map((r) => r.values))
  const attachments = await placeAttachments(w, tx, threads.map((r, i) => ({ ...r, threadId: threadIds[i]! })), files)
  // The files are written while the remaining rows go in; both must finish before the commit.
  const writing = writeFiles(attachments)
  try {
    await writeFileDirs(tx, attachments)
    await writeTags(w, tx, items.map(({ op }, k) => ({ convId: ids[k]!, tags: op.tags })))
    const fields = items.flatMap(({ op }, k) => op.customFields.map((f) => [ids[k]!, f.fieldId, f.value]))
    for (let i = 0; i < fields.length; i += ROWS_PER_INSERT) {
      const part = fields.slice(i, i + ROWS_PER_INSERT)
      await tx.execute(`INSERT INTO conversation_custom_field (conversation_id, custom_field_id, value) VALUES ${part.map(() => '(?, ?, ?)').join(', ')}`, part.flat())
    }
  } finally {
    // Never leave a file being written behind a failure: the caller removes what was written.
    await writing.catch(() => {})
  }
  await writing
  await finishAttachments(w, tx, await dropFailed(tx, attachments, files))
  for (const { op } of items) w.touched.add(op.mailboxId)
  return ids.map(String)
}

interface ThreadEnv {
  convId: number
  customerId: number
  mainEmail: string | null
  /** Whether FreeScout (or a conversation written before this one) holds this original Message-ID. */
  isTaken(messageId: string): boolean
}

const THREAD_COLUMNS = `conversation_id, user_id, type, subtype, status, state, action_type, body, "from", "to", cc, bcc, has_attachments, message_id,
  source_via, source_type, customer_id, created_by_user_id, created_by_customer_id, first, created_at, updated_at, meta, imported`

/** The column values of one thread row, and the Message-ID it is stored under. */
function threadRow(ctx: ApplyContext, op: FsConversationOp, t: FsThreadPlan, env: ThreadEnv): { messageId: string; values: unknown[] } {
  // A Message-ID FreeScout already holds (the same email fetched before, or another ticket) would break the
  // unique index: keep it in meta and use deskmove's own id instead.
  const clash = env.isTaken(t.messageId)
  const messageId = clash ? `<deskmove.${op.provenance.source}.${env.convId}.${t.sourceId ?? 'note'}.dup@${t.messageId.replace(/^.*@|>$/g, '') || 'deskmove.invalid'}>` : t.messageId
  const meta = JSON.stringify({ deskmove: { source: op.provenance.source, id: t.sourceId, ...(clash ? { original_message_id: t.messageId } : {}) }, ...t.meta })
  const to = t.to ?? (env.mainEmail ? [env.mainEmail] : null)
  const from = t.from ?? (t.type === 1 ? env.mainEmail : null)
  const values = [
    env.convId, need(ctx, t.user, 'the assignee'), t.type, t.subtype, t.status, 2, t.actionType, t.body, from, json(to), json(t.cc), json(t.bcc),
    t.hasAttachments ? 1 : 0, messageId, t.sourceVia, t.sourceType, env.customerId, t.authorUserId ?? need(ctx, t.authorUser, 'the author'),
    t.authorCustomer ? need(ctx, t.authorCustomer, 'the author') : null, t.first ? 1 : 0, t.createdAt, t.createdAt, meta, 1,
  ]
  return { messageId, values }
}
