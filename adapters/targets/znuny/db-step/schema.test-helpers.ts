// A minimal Znuny-schema database for the db-step, verify and rollback tests: the tables and columns those
// steps touch (B.4 of znuny.md), in MariaDB or PostgreSQL, and a helper that writes a ticket the way the
// GenericInterface does (everything stamped "now").
import type { SqlDb } from '../../../../src/kits/sql/index.js'
import { connectSqlDb } from '../../../../src/kits/sql/index.js'
import { createScratchDatabase, type ScratchDatabase } from '../../../../src/testing/test-databases.js'

const tables = (d: 'mysql' | 'postgres') => {
  const id = d === 'mysql' ? 'BIGINT AUTO_INCREMENT PRIMARY KEY' : 'BIGSERIAL PRIMARY KEY'
  const ts = d === 'mysql' ? 'DATETIME' : 'TIMESTAMP(0) WITHOUT TIME ZONE'
  const blob = d === 'mysql' ? 'LONGBLOB' : 'BYTEA'
  const who = `create_time ${ts} NOT NULL, create_by INTEGER NOT NULL, change_time ${ts} NOT NULL, change_by INTEGER NOT NULL`
  return [
    `CREATE TABLE ticket_state_type (id SMALLINT PRIMARY KEY, name VARCHAR(200) NOT NULL UNIQUE)`,
    `CREATE TABLE ticket_state (id SMALLINT PRIMARY KEY, name VARCHAR(200) NOT NULL UNIQUE, type_id SMALLINT NOT NULL)`,
    `CREATE TABLE ticket_history_type (id SMALLINT PRIMARY KEY, name VARCHAR(200) NOT NULL UNIQUE)`,
    `CREATE TABLE queue (id INTEGER PRIMARY KEY, name VARCHAR(200) NOT NULL UNIQUE)`,
    `CREATE TABLE dynamic_field (id INTEGER PRIMARY KEY, name VARCHAR(200) NOT NULL UNIQUE, object_type VARCHAR(200) NOT NULL)`,
    `CREATE TABLE ticket (id ${id}, tn VARCHAR(50) NOT NULL UNIQUE, title VARCHAR(255), queue_id INTEGER NOT NULL, ticket_lock_id SMALLINT NOT NULL, type_id SMALLINT, user_id INTEGER NOT NULL, responsible_user_id INTEGER NOT NULL, ticket_priority_id SMALLINT NOT NULL, ticket_state_id SMALLINT NOT NULL, customer_id VARCHAR(150), customer_user_id VARCHAR(250), timeout INTEGER NOT NULL, until_time INTEGER NOT NULL, archive_flag SMALLINT NOT NULL DEFAULT 0, ${who})`,
    `CREATE TABLE article (id ${id}, ticket_id BIGINT NOT NULL, article_sender_type_id SMALLINT NOT NULL, communication_channel_id BIGINT NOT NULL, is_visible_for_customer SMALLINT NOT NULL, search_index_needs_rebuild SMALLINT NOT NULL DEFAULT 1, insert_fingerprint VARCHAR(64), ${who})`,
    `CREATE TABLE article_data_mime (id ${id}, article_id BIGINT NOT NULL, a_from TEXT, a_to TEXT, a_cc TEXT, a_subject TEXT, a_content_type VARCHAR(250), a_body TEXT, incoming_time INTEGER NOT NULL, content_path VARCHAR(250), ${who})`,
    `CREATE TABLE article_data_mime_attachment (id ${id}, article_id BIGINT NOT NULL, filename VARCHAR(250), content_size VARCHAR(30), content_type TEXT, content_id VARCHAR(250), content_alternative VARCHAR(50), disposition VARCHAR(15), content ${blob}, ${who})`,
    `CREATE TABLE article_flag (article_id BIGINT NOT NULL, article_key VARCHAR(50) NOT NULL, article_value VARCHAR(50), create_time ${ts} NOT NULL, create_by INTEGER NOT NULL)`,
    `CREATE TABLE ticket_flag (ticket_id BIGINT NOT NULL, ticket_key VARCHAR(50) NOT NULL, ticket_value VARCHAR(50), create_time ${ts} NOT NULL, create_by INTEGER NOT NULL)`,
    `CREATE TABLE article_search_index (id ${id}, ticket_id BIGINT NOT NULL, article_id BIGINT NOT NULL, article_key VARCHAR(200) NOT NULL, article_value TEXT)`,
    `CREATE TABLE ticket_history (id ${id}, name VARCHAR(200) NOT NULL, history_type_id SMALLINT NOT NULL, ticket_id BIGINT NOT NULL, article_id BIGINT, type_id SMALLINT NOT NULL, queue_id INTEGER NOT NULL, owner_id INTEGER NOT NULL, priority_id SMALLINT NOT NULL, state_id SMALLINT NOT NULL, ${who})`,
    `CREATE TABLE dynamic_field_value (id ${id}, field_id INTEGER NOT NULL, object_id BIGINT NOT NULL, value_text TEXT, value_date ${ts}, value_int BIGINT)`,
    `CREATE TABLE customer_company (customer_id VARCHAR(150) PRIMARY KEY, name VARCHAR(200) NOT NULL UNIQUE, street VARCHAR(200), zip VARCHAR(200), city VARCHAR(200), country VARCHAR(200), url VARCHAR(200), comments VARCHAR(250), valid_id SMALLINT NOT NULL, ${who})`,
    `CREATE TABLE customer_user (id ${id}, login VARCHAR(200) NOT NULL UNIQUE, email VARCHAR(150) NOT NULL, customer_id VARCHAR(150) NOT NULL, pw VARCHAR(128), title VARCHAR(50), first_name VARCHAR(100) NOT NULL, last_name VARCHAR(100) NOT NULL, phone VARCHAR(150), fax VARCHAR(150), mobile VARCHAR(150), street VARCHAR(150), zip VARCHAR(200), city VARCHAR(200), country VARCHAR(200), comments VARCHAR(250), valid_id SMALLINT NOT NULL, ${who})`,
    `CREATE TABLE mail_queue (id ${id}, article_id BIGINT, recipient TEXT, create_time ${ts} NOT NULL)`,
    // Znuny's indexes on the columns the steps search by.
    'CREATE INDEX article_ticket_id ON article (ticket_id)',
    'CREATE INDEX article_data_mime_article_id ON article_data_mime (article_id)',
    'CREATE INDEX article_data_mime_attachment_article_id ON article_data_mime_attachment (article_id)',
    'CREATE INDEX ticket_history_ticket_id ON ticket_history (ticket_id)',
    'CREATE INDEX dynamic_field_value_search ON dynamic_field_value (object_id, field_id)',
  ]
}

