// Removes exactly what one deskmove run created in FreeScout, the way "delete forever" does it in code
// (FreeScout has no foreign keys, so nothing cascades): attachment rows and files, threads, links, rows.
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import type { TargetRollback } from '../../../src/core/target.js'
import type { FsDb } from './db.js'
import { recomputeFolderCounters } from './counters.js'
import { moduleTables } from './lookups.js'
import { changedSinceImport, type RunConversation } from './rollback-changes.js'

const CHUNK = 500
const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ')

/**
 * Deletes everything hanging off the given conversations — attachment rows, threads, tag links (tag counters
 * decremented, tags at 0 removed, as the Tags module does), custom field values, followers, folder links — and
 * the conversation rows unless `keepConversationRows`. Returns the attachment file paths for the caller to
 * delete once the transaction committed.
 */
export async function deleteConversations(tx: FsDb, storageDir: string, ids: readonly number[], opts: { keepConversationRows?: boolean } = {}): Promise<string[]> {
  if (ids.length === 0) return []
  const mods = await moduleTables(tx)
  const inIds = marks(ids.length)
  const files = await tx.query<{ file_dir: string | null; file_name: string }>(
    `SELECT a.file_dir, a.file_name FROM attachments a JOIN threads t ON t.id = a.thread_id WHERE t.conversation_id IN (${inIds})`,
    ids,
  )
  await tx.execute(`DELETE FROM attachments WHERE thread_id IN (SELECT id FROM threads WHERE conversation_id IN (${inIds}))`, ids)
  await tx.execute(`DELETE FROM threads WHERE conversation_id IN (${inIds})`, ids)
  if (mods.tags) {
    const links = await tx.query<{ tag_id: number; n: number }>(`SELECT tag_id, COUNT(*) AS n FROM conversation_tag WHERE conversation_id IN (${inIds}) GROUP BY tag_id`, ids)
    await tx.execute(`DELETE FROM conversation_tag WHERE conversation_id IN (${inIds})`, ids)
    for (const l of links) await tx.execute('UPDATE tags SET counter = CASE WHEN counter > ? THEN counter - ? ELSE 0 END WHERE id = ?', [l.n, l.n, l.tag_id])
    if (links.length) await tx.execute(`DELETE FROM tags WHERE counter = 0 AND id IN (${marks(links.length)})`, links.map((l) => l.tag_id))
  }
  if (mods.customFields) await tx.execute(`DELETE FROM conversation_custom_field WHERE conversation_id IN (${inIds})`, ids)
  if (!opts.keepConversationRows) {
    await tx.execute(`DELETE FROM followers WHERE conversation_id IN (${inIds})`, ids)
    await tx.execute(`DELETE FROM conversation_folder WHERE conversation_id IN (${inIds})`, ids)
    await tx.execute(`DELETE FROM conversations WHERE id IN (${inIds})`, ids)
  }
  return files.filter((f) => f.file_dir).map((f) => join(storageDir, 'attachment', f.file_dir!, f.file_name))
}

/** `meta LIKE` pattern matching rows whose deskmove provenance names this run (run ids hold no LIKE wildcards). */
export function runPattern(runId: string): string {
  if (!/^[A-Za-z0-9-]+$/.test(runId)) throw new Error(`not a run id: ${runId}`)
  return `%"run":"${runId}"%`
}

/**
 * Removes what run `runId` created: its conversations (threads, attachment rows and files, tag links,
 * followers), the customers it created with their emails, and the disabled users it created — except
 * customers and users that conversations of other runs still use (counted as `*Kept`). A conversation people
 * worked on in FreeScout after the import (new threads, another status, assignee, mailbox, customer or tags)
 * is kept and listed — with its customer and users — unless `force`. Folder counters of the touched
 * mailboxes are recomputed. With `preview` nothing changes and the counts say what would go.
 */
