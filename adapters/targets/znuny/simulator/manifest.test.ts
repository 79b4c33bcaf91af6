import { createHash } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { customerArticle, GiClient, rawTicket } from './gi-client.test-helpers.js'
import { startZnunySim, type ZnunySim, type ZnunySimManifest } from './server.js'

describe('/_sim/manifest', () => {
  let sim: ZnunySim | undefined
  afterEach(async () => {
    await sim?.close()
    sim = undefined
  })

  it('returns every ticket with articles, attachment hashes, dynamic fields, history and the mail queue', async () => {
    sim = await startZnunySim({ seed: 6 })
    const gi = new GiClient(sim)
    await gi.login()
    const bytes = Buffer.from([1, 2, 3, 250, 251])
    await gi.create(rawTicket({ Queue: 'Misc' }), customerArticle({ Attachment: { Filename: 'x.bin', ContentType: 'application/octet-stream', Content: bytes.toString('base64') } }), { DynamicField: { Name: 'DeskmoveSourceId', Value: 'hs:ticket:3' } })
    const res = await fetch(`${sim.url}/_sim/manifest`)
    const m = (await res.json()) as ZnunySimManifest
    expect(m.version).toBe('7.1')
    expect(m.tickets).toHaveLength(1)
    const [t] = m.tickets
    expect(t!.DynamicField).toContainEqual({ Name: 'DeskmoveSourceId', Value: 'hs:ticket:3' })
    expect(t!.Article[0]!.Attachment).toEqual([{ Filename: 'x.bin', ContentType: 'application/octet-stream', Disposition: 'attachment', Size: 5, Sha256: createHash('sha256').update(bytes).digest('hex') }])
    expect(t!.History.map((h) => h.HistoryType)).toEqual(['NewTicket', 'CustomerUpdate', 'TicketDynamicFieldUpdate', 'NewTicket', 'SendAutoReply'])
    expect(m.mailQueue).toEqual([expect.objectContaining({ recipient: 'jdoe@acme.test', articleId: t!.Article[1]!.ArticleID })])
    expect(m.customerUsers).toEqual([expect.objectContaining({ login: 'jdoe', customer_id: 'ACME' })])
    expect(m.customerUsers[0]).not.toHaveProperty('pw')
    // Reading the manifest is not API traffic.
    const stats = (await (await fetch(`${sim.url}/_sim/stats`)).json()) as { total: number }
    expect(stats.total).toBe(2)
  })

  it('keeps 4-byte characters when told the backing store is utf8mb4-clean (replaceFourByte: false)', async () => {
    sim = await startZnunySim({ replaceFourByte: false })
    const gi = new GiClient(sim)
    await gi.login()
    await gi.create(rawTicket({ Title: 'Party 🎉' }), customerArticle())
    expect((await sim.manifest()).tickets[0]!.Title).toBe('Party 🎉')
  })
})
