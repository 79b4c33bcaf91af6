// The Zendesk-shaped simulator's own behaviour: what the example source's tests lean on.
import { afterEach, describe, expect, it } from 'vitest'
import { startZendeskLikeSimulator, type ZendeskLikeSimulator } from './zendesk-like-simulator.js'

const auth = { authorization: `Basic ${Buffer.from('agent1@vendor.example/token:sim-token').toString('base64')}` }
let sim: ZendeskLikeSimulator | null = null
afterEach(async () => {
  await sim?.close()
  sim = null
})

describe('Zendesk-shaped simulator', () => {
  it('refuses requests without API-token basic auth, but serves signed links without it until they expire', async () => {
    let t = Date.parse('2026-01-01T00:00:00Z')
    sim = await startZendeskLikeSimulator({ seed: 2, tickets: 40, linkTtlMs: 1000, now: () => t })
    expect((await fetch(`${sim.baseUrl}/users/me.json`)).status).toBe(401)
    expect((await fetch(`${sim.baseUrl}/users/me.json`, { headers: { authorization: 'Bearer x' } })).status).toBe(401)
    const ticket = sim.manifest().tickets.find((x) => x.attachments.length > 0)!
    const comments = async () => {
      const pages: { comments: { attachments: { id: number; content_url: string }[] }[] }[] = []
      let url: string | null = `${sim!.baseUrl}/tickets/${ticket.id}/comments.json`
      while (url) {
        const body = (await (await fetch(url, { headers: auth })).json()) as { comments: never[]; links: { next: string | null } }
        pages.push(body)
        url = body.links.next
      }
      return pages.flatMap((p) => p.comments).flatMap((c) => c.attachments)
    }
    const files = await comments()
    expect(files.map((f) => f.id)).toEqual(ticket.attachments.map((a) => a.id))
    const link = files[0]!.content_url
    const ok = await fetch(link)
    expect(ok.status).toBe(200)
    expect(Buffer.from(await ok.arrayBuffer()).length).toBe(ticket.attachments[0]!.size)
    expect((await fetch(link.replace(/signature=\w+/, 'signature=0'))).status).toBe(403)
    t += 2_000
    const expired = await fetch(link)
    expect(expired.status).toBe(403)
    expect(await expired.text()).toContain('<Code>AccessDenied</Code><Message>Request has expired</Message>')
    // Re-reading the ticket's comments gives a fresh link that works.
    expect((await fetch((await comments())[0]!.content_url)).status).toBe(200)
    expect((await fetch(`${sim.baseUrl}/tickets/9999/comments.json`, { headers: auth })).status).toBe(404)
  })

  it('exports tickets updated since start_time by cursor, ending with end_of_stream and a cursor to go on from', async () => {
    sim = await startZendeskLikeSimulator({ seed: 2, tickets: 25, pageSize: 10 })
    const since = Date.parse('2025-01-01T10:00:00Z') / 1000
    const ids: number[] = []
    let page = (await (await fetch(`${sim.baseUrl}/incremental/tickets/cursor.json?start_time=${since}`, { headers: auth })).json()) as { tickets: { id: number }[]; after_cursor: string; end_of_stream: boolean }
    ids.push(...page.tickets.map((x) => x.id))
    while (!page.end_of_stream) {
      page = (await (await fetch(`${sim.baseUrl}/incremental/tickets/cursor.json?cursor=${page.after_cursor}`, { headers: auth })).json()) as typeof page
      ids.push(...page.tickets.map((x) => x.id))
    }
    // Ticket i is updated within the hour after 00:00 + i hours: tickets 10..24 (ids 1011..1025) qualify.
    expect(ids).toEqual(Array.from({ length: 15 }, (_, i) => 1011 + i))
    const after = (await (await fetch(`${sim.baseUrl}/incremental/tickets/cursor.json?cursor=${page.after_cursor}`, { headers: auth })).json()) as typeof page
    expect(after).toMatchObject({ tickets: [], end_of_stream: true })
  })
})
