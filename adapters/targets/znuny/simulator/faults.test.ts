import { afterEach, describe, expect, it } from 'vitest'
import { customerArticle, GiClient, rawExchange, rawTicket } from './gi-client.test-helpers.js'
import { splitFaultSpec } from './options.js'
import { startZnunySim, type ZnunySim } from './server.js'

const note = { CommunicationChannel: 'Internal', SenderType: 'agent', IsVisibleForCustomer: 0, Subject: 'note', Body: 'note', ContentType: 'text/plain; charset=utf-8' }

describe('Znuny simulator faults and stricter modes', () => {
  let sim: ZnunySim | undefined
  afterEach(async () => {
    await sim?.close()
    sim = undefined
  })

  async function start(faults: string, extra: Parameters<typeof startZnunySim>[0] = {}): Promise<GiClient> {
    sim = await startZnunySim({ seed: 5, faults, ...extra })
    const gi = new GiClient(sim)
    await gi.login()
    return gi
  }

  it('crash: no HTTP answer (an HTML page without a status line) and a half-made ticket that already holds its provenance', async () => {
    const gi = await start('crash=1')
    const body = JSON.stringify({ SessionID: gi.sessionId, Ticket: rawTicket(), Article: [customerArticle(), note, note], DynamicField: { Name: 'DeskmoveSourceId', Value: 'hs:ticket:7' } })
    const raw = await rawExchange(sim!, 'POST', '/Ticket', body)
    expect(raw).toMatch(/^<html>/)
    expect(raw).not.toMatch(/^HTTP\//)
    const [t] = (await sim!.manifest()).tickets
    expect(t!.Article.map((a) => a.Subject)).toEqual(['Printer broken'])
    expect(t!.DynamicField).toContainEqual({ Name: 'DeskmoveSourceId', Value: 'hs:ticket:7' })
  })

  it('crash on TicketUpdate stores the first article of the call only; faultNext forces one fault', async () => {
    const gi = await start('')
    const id = String((await gi.create(rawTicket(), customerArticle())).json?.TicketID)
    sim!.faultNext('crash')
    const raw = await rawExchange(sim!, 'PATCH', `/Ticket/${id}`, JSON.stringify({ SessionID: gi.sessionId, Article: [{ ...note, Subject: 'one' }, { ...note, Subject: 'two' }] }))
    expect(raw).toMatch(/^<html>/)
    expect((await gi.update(id, { Article: { ...note, Subject: 'three' } })).json?.ArticleID).toEqual(expect.any(Number))
    const t = await gi.get(id)
    expect((t.Article as Record<string, unknown>[]).map((a) => a.Subject)).toEqual(['Printer broken', 'one', 'three'])
  })

  it('authfail: the session is gone mid-run and a new login works', async () => {
    const gi = await start('authfail=1')
    const r = await gi.create(rawTicket(), customerArticle())
    expect(r.json).toEqual({ Error: { ErrorCode: 'TicketCreate.AuthFail', ErrorMessage: 'TicketCreate: User could not be authenticated!' } })
    const direct = await gi.call('POST', '/Ticket', { UserLogin: sim!.env.ZNUNY_USER, Password: sim!.env.ZNUNY_PASSWORD, Ticket: rawTicket(), Article: customerArticle() })
    expect(direct.json?.TicketID).toBeDefined()
  })

  it('sessionRequests: a session serves N requests, then AuthFail until the client logs in again', async () => {
    const gi = await start('', { sessionRequests: 2 })
    expect((await gi.search({ Title: '*' })).json).toEqual({})
    expect((await gi.search({ Title: '*' })).json).toEqual({})
    expect((await gi.search({ Title: '*' })).json).toEqual({ Error: { ErrorCode: 'TicketSearch.AuthFail', ErrorMessage: 'TicketSearch: Authorization failing!' } })
    await gi.login()
    expect((await gi.search({ Title: '*' })).json).toEqual({})
  })

  it('5xx: HTTP 500/502/503 with the GI fault body or a proxy page', async () => {
    sim = await startZnunySim({ seed: 5, faults: '5xx=1' })
    const gi = new GiClient(sim)
    const r = await gi.call('POST', '/Session', { UserLogin: 'x', Password: 'y' })
    expect([500, 502, 503]).toContain(r.status)
    if (r.json) expect(r.json).toEqual({ faultcode: 'Server', faultstring: 'Internal Server Error' })
    else expect(r.text).toMatch(/<html>/)
  })

  it('reset: the connection closes with no reply', async () => {
    sim = await startZnunySim({ seed: 5, faults: 'reset=1' })
    expect(await rawExchange(sim, 'POST', '/Session', '{}')).toBe('')
  })

  it('a body over the web service MaxLength is answered 413', async () => {
    const gi = await start('', { maxBodyBytes: 1000 })
    const r = await gi.create(rawTicket(), customerArticle({ Body: 'x'.repeat(2000) }))
    expect(r.status).toBe(413)
  })

  it('with scalarFieldFilter "ignored", a bare DynamicField_<Name>=value is ignored and every ticket comes back', async () => {
    const gi = await start('', { scalarFieldFilter: 'ignored' })
    const a = String((await gi.create(rawTicket(), customerArticle(), { DynamicField: { Name: 'DeskmoveSourceId', Value: 'hs:ticket:1' } })).json?.TicketID)
    const b = String((await gi.create(rawTicket(), customerArticle())).json?.TicketID)
    expect((await gi.search({ DynamicField_DeskmoveSourceId: 'hs:ticket:1' })).json).toEqual({ TicketID: [b, a] })
    expect((await gi.getWithBody('/Ticket', { SessionID: gi.sessionId, DynamicField_DeskmoveSourceId: { Equals: 'hs:ticket:1' } })).json).toEqual({ TicketID: [a] })
  })

  it('parses its own fault kinds beside the kit ones and refuses unknown kinds', async () => {
    expect(splitFaultSpec('crash=0.1,5xx=0.02,authfail=0.05')).toEqual({ own: { crash: 0.1, authfail: 0.05 }, kit: '5xx=0.02' })
    await expect(startZnunySim({ faults: 'explode=1' })).rejects.toThrow(/crash, authfail/)
    expect(() => splitFaultSpec('crash=2')).toThrow(/between 0 and 1/)
  })
})
