// Article times of one ticket, set-based: one UPDATE per table for all its articles (a CASE on the article id),
// touching only rows whose value differs, so a re-run changes nothing.
import type { SqlDb } from '../../../../src/kits/sql/index.js'

/** One article and the instant to give it (`at`: UTC `YYYY-MM-DD HH:MM:SS`, `epoch`: the same in seconds). */
export interface ArticleTime {
  readonly articleId: number
  readonly at: string
  readonly epoch: number
}

const PER_STATEMENT = 200

/** `CASE <col> WHEN ? THEN CAST(? AS <type>) … END` and its params: typed, so PostgreSQL need not guess. */
function caseOf(db: SqlDb, col: string, items: readonly ArticleTime[], pick: (a: ArticleTime) => string | number, kind: 'time' | 'int') {
  const type = kind === 'time' ? (db.dialect === 'mysql' ? 'DATETIME' : 'TIMESTAMP') : db.dialect === 'mysql' ? 'SIGNED' : 'BIGINT'
  return { sql: `CASE ${col} ${items.map(() => `WHEN ? THEN CAST(? AS ${type})`).join(' ')} END`, params: items.flatMap((a) => [a.articleId, pick(a)]) }
}

/** Rows changed: articles (article or mime row), and history rows of those articles. */
export interface ArticleTimeCounts {
  readonly articles: number
  readonly history: number
}

/**
 * Gives the articles of ticket `ticketId` their instants: `article` create/change time, `article_data_mime`
 * incoming_time (epoch) and create/change time, their attachments' create/change time, and the history rows
 * recorded for them (the GI's NewTicket/AddNote entries happened when the article did).
 */
export async function writeArticleTimes(tx: SqlDb, ticketId: number, all: readonly ArticleTime[]): Promise<ArticleTimeCounts> {
  let articles = 0
  let history = 0
  for (let i = 0; i < all.length; i += PER_STATEMENT) {
    const part = all.slice(i, i + PER_STATEMENT)
    const ids = part.map((a) => a.articleId)
    const inIds = ids.map(() => '?').join(', ')
    const byId = caseOf(tx, 'id', part, (a) => a.at, 'time')
    const byArticle = caseOf(tx, 'article_id', part, (a) => a.at, 'time')
    const epoch = caseOf(tx, 'article_id', part, (a) => a.epoch, 'int')
    const r1 = await tx.execute(
      `UPDATE article SET create_time = ${byId.sql}, change_time = ${byId.sql} WHERE ticket_id = ? AND id IN (${inIds}) AND (create_time <> ${byId.sql} OR change_time <> ${byId.sql})`,
      [...byId.params, ...byId.params, ticketId, ...ids, ...byId.params, ...byId.params],
    )
    const r2 = await tx.execute(
      `UPDATE article_data_mime SET incoming_time = ${epoch.sql}, create_time = ${byArticle.sql}, change_time = ${byArticle.sql}
       WHERE article_id IN (${inIds}) AND (incoming_time <> ${epoch.sql} OR create_time <> ${byArticle.sql} OR change_time <> ${byArticle.sql})`,
      [...epoch.params, ...byArticle.params, ...byArticle.params, ...ids, ...epoch.params, ...byArticle.params, ...byArticle.params],
    )
    await tx.execute(
      `UPDATE article_data_mime_attachment SET create_time = ${byArticle.sql}, change_time = ${byArticle.sql} WHERE article_id IN (${inIds}) AND (create_time <> ${byArticle.sql} OR change_time <> ${byArticle.sql})`,
      [...byArticle.params, ...byArticle.params, ...ids, ...byArticle.params, ...byArticle.params],
    )
    articles += Math.max(r1.affectedRows, r2.affectedRows)
    history += (
      await tx.execute(
        `UPDATE ticket_history SET create_time = ${byArticle.sql}, change_time = ${byArticle.sql} WHERE ticket_id = ? AND article_id IN (${inIds}) AND create_time <> ${byArticle.sql}`,
        [...byArticle.params, ...byArticle.params, ticketId, ...ids, ...byArticle.params],
      )
    ).affectedRows
  }
  return { articles, history }
}
