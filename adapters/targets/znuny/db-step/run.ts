// The database step's runner: companies, customer users, then the tickets (a savepoint each, 50 per commit).
import type { SqlDb } from '../../../../src/kits/sql/index.js'
import { classifySqlError, toSqlDateTime } from '../../../../src/kits/sql/index.js'
import { writeCompanies, writeCustomerUsers } from './customers.js'
import { readHistoryTypes, writeTicket, type HistoryTypes } from './tickets.js'
import type { DbStepFailure, DbStepInput, DbStepResult, DbStepTicket } from './types.js'
import { failureOf } from './failures.js'
import { recordRunObjects } from './run-objects.js'

/** Tickets per commit: one fsync for many tickets, each still in a savepoint of its own. */
export const TICKETS_PER_COMMIT = 50

type Counts = Awaited<ReturnType<typeof writeTicket>>

/**
 * Writes a batch of tickets in one transaction, each in its own savepoint (a failing ticket is rolled back alone
 * and reported). When the batch itself cannot commit (other than a lost connection), it is written ticket by ticket.
 */
async function writeBatch(db: SqlDb, part: readonly DbStepTicket[], types: HistoryTypes): Promise<{ counts: Counts[]; found: DbStepFailure[] }> {
  const found: DbStepFailure[] = []
  try {
    const counts = await db.transaction(async (tx) => {
      const out: Counts[] = []
      for (const t of part) out.push(await writeTicket(tx, t, types, found))
      return out
    })
    return { counts, found }
  } catch (e) {
    if (classifySqlError(e) === 'connection') throw failureOf(e, 'ticket', part[0]!.sourceId, 'the database step')
    const alone: DbStepFailure[] = []
    const counts: Counts[] = []
    for (const t of part) counts.push(await writeTicket(db, t, types, alone))
    return { counts, found: alone }
  }
}

/**
 * Runs the database step over `db` (a handle on Znuny's database from `connectSqlDb(ZNUNY_DB_URL, …)`): companies,
 * then customer users (inserted when missing), then the tickets, 50 per commit and each in a savepoint of its own (original create/change
 * times of the ticket and its articles, `article_data_mime.incoming_time` as epoch, attachment and history
 * times, a StateUpdate history row at the close instant, `tn` and `customer_id` when given).
 *
 * Idempotent and resumable: every write touches only rows that differ, so a re-run after a crash finishes the
 * rest and a second run reports zeros. A row it cannot write is in `failures` (kind, source id, reason) and the
 * step goes on; a lost connection throws `RemoteUnavailableError`. Call it after every REST write of the run
 * (any API change to a ticket resets its `change_time`), then `clearCaches`.
 * With `runId`, the companies and customer users it creates, and the tickets marked `created`, are recorded as
 * that run's (table `deskmove_run_object`), so `rollbackZnuny` can remove them. `onTicket` is called after each ticket (progress). Times are written in UTC (Znuny's default OTRSTimeZone).
 */
export async function runDbStep(db: SqlDb, input: DbStepInput, opts: { now?: () => Date; onTicket?: (done: number) => void; runId?: string } = {}): Promise<DbStepResult> {
  const now = toSqlDateTime((opts.now ?? (() => new Date()))())
  const failures: DbStepFailure[] = []
  const alterations: DbStepResult['alterations'][number][] = []
  const companies = await writeCompanies(db, input.companies, now, failures, alterations)
  const users = await writeCustomerUsers(db, input.customerUsers, now, failures, alterations)
  if (opts.runId) {
    await recordRunObjects(db, opts.runId, 'organization', companies.created)
    await recordRunObjects(db, opts.runId, 'customer', users.created)
    await recordRunObjects(db, opts.runId, 'ticket', input.tickets.filter((t) => t.created).map((t) => String(t.ticketId)))
  }
  const types = input.tickets.length ? await readHistoryTypes(db) : { stateUpdate: null, misc: null }
  let updated = 0
  let unchanged = 0
  let articles = 0
  let history = 0
  let added = 0
  for (let i = 0; i < input.tickets.length; i += TICKETS_PER_COMMIT) {
    const part = input.tickets.slice(i, i + TICKETS_PER_COMMIT)
    const { counts, found } = await writeBatch(db, part, types)
    failures.push(...found)
    for (const n of counts) {
      if (!n) continue
      if (n.changed) updated++
      else unchanged++
      articles += n.articles
      history += n.history
      added += n.historyAdded
    }
    opts.onTicket?.(i + part.length)
  }
  return {
    companiesCreated: companies.created.length,
    companiesExisting: companies.existing,
    customerUsersCreated: users.created.length,
    customerUsersExisting: users.existing,
    ticketsUpdated: updated,
    ticketsUnchanged: unchanged,
    articlesUpdated: articles,
    historyRowsUpdated: history,
    historyRowsAdded: added,
    failures,
    alterations,
  }
}
