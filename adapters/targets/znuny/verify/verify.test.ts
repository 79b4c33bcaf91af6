// Verify finds planted differences: a changed time, a missing article, altered attachment bytes, another state,
// an article nobody planned; reads times from the database when it has one; and the checks find queued mail.
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WriteOpBase } from '../../../../src/core/target.js'
import { RemoteUnavailableError } from '../../../../src/core/errors.js'
import { probeDatabases } from '../../../../src/testing/test-databases.js'
import { createOpsDb, restTicket, type OpsDb } from '../db-step/schema.test-helpers.js'
import { compareTicket, ticketVerifier, type ExpectedTicket, type ZnunyReader } from './index.js'
import type { WireTicket } from './wire.js'

const bytes = Buffer.from('%PDF-1.4 the invoice')
const sha = createHash('sha256').update(bytes).digest('hex')

const expected = (over: Partial<ExpectedTicket> = {}): ExpectedTicket => ({
  title: 'Printer on fire 🔥',
  queue: 'Raw',
  state: 'closed successful',
  priority: '3 normal',
  type: null,
  customerUser: 'jane@acme.test',
  tn: null,
  createdAt: '2019-03-04T05:06:07Z',
  changedAt: '2019-03-05T10:00:00Z',
  historicalTimes: true,
  dynamicFields: { DeskmoveSource: 'helpscout:ticket:1001' },
  articles: [
    { sourceId: 'm1', subject: 'Printer on fire 🔥', senderType: 'customer', channel: 'Email', visibleForCustomer: true, createdAt: '2019-03-04T05:06:07Z', attachments: [{ sourceId: 'f1', filename: 'invoice.pdf', sha256: sha, size: bytes.length }] },
    { sourceId: 'm2', subject: 'note', senderType: 'agent', channel: 'Internal', visibleForCustomer: false, createdAt: '2019-03-05T10:00:00+00:00', attachments: [] },
  ],
  ...over,
})

/** TicketGet as Znuny answers it for a faithful import (IDs mixed strings/numbers, emoji as U+FFFD). */
const wire = (): WireTicket =>
  ({
    TicketID: '41', TicketNumber: '2026120310000011', Title: 'Printer on fire \uFFFD', State: 'closed successful', StateType: 'closed', Queue: 'Raw', Priority: '3 normal', Type: 'Unclassified',
    CustomerUserID: 'jane@acme.test', CustomerID: 'helpscout-7', Owner: 'root@localhost', Created: '2019-03-04 05:06:07', Changed: '2019-03-05 10:00:00',
    DynamicField: [{ Name: 'DeskmoveSource', Value: 'helpscout:ticket:1001' }],
    Article: [
      { ArticleID: '90', Subject: 'Printer on fire \uFFFD', From: 'Jane <jane@acme.test>', To: 'Raw', Cc: '', SenderType: 'customer', CommunicationChannelID: 1, IsVisibleForCustomer: 1, IncomingTime: 1551675967, CreateTime: '2019-03-04 05:06:07', ContentType: 'text/plain',
        Attachment: [{ Filename: 'invoice.pdf', ContentType: 'application/pdf', Content: bytes.toString('base64'), FilesizeRaw: bytes.length, Disposition: 'attachment', ContentID: '' }] },
      { ArticleID: '91', Subject: 'note', From: 'Agent', To: '', Cc: '', SenderType: 'agent', CommunicationChannelID: 3, IsVisibleForCustomer: 0, IncomingTime: 1551780000, CreateTime: '2019-03-05 10:00:00', ContentType: 'text/plain' },
    ],
  }) as WireTicket

describe('compareTicket', () => {
  it('finds nothing on a faithful import (4-byte characters read back as U+FFFD, instants in any zone notation)', () => {
    expect(compareTicket(expected(), wire(), null)).toEqual([])
  })

  it('finds a changed time, another state, altered attachment bytes and a missing article', () => {
    const got = wire()
    got.Created = '2026-12-03 11:00:00'
    got.State = 'open'
    got.Article![0]!.Attachment![0]!.Content = Buffer.from('%PDF-1.4 the invoicE').toString('base64')
    got.Article!.pop()
    const diffs = compareTicket(expected(), got, null)
    expect(diffs).toEqual([
      { field: 'state', expected: 'closed successful', actual: 'open' },
      { field: 'created', expected: '2019-03-04T05:06:07Z', actual: '2026-12-03T11:00:00Z' },
      { field: 'article m1 attachment f1 sha256', expected: sha, actual: expect.stringMatching(/^[0-9a-f]{64}$/) },
      { field: 'article m2', expected: 'present', actual: 'missing' },
    ])
  })

  it('reports an article nobody planned, a dropped attachment and a wrong incoming_time', () => {
    const got = wire()
    got.Article![0]!.Attachment = undefined
    got.Article![1]!.IncomingTime = 1764759600
    got.Article!.push({ ...got.Article![1]!, ArticleID: '92', SenderType: 'system', Subject: 'RE: Printer on fire' })
    const diffs = compareTicket(expected(), got, null).map((d) => d.field)
    expect(diffs).toEqual(['article m1 attachments', 'article m1 attachment f1', 'article m2 incoming_time', 'article #92'])
  })

  it('compares the From that was sent, and leaves one Znuny filled in alone', () => {
    const e = expected()
    const sent = { ...e, articles: [{ ...e.articles[0]!, from: 'Jane <jane@acme.test>' }, { ...e.articles[1]!, from: null }] }
    const got = wire()
    expect(compareTicket(sent, got, null)).toEqual([])
    got.Article![0]!.From = 'Someone Else <x@acme.test>'
    expect(compareTicket(sent, got, null)).toEqual([{ field: 'article m1 from', expected: 'Jane <jane@acme.test>', actual: 'Someone Else <x@acme.test>' }])
  })

  it('with the database step, compares the To and Cc deskmove stored (TicketCreate alone keeps the queue name)', () => {
    const e = expected()
    const sent = { ...e, articles: [{ ...e.articles[0]!, to: 'Support <support@acme.test>', cc: 'boss@acme.test' }, e.articles[1]!] }
    const got = wire()
    expect(compareTicket(sent, got, null).map((d) => [d.field, d.actual])).toEqual([['article m1 to', 'Raw'], ['article m1 cc', '']])
    expect(compareTicket({ ...sent, historicalTimes: false }, got, null)).toEqual([])
  })

  it('matches articles by id when the id map holds them, and does not compare times without the database step', () => {
    const e = expected({ historicalTimes: false })
    const byId = { ...e, articles: [{ ...e.articles[1]!, articleId: '91' }, { ...e.articles[0]!, articleId: '90' }] }
    const got = wire()
    got.Created = '2026-12-03 11:00:00'
    expect(compareTicket(byId, got, null)).toEqual([])
  })
})

