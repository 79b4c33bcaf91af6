// Rollback removes only what the run created (tickets with every row hanging off them, its customers), keeps a
// ticket a person worked on and a customer another run still uses, and refuses without the database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConfigError } from '../../../../src/core/errors.js'
import { probeDatabases } from '../../../../src/testing/test-databases.js'
import { createOpsDb, restTicket, type OpsDb, type RestTicket } from '../db-step/schema.test-helpers.js'
import { runDbStep, runHistoryComment, type DbStepCustomerUser } from '../db-step/index.js'
import { rollbackZnuny } from './index.js'

const probe = await probeDatabases()
const NOW = '2026-12-03 11:00:00'
const user = (login: string, customerId: string): DbStepCustomerUser => ({
  sourceId: login, login, email: login, customerId, firstName: 'F', lastName: 'L', title: null, phone: null, mobile: null, fax: null, street: null, zip: null, city: null, country: null, comments: null, createdAt: null,
})

describe('rollbackZnuny without the database', () => {
  it('refuses, naming ZNUNY_DB_URL', async () => {
    const e = await rollbackZnuny(null, 'run-1', { preview: true }).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(ConfigError)
    expect((e as ConfigError).message).toMatch(/REST API cannot delete tickets/)
    expect((e as ConfigError).hint).toMatch(/ZNUNY_DB_URL/)
  })
})

