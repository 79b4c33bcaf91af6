import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { customerArticle, GiClient, rawExchange, rawTicket } from './gi-client.test-helpers.js'
import { startZnunySim, type ZnunySim } from './server.js'

// The simulator as a client meets it: each operation's happy path and the error shapes of znuny.md O2/O3.
describe('Znuny simulator operations', () => {
  let sim: ZnunySim
  let gi: GiClient
  const clock = new Date('2026-11-22T06:12:31Z')

  beforeAll(async () => {
    sim = await startZnunySim({ seed: 3, now: () => clock })
    gi = new GiClient(sim)
    await gi.login()
  })
  afterAll(() => sim?.close())

  describe('SessionCreate', () => {
    it('hands out a 32-character SessionID for the right password', async () => {
      const r = await gi.call('POST', '/Session', { UserLogin: sim.env.ZNUNY_USER, Password: sim.env.ZNUNY_PASSWORD })
      expect(r.status).toBe(200)
      expect(r.contentType).toBe('application/json; charset=UTF-8')
      expect(String(r.json?.SessionID)).toMatch(/^[A-Za-z0-9]{32}$/)
    })

    it('answers a wrong password with AuthFail inside HTTP 200', async () => {
      const r = await gi.call('POST', '/Session', { UserLogin: sim.env.ZNUNY_USER, Password: 'wrong' })
      expect(r.status).toBe(200)
      expect(r.json).toEqual({ Error: { ErrorCode: 'SessionCreate.AuthFail', ErrorMessage: 'SessionCreate: Authorization failing!' } })
    })

    it('answers a missing password with MissingParameter', async () => {
      const r = await gi.call('POST', '/Session', { UserLogin: sim.env.ZNUNY_USER })
      expect(r.json).toEqual({ Error: { ErrorCode: 'SessionCreate.MissingParameter', ErrorMessage: 'SessionCreate: Password parameter is missing!' } })
    })

    it('lets a customer user log in and SessionGet lists the session data as Key/Value pairs', async () => {
      const r = await gi.call('POST', '/Session', { CustomerUserLogin: 'jdoe', Password: sim.env.ZNUNY_PASSWORD })
      const got = await gi.call('GET', `/Session/${String(r.json?.SessionID)}`)
      expect(got.json?.SessionData).toContainEqual({ Key: 'UserLogin', Value: 'jdoe' })
    })
  })

  describe('TicketCreate', () => {
    it('creates a ticket with ids as strings and the observed stored values', async () => {
      const r = await gi.create(rawTicket(), customerArticle({ Attachment: [{ Content: 'SGVsbG8gYXR0YWNobWVudApsaW5lMgo=', ContentType: 'text/plain', Filename: 'att.txt' }] }))
      expect(r.json).toEqual({ TicketID: expect.stringMatching(/^\d+$/), TicketNumber: expect.stringMatching(/^2026112210\d{6}$/), ArticleID: expect.stringMatching(/^\d+$/) })
      const t = await gi.get(String(r.json?.TicketID))
      expect(t).toMatchObject({ TicketID: Number(r.json?.TicketID), Queue: 'Raw', State: 'new', StateType: 'new', Lock: 'unlock', Owner: 'root@localhost', CustomerID: 'ACME', CustomerUserID: 'jdoe', Type: 'Unclassified', Created: '2026-11-22 06:12:31', Age: 0 })
      const [a] = t.Article as Record<string, unknown>[]
      expect(a).toMatchObject({ To: 'Raw', From: 'John Doe <jdoe@acme.test>', SenderType: 'customer', SenderTypeID: '3', CommunicationChannelID: 1, IsVisibleForCustomer: 1, IncomingTime: Date.parse('2026-11-22T06:12:31Z') / 1000 })
      expect(a!.Attachment).toEqual([{ Content: 'SGVsbG8gYXR0YWNobWVudApsaW5lMgo=', ContentAlternative: '', ContentID: '', ContentType: 'text/plain', Disposition: 'attachment', FileID: '1', Filename: 'att.txt', FilesizeRaw: '23' }])
    })

    it('answers a number as ArticleID when the sender is an agent', async () => {
      const r = await gi.create(rawTicket(), customerArticle({ SenderType: 'agent', CommunicationChannel: 'Internal', IsVisibleForCustomer: 0 }))
      expect(typeof r.json?.ArticleID).toBe('number')
    })

    it('ignores create times and message headers: everything is "now"', async () => {
      const r = await gi.create(rawTicket({ Created: '2019-03-04 05:06:07', CreateTime: '2019-03-04 05:06:07' }), customerArticle({ CreateTime: '2019-03-04 05:06:07', IncomingTime: 1551675967, MessageID: '<x@acme.test>' }))
      const t = await gi.get(String(r.json?.TicketID))
      expect(t.Created).toBe('2026-11-22 06:12:31')
      expect((t.Article as Record<string, unknown>[])[0]).toMatchObject({ CreateTime: '2026-11-22 06:12:31', MessageID: '' })
    })

    it('stores the queue name as To and drops Cc without ArticleSend; From defaults to the customer user', async () => {
      const art = customerArticle({ To: 'support@acme.test', Cc: 'boss@acme.test' })
      delete art.From
      const t = await gi.get(String((await gi.create(rawTicket(), art)).json?.TicketID))
      expect((t.Article as Record<string, unknown>[])[0]).toMatchObject({ To: 'Raw', Cc: '', From: '"John Doe" <jdoe@acme.test>' })
    })

    it('stores HTML as plain text with the original as a hidden inline file-2', async () => {
      const r = await gi.create(rawTicket(), customerArticle({ Body: '<p>Hello html</p>', ContentType: 'text/html; charset=utf-8' }))
      const t = await gi.get(String(r.json?.TicketID))
      const a = (t.Article as Record<string, unknown>[])[0]!
      expect(a).toMatchObject({ Body: '\nHello html\n\n', ContentType: 'text/plain; charset=utf-8' })
      expect(a.Attachment).toBeUndefined()
      const withHtml = await gi.get(String(r.json?.TicketID), { AllArticles: 1, Attachments: 1, HTMLBodyAsAttachment: 1 })
      expect((withHtml.Article as Record<string, unknown>[])[0]!.Attachment).toEqual([expect.objectContaining({ Filename: 'file-2', ContentType: 'text/html; charset="utf-8"', Disposition: 'inline', Content: Buffer.from('<p>Hello html</p>').toString('base64') })])
    })

    it('silently drops per-article attachments without Filename or ContentType, but refuses such a top-level one', async () => {
      const r = await gi.create(rawTicket(), customerArticle({ Attachment: [{ Content: 'eA==', ContentType: 'text/plain' }, { Content: 'eA==', Filename: 'b.txt' }, { Content: 'eA==', ContentType: 'bogus', Filename: 'c.txt' }] }))
      const t = await gi.get(String(r.json?.TicketID))
      expect(((t.Article as Record<string, unknown>[])[0]!.Attachment as Record<string, unknown>[]).map((x) => [x.Filename, x.ContentType])).toEqual([['c.txt', 'bogus']])
      const top = await gi.create(rawTicket(), customerArticle(), { Attachment: [{ Content: 'eA==', ContentType: 'text/plain' }] })
      expect(top.json).toEqual({ Error: { ErrorCode: 'TicketCreate.MissingParameter', ErrorMessage: 'TicketCreate: Attachment->Filename  parameter is missing!' } })
    })

    it('turns 4-byte UTF-8 into U+FFFD in title, subject, body and file names; 2–3-byte characters survive', async () => {
      const r = await gi.create(rawTicket({ Title: 'Grüße 😀 日本' }), customerArticle({ Subject: 'Grüße 😀 日本', Body: 'Body 🎉', Attachment: [{ Content: '8J+YgA==', ContentType: 'text/plain', Filename: 'smile😀.txt' }] }))
      const t = await gi.get(String(r.json?.TicketID))
      const a = (t.Article as Record<string, unknown>[])[0]!
      expect([t.Title, a.Subject, a.Body]).toEqual(['Grüße \uFFFD 日本', 'Grüße \uFFFD 日本', 'Body \uFFFD'])
      // Binary content is untouched: the attachment still holds the emoji's four bytes.
      expect((a.Attachment as Record<string, unknown>[])[0]).toMatchObject({ Filename: 'smile\uFFFD.txt', Content: '8J+YgA==' })
    })

    it('sets ticket and article dynamic fields and shows them with DynamicFields=1 only', async () => {
      const r = await gi.create(rawTicket(), customerArticle(), { DynamicField: [{ Name: 'DeskmoveSourceId', Value: 'helpscout:ticket:42' }, { Name: 'DeskmoveTags', Value: ['vip', 'billing'] }, { Name: 'DeskmoveArticleSourceId', Value: 'thread-1' }] })
      const t = await gi.get(String(r.json?.TicketID))
      expect(t.DynamicField).toEqual(expect.arrayContaining([{ Name: 'DeskmoveSourceId', Value: 'helpscout:ticket:42' }, { Name: 'DeskmoveTags', Value: ['vip', 'billing'] }]))
      expect((t.Article as Record<string, unknown>[])[0]!.DynamicField).toEqual([{ Name: 'DeskmoveArticleSourceId', Value: 'thread-1' }])
      expect((await gi.get(String(r.json?.TicketID), {})).DynamicField).toBeUndefined()
    })

    it.each([
      ['no credentials', { Ticket: rawTicket(), Article: customerArticle() }, 'TicketCreate.MissingParameter', 'TicketCreate: UserLogin, CustomerUserLogin or SessionID is required!'],
      ['a bogus SessionID', { SessionID: 'nope', Ticket: rawTicket(), Article: customerArticle() }, 'TicketCreate.AuthFail', 'TicketCreate: User could not be authenticated!'],
      ['an unknown queue', { Ticket: rawTicket({ Queue: 'Nope' }), Article: customerArticle() }, 'TicketCreate.InvalidParameter', 'TicketCreate: Ticket->QueueID or Ticket->Queue parameter is invalid!'],
      ['an invalid state', { Ticket: rawTicket({ State: 'done' }), Article: customerArticle() }, 'TicketCreate.InvalidParameter', 'TicketCreate: Ticket->StateID or Ticket->State parameter is invalid!'],
      ['an unknown owner', { Ticket: rawTicket({ Owner: 'nobody' }), Article: customerArticle() }, 'TicketCreate.InvalidParameter', 'TicketCreate: Ticket->OwnerID or Ticket->Owner parameter is invalid!'],
      ['no Title', { Ticket: rawTicket({ Title: '' }), Article: customerArticle() }, 'TicketCreate.MissingParameter', 'TicketCreate: Ticket->Title parameter is missing!'],
      ['an unknown login as CustomerUser', { Ticket: rawTicket({ CustomerUser: 'nosuchlogin' }), Article: customerArticle() }, 'TicketCreate.InvalidParameter', 'TicketCreate: Ticket->CustomerUser parameter is invalid!'],
      ['an example.com CustomerUser', { Ticket: rawTicket({ CustomerUser: 'x@example.com' }), Article: customerArticle() }, 'TicketCreate.InvalidParameter', 'TicketCreate: Ticket->CustomerUser parameter is invalid!'],
      ['no Article', { Ticket: rawTicket() }, 'TicketCreate.MissingParameter', 'TicketCreate: Article parameter is missing or not valid!'],
      ['an empty Body', { Ticket: rawTicket(), Article: customerArticle({ Body: '' }) }, 'TicketCreate.MissingParameter', 'TicketCreate: Article->Body parameter is missing!'],
      ['no ContentType', { Ticket: rawTicket(), Article: customerArticle({ ContentType: undefined }) }, 'TicketCreate.MissingParameter', 'TicketCreate: Article->ContentType or Ticket->MimeType and Article->Charset parameters are required!'],
      ['a From at example.org', { Ticket: rawTicket(), Article: customerArticle({ From: 'a@example.org' }) }, 'TicketCreate.InvalidParameter', 'TicketCreate: Article->From parameter is invalid!'],
      ['a From without a domain', { Ticket: rawTicket(), Article: customerArticle({ From: 'znuny@localhost' }) }, 'TicketCreate.InvalidParameter', 'TicketCreate: Article->From parameter is invalid!'],
      ['ArticleSend without To', { Ticket: rawTicket(), Article: customerArticle({ ArticleSend: 1 }) }, 'TicketCreate.InvalidParameter', 'TicketCreate: Article->To parameter must be a valid email address when Article->ArticleSend is set!'],
      ['an unknown dynamic field', { Ticket: rawTicket(), Article: customerArticle(), DynamicField: { Name: 'Nope', Value: 'x' } }, 'TicketCreate.InvalidParameter', 'TicketCreate: DynamicField->Name parameter is invalid!'],
      ['a bad sender type', { Ticket: rawTicket(), Article: customerArticle({ SenderType: 'robot' }) }, 'TicketCreate.InvalidParameter', 'TicketCreate: Article->SenderTypeID or Ticket->SenderType parameter is invalid!'],
    ])('answers %s with the observed error in HTTP 200', async (_case, body, code, message) => {
      const withSession = 'SessionID' in body || _case === 'no credentials' ? body : { SessionID: gi.sessionId, ...body }
      const r = await gi.call('POST', '/Ticket', withSession)
      expect(r.status).toBe(200)
      expect(r.json).toEqual({ Error: { ErrorCode: code, ErrorMessage: message } })
    })

    it('stores a known customer user named by e-mail address (any case) under its login and company', async () => {
      const r = await gi.create(rawTicket({ CustomerUser: 'JDoe@Acme.test' }), customerArticle())
      expect(await gi.get(String(r.json?.TicketID), {})).toMatchObject({ CustomerUserID: 'jdoe', CustomerID: 'ACME' })
    })

    it('accepts UserLogin and Password on the call itself, and an unknown but valid e-mail as customer', async () => {
      const r = await gi.call('POST', '/Ticket', { UserLogin: sim.env.ZNUNY_USER, Password: sim.env.ZNUNY_PASSWORD, Ticket: rawTicket({ CustomerUser: 'new.person@acme.test' }), Article: customerArticle() })
      const t = await gi.get(String(r.json?.TicketID))
      expect(t).toMatchObject({ CustomerUserID: 'new.person@acme.test', CustomerID: '' })
    })
  })

  describe('transport', () => {
    it('answers malformed JSON with HTTP 500 plain text', async () => {
      const r = await gi.call('POST', '/Ticket', '{"Ticket":')
      expect([r.status, r.contentType.split(';')[0], r.text]).toEqual([500, 'text/plain', 'Error while decoding request content.'])
    })

    it('answers an unknown route or a wrong method with HTTP 500 naming the URI', async () => {
      const r = await gi.call('GET', '/Session')
      expect([r.status, r.text]).toEqual([500, "HTTP::REST Error while determine Operation for request URI '/Session'."])
    })

    it('closes the connection without any reply for an unknown web service', async () => {
      const url = sim.baseUrl.replace('GenericTicketConnectorREST', 'Nope')
      const wrong = { ...sim, baseUrl: url }
      expect(await rawExchange(wrong, 'POST', '/Session', '{}')).toBe('')
    })
  })
})