const probe = await probeDatabases()
const dialect = probe.mysql ? 'mysql' : 'postgres'

describe.skipIf(!probe.mysql && !probe.postgres)(`ticketVerifier over TicketGet and the database (${dialect})${probe.mysql || probe.postgres ? '' : ': skipped, no database'}`, () => {
  let o: OpsDb
  let t: Awaited<ReturnType<typeof restTicket>>
  const tickets = new Map<string, WireTicket>()
  const reader: ZnunyReader = {
    async ticketGet(ids) {
      if (ids.some((id) => !tickets.has(id))) return { Error: { ErrorCode: 'TicketGet.AccessDenied', ErrorMessage: 'TicketGet: User does not have access to the ticket!' } }
      return { Ticket: ids.map((id) => tickets.get(id)) }
    },
  }
  const op = (sourceId: string): WriteOpBase => ({ ref: { source: 'helpscout', kind: 'ticket', sourceId }, dedupeKey: sourceId, summary: {}, partialRejects: [] })
  const ctx = { resolve: () => undefined, signal: new AbortController().signal }

  beforeAll(async () => {
    o = await createOpsDb(dialect, 'zn_verify')
    t = await restTicket(o.db, { tn: '2026120310000011', now: '2019-03-04 05:06:07', articles: [{}, {}] })
    await o.db.execute("UPDATE ticket SET change_time = '2019-03-05 10:00:00' WHERE id = ?", [t.ticketId])
    await o.db.execute("UPDATE article SET create_time = '2019-03-05 10:00:00' WHERE id = ?", [t.articleIds[1]])
    // The second article's incoming_time was never set (the database step did not reach it).
    await o.db.execute('INSERT INTO mail_queue (article_id, recipient, create_time) VALUES (?, ?, ?)', [t.articleIds[0], 'jane@acme.test', '2026-12-03 11:00:00'])
    const w = wire()
    w.TicketID = String(t.ticketId)
    // The API still serves the cached import time: the database is the truth.
    w.Created = '2026-12-03 11:00:00'
    w.Article = w.Article!.map((a, i) => ({ ...a, ArticleID: String(t.articleIds[i]) }))
    tickets.set(String(t.ticketId), w)
  }, 60_000)
  afterAll(async () => o?.close())

  it('reads times from the database, marks a ticket Znuny no longer has as missing', async () => {
    const v = ticketVerifier({ reader, db: o.db, expected: () => expected() })
    const [found, gone] = await v.compare([{ sourceId: '1001', op: op('1001'), targetRef: String(t.ticketId) }, { sourceId: '1002', op: op('1002'), targetRef: '999' }], ctx)
    expect(found).toEqual({ status: 'found', diffs: [{ field: 'article m2 incoming_time', expected: '2019-03-05T10:00:00Z', actual: '2019-03-04T05:06:07Z' }] })
    expect(gone).toMatchObject({ status: 'missing', detail: expect.stringContaining('AccessDenied') })
  })

  it('checks find mail queued for an imported article and an incoming_time that is not the create time', async () => {
    const v = ticketVerifier({ reader, db: o.db, expected: () => expected() })
    const found = await v.checks!([String(t.ticketId)], { complete: false, signal: ctx.signal })
    expect(found.map((f) => [f.check, f.targetRef])).toEqual([
      ['mail-queued', String(t.ticketId)],
      ['incoming-time', String(t.ticketId)],
    ])
  })

  it('without the database, checks read mail from the ticket history; an unreachable Znuny stops verify', async () => {
    const v = ticketVerifier({
      reader: { ...reader, ticketHistory: async () => ({ TicketHistory: [{ TicketID: '41', History: [{ HistoryType: 'NewTicket', Name: 'x' }, { HistoryType: 'SendAutoReply', Name: '"jane@acme.test"' }] }] }) },
      expected: () => expected(),
    })
    expect(await v.checks!(['41'], { complete: false, signal: ctx.signal })).toEqual([{ check: 'mail-sent', targetRef: '41', detail: expect.stringContaining('SendAutoReply') }])
    const down = ticketVerifier({ reader: { ticketGet: () => Promise.reject(new RemoteUnavailableError('refused')) }, expected: () => expected() })
    await expect(down.compare([{ sourceId: '1', op: op('1'), targetRef: '1' }], ctx)).rejects.toBeInstanceOf(RemoteUnavailableError)
  })
})
