// Deleting tickets the way Znuny's own TicketDelete does, in SQL: everything hanging off the articles, the
// articles, everything hanging off the ticket, the ticket. Optional tables (add-ons, versions) are skipped when absent.
import { existingTables, type SqlDb } from '../../../../src/kits/sql/index.js'
import { inChunks, marks } from './find.js'

const OPTIONAL = [
  'article_flag',
  'article_search_index',
  'article_data_mime_attachment',
  'article_data_mime_plain',
  'article_data_mime_send_error',
  'article_data_otrs_chat',
  'mail_queue',
  'time_accounting',
  'ticket_flag',
  'ticket_watcher',
  'ticket_index',
  'ticket_lock_index',
  'dynamic_field',
  'dynamic_field_value',
  'link_object',
  'link_relation',
] as const

/** Tables by the column that ties them to an article. */
const BY_ARTICLE: readonly (readonly [string, string])[] = [
  ['article_flag', 'article_id'],
  ['article_search_index', 'article_id'],
  ['article_data_mime_attachment', 'article_id'],
  ['article_data_mime_plain', 'article_id'],
  ['article_data_mime_send_error', 'article_id'],
  ['article_data_otrs_chat', 'article_id'],
  ['article_data_mime', 'article_id'],
  // A queued mail of a deleted article would still be sent: it goes too.
  ['mail_queue', 'article_id'],
]
const BY_TICKET: readonly (readonly [string, string])[] = [
  ['time_accounting', 'ticket_id'],
  ['ticket_flag', 'ticket_id'],
  ['ticket_watcher', 'ticket_id'],
  ['ticket_index', 'ticket_id'],
  ['ticket_lock_index', 'ticket_id'],
  ['ticket_history', 'ticket_id'],
]

/** Rows a deletion would remove (or removed), by what they are. */
export interface DeleteCounts {
  articles: number
  attachments: number
  historyRows: number
}

/** Counts what deleting these tickets removes. */
export async function countTicketRows(db: SqlDb, ids: readonly number[]): Promise<DeleteCounts> {
  const n = async (sql: (q: string) => string) => (await inChunks(ids, (part, q) => db.query<{ n: number }>(sql(q), part))).reduce((s, r) => s + Number(r.n), 0)
  return {
    articles: await n((q) => `SELECT COUNT(*) AS n FROM article WHERE ticket_id IN (${q})`),
    attachments: await n((q) => `SELECT COUNT(*) AS n FROM article_data_mime_attachment WHERE article_id IN (SELECT id FROM article WHERE ticket_id IN (${q}))`),
    historyRows: await n((q) => `SELECT COUNT(*) AS n FROM ticket_history WHERE ticket_id IN (${q})`),
  }
}

/** Deletes the tickets (a chunk, inside the caller's transaction) and everything that hangs off them. */
export async function deleteTickets(tx: SqlDb, ids: readonly number[]): Promise<void> {
  if (!ids.length) return
  const has = await existingTables(tx, OPTIONAL)
  const q = marks(ids.length)
  const articles = (await tx.query<{ id: number }>(`SELECT id FROM article WHERE ticket_id IN (${q})`, ids)).map((a) => Number(a.id))
  if (has.has('dynamic_field') && has.has('dynamic_field_value')) {
    // Values belong to a ticket or an article by the field's object type; ids of the two kinds overlap.
    await tx.execute(`DELETE FROM dynamic_field_value WHERE object_id IN (${q}) AND field_id IN (SELECT id FROM dynamic_field WHERE object_type = 'Ticket')`, ids)
    if (articles.length)
      await inChunks(articles, async (part, aq) => {
        await tx.execute(`DELETE FROM dynamic_field_value WHERE object_id IN (${aq}) AND field_id IN (SELECT id FROM dynamic_field WHERE object_type = 'Article')`, part)
        return []
      })
  }
  if (has.has('link_object') && has.has('link_relation')) {
    const [obj] = await tx.query<{ id: number }>(`SELECT id FROM link_object WHERE name = 'Ticket'`)
    if (obj) {
      const keys = ids.map(String)
      await tx.execute(`DELETE FROM link_relation WHERE (source_object_id = ? AND source_key IN (${q})) OR (target_object_id = ? AND target_key IN (${q}))`, [obj.id, ...keys, obj.id, ...keys])
    }
  }
  if (articles.length) {
    await inChunks(articles, async (part, aq) => {
      for (const [table, col] of BY_ARTICLE) if (table === 'article_data_mime' || has.has(table)) await tx.execute(`DELETE FROM ${table} WHERE ${col} IN (${aq})`, part)
      return []
    })
  }
  if (has.has('article_search_index')) await tx.execute(`DELETE FROM article_search_index WHERE ticket_id IN (${q})`, ids)
  await tx.execute(`DELETE FROM article WHERE ticket_id IN (${q})`, ids)
  for (const [table, col] of BY_TICKET) if (table === 'ticket_history' || has.has(table)) await tx.execute(`DELETE FROM ${table} WHERE ${col} IN (${q})`, ids)
  await tx.execute(`DELETE FROM ticket WHERE id IN (${q})`, ids)
}
