// The ticket half of the database step: original times (ticket, articles, mime data, attachments, history),
// original numbers and company keys. One savepoint per ticket; every UPDATE only touches rows that differ,
// so a re-run changes nothing and a crash leaves each ticket either done or untouched.
import type { SqlDb } from '../../../../src/kits/sql/index.js'
import { epochSeconds, sqlTime } from './build.js'
import type { DbStepFailure, DbStepTicket } from './types.js'
import { failureOf } from './failures.js'
import { writeArticleTimes, type ArticleTime } from './articles.js'

/** Changed rows of one ticket. */
export interface TicketStepCounts {
  articles: number
  history: number
  historyAdded: number
  /** Any row of the ticket changed. */
  changed: boolean
}

interface TicketRow {
  id: number
  tn: string
  customer_id: string | null
  create_by: number
  ticket_state_id: number
  queue_id: number
  user_id: number
  ticket_priority_id: number
  type_id: number | null
  state_name: string
  state_type: string
}

/** Reference ids the step needs, read once per run. */
export interface HistoryTypes {
  readonly stateUpdate: number | null
  readonly misc: number | null
}

export async function readHistoryTypes(db: SqlDb): Promise<HistoryTypes> {
  const rows = await db.query<{ id: number; name: string }>('SELECT id, name FROM ticket_history_type WHERE name IN (?, ?)', ['StateUpdate', 'Misc'])
  const id = (n: string) => {
    const r = rows.find((x) => x.name === n)
    return r ? Number(r.id) : null
  }
  return { stateUpdate: id('StateUpdate'), misc: id('Misc') }
}

/** The history row name that records a number the step replaced (rollback reads the old number back from it). */
export const TN_CHANGE_PREFIX = 'deskmove: ticket number '
const tnChangeName = (old: string, now: string) => `${TN_CHANGE_PREFIX}${old} replaced by the source number ${now}`.slice(0, 200)

/** Numbers a ticket had before the step replaced them, from those history rows. */
export function oldNumberOf(historyName: string): string | null {
  const m = /^deskmove: ticket number (\S+) replaced by the source number /.exec(historyName)
  return m ? m[1]! : null
}

/** Updates one ticket; returns its counts, or null after recording a failure. */
export async function writeTicket(db: SqlDb, t: DbStepTicket, types: HistoryTypes, failures: DbStepFailure[]): Promise<TicketStepCounts | null> {
  try {
    return await db.transaction((tx) => writeTicketTx(tx, t, types, failures))
  } catch (e) {
    failures.push(failureOf(e, 'ticket', t.sourceId, `ticket ${t.ticketId}`))
    return null
  }
}

