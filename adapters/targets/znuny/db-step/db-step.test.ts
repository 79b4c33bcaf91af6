// The database step against a Znuny-schema database on MariaDB and PostgreSQL: customers, original times
// (ticket, articles, incoming_time epoch, attachments, history), numbers, failures reported, re-run idempotent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { probeDatabases } from '../../../../src/testing/test-databases.js'
import { makeCustomer, makeMessage, makeTicket } from '../../../../src/testing/canonical-factories.js'
import { companyFromOrganization, customerUserFromCustomer, runDbStep, ticketForDbStep, type DbStepInput } from './index.js'
import { createOpsDb, restTicket, type OpsDb } from './schema.test-helpers.js'

const probe = await probeDatabases()
const NOW = '2026-12-03 11:00:00'
const org = { source: 'helpscout', kind: 'organization' as const, sourceId: '7', sourceUpdatedAt: null, sourceUrl: null, name: 'Acme Corp', domains: ['acme.test'], notes: null, createdAt: '2015-02-01T08:00:00Z' }

for (const dialect of ['mysql', 'postgres'] as const) {
  const reason = probe.reasons[dialect]
  describe.skipIf(!probe[dialect])(`Znuny database step on ${dialect}${reason ? ` (skipped: ${reason})` : ''}`, () => {
    let o: OpsDb
    let input: DbStepInput
    let first: Awaited<ReturnType<typeof runDbStep>>
    let ids: { a: Awaited<ReturnType<typeof restTicket>>; b: Awaited<ReturnType<typeof restTicket>>; c: Awaited<ReturnType<typeof restTicket>> }
    const q = <T = Record<string, unknown>>(sql: string, p: unknown[] = []) => o.db.query<T>(sql, p)

    beforeAll(async () => {
      o = await createOpsDb(dialect, 'zn_dbstep')
      const bytes = Buffer.from('attachment bytes')
      ids = {
        a: await restTicket(o.db, { tn: '2026120310000011', now: NOW, articles: [{ attachments: [{ filename: 'a.txt', content: bytes }] }, {}] }),
        b: await restTicket(o.db, { tn: '2026120310000022', now: NOW, stateId: 2, articles: [{}] }),
        c: await restTicket(o.db, { tn: '2026120310000033', now: NOW, articles: [{}] }),
      }
      // A ticket someone already numbered 1002 in Znuny: the source's number 1002 must not overwrite it.
      await restTicket(o.db, { tn: '1002', now: NOW, articles: [] })
      // A person added a history row after the import: the step must leave it alone.
      await o.db.execute(
        `INSERT INTO ticket_history (name, history_type_id, ticket_id, article_id, type_id, queue_id, owner_id, priority_id, state_id, create_time, create_by, change_time, change_by) VALUES ('%%note', 15, ?, NULL, 1, 2, 5, 3, 4, '2026-12-04 09:00:00', 5, '2026-12-04 09:00:00', 5)`,
        [ids.a.ticketId],
      )
      await o.db.execute(`INSERT INTO customer_company (customer_id, name, valid_id, create_time, create_by, change_time, change_by) VALUES ('ADMIN-1', 'Taken Name', 1, ?, 1, ?, 1)`, [NOW, NOW])
      const t1 = makeTicket('1001', { createdAt: '2019-03-04T05:06:07Z', updatedAt: '2019-03-05T10:00:00Z' })
      const m1 = [makeMessage('m1', '1001', 0, { createdAt: '2019-03-04T05:06:07Z' }), makeMessage('m2', '1001', 1, { createdAt: '2019-03-04T18:30:00+02:00' })]
      const t2 = makeTicket('1002', { status: 'closed', createdAt: '2020-01-01T00:00:00Z', updatedAt: '2020-01-02T00:00:00Z', closedAt: '2020-01-02T00:00:00Z' })
      const t3 = makeTicket('1003', { createdAt: '2021-06-01T12:00:00Z', updatedAt: null })
      const articleIds = (t: typeof ids.a, keys: string[]) => new Map(keys.map((k, i) => [k, t.articleIds[i]!]))
      const jane = customerUserFromCustomer(makeCustomer('1', { emails: [{ value: 'Jane@Acme.test', type: 'work' }], firstName: 'Jane', lastName: null, organizationRef: { kind: 'organization', sourceId: '7' } }), org)!
      const dupMail = customerUserFromCustomer(makeCustomer('2', { emails: [{ value: 'jane@acme.test', type: 'work' }] }), null)!
      input = {
        companies: [companyFromOrganization(org), { ...companyFromOrganization({ ...org, sourceId: '8', name: 'Taken Name' }) }],
        customerUsers: [jane, { ...dupMail, login: 'other-login' }],
        tickets: [
          ticketForDbStep(t1, m1, { ticketId: ids.a.ticketId, articleIds: articleIds(ids.a, ['m1', 'm2']) }, { keepNumbers: true, customerId: 'helpscout-7' }),
          ticketForDbStep(t2, [makeMessage('m3', '1002', 0, { createdAt: '2020-01-01T00:00:00Z' })], { ticketId: ids.b.ticketId, articleIds: articleIds(ids.b, ['m3']) }, { keepNumbers: true }),
          ticketForDbStep(t3, [makeMessage('m4', '1003', 0, { createdAt: '2021-06-01T12:00:00Z' })], { ticketId: ids.c.ticketId, articleIds: articleIds(ids.c, ['m4']) }, { keepNumbers: false }),
          { ...ticketForDbStep(t3, [], { ticketId: 999_999, articleIds: new Map() }, { keepNumbers: false }), sourceId: 'gone' },
        ],
      }
      input = { ...input, tickets: input.tickets.map((t, i) => (i === 0 ? { ...t, created: true } : t)) }
      first = await runDbStep(o.db, input, { now: () => new Date('2026-12-03T11:05:00Z'), runId: 'run-1' })
    }, 60_000)
    afterAll(async () => o?.close())

    it('creates the missing company and customer user, and reports a taken company name and a taken address', async () => {
      expect(first.companiesCreated).toBe(1)
      expect(first.customerUsersCreated).toBe(1)
      const [c] = await q<{ name: string; create_time: string }>(`SELECT name, create_time FROM customer_company WHERE customer_id = 'helpscout-7'`)
      expect(c).toEqual({ name: 'Acme Corp', create_time: '2015-02-01 08:00:00' })
      const [u] = await q(`SELECT login, email, customer_id, first_name, last_name, pw FROM customer_user`)
      expect(u).toEqual({ login: 'jane@acme.test', email: 'jane@acme.test', customer_id: 'helpscout-7', first_name: 'Jane', last_name: '-', pw: null })
      expect(first.failures).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ kind: 'organization', sourceId: '8', reason: 'duplicate', detail: expect.stringContaining('ADMIN-1') }),
          expect.objectContaining({ kind: 'customer', sourceId: '2', reason: 'duplicate', detail: expect.stringContaining('jane@acme.test') }),
        ]),
      )
    })

    it('sets the original ticket and article times, incoming_time as the same instant in epoch seconds', async () => {
      const [t] = await q<{ create_time: string; change_time: string; tn: string; customer_id: string }>('SELECT create_time, change_time, tn, customer_id FROM ticket WHERE id = ?', [ids.a.ticketId])
      expect(t).toEqual({ create_time: '2019-03-04 05:06:07', change_time: '2019-03-05 10:00:00', tn: '1001', customer_id: 'helpscout-7' })
      const arts = await q<{ id: number; create_time: string; incoming_time: number; mime_time: string }>(
        'SELECT a.id, a.create_time, m.incoming_time, m.create_time AS mime_time FROM article a JOIN article_data_mime m ON m.article_id = a.id WHERE a.ticket_id = ? ORDER BY a.id',
        [ids.a.ticketId],
      )
      expect(arts.map((a) => [a.create_time, Number(a.incoming_time), a.mime_time])).toEqual([
        ['2019-03-04 05:06:07', Date.parse('2019-03-04T05:06:07Z') / 1000, '2019-03-04 05:06:07'],
        ['2019-03-04 16:30:00', Date.parse('2019-03-04T16:30:00Z') / 1000, '2019-03-04 16:30:00'],
      ])
      const [att] = await q<{ create_time: string }>('SELECT create_time FROM article_data_mime_attachment WHERE article_id = ?', [ids.a.articleIds[0]])
      expect(att!.create_time).toBe('2019-03-04 05:06:07')
    })

    it('moves the importer\'s history rows to the source instants and leaves a person\'s row alone', async () => {
      const rows = await q<{ name: string; article_id: number | null; create_time: string; create_by: number }>('SELECT name, article_id, create_time, create_by FROM ticket_history WHERE ticket_id = ? ORDER BY id', [ids.a.ticketId])
      expect(rows.map((r) => [r.name.slice(0, 12), r.create_time])).toEqual([
        [`%%${'2026120310000011'.slice(0, 10)}`, '2019-03-04 05:06:07'],
        ['%%jane@acme.', '2019-03-04 05:06:07'],
        ['%%GenericInt', '2019-03-04 05:06:07'],
        ['%%GenericInt', '2019-03-04 16:30:00'],
        ['%%note', '2026-12-04 09:00:00'],
        ['deskmove: ti', '2019-03-05 10:00:00'],
      ])
      expect(rows.at(-1)!.name).toBe('deskmove: ticket number 2026120310000011 replaced by the source number 1001')
    })

    it('adds one StateUpdate row at the close instant of a closed ticket, and keeps a number Znuny already uses', async () => {
      const close = await q<{ create_time: string; name: string }>('SELECT create_time, name FROM ticket_history WHERE ticket_id = ? AND history_type_id = 27', [ids.b.ticketId])
      expect(close).toEqual([{ create_time: '2020-01-02 00:00:00', name: '%%open%%closed successful%%' }])
      const [b] = await q<{ tn: string; create_time: string }>('SELECT tn, create_time FROM ticket WHERE id = ?', [ids.b.ticketId])
      expect(b).toEqual({ tn: '2026120310000022', create_time: '2020-01-01 00:00:00' })
      expect(first.failures).toContainEqual(expect.objectContaining({ kind: 'ticket', sourceId: '1002', reason: 'duplicate', detail: expect.stringContaining('ticket number 1002') }))
      // The close row of 1002, and the row recording 1001's replaced number.
      expect(first.historyRowsAdded).toBe(2)
    })

    it('keeps Znuny\'s number when not asked, and reports a ticket that is gone', async () => {
      const [c] = await q<{ tn: string; change_time: string }>('SELECT tn, change_time FROM ticket WHERE id = ?', [ids.c.ticketId])
      expect(c).toEqual({ tn: '2026120310000033', change_time: '2021-06-01 12:00:00' })
      expect(first.failures).toContainEqual(expect.objectContaining({ kind: 'ticket', sourceId: 'gone', reason: 'missing' }))
      expect(first.ticketsUpdated).toBe(3)
      expect(first.articlesUpdated).toBe(4)
    })

    it('records what the run created, for rollback', async () => {
      const rows = await q<{ run_id: string; kind: string; object_key: string }>('SELECT run_id, kind, object_key FROM deskmove_run_object ORDER BY kind, object_key')
      expect(rows).toEqual([
        { run_id: 'run-1', kind: 'customer', object_key: 'jane@acme.test' },
        { run_id: 'run-1', kind: 'organization', object_key: 'helpscout-7' },
        { run_id: 'run-1', kind: 'ticket', object_key: String(ids.a.ticketId) },
      ])
    })

    it('changes nothing when run again', async () => {
      const before = await q('SELECT id, create_time, change_time FROM ticket_history ORDER BY id')
      const again = await runDbStep(o.db, input)
      expect(again).toMatchObject({ companiesCreated: 0, companiesExisting: 1, customerUsersCreated: 0, customerUsersExisting: 1, ticketsUpdated: 0, ticketsUnchanged: 3, articlesUpdated: 0, historyRowsUpdated: 0, historyRowsAdded: 0 })
      expect(await q('SELECT id, create_time, change_time FROM ticket_history ORDER BY id')).toEqual(before)
    })
  })
}
