// The three steps together on the Znuny simulator kept in its stand-in database: tickets created through REST,
// the database step gives them their source times, verify reads them back at 0 differences and then finds
// planted ones, rollback removes the run's tickets (found by their history comment) and nothing else.
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { silentLogger } from '../../../../src/core/log.js'
import { Redactor } from '../../../../src/core/redact.js'
import { createHttpClient } from '../../../../src/http/client.js'
import { defaultHostPolicy } from '../../../../src/http/policy.js'
import type { SqlDb } from '../../../../src/kits/sql/index.js'
import { createScratchDatabase, probeDatabases, type ScratchDatabase } from '../../../../src/testing/test-databases.js'
import { ZnunyRest } from '../rest/index.js'
import { startZnunySim, PROVENANCE_FIELD, type ZnunySim } from '../simulator/index.js'
import { connectStandIn, createZnunyStandIn } from '../standin/index.js'
import { ticketRef } from '../ids.js'
import { runDbStep, runHistoryComment } from '../db-step/index.js'
import { rollbackZnuny } from '../rollback/index.js'
import { restReader, ticketVerifier, type ExpectedTicket } from './index.js'

const probe = await probeDatabases()
const bytes = Buffer.from('%PDF-1.4 binary \u0000\u00ff bytes')
const sha = createHash('sha256').update(bytes).digest('hex')

const expected = (n: number, createdAt: string, replyAt: string): ExpectedTicket => ({
  title: `Printer ${n}`,
  queue: 'Misc',
  state: 'closed successful',
  priority: '3 normal',
  type: null,
  customerUser: 'jane@acme.test',
  tn: null,
  createdAt,
  changedAt: replyAt,
  historicalTimes: true,
  dynamicFields: { [PROVENANCE_FIELD]: `helpscout:ticket:${n}` },
  articles: [
    { sourceId: `${n}-1`, subject: `Printer ${n}`, senderType: 'customer', channel: 'Email', visibleForCustomer: true, createdAt, attachments: [{ sourceId: `${n}-f`, filename: 'scan.pdf', sha256: sha, size: bytes.length }] },
    { sourceId: `${n}-2`, subject: 'note', senderType: 'agent', channel: 'Internal', visibleForCustomer: false, createdAt: replyAt, attachments: [] },
  ],
})

