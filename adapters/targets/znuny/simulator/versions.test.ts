import { afterEach, describe, expect, it } from 'vitest'
import { customerArticle, GiClient, rawTicket } from './gi-client.test-helpers.js'
import { startZnunySim, type ZnunySim } from './server.js'
import type { ZnunyVersion } from './ticket-create.js'

const note = (n: number) => ({ CommunicationChannel: 'Internal', SenderType: 'agent', IsVisibleForCustomer: 0, Subject: `note ${n}`, Body: `note ${n}`, ContentType: 'text/plain; charset=utf-8' })

/** The probe the server documents: nothing is created, the answer tells arrays apart. */
const probe = (gi: GiClient) => gi.create({ Title: 'deskmove version probe' }, [note(1)])

describe('Znuny versions: Article arrays', () => {
  let sim: ZnunySim | undefined
  afterEach(() => sim?.close())

  async function start(version: ZnunyVersion): Promise<GiClient> {
    sim = await startZnunySim({ version })
    const gi = new GiClient(sim)
    await gi.login()
    return gi
  }

  it('7.1 creates every article of an array in order, with per-article attachments, in one call', async () => {
    const gi = await start('7.1')
    const r = await gi.create(rawTicket(), [customerArticle({ Attachment: { Filename: 'a.txt', ContentType: 'text/plain', Content: 'YQ==' } }), note(1), note(2)])
    expect(r.json?.ArticleID).toEqual([expect.any(String), expect.any(Number), expect.any(Number)])
    const t = await gi.get(String(r.json?.TicketID))
    const articles = t.Article as Record<string, unknown>[]
    expect(articles.map((a) => a.Subject)).toEqual(['Printer broken', 'note 1', 'note 2'])
    expect(articles.map((a) => a.ArticleID)).toEqual((r.json?.ArticleID as unknown[]).map(Number))
    expect((articles[0]!.Attachment as Record<string, unknown>[]).map((a) => a.Filename)).toEqual(['a.txt'])
    expect(articles[1]!.Attachment).toBeUndefined()
  })

  it('7.1 copies a top-level Attachment onto every article of the call', async () => {
    const gi = await start('7.1')
    const r = await gi.create(rawTicket(), [customerArticle(), note(1)], { Attachment: { Filename: 'all.txt', ContentType: 'text/plain', Content: 'YQ==' } })
    const t = await gi.get(String(r.json?.TicketID))
    expect((t.Article as Record<string, unknown>[]).map((a) => (a.Attachment as Record<string, unknown>[]).map((x) => x.Filename))).toEqual([['all.txt'], ['all.txt']])
  })

  it('7.1 takes arrays in TicketUpdate too', async () => {
    const gi = await start('7.1')
    const id = String((await gi.create(rawTicket(), customerArticle())).json?.TicketID)
    const r = await gi.update(id, { Article: [note(1), note(2)] })
    expect(r.json?.ArticleID).toEqual([expect.any(Number), expect.any(Number)])
  })

  it.each(['7.0', '6.5'] as const)('%s refuses an Article array and takes the rest through TicketUpdate', async (version) => {
    const gi = await start(version)
    const refused = await gi.create(rawTicket(), [customerArticle(), note(1)])
    expect(refused.json).toEqual({ Error: { ErrorCode: 'TicketCreate.MissingParameter', ErrorMessage: 'TicketCreate: Article parameter is missing or not valid!' } })
    const r = await gi.create(rawTicket(), customerArticle())
    expect((await gi.update(String(r.json?.TicketID), { Article: [note(1)] })).json?.Error).toMatchObject({ ErrorCode: 'TicketUpdate.InvalidParameter' })
    await gi.update(String(r.json?.TicketID), { Article: note(1) })
    const t = await gi.get(String(r.json?.TicketID))
    expect((t.Article as Record<string, unknown>[]).map((a) => a.Subject)).toEqual(['Printer broken', 'note 1'])
  })

  it('serves the web service under /znuny/ and as WebserviceID 1 as well', async () => {
    const gi = await start('7.1')
    for (const base of [sim!.baseUrl.replace('/otrs/', '/znuny/'), sim!.baseUrl.replace('Webservice/GenericTicketConnectorREST', 'WebserviceID/1')]) {
      const r = await fetch(`${base}/Session`, { method: 'POST', body: JSON.stringify({ UserLogin: sim!.env.ZNUNY_USER, Password: sim!.env.ZNUNY_PASSWORD }) })
      expect(Object.keys((await r.json()) as object)).toEqual(['SessionID'])
    }
    expect(gi.sessionId).not.toBe('')
  })

  describe('detecting the version without writing anything', () => {
    it.each([
      ['7.1', 'TicketCreate: Ticket->CustomerUser parameter is missing!'],
      ['7.0', 'TicketCreate: Article parameter is missing or not valid!'],
      ['6.5', 'TicketCreate: Article parameter is missing or not valid!'],
    ] as const)('%s answers the probe with "%s"', async (version, message) => {
      const gi = await start(version)
      const r = await probe(gi)
      expect(r.json).toEqual({ Error: { ErrorCode: 'TicketCreate.MissingParameter', ErrorMessage: message } })
      expect((await sim!.manifest()).tickets).toEqual([])
    })
  })
})
