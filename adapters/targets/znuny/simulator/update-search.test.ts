import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { customerArticle, GiClient, rawTicket } from './gi-client.test-helpers.js'
import { startZnunySim, type ZnunySim } from './server.js'

describe('Znuny simulator: TicketUpdate, TicketSearch, TicketHistoryGet', () => {
  let sim: ZnunySim
  let gi: GiClient
  let first: string
  let second: string

  beforeAll(async () => {
    sim = await startZnunySim({ seed: 4 })
    gi = new GiClient(sim)
    await gi.login()
    first = String((await gi.create(rawTicket({ Title: 'Imported printer' }), customerArticle({ Subject: 'Printer broken' }), { DynamicField: { Name: 'DeskmoveSourceId', Value: 'hs:ticket:1' } })).json?.TicketID)
    second = String((await gi.create(rawTicket({ Title: 'Imported mouse', Queue: 'Junk' }), customerArticle({ Subject: 'Mouse dead', Body: 'the mouse on floor 3' }))).json?.TicketID)
  })
  afterAll(() => sim?.close())

  describe('TicketUpdate', () => {
    it('adds an article with a numeric ArticleID and keeps To/Cc as given', async () => {
      const r = await gi.update(first, { Article: { CommunicationChannel: 'Email', SenderType: 'agent', IsVisibleForCustomer: 1, From: 'Support <support@acme.test>', To: 'Support <support@acme.test>', Cc: 'boss@acme.test', Subject: 're', Body: 'reply', ContentType: 'text/plain; charset=utf8' } })
      expect(r.json).toEqual({ ArticleID: expect.any(Number), TicketID: first, TicketNumber: expect.any(String) })
      const t = await gi.get(first)
      expect((t.Article as Record<string, unknown>[]).at(-1)).toMatchObject({ To: 'Support <support@acme.test>', Cc: 'boss@acme.test', SenderType: 'agent' })
    })

    it('changes state and writes a StateUpdate history row', async () => {
      await gi.update(first, { Ticket: { State: 'closed successful' } })
      expect(await gi.get(first, {})).toMatchObject({ State: 'closed successful', StateType: 'closed' })
      const h = await gi.call('GET', `/TicketHistory/${first}`, undefined, { SessionID: gi.sessionId })
      const history = (h.json?.TicketHistory as { History: Record<string, unknown>[] }[])[0]!.History
      expect(history.at(-1)).toMatchObject({ HistoryType: 'StateUpdate', Name: '%%new%%closed successful%%', TicketID: first, StateID: 2 })
    })

    it('answers a bad state with InvalidParameter and an unknown ticket with AccessDenied', async () => {
      expect((await gi.update(first, { Ticket: { State: 'done' } })).json).toEqual({ Error: { ErrorCode: 'TicketUpdate.InvalidParameter', ErrorMessage: 'TicketUpdate: Ticket->StateID or Ticket->State parameter is invalid!' } })
      expect((await gi.update(999999, { Ticket: { Title: 'x' } })).json?.Error).toMatchObject({ ErrorCode: 'TicketUpdate.AccessDenied' })
    })

    it('answers TicketGet of an unknown ticket with AccessDenied, not "not found"', async () => {
      const r = await gi.call('GET', '/Ticket/999999', undefined, { SessionID: gi.sessionId })
      expect(r.json).toEqual({ Error: { ErrorCode: 'TicketGet.AccessDenied', ErrorMessage: 'TicketGet: User does not have access to the ticket!' } })
    })

    it('answers TicketGet without credentials with AuthFail', async () => {
      const r = await gi.call('GET', `/Ticket/${first}`)
      expect(r.json).toEqual({ Error: { ErrorCode: 'TicketGet.AuthFail', ErrorMessage: 'TicketGet: Authorization failing!' } })
    })
  })

  describe('TicketGet options', () => {
    it('leaves out Article without AllArticles and returns articles newest first with ArticleOrder=DESC', async () => {
      expect((await gi.get(first, {})).Article).toBeUndefined()
      const desc = await gi.get(first, { AllArticles: 1, ArticleOrder: 'DESC' })
      const numbers = (desc.Article as Record<string, unknown>[]).map((a) => a.ArticleNumber)
      expect(numbers).toEqual([...numbers].sort((a, b) => Number(b) - Number(a)))
    })

    it('gets several tickets from a comma list', async () => {
      const r = await gi.call('GET', `/Ticket/${first},${second}`, undefined, { SessionID: gi.sessionId })
      expect((r.json?.Ticket as Record<string, unknown>[]).map((t) => t.TicketID)).toEqual([Number(first), Number(second)])
    })
  })

  describe('TicketSearch', () => {
    it('finds by title with a wildcard, newest first, ids as strings', async () => {
      expect((await gi.search({ Title: 'Imported*' })).json).toEqual({ TicketID: [second, first] })
      expect((await gi.search({ Title: 'Imported*', SortBy: 'Age', OrderBy: 'Up' })).json).toEqual({ TicketID: [first, second] })
    })

    it('answers no hit with an empty object', async () => {
      expect((await gi.search({ Title: 'Nothing like this' })).json).toEqual({})
    })

    it('ignores unknown filters, so Subject= alone returns every ticket', async () => {
      expect((await gi.search({ Subject: 'Nothing like this' })).json).toEqual({ TicketID: [second, first] })
      expect((await gi.search({ DynamicField_NoSuchField: 'x' })).json).toEqual({ TicketID: [second, first] })
    })

    it('searches article fields as MIMEBase_Subject / MIMEBase_Body', async () => {
      expect((await gi.search({ MIMEBase_Subject: 'Printer*' })).json).toEqual({ TicketID: [first] })
      expect((await gi.search({ MIMEBase_Body: 'floor 3' })).json).toEqual({ TicketID: [second] })
    })

    it('takes dynamic field operators in a JSON body on GET, in both the DynamicField and the DynamicField_<Name> form', async () => {
      expect((await gi.getWithBody('/Ticket', { SessionID: gi.sessionId, DynamicField: { Name: 'DeskmoveSourceId', Equals: 'hs:ticket:1' } })).json).toEqual({ TicketID: [first] })
      expect((await gi.getWithBody('/Ticket', { SessionID: gi.sessionId, DynamicField_DeskmoveSourceId: { Like: 'hs:ticket:*' } })).json).toEqual({ TicketID: [first] })
      expect((await gi.getWithBody(`/Ticket/${first}`, { SessionID: gi.sessionId })).json?.Ticket).toHaveLength(1)
    })

    it('finds a ticket by its provenance dynamic field and by queue, number and customer', async () => {
      expect((await gi.search({ DynamicField_DeskmoveSourceId: 'hs:ticket:1' })).json).toEqual({ TicketID: [first] })
      expect((await gi.search({ DynamicField_DeskmoveSourceId: 'hs:ticket:2' })).json).toEqual({})
      expect((await gi.search({ Queues: 'Junk' })).json).toEqual({ TicketID: [second] })
      const tn = String((await gi.get(first, {})).TicketNumber)
      expect((await gi.search({ TicketNumber: tn })).json).toEqual({ TicketID: [first] })
      expect((await gi.search({ CustomerUserLogin: 'jdoe', Queues: 'Raw' })).json).toEqual({ TicketID: [first] })
    })
  })

  it('refuses TicketHistoryGet to customer users', async () => {
    const s = await gi.call('POST', '/Session', { CustomerUserLogin: 'jdoe', Password: sim.env.ZNUNY_PASSWORD })
    const r = await gi.call('GET', `/TicketHistory/${first}`, undefined, { SessionID: String(s.json?.SessionID) })
    expect(r.json?.Error).toMatchObject({ ErrorCode: 'TicketHistoryGet.AccessDenied' })
  })

  it('counts requests per operation at /_sim/stats', async () => {
    const stats = (await (await fetch(`${sim.url}/_sim/stats`)).json()) as { requests: Record<string, number> }
    expect(stats.requests.TicketCreate).toBe(2)
    expect(stats.requests.SessionCreate).toBeGreaterThanOrEqual(1)
    expect(stats.requests.TicketSearch).toBeGreaterThan(5)
  })
})
