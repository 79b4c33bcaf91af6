// `deskmove rollback znuny --run ID`: removes what one run created in Znuny. The GenericInterface has no ticket
// delete, so this works on Znuny's database (ZNUNY_DB_URL) and refuses without it, naming the fix.
import type { EntityKind } from '../../../../src/core/model/common.js'
import type { TargetRollback } from '../../../../src/core/target.js'
import { ConfigError } from '../../../../src/core/errors.js'
import { existingTables, type SqlDb } from '../../../../src/kits/sql/index.js'
import { SYSTEM_USER_ID } from '../db-step/customers.js'
import { forgetRunObjects, runObjects } from '../db-step/run-objects.js'
import { forgetQueued } from '../db-step/queue.js'
import { countTicketRows, deleteTickets } from './delete.js'
import { CHUNK, inChunks, readRunTickets, runTicketIds, ticketRefCandidates } from './find.js'

export { runHistoryComment } from '../db-step/run-objects.js'

/** Why rollback cannot run without the database, and what to do instead. */
export function rollbackNeedsDatabase(runId: string): ConfigError {
  return new ConfigError(`Znuny's REST API cannot delete tickets, so rolling back run ${runId} needs Znuny's database (ZNUNY_DB_URL is not set)`, {
    hint: `set ZNUNY_DB_URL (mysql://… or postgres://… of Znuny's database) and run \`deskmove rollback znuny --run ${runId}\` again; or delete the run's tickets on the Znuny host with \`bin/znuny.Console.pl Maint::Ticket::Delete --ticket-id <id>\``,
  })
}

/**
 * Removes what run `runId` created in Znuny, through its database (`db`; null → `ConfigError` naming
 * ZNUNY_DB_URL): the tickets it created (found in `deskmove_run_object` or by the run's history comment on their
 * first article) with their articles, mime data, attachments, flags, history, dynamic field values, links and
 * queued mail — as Znuny's TicketDelete does; then the customer users and companies its database step created,
 * unless a remaining ticket or customer user still names them. A ticket people worked on since the import (an
 * article or a history entry by anyone but the importer: a reply, a note, a state/queue/owner change) is kept
 * with its customer and listed in `kept`, unless `force`. Ticket refs in `removed` come in every form the id map
 * may hold. With `preview` nothing changes. Attachment files of ArticleStorageFS are not on the database: a
 * site storing articles in the file system keeps them under `var/article` (Znuny's own cleanup removes them).
 */
export async function rollbackZnuny(db: SqlDb | null, runId: string, opts: { preview: boolean; force?: boolean }): Promise<TargetRollback> {
  if (!db) throw rollbackNeedsDatabase(runId)
  const tickets = await readRunTickets(db, await runTicketIds(db, runId))
  const kept = opts.force ? [] : tickets.filter((t) => t.changes.length)
  const keptIds = new Set(kept.map((t) => t.id))
  const gone = tickets.filter((t) => !keptIds.has(t.id))
  const ids = gone.map((t) => t.id)
  const rows = await countTicketRows(db, ids)

  // Customers and companies the run created, unless something that stays still names them.
  const logins = await runObjects(db, runId, 'customer')
  const companies = await runObjects(db, runId, 'organization')
  const notGone = ids.length ? `AND id NOT IN (${ids.map(() => '?').join(', ')})` : ''
  const usedLogins = new Set(
    (await inChunks(logins, (part, q) => db.query<{ login: string }>(`SELECT DISTINCT customer_user_id AS login FROM ticket WHERE customer_user_id IN (${q}) ${notGone}`, [...part, ...ids]))).map((r) => String(r.login).toLowerCase()),
  )
  // A customer user someone edited in Znuny since (change_by/change_time moved on) is theirs now, unless forced.
  const edited = opts.force
    ? []
    : await inChunks(logins, (part, q) => db.query<{ login: string; change_by: number }>(`SELECT login, change_by FROM customer_user WHERE login IN (${q}) AND (change_by <> ? OR change_time <> create_time)`, [...part, SYSTEM_USER_ID]))
  const editedLogins = new Set(edited.map((e) => String(e.login)))
  const userIds = logins.filter((l) => !usedLogins.has(l.toLowerCase()) && !editedLogins.has(l))
  const usedCompanies = new Set<string>()
  for (const r of await inChunks(companies, (part, q) => db.query<{ k: string }>(`SELECT DISTINCT customer_id AS k FROM ticket WHERE customer_id IN (${q}) ${notGone}`, [...part, ...ids]))) usedCompanies.add(String(r.k))
  const goneLogins = userIds.length ? `AND login NOT IN (${userIds.map(() => '?').join(', ')})` : ''
  for (const r of await inChunks(companies, (part, q) => db.query<{ k: string }>(`SELECT DISTINCT customer_id AS k FROM customer_user WHERE customer_id IN (${q}) ${goneLogins}`, [...part, ...userIds]))) usedCompanies.add(String(r.k))
  const companyIds = companies.filter((c) => !usedCompanies.has(c))

  const counts: Record<string, number> = {
    tickets: ids.length,
    articles: rows.articles,
    attachments: rows.attachments,
    historyRows: rows.historyRows,
    customerUsers: userIds.length,
    customerCompanies: companyIds.length,
    ticketsKept: kept.length,
    customerUsersKept: logins.length - userIds.length,
    customerCompaniesKept: companies.length - companyIds.length,
  }
  const removed: { kind: EntityKind; ref: string }[] = [
    ...gone.flatMap((t) => ticketRefCandidates(t).map((ref) => ({ kind: 'ticket' as const, ref }))),
    ...userIds.map((ref) => ({ kind: 'customer' as const, ref })),
    ...companyIds.map((ref) => ({ kind: 'organization' as const, ref })),
  ]
  const keptList: { kind: EntityKind; ref: string; why: string }[] = [
    ...edited.map((e) => ({ kind: 'customer' as const, ref: String(e.login), why: `customer user ${e.login} was edited in Znuny after the import (by user ${e.change_by})` })),
  ]
  keptList.push(...kept.map((t) => ({ kind: 'ticket' as const, ref: ticketRefCandidates(t).at(-1)!, why: `ticket ${t.tn} (id ${t.id}) changed in Znuny after the import: ${t.changes.join('; ')}` })))
  if (opts.preview) return { counts, removed, kept: keptList }

  for (let i = 0; i < ids.length; i += CHUNK) {
    const part = ids.slice(i, i + CHUNK)
    await db.transaction((tx) => deleteTickets(tx, part))
  }
  await forgetRunObjects(db, 'ticket', ids.map(String))
  await forgetQueued(db, 'ticket', ids.map(String))
  const extra = await existingTables(db, ['customer_preferences', 'customer_user_customer'])
  await inChunks(userIds, async (part, q) => {
    await db.transaction(async (tx) => {
      for (const t of ['customer_preferences', 'customer_user_customer'] as const) if (extra.has(t)) await tx.execute(`DELETE FROM ${t} WHERE user_id IN (${q})`, part)
      await tx.execute(`DELETE FROM customer_user WHERE login IN (${q})`, part)
    })
    return []
  })
  await forgetRunObjects(db, 'customer', userIds)
  await forgetQueued(db, 'customer', userIds)
  await inChunks(companyIds, async (part, q) => {
    await db.execute(`DELETE FROM customer_company WHERE customer_id IN (${q})`, part)
    return []
  })
  await forgetRunObjects(db, 'organization', companyIds)
  await forgetQueued(db, 'organization', companyIds)
  return { counts, removed, kept: keptList }
}