export async function rollbackRun(db: FsDb, storageDir: string, runId: string, opts: { preview: boolean; force?: boolean }): Promise<TargetRollback> {
  const pattern = runPattern(runId)
  const all = await db.query<RunConversation>(
    'SELECT id, number, status, state, mailbox_id, user_id, customer_id, meta FROM conversations WHERE meta LIKE ? ORDER BY id',
    [pattern],
  )
  const changed = await changedSinceImport(db, all)
  const keep = new Set(opts.force ? [] : changed.map((c) => c.id))
  const convs = all.filter((c) => !keep.has(c.id))
  const ids = convs.map((c) => c.id)
  const keptIds = [...keep]
  const counts: Record<string, number> = {
    conversations: ids.length,
    threads: 0,
    attachments: 0,
    customers: 0,
    emails: 0,
    users: 0,
    conversationsKept: keptIds.length,
    customersKept: 0,
    usersKept: 0,
  }
  for (let i = 0; i < ids.length; i += CHUNK) {
    const part = ids.slice(i, i + CHUNK)
    const q = marks(part.length)
    counts.threads! += Number((await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM threads WHERE conversation_id IN (${q})`, part))[0]!.n)
    counts.attachments! += Number(
      (await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM attachments WHERE thread_id IN (SELECT id FROM threads WHERE conversation_id IN (${q}))`, part))[0]!.n,
    )
  }
  // What the kept conversations use stays too: their customers, assignees and thread authors.
  const keptUse = { customers: new Set<number>(), users: new Set<number>() }
  for (let i = 0; i < keptIds.length; i += CHUNK) {
    const part = keptIds.slice(i, i + CHUNK)
    const rows = await db.query<{ c1: number | null; c2: number | null; u1: number | null; u2: number | null }>(
      `SELECT t.customer_id AS c1, t.created_by_customer_id AS c2, t.user_id AS u1, t.created_by_user_id AS u2 FROM threads t WHERE t.conversation_id IN (${marks(part.length)})`,
      part,
    )
    for (const r of rows) {
      for (const c of [r.c1, r.c2]) if (c !== null) keptUse.customers.add(Number(c))
      for (const u of [r.u1, r.u2]) if (u !== null) keptUse.users.add(Number(u))
    }
  }
  for (const c of all) {
    if (!keep.has(c.id)) continue
    if (c.customer_id !== null) keptUse.customers.add(Number(c.customer_id))
    if (c.user_id !== null) keptUse.users.add(Number(c.user_id))
  }
  const others = `SELECT customer_id FROM conversations WHERE customer_id IS NOT NULL AND (meta IS NULL OR meta NOT LIKE ?)`
  const customers = await db.query<{ id: number; used: number }>(
    `SELECT c.id, CASE WHEN c.id IN (${others}) THEN 1 ELSE 0 END AS used FROM customers c WHERE c.meta LIKE ? ORDER BY c.id`,
    [pattern, pattern],
  )
  const custIds = customers.filter((c) => !Number(c.used) && !keptUse.customers.has(Number(c.id))).map((c) => c.id)
  counts.customersKept = customers.length - custIds.length
  counts.customers = custIds.length
  for (let i = 0; i < custIds.length; i += CHUNK) {
    const part = custIds.slice(i, i + CHUNK)
    counts.emails! += Number((await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM emails WHERE customer_id IN (${marks(part.length)})`, part))[0]!.n)
  }
  const users = await db.query<{ id: number; used: number }>(
    `SELECT u.id, CASE WHEN u.id IN (SELECT user_id FROM conversations WHERE user_id IS NOT NULL AND (meta IS NULL OR meta NOT LIKE ?))
       OR u.id IN (SELECT t.created_by_user_id FROM threads t JOIN conversations c ON c.id = t.conversation_id WHERE t.created_by_user_id IS NOT NULL AND (c.meta IS NULL OR c.meta NOT LIKE ?))
       THEN 1 ELSE 0 END AS used FROM users u WHERE u.job_title = ? AND u.status = 2 ORDER BY u.id`,
    [pattern, pattern, `deskmove import ${runId}`],
  )
  const userIds = users.filter((u) => !Number(u.used) && !keptUse.users.has(Number(u.id))).map((u) => u.id)
  counts.users = userIds.length
  counts.usersKept = users.length - userIds.length
  const removed = [
    ...ids.map((id) => ({ kind: 'ticket' as const, ref: String(id) })),
    ...custIds.map((id) => ({ kind: 'customer' as const, ref: String(id) })),
    ...userIds.map((id) => ({ kind: 'agent' as const, ref: String(id) })),
  ]
  const kept = changed
    .filter((c) => keep.has(c.id))
    .map((c) => ({ kind: 'ticket' as const, ref: String(c.id), why: `conversation #${c.number ?? c.id} changed in FreeScout after the import: ${c.changes.join('; ')}` }))
  if (opts.preview) return { counts, removed, kept }

  const files: string[] = []
  for (let i = 0; i < ids.length; i += CHUNK) {
    const part = ids.slice(i, i + CHUNK)
    files.push(...(await db.transaction((tx) => deleteConversations(tx, storageDir, part))))
  }
  for (const f of files) rmSync(f, { force: true })
  for (let i = 0; i < custIds.length; i += CHUNK) {
    const part = custIds.slice(i, i + CHUNK)
    await db.transaction(async (tx) => {
      await tx.execute(`DELETE FROM emails WHERE customer_id IN (${marks(part.length)})`, part)
      await tx.execute(`DELETE FROM customers WHERE id IN (${marks(part.length)})`, part)
    })
  }
  if (userIds.length) await db.execute(`DELETE FROM users WHERE id IN (${marks(userIds.length)})`, userIds)
  const mailboxes = [...new Set(convs.map((c) => c.mailbox_id))]
  if (mailboxes.length) await recomputeFolderCounters(db, mailboxes)
  return { counts, removed, kept }
}