for (const dialect of ['mysql', 'postgres'] as const) {
  const reason = probe.reasons[dialect]
  describe.skipIf(!probe[dialect])(`rollbackZnuny on ${dialect}${reason ? ` (skipped: ${reason})` : ''}`, () => {
    let o: OpsDb
    const t: Record<'untouched' | 'replied' | 'moved' | 'otherRun' | 'marked', RestTicket> = {} as never
    const count = async (sql: string, p: unknown[] = []) => Number((await o.db.query<{ n: number }>(sql, p))[0]!.n)

    beforeAll(async () => {
      o = await createOpsDb(dialect, 'zn_rollback')
      const file = [{ filename: 'a.bin', content: Buffer.from([1, 2, 3]) }]
      t.untouched = await restTicket(o.db, { tn: '101', now: NOW, customerUser: 'bob@acme.test', provenance: 'helpscout:ticket:1', articles: [{ attachments: file }, {}] })
      t.replied = await restTicket(o.db, { tn: '102', now: NOW, articles: [{}] })
      t.moved = await restTicket(o.db, { tn: '103', now: NOW, articles: [{}] })
      t.otherRun = await restTicket(o.db, { tn: '104', now: NOW, customerUser: 'jane@acme.test', articles: [{}] })
      // A ticket of run-1 that died before anything was recorded: only its history comment says whose it is.
      t.marked = await restTicket(o.db, { tn: '105', now: NOW, articles: [{}] })
      await o.db.execute('UPDATE ticket_history SET name = ? WHERE article_id = ?', [runHistoryComment('run-1'), t.marked.articleIds[0]])
      await o.db.execute('INSERT INTO article_flag (article_id, article_key, article_value, create_time, create_by) VALUES (?, ?, ?, ?, ?)', [t.untouched.articleIds[0], 'Seen', '1', NOW, 2])
      await o.db.execute('INSERT INTO ticket_flag (ticket_id, ticket_key, ticket_value, create_time, create_by) VALUES (?, ?, ?, ?, ?)', [t.untouched.ticketId, 'Seen', '1', NOW, 2])
      await o.db.execute('INSERT INTO mail_queue (article_id, recipient, create_time) VALUES (?, ?, ?)', [t.untouched.articleIds[1], 'bob@acme.test', NOW])
      // People worked on two of run-1's tickets: an agent replied to one, moved the other to "closed".
      await o.db.execute(`INSERT INTO article (ticket_id, article_sender_type_id, communication_channel_id, is_visible_for_customer, create_time, create_by, change_time, change_by) VALUES (?, 1, 1, 1, '2026-12-05 09:00:00', 7, '2026-12-05 09:00:00', 7)`, [t.replied.ticketId])
      await o.db.execute(
        `INSERT INTO ticket_history (name, history_type_id, ticket_id, article_id, type_id, queue_id, owner_id, priority_id, state_id, create_time, create_by, change_time, change_by) VALUES ('%%open%%closed successful%%', 27, ?, NULL, 1, 2, 7, 3, 2, '2026-12-05 09:00:00', 7, '2026-12-05 09:00:00', 7)`,
        [t.moved.ticketId],
      )
      const ticket = (r: RestTicket, created: boolean) => ({ sourceId: r.tn, ticketId: r.ticketId, tn: null, customerId: null, createdAt: '2020-01-01T00:00:00Z', changedAt: '2020-01-01T00:00:00Z', closedAt: null, articles: [], created })
      await runDbStep(o.db, { companies: [{ sourceId: 'o1', customerId: 'helpscout-1', name: 'Bob Co', url: null, comments: null, createdAt: null }], customerUsers: [user('bob@acme.test', 'helpscout-1'), user('jane@acme.test', 'jane@acme.test')], tickets: [ticket(t.untouched, true), ticket(t.replied, true), ticket(t.moved, true)] }, { runId: 'run-1' })
      await runDbStep(o.db, { companies: [], customerUsers: [], tickets: [ticket(t.otherRun, true)] }, { runId: 'run-2' })
    }, 60_000)
    afterAll(async () => o?.close())

    it('preview counts what would go and changes nothing', async () => {
      const before = await count('SELECT COUNT(*) AS n FROM ticket')
      const p = await rollbackZnuny(o.db, 'run-1', { preview: true })
      expect(p.counts).toMatchObject({ tickets: 2, articles: 3, attachments: 1, customerUsers: 1, customerCompanies: 1, ticketsKept: 2, customerUsersKept: 1 })
      expect(await count('SELECT COUNT(*) AS n FROM ticket')).toBe(before)
    })

    it('keeps a customer user someone edited in Znuny since, unless forced', async () => {
      await o.db.execute("UPDATE customer_user SET change_by = 7, change_time = '2026-12-06 10:00:00' WHERE login = 'bob@acme.test'")
      const p = await rollbackZnuny(o.db, 'run-1', { preview: true })
      expect(p.counts).toMatchObject({ customerUsers: 0, customerCompanies: 0 })
      expect(p.kept).toContainEqual({ kind: 'customer', ref: 'bob@acme.test', why: expect.stringMatching(/edited in Znuny after the import \(by user 7\)/) })
      expect((await rollbackZnuny(o.db, 'run-1', { preview: true, force: true })).counts.customerUsers).toBe(1)
      await o.db.execute("UPDATE customer_user SET change_by = 1, change_time = create_time WHERE login = 'bob@acme.test'")
    })

    it('removes the run\'s untouched tickets with every row hanging off them, and the customer only they used', async () => {
      const r = await rollbackZnuny(o.db, 'run-1', { preview: false })
      const gone = [t.untouched.ticketId, t.marked.ticketId]
      const arts = [...t.untouched.articleIds, ...t.marked.articleIds]
      const q = (n: number) => Array.from({ length: n }, () => '?').join(', ')
      expect(await count(`SELECT COUNT(*) AS n FROM ticket WHERE id IN (${q(2)})`, gone)).toBe(0)
      for (const table of ['article_data_mime', 'article_data_mime_attachment', 'article_flag', 'mail_queue'])
        expect(await count(`SELECT COUNT(*) AS n FROM ${table} WHERE article_id IN (${q(arts.length)})`, arts), table).toBe(0)
      for (const table of ['article', 'ticket_history', 'ticket_flag']) expect(await count(`SELECT COUNT(*) AS n FROM ${table} WHERE ticket_id IN (${q(2)})`, gone), table).toBe(0)
      expect(await count('SELECT COUNT(*) AS n FROM dynamic_field_value WHERE object_id = ?', [t.untouched.ticketId])).toBe(0)
      expect((await o.db.query<{ login: string }>('SELECT login FROM customer_user')).map((u) => u.login)).toEqual(['jane@acme.test'])
      expect(await count('SELECT COUNT(*) AS n FROM customer_company')).toBe(0)
      // The id map's ref forms of a removed ticket are all listed, so the engine forgets them.
      expect(r.removed).toContainEqual({ kind: 'ticket', ref: `${t.untouched.ticketId}/101/${t.untouched.articleIds.join(',')}` })
      expect(r.removed).toContainEqual({ kind: 'customer', ref: 'bob@acme.test' })
      expect(r.removed).toContainEqual({ kind: 'organization', ref: 'helpscout-1' })
    })

    it('keeps the tickets people worked on, saying why, and another run\'s ticket and customer', async () => {
      const left = (await o.db.query<{ id: number }>('SELECT id FROM ticket ORDER BY id')).map((r) => Number(r.id))
      expect(left).toEqual([t.replied.ticketId, t.moved.ticketId, t.otherRun.ticketId])
      const again = await rollbackZnuny(o.db, 'run-1', { preview: true })
      expect(again.kept?.map((k) => k.why)).toEqual([expect.stringMatching(/ticket 102 .*1 article\(s\) added in Znuny/), expect.stringMatching(/ticket 103 .*1 change\(s\) by other users \(StateUpdate\)/)])
    })

    it('with force removes those too, but never another run\'s', async () => {
      const r = await rollbackZnuny(o.db, 'run-1', { preview: false, force: true })
      expect(r.counts).toMatchObject({ tickets: 2, ticketsKept: 0 })
      expect((await o.db.query<{ id: number }>('SELECT id FROM ticket')).map((x) => Number(x.id))).toEqual([t.otherRun.ticketId])
      expect(await count('SELECT COUNT(*) AS n FROM article WHERE ticket_id = ?', [t.otherRun.ticketId])).toBe(1)
    })
  })
}