for (const dialect of ['mysql', 'postgres'] as const) {
  describe.skipIf(!probe[dialect])(`db-step, verify and rollback on the Znuny simulator's stand-in (${dialect})${probe.reasons[dialect] ? ` (skipped: ${probe.reasons[dialect]})` : ''}`, () => {
    let scratch: ScratchDatabase
    let sim: ZnunySim
    let rest: ZnunyRest
    let db: SqlDb
    let close: () => Promise<void>
    const made: { ref: string; ticketId: string; articleIds: string[]; want: ExpectedTicket }[] = []
    const signal = new AbortController().signal

    beforeAll(async () => {
      scratch = await createScratchDatabase(dialect, 'zn_ops_sim')
      await createZnunyStandIn({ dbUrl: scratch.url })
      sim = await startZnunySim({ dbUrl: scratch.url, version: '7.1' })
      const http = createHttpClient({ policy: defaultHostPolicy({ backoffBaseMs: 1, backoffMaxMs: 5, timeoutMs: 5_000 }), redactor: new Redactor(), log: silentLogger, random: () => 0.5 })
      rest = new ZnunyRest({ url: sim.baseUrl, user: sim.env.ZNUNY_USER, password: sim.env.ZNUNY_PASSWORD, http, log: silentLogger })
      db = await connectStandIn(scratch.url)
      close = async () => (await http.close(), await sim.close(), await db.close(), await scratch.drop())
      for (const [n, created, reply] of [[1, '2019-03-04T05:06:07Z', '2019-03-05T10:00:00Z'], [2, '2020-07-01T08:00:00+02:00', '2020-07-02T09:30:00Z']] as const) {
        const article = (over: Record<string, unknown>) => ({ ContentType: 'text/plain; charset=utf-8', AutoResponseType: 'auto remove', NoAgentNotify: 1, HistoryComment: runHistoryComment('run-1'), ...over })
        const a = await rest.ticketCreate({
          Ticket: { Title: `Printer ${n}`, Queue: 'Misc', State: 'closed successful', Priority: '3 normal', CustomerUser: 'jane@acme.test' },
          Article: [
            article({ CommunicationChannel: 'Email', SenderType: 'customer', IsVisibleForCustomer: 1, From: 'Jane <jane@acme.test>', Subject: `Printer ${n}`, Body: 'It burns', Attachment: [{ Filename: 'scan.pdf', ContentType: 'application/pdf', Content: bytes.toString('base64') }] }),
            article({ CommunicationChannel: 'Internal', SenderType: 'agent', IsVisibleForCustomer: 0, Subject: 'note', Body: 'checked' }),
          ],
          DynamicField: [{ Name: PROVENANCE_FIELD, Value: `helpscout:ticket:${n}` }],
        })
        const articleIds = (Array.isArray(a.ArticleID) ? a.ArticleID : [a.ArticleID!]).map(String)
        made.push({ ref: ticketRef({ ticketId: a.TicketID, ticketNumber: a.TicketNumber, articleIds }), ticketId: a.TicketID, articleIds, want: expected(n, created, reply) })
      }
      await runDbStep(db, {
        companies: [],
        customerUsers: [],
        tickets: made.map((m, i) => ({
          sourceId: String(i + 1), ticketId: Number(m.ticketId), tn: null, customerId: null, createdAt: m.want.createdAt!, changedAt: m.want.changedAt!, closedAt: m.want.changedAt,
          articles: m.articleIds.map((id, k) => ({ sourceId: m.want.articles[k]!.sourceId, articleId: Number(id), createdAt: m.want.articles[k]!.createdAt! })),
        })),
      })
    }, 60_000)
    afterAll(async () => close?.())

    const verifier = () => ticketVerifier<{ ref: { source: string; kind: 'ticket'; sourceId: string }; dedupeKey: string; summary: Record<string, never>; partialRejects: []; want: ExpectedTicket }>({
      reader: restReader(rest),
      db,
      expected: (op, _ctx, ids) => ({ ...op.want, articles: op.want.articles.map((a, i) => ({ ...a, articleId: ids.articleIds[i] ?? null })) }),
    })
    const items = () => made.map((m, i) => ({ sourceId: String(i + 1), targetRef: m.ref, op: { ref: { source: 'helpscout', kind: 'ticket' as const, sourceId: String(i + 1) }, dedupeKey: String(i), summary: {}, partialRejects: [] as [], want: m.want } }))
    const ctx = { resolve: () => undefined, signal }

    it('reads back what REST and the database step wrote with no difference, and no mail was queued', async () => {
      const v = verifier()
      expect(await v.compare(items(), ctx)).toEqual([{ status: 'found', diffs: [] }, { status: 'found', diffs: [] }])
      expect(await v.checks!(made.map((m) => m.ref), { complete: true, signal })).toEqual([])
    })

    it('finds a planted article time, attachment bytes and state', async () => {
      await db.execute("UPDATE article SET create_time = '2021-01-01 00:00:00' WHERE id = ?", [made[0]!.articleIds[1]])
      await db.execute('UPDATE article_data_mime_attachment SET content = ? WHERE article_id = ?', [Buffer.from('tampered'), made[0]!.articleIds[0]])
      await rest.ticketUpdate(made[1]!.ticketId, { Ticket: { State: 'open' } }, { idempotent: true })
      const [one, two] = await verifier().compare(items(), ctx)
      expect(one).toEqual({
        status: 'found',
        diffs: [
          { field: `article 1-1 attachment 1-f sha256`, expected: sha, actual: expect.stringMatching(/^[0-9a-f]{64}$/) },
          { field: 'article 1-2 created', expected: '2019-03-05T10:00:00Z', actual: '2021-01-01T00:00:00Z' },
        ],
      })
      // The API change reset the ticket's change time, as Znuny does: the database step must come last.
      expect(two).toMatchObject({ status: 'found', diffs: [{ field: 'state', expected: 'closed successful', actual: 'open' }, expect.objectContaining({ field: 'changed' })] })
    })

    it('rollback finds the run\'s tickets by their history comment and removes them; the simulator no longer has them', async () => {
      const preview = await rollbackZnuny(db, 'run-1', { preview: true })
      // The PATCH of ticket 2 was made by the importer's own account, so both count as untouched.
      expect(preview.counts).toMatchObject({ tickets: 2, articles: 4, attachments: 2 })
      expect(preview.removed).toEqual(expect.arrayContaining(made.map((m) => ({ kind: 'ticket', ref: m.ref }))))
      await rollbackZnuny(db, 'run-1', { preview: false })
      const [gone] = await verifier().compare(items().slice(0, 1), ctx)
      expect(gone).toMatchObject({ status: 'missing' })
      expect(await db.query('SELECT id FROM ticket WHERE id IN (?, ?)', made.map((m) => Number(m.ticketId)))).toEqual([])
    })
  })
}
