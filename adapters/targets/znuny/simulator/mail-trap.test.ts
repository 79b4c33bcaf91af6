import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { customerArticle, GiClient, rawTicket } from './gi-client.test-helpers.js'
import { startZnunySim, type ZnunySim } from './server.js'

// znuny.md O5, row by row: what lands in mail_queue on the trap queue Misc (auto reply linked, agent1 watching)
// and on Raw, for TicketCreate and TicketUpdate inputs.
describe('mail trap: mail_queue rows as the real Znuny writes them', () => {
  let sim: ZnunySim
  let gi: GiClient

  beforeEach(async () => {
    sim = await startZnunySim({ seed: 9 })
    gi = new GiClient(sim)
    await gi.login()
  })
  afterEach(() => sim?.close())

  const misc = (extra: Record<string, unknown> = {}) => rawTicket({ Queue: 'Misc', ...extra })
  const mails = async () => (await sim.manifest()).mailQueue

  it.each([
    ['defaults: the auto reply', {}, {}, ['jdoe@acme.test']],
    ['HistoryType EmailCustomer: auto reply and the create notification to agent1', {}, { HistoryType: 'EmailCustomer' }, ['jdoe@acme.test', 'agent1@acme.test']],
    ['EmailCustomer + NoAgentNotify: the auto reply only', {}, { HistoryType: 'EmailCustomer', NoAgentNotify: 1 }, ['jdoe@acme.test']],
    ['Owner agent1: auto reply and the owner update notification', { Owner: 'agent1' }, {}, ['jdoe@acme.test', 'agent1@acme.test']],
    ['Owner = the session user: the auto reply only', { Owner: 'root@localhost' }, {}, ['jdoe@acme.test']],
    ['Responsible agent1: the auto reply only', { Responsible: 'agent1' }, {}, ['jdoe@acme.test']],
    ['a closed state: nothing', { State: 'closed successful' }, {}, []],
    ['AutoResponseType auto remove: nothing', {}, { AutoResponseType: 'auto remove' }, []],
    ['Owner agent1 + unlock + NoAgentNotify + auto remove: the owner notification still', { Owner: 'agent1', Lock: 'unlock' }, { NoAgentNotify: 1, AutoResponseType: 'auto remove' }, ['agent1@acme.test']],
    ['an internal note: the auto reply still goes to From', {}, { CommunicationChannel: 'Internal', IsVisibleForCustomer: 0 }, ['jdoe@acme.test']],
    ['ArticleSend: the article itself and the auto reply', {}, { ArticleSend: 1, To: 'jdoe@acme.test' }, ['jdoe@acme.test', 'jdoe@acme.test']],
  ])('TicketCreate on Misc, %s', async (_case, ticket, article, recipients) => {
    const r = await gi.create(misc(ticket), customerArticle(article))
    expect(r.json?.TicketID).toBeDefined()
    expect((await mails()).map((m) => m.recipient).sort()).toEqual([...recipients].sort())
  })

  it('an agent-written article: the auto reply goes to From with the customer user copied', async () => {
    await gi.create(misc(), customerArticle({ SenderType: 'agent', From: 'Agent Two <agent2@acme.test>' }))
    expect((await mails()).map((m) => m.recipient)).toEqual(['agent2@acme.test, jdoe@acme.test'])
  })

  it('the auto reply is a system article "[Ticket#…] RE: …" with SendAutoReply in the history', async () => {
    const r = await gi.create(misc({ Title: 'Printer on fire' }), customerArticle())
    const [t] = (await sim.manifest()).tickets
    const reply = t!.Article.find((a) => a.SenderType === 'system')
    expect(reply).toMatchObject({ Subject: `[Ticket#${String(r.json?.TicketNumber)}] RE: Printer on fire` })
    expect((await mails())[0]).toMatchObject({ articleId: reply!.ArticleID, subject: reply!.Subject })
    expect(t!.History.map((h) => h.HistoryType)).toContain('SendAutoReply')
  })

  it('ArticleSend rewrites the subject, appends the queue signature and generates a MessageID', async () => {
    const r = await gi.create(misc(), customerArticle({ ArticleSend: 1, To: 'jdoe@acme.test', Subject: 'Hello' }))
    const t = await gi.get(String(r.json?.TicketID))
    const sent = (t.Article as Record<string, unknown>[])[0]!
    expect(sent.Subject).toBe(`[Ticket#${String(r.json?.TicketNumber)}] Hello`)
    expect(String(sent.Body)).toMatch(/Your Znuny Team\n$/)
    expect(sent.MessageID).not.toBe('')
  })

  it('Owner given locks the ticket unless Lock is given', async () => {
    const locked = await gi.create(misc({ Owner: 'agent1' }), customerArticle({ AutoResponseType: 'auto remove' }))
    const unlocked = await gi.create(misc({ Owner: 'agent1', Lock: 'unlock' }), customerArticle({ AutoResponseType: 'auto remove' }))
    expect((await gi.get(String(locked.json?.TicketID), {})).Lock).toBe('lock')
    expect((await gi.get(String(unlocked.json?.TicketID), {})).Lock).toBe('unlock')
  })

  it('Raw with HistoryType EmailCustomer: nothing (no response linked, nobody watching)', async () => {
    await gi.create(rawTicket(), customerArticle({ HistoryType: 'EmailCustomer' }))
    expect(await mails()).toEqual([])
  })

  it('the zero-mail recipe keeps mail_queue empty on the trap queue, owner set afterwards included', async () => {
    const quiet = { NoAgentNotify: 1, AutoResponseType: 'auto remove' }
    const r = await gi.create(misc(), [customerArticle(quiet), customerArticle({ ...quiet, SenderType: 'agent', CommunicationChannel: 'Internal', IsVisibleForCustomer: 0 })])
    await gi.update(String(r.json?.TicketID), { Article: customerArticle({ ...quiet, HistoryType: 'FollowUp' }) })
    const closed = await gi.create(misc({ State: 'closed successful' }), customerArticle())
    await gi.update(String(closed.json?.TicketID), { Article: customerArticle({ NoAgentNotify: 1 }) })
    expect(await mails()).toEqual([])
  })

  describe('TicketUpdate on a Misc ticket owned by agent1', () => {
    let id: string
    beforeEach(async () => {
      id = String((await gi.create(misc({ Owner: 'agent1' }), customerArticle({ AutoResponseType: 'auto remove' }))).json?.TicketID)
      expect((await mails()).map((m) => m.subject)).toEqual([expect.stringContaining('Ticket owner update notification')])
    })
    const afterOwnerMail = async () => (await mails()).slice(1).map((m) => `${m.recipient}: ${m.subject.replace(/^\[Ticket#\d+\] /, '')}`)

    it('defaults (AddNote): the new note notification to agent1', async () => {
      await gi.update(id, { Article: customerArticle() })
      expect(await afterOwnerMail()).toEqual(['agent1@acme.test: Ticket new note notification'])
    })

    it('NoAgentNotify: nothing', async () => {
      await gi.update(id, { Article: customerArticle({ NoAgentNotify: 1 }) })
      expect(await afterOwnerMail()).toEqual([])
    })

    it('HistoryType FollowUp: the follow-up notification (locked)', async () => {
      await gi.update(id, { Article: customerArticle({ HistoryType: 'FollowUp' }) })
      expect(await afterOwnerMail()).toEqual(['agent1@acme.test: Ticket follow-up notification (locked)'])
    })
  })
})