async function writeTicketTx(tx: SqlDb, t: DbStepTicket, types: HistoryTypes, failures: DbStepFailure[]): Promise<TicketStepCounts | null> {
  const [row] = await tx.query<TicketRow>(
    `SELECT t.id, t.tn, t.customer_id, t.create_by, t.ticket_state_id, t.queue_id, t.user_id, t.ticket_priority_id, t.type_id, s.name AS state_name, st.name AS state_type
     FROM ticket t JOIN ticket_state s ON s.id = t.ticket_state_id JOIN ticket_state_type st ON st.id = s.type_id WHERE t.id = ?`,
    [t.ticketId],
  )
  if (!row) {
    failures.push({ kind: 'ticket', sourceId: t.sourceId, reason: 'missing', detail: `Znuny ticket ${t.ticketId} does not exist (deleted since the import?): its times were not set` })
    return null
  }
  const n: TicketStepCounts = { articles: 0, history: 0, historyAdded: 0, changed: false }
  const created = sqlTime(t.createdAt)
  const changed = sqlTime(t.changedAt)
  const mine = await tx.query<{ id: number }>(`SELECT id FROM article WHERE ticket_id = ?`, [t.ticketId])
  const present = new Set(mine.map((a) => Number(a.id)))
  const times: ArticleTime[] = []
  for (const a of t.articles) {
    if (present.has(a.articleId)) times.push({ articleId: a.articleId, at: sqlTime(a.createdAt), epoch: epochSeconds(a.createdAt) })
    else failures.push({ kind: 'ticket', sourceId: t.sourceId, reason: 'missing', detail: `article ${a.articleId} (message ${a.sourceId}) is not on Znuny ticket ${t.ticketId}: its time was not set` })
  }
  const written = await writeArticleTimes(tx, t.ticketId, times)
  n.articles += written.articles
  n.history += written.history
  // The importer's own rows without an article (NewTicket, CustomerUpdate, OwnerUpdate…) still carry the
  // import's clock, which is after the source's last change: those go to the creation instant. Rows by other
  // users, and rows already historical, are someone else's or already done.
  n.history += (
    await tx.execute(
      'UPDATE ticket_history SET create_time = ?, change_time = ? WHERE ticket_id = ? AND (article_id IS NULL OR article_id = 0) AND create_by = ? AND create_time > ?',
      [created, created, t.ticketId, Number(row.create_by), changed],
    )
  ).affectedRows
  if (t.closedAt && row.state_type === 'closed' && types.stateUpdate !== null) n.historyAdded += await addCloseRow(tx, t, row, types.stateUpdate)
  const sets: string[] = ['create_time = ?', 'change_time = ?']
  const params: unknown[] = [created, changed]
  const differs: string[] = ['create_time <> ?', 'change_time <> ?']
  const diffParams: unknown[] = [created, changed]
  if (t.tn !== null && t.tn !== row.tn) {
    const taken = await tx.query<{ id: number }>('SELECT id FROM ticket WHERE tn = ? AND id <> ?', [t.tn, t.ticketId])
    if (taken.length) failures.push({ kind: 'ticket', sourceId: t.sourceId, reason: 'duplicate', detail: `ticket number ${t.tn} is already Znuny ticket ${taken[0]!.id}'s: ticket ${t.ticketId} keeps ${row.tn}` })
    else {
      if (types.misc !== null) {
        await addHistoryRow(tx, t.ticketId, row, types.misc, tnChangeName(row.tn, t.tn), sqlTime(t.changedAt))
        n.historyAdded++
      }
      sets.push('tn = ?')
      params.push(t.tn)
      differs.push('tn <> ?')
      diffParams.push(t.tn)
    }
  }
  if (t.customerId !== null && t.customerId !== (row.customer_id ?? '')) {
    sets.push('customer_id = ?')
    params.push(t.customerId)
    differs.push('customer_id IS NULL OR customer_id <> ?')
    diffParams.push(t.customerId)
  }
  const r = await tx.execute(`UPDATE ticket SET ${sets.join(', ')} WHERE id = ? AND (${differs.join(' OR ')})`, [...params, t.ticketId, ...diffParams])
  n.changed = r.affectedRows > 0 || n.articles > 0 || n.history > 0 || n.historyAdded > 0
  return n
}

/**
 * A closed ticket gets one `StateUpdate` history row at the source's close instant: Znuny's solution-time
 * statistics read the close from history, and REST could only record the import moment. Added once.
 */
async function addCloseRow(tx: SqlDb, t: DbStepTicket, row: TicketRow, typeId: number): Promise<number> {
  const at = sqlTime(t.closedAt!)
  const has = await tx.query<{ id: number }>('SELECT id FROM ticket_history WHERE ticket_id = ? AND history_type_id = ? AND create_time = ?', [t.ticketId, typeId, at])
  if (has.length) return 0
  await addHistoryRow(tx, t.ticketId, row, typeId, `%%open%%${row.state_name}%%`, at)
  return 1
}

async function addHistoryRow(tx: SqlDb, ticketId: number, row: TicketRow, typeId: number, name: string, at: string): Promise<void> {
  await tx.execute(
    `INSERT INTO ticket_history (name, history_type_id, ticket_id, article_id, type_id, queue_id, owner_id, priority_id, state_id, create_time, create_by, change_time, change_by)
     VALUES (?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [name, typeId, ticketId, Number(row.type_id ?? 1), Number(row.queue_id), Number(row.user_id), Number(row.ticket_priority_id), Number(row.ticket_state_id), at, Number(row.create_by), at, Number(row.create_by)],
  )
}