const SEED = [
  `INSERT INTO ticket_state_type (id, name) VALUES (1, 'new'), (2, 'open'), (3, 'closed'), (4, 'pending reminder'), (5, 'pending auto'), (6, 'removed'), (7, 'merged')`,
  `INSERT INTO ticket_state (id, name, type_id) VALUES (1, 'new', 1), (2, 'closed successful', 3), (3, 'closed unsuccessful', 3), (4, 'open', 2), (6, 'pending reminder', 4)`,
  `INSERT INTO ticket_history_type (id, name) VALUES (1, 'NewTicket'), (15, 'AddNote'), (21, 'CustomerUpdate'), (23, 'OwnerUpdate'), (25, 'Misc'), (27, 'StateUpdate')`,
  `INSERT INTO queue (id, name) VALUES (1, 'Postmaster'), (2, 'Raw'), (4, 'Misc')`,
  `INSERT INTO dynamic_field (id, name, object_type) VALUES (1, 'DeskmoveSource', 'Ticket')`,
]

/** A scratch database holding the schema, and a handle on it. */
export interface OpsDb {
  readonly db: SqlDb
  readonly scratch: ScratchDatabase
  close(): Promise<void>
}

export async function createOpsDb(dialect: 'mysql' | 'postgres', prefix: string): Promise<OpsDb> {
  const scratch = await createScratchDatabase(dialect, prefix)
  const db = await connectSqlDb(scratch.url, { label: 'the test Znuny database', hint: 'test' })
  for (const s of [...tables(dialect), ...SEED]) await db.execute(s)
  return { db, scratch, close: async () => (await db.close(), await scratch.drop()) }
}

