import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectSqlDb } from '../../../../src/kits/sql/index.js'
import type { SqlDb } from '../../../../src/kits/sql/types.js'
import { createScratchDatabase, probeDatabases, type ScratchDatabase } from '../../../../src/testing/test-databases.js'
import { customerArticle, GiClient, rawExchange, rawTicket } from '../simulator/gi-client.test-helpers.js'
import { startZnunySim, type ZnunySim } from '../simulator/server.js'
import { createZnunyStandIn } from './create.js'
import { ZNUNY_TABLE_NAMES } from './schema.js'

const probe = await probeDatabases()
const opts = { label: 'stand-in test', hint: 'test' }
const clock = new Date('2026-11-22T06:12:31Z')

for (const dialect of ['mysql', 'postgres'] as const) {
  const reason = probe.reasons[dialect]
  describe.skipIf(!probe[dialect])(`Znuny stand-in on ${dialect}${reason ? ` (skipped: ${reason})` : ''}`, () => {
    let scratch: ScratchDatabase
    let db: SqlDb

    beforeAll(async () => {
      scratch = await createScratchDatabase(dialect, 'znuny_standin')
      await createZnunyStandIn({ dbUrl: scratch.url, password: 'pw-for-tests' })
      db = await connectSqlDb(scratch.url, opts)
    })
    afterAll(async () => {
      await db?.close()
      await scratch?.drop()
    })

    it('creates every table with the seed rows of a fresh Znuny', async () => {
      const schema = dialect === 'mysql' ? 'DATABASE()' : 'current_schema()'
      const tables = await db.query<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ${schema}`)
      expect(tables.map((t) => t.name).sort()).toEqual([...ZNUNY_TABLE_NAMES].sort())
      expect((await db.query<{ name: string }>('SELECT name FROM queue ORDER BY id')).map((q) => q.name)).toEqual(['Postmaster', 'Raw', 'Junk', 'Misc'])
      expect(await db.query('SELECT s.name, t.name AS type FROM ticket_state s JOIN ticket_state_type t ON t.id = s.type_id WHERE s.id = 2')).toEqual([{ name: 'closed successful', type: 'closed' }])
      expect(await db.query("SELECT q.name FROM queue_auto_response qa JOIN queue q ON q.id = qa.queue_id JOIN auto_response r ON r.id = qa.auto_response_id JOIN auto_response_type t ON t.id = r.type_id WHERE t.name = 'auto reply'")).toEqual([{ name: 'Misc' }])
      expect(await db.query("SELECT field_type, object_type FROM dynamic_field WHERE name = 'DeskmoveSourceId'")).toEqual([{ field_type: 'Text', object_type: 'Ticket' }])
      expect(await db.query("SELECT effective_value FROM sysconfig_default WHERE name = 'SendmailModule'")).toEqual([{ effective_value: '--- Kernel::System::Email::Sendmail\n' }])
    })

    it('refuses a database that already has tables', async () => {
      await expect(createZnunyStandIn({ dbUrl: scratch.url })).rejects.toThrow(/already has \d+ table/)
    })

    describe('the simulator on it', () => {
      let sim: ZnunySim
      let gi: GiClient
      let ticketId: string

      beforeAll(async () => {
        sim = await startZnunySim({ dbUrl: scratch.url, seed: 2, now: () => clock })
        gi = new GiClient(sim)
        await gi.login()
        const r = await gi.create(rawTicket({ Queue: 'Misc', Title: 'Stored 😀' }), customerArticle({ Attachment: { Filename: 'a.bin', ContentType: 'application/octet-stream', Content: Buffer.from([0, 255, 1, 254]).toString('base64') } }), { DynamicField: { Name: 'DeskmoveSourceId', Value: 'hs:ticket:9' } })
        ticketId = String(r.json?.TicketID)
      })
      afterAll(() => sim?.close())

      it('hands out the stand-in password and the database URL', () => {
        expect(sim.env).toMatchObject({ ZNUNY_PASSWORD: 'pw-for-tests', ZNUNY_DB_URL: scratch.url })
      })

      it('keeps tickets, articles, attachments and history in the real tables', async () => {
        const [t] = await db.query<Record<string, unknown>>('SELECT tn, title, customer_user_id, customer_id FROM ticket WHERE id = ?', [Number(ticketId)])
        expect(t).toMatchObject({ customer_user_id: 'jdoe', customer_id: 'ACME' })
        // 4-byte characters: replaced on MySQL (Znuny's driver does it), kept on PostgreSQL.
        expect(t!.title).toBe(dialect === 'mysql' ? 'Stored \uFFFD' : 'Stored 😀')
        const [m] = await db.query<Record<string, unknown>>('SELECT m.a_to, m.incoming_time FROM article a JOIN article_data_mime m ON m.article_id = a.id WHERE a.ticket_id = ? ORDER BY a.id', [Number(ticketId)])
        expect(m!.a_to).toBe('Misc')
        expect(Number(m!.incoming_time)).toBe(clock.getTime() / 1000)
        const [att] = await db.query<{ content: Buffer }>("SELECT content FROM article_data_mime_attachment WHERE filename = 'a.bin'")
        expect([...att!.content]).toEqual([0, 255, 1, 254])
        const history = await db.query<{ name: string }>('SELECT h.name FROM ticket_history h JOIN ticket_history_type t ON t.id = h.history_type_id WHERE h.ticket_id = ? ORDER BY h.id', [Number(ticketId)])
        expect(history.length).toBeGreaterThanOrEqual(4)
      })

      it('writes the trap queue auto reply as a real mail_queue row', async () => {
        expect(await db.query('SELECT recipient, attempts FROM mail_queue')).toEqual([{ recipient: 'jdoe@acme.test', attempts: 0 }])
        expect((await sim.manifest()).mailQueue).toHaveLength(1)
      })

      it('shows UPDATEs made behind its back through TicketGet and the manifest', async () => {
        await db.execute("UPDATE ticket SET create_time = '2019-03-04 05:06:07', tn = 'LEGACY-4711' WHERE id = ?", [Number(ticketId)])
        await db.execute("UPDATE article SET create_time = '2019-03-04 05:06:07' WHERE ticket_id = ?", [Number(ticketId)])
        await db.execute('UPDATE article_data_mime SET incoming_time = ? WHERE article_id IN (SELECT id FROM article WHERE ticket_id = ?)', [1551675967, Number(ticketId)])
        const t = await gi.get(ticketId)
        expect(t).toMatchObject({ Created: '2019-03-04 05:06:07', TicketNumber: 'LEGACY-4711' })
        expect((t.Article as Record<string, unknown>[])[0]).toMatchObject({ CreateTime: '2019-03-04 05:06:07', IncomingTime: 1551675967 })
        expect((await gi.search({ TicketNumber: 'LEGACY-4711' })).json).toEqual({ TicketID: [ticketId] })
        const [inManifest] = (await sim.manifest()).tickets
        expect(inManifest).toMatchObject({ TicketNumber: 'LEGACY-4711', DynamicField: expect.arrayContaining([{ Name: 'DeskmoveSourceId', Value: 'hs:ticket:9' }]) })
      })

      it('stamps the ticket changed "now" again when an article is added after backdating', async () => {
        await db.execute("UPDATE ticket SET change_time = '2019-03-05 10:00:00' WHERE id = ?", [Number(ticketId)])
        expect((await gi.get(ticketId, {})).Changed).toBe('2019-03-05 10:00:00')
        await gi.update(ticketId, { Article: customerArticle({ NoAgentNotify: 1 }) })
        expect((await gi.get(ticketId, {})).Changed).toBe('2026-11-22 06:12:31')
      })

      it('with the cache emulated, shows SQL changes only after Maint::Cache::Delete per type, as observed', async () => {
        const cached = await startZnunySim({ dbUrl: scratch.url, cache: true, now: () => clock })
        try {
          const c = new GiClient(cached)
          await c.login()
          const id = String((await c.create(rawTicket(), customerArticle())).json?.TicketID)
          const view = async () => {
            const t = await c.get(id, { AllArticles: 1 })
            const [a] = t.Article as Record<string, unknown>[]
            return [t.Created, a!.CreateTime, a!.IncomingTime]
          }
          const now = '2026-11-22 06:12:31'
          expect(await view()).toEqual([now, now, clock.getTime() / 1000])
          await db.execute("UPDATE ticket SET create_time = '2019-03-04 05:06:07' WHERE id = ?", [Number(id)])
          await db.execute("UPDATE article SET create_time = '2019-03-04 05:06:07' WHERE ticket_id = ?", [Number(id)])
          await db.execute('UPDATE article_data_mime SET incoming_time = ? WHERE article_id IN (SELECT id FROM article WHERE ticket_id = ?)', [1551675967, Number(id)])
          // article_data_mime is not cached; searches hit the database.
          expect(await view()).toEqual([now, now, 1551675967])
          expect((await c.search({ TicketCreateTimeOlderDate: '2020-01-01 00:00:00', TicketID: id })).json).toEqual({ TicketID: [id] })
          cached.cacheDelete('Ticket')
          expect(await view()).toEqual(['2019-03-04 05:06:07', now, 1551675967])
          cached.cacheDelete('Article')
          expect(await view()).toEqual(['2019-03-04 05:06:07', '2019-03-04 05:06:07', 1551675967])
        } finally {
          await cached.close()
        }
      })

      it('a crash mid-call leaves the half-made ticket committed in the tables', async () => {
        sim.faultNext('crash')
        const body = JSON.stringify({ SessionID: gi.sessionId, Ticket: rawTicket({ Title: 'half made' }), Article: [customerArticle(), customerArticle({ Subject: 'second' })], DynamicField: { Name: 'DeskmoveSourceId', Value: 'hs:ticket:half' } })
        expect(await rawExchange(sim, 'POST', '/Ticket', body)).toMatch(/^<html>/)
        const rows = await db.query<{ n: number }>("SELECT COUNT(a.id) AS n FROM ticket t JOIN article a ON a.ticket_id = t.id WHERE t.title = 'half made'")
        expect(rows).toEqual([{ n: 1 }])
        expect((await gi.search({ DynamicField_DeskmoveSourceId: 'hs:ticket:half' })).json?.TicketID).toHaveLength(1)
      })

      it('sees customer users added by SQL as known logins', async () => {
        await db.execute("INSERT INTO customer_user (login, email, customer_id, first_name, last_name, valid_id, create_time, create_by, change_time, change_by) VALUES ('mary', 'mary@acme.test', 'ACME', 'Mary', 'Major', 1, '2020-01-01 00:00:00', 1, '2020-01-01 00:00:00', 1)")
        const r = await gi.create(rawTicket({ CustomerUser: 'mary' }), customerArticle())
        expect(await gi.get(String(r.json?.TicketID), {})).toMatchObject({ CustomerUserID: 'mary', CustomerID: 'ACME' })
      })

      it('a second simulator on the same database continues where the first stopped', async () => {
        const again = await startZnunySim({ dbUrl: scratch.url, seed: 3, now: () => clock })
        try {
          const gi2 = new GiClient(again)
          await gi2.login()
          const r = await gi2.create(rawTicket(), customerArticle())
          expect(Number(r.json?.TicketID)).toBeGreaterThan(Number(ticketId))
        } finally {
          await again.close()
        }
      })
    })
  })
}

describe('Znuny stand-in URL checks', () => {
  it('refuses a database URL of another kind with a clear error', async () => {
    await expect(createZnunyStandIn({ dbUrl: 'sqlite:///tmp/x.db' })).rejects.toThrow(/unsupported database URL scheme/)
  })
})