/** What `restTicket` wrote. */
export interface RestTicket {
  readonly ticketId: number
  readonly tn: string
  readonly articleIds: number[]
}

/**
 * Writes a ticket as TicketCreate/TicketUpdate do: ticket, articles (+mime data, attachments), the GI's history
 * rows (NewTicket, CustomerUpdate, one per article) and the provenance dynamic field value, all at `now`.
 */
export async function restTicket(
  db: SqlDb,
  o: { tn: string; now: string; stateId?: number; createBy?: number; customerUser?: string; provenance?: string; articles: { attachments?: { filename: string; content: Buffer }[] }[] },
): Promise<RestTicket> {
  const by = o.createBy ?? 2
  const state = o.stateId ?? 4
  const t = await db.execute(
    `INSERT INTO ticket (tn, title, queue_id, ticket_lock_id, type_id, user_id, responsible_user_id, ticket_priority_id, ticket_state_id, customer_id, customer_user_id, timeout, until_time, create_time, create_by, change_time, change_by)
     VALUES (?, 'Imported', 2, 1, 1, ?, ?, 3, ?, '', ?, 0, 0, ?, ?, ?, ?)`,
    [o.tn, by, by, state, o.customerUser ?? 'jane@acme.test', o.now, by, o.now, by],
  )
  const ticketId = t.insertId!
  const hist = (typeId: number, articleId: number | null, name: string) =>
    db.execute(
      `INSERT INTO ticket_history (name, history_type_id, ticket_id, article_id, type_id, queue_id, owner_id, priority_id, state_id, create_time, create_by, change_time, change_by) VALUES (?, ?, ?, ?, 1, 2, ?, 3, ?, ?, ?, ?, ?)`,
      [name, typeId, ticketId, articleId, by, state, o.now, by, o.now, by],
    )
  await hist(1, null, `%%${o.tn}%%Raw%%3 normal%%open%%${ticketId}`)
  await hist(21, null, '%%jane@acme.test%%')
  const articleIds: number[] = []
  for (const a of o.articles) {
    const r = await db.execute(
      'INSERT INTO article (ticket_id, article_sender_type_id, communication_channel_id, is_visible_for_customer, create_time, create_by, change_time, change_by) VALUES (?, 3, 1, 1, ?, ?, ?, ?)',
      [ticketId, o.now, by, o.now, by],
    )
    const aid = r.insertId!
    articleIds.push(aid)
    await db.execute(
      `INSERT INTO article_data_mime (article_id, a_from, a_subject, a_body, a_content_type, incoming_time, content_path, create_time, create_by, change_time, change_by) VALUES (?, 'Jane <jane@acme.test>', 'Hi', 'body', 'text/plain', ?, '2026/12/03', ?, ?, ?, ?)`,
      [aid, Math.floor(Date.parse(`${o.now.replace(' ', 'T')}Z`) / 1000), o.now, by, o.now, by],
    )
    for (const f of a.attachments ?? [])
      await db.execute(
        `INSERT INTO article_data_mime_attachment (article_id, filename, content_size, content_type, disposition, content, create_time, create_by, change_time, change_by) VALUES (?, ?, ?, 'application/octet-stream', 'attachment', ?, ?, ?, ?, ?)`,
        [aid, f.filename, String(f.content.length), f.content, o.now, by, o.now, by],
      )
    await hist(1, aid, '%%GenericInterface Create')
  }
  if (o.provenance) await db.execute('INSERT INTO dynamic_field_value (field_id, object_id, value_text) VALUES (1, ?, ?)', [ticketId, o.provenance])
  return { ticketId, tn: o.tn, articleIds }
}
