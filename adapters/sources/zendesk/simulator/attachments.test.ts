import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { testSimProfile } from '../../../../src/testing/sim-profile.js'
import { get, useZendeskSim } from './sim.test-helpers.js'
import type { ZendeskSimulator } from './server.js'
import { fileToken } from './attachments.js'
import { ZdWorld } from './world.js'

const profile = testSimProfile(import.meta.url)
const sims = useZendeskSim()
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex')

interface Attachment { id: number; content_url: string; inline: boolean; size?: number; thumbnails: { id: number; content_url: string }[] }
interface Comment { attachments: Attachment[]; html_body: string }

async function comments(sim: ZendeskSimulator, ticketId: number, inline = false): Promise<Comment[]> {
  return (await get<{ comments: Comment[] }>(sim, `/tickets/${ticketId}/comments.json${inline ? '?include_inline_images=true' : ''}`)).body.comments
}

async function download(url: string): Promise<{ status: number; bytes: Buffer; location: string | null }> {
  const r = await fetch(url, { redirect: 'manual' })
  return { status: r.status, bytes: Buffer.from(await r.arrayBuffer()), location: r.headers.get('location') }
}

describe(`Zendesk simulator attachments (${profile} profile)`, () => {
  it('answers content_url with 302 to a signed link that serves the manifest\'s bytes until it expires, then 403', async () => {
    let now = Date.parse('2026-02-01T00:00:00Z')
    const sim = await sims.start({ tickets: 60, seed: 7, profile, linkTtlSeconds: 30, now: () => now })
    const m = sim.manifest()
    const ticket = m.tickets.find((t) => t.attachmentIds.length > 0)!
    const files = (await comments(sim, ticket.id)).flatMap((c) => c.attachments)
    expect(files.map((f) => f.id)).toEqual(ticket.attachmentIds)
    const file = files[0]!
    expect(new URL(file.content_url).pathname).toMatch(/^\/attachments\/token\/[0-9a-z]+\/$/)
    expect(sim.env.ZENDESK_ATTACHMENT_HOSTS!.split(',')).toContain(new URL(file.content_url).host)
    const hop = await download(file.content_url)
    expect(hop.status).toBe(302)
    expect(hop.location).toMatch(/\/zdusercontent\/attachment\/\d+\/[0-9a-z]+\?token=/)
    const ok = await download(hop.location!)
    expect(ok.status).toBe(200)
    expect(sha(ok.bytes)).toBe(m.attachments[String(file.id)]!.sha256)
    expect(ok.bytes.length).toBe(m.attachments[String(file.id)]!.size)
    now += 31_000
    const late = await download(hop.location!)
    expect(late.status).toBe(403)
    expect(late.bytes.toString()).toMatch(/expired/)
    // A forged or altered link is refused too; asking content_url again gives a fresh, working one.
    expect((await download(hop.location!.replace(/\.[0-9a-z]+$/, '.0'))).status).toBe(403)
    const fresh = await download(file.content_url)
    expect((await download(fresh.location!)).status).toBe(200)
    // Downloads are not API calls: they never use up the account budget.
    expect(sim.stats().byClass!.download!.throttled).toBe(0)
  })

  it('does not count downloads against the account budget', async () => {
    const sim = await sims.start({ tickets: 30, seed: 7, profile, rpm: 2 })
    const t = sim.manifest().tickets.find((x) => x.attachmentIds.length > 0)!
    const url = (await comments(sim, t.id)).flatMap((c) => c.attachments)[0]!.content_url
    // The comments read and this one spend the budget of two; the next API call is refused.
    expect((await get(sim, '/groups.json')).status).toBe(200)
    expect((await get(sim, '/groups.json')).status).toBe(429)
    for (let i = 0; i < 3; i++) {
      const hop = await download(url)
      expect(hop.status).toBe(302)
      expect((await download(hop.location!)).status).toBe(200)
    }
    expect(sim.stats().byClass).toMatchObject({ download: { requests: 6, throttled: 0 }, general: { throttled: 1 } })
  })

  it('keeps thumbnails inside thumbnails[], never as attachments, and lists inline images only on request', async () => {
    const sim = await sims.start({ tickets: 60, seed: 11, profile })
    const m = sim.manifest()
    const withThumb = m.tickets.find((t) => t.attachmentIds.some((id) => m.attachments[String(id)]!.contentType.startsWith('image/') && m.attachments[String(id)]!.size > 0))!
    const files = (await comments(sim, withThumb.id)).flatMap((c) => c.attachments)
    const thumbs = files.flatMap((f) => f.thumbnails)
    expect(thumbs.length).toBeGreaterThan(0)
    for (const t of thumbs) expect(m.attachments[String(t.id)]).toBeUndefined()
    const thumbHop = await download(thumbs[0]!.content_url)
    expect((await download(thumbHop.location!)).status).toBe(200)

    const inlineTicket = m.tickets.find((t) => t.inlineImageIds.length > 0)!
    const plain = await comments(sim, inlineTicket.id)
    expect(plain.flatMap((c) => c.attachments).some((a) => a.inline)).toBe(false)
    const withInline = await comments(sim, inlineTicket.id, true)
    const inline = withInline.flatMap((c) => c.attachments).filter((a) => a.inline)
    expect(inline.map((a) => a.id)).toEqual(inlineTicket.inlineImageIds)
    // The body shows the image by its content_url, on the account host.
    const body = withInline.map((c) => c.html_body).join('')
    expect(body).toContain(`<img src="${inline[0]!.content_url}"`)
    const img = await download((await download(inline[0]!.content_url)).location!)
    expect(sha(img.bytes)).toBe(m.inlineImages[String(inline[0]!.id)]!.sha256)
  })

  it('puts emoji on the static host, which is not an attachment host', async () => {
    const sim = await sims.start({ tickets: 60, seed: 12, profile })
    const m = sim.manifest()
    expect(m.counts.emojiImages).toBeGreaterThan(0)
    const hosts = sim.env.ZENDESK_ATTACHMENT_HOSTS!.split(',')
    let found = 0
    for (const t of m.tickets.filter((x) => !x.deleted && x.submitterId === -1).slice(0, 20)) {
      for (const c of await comments(sim, t.id)) {
        for (const src of [...c.html_body.matchAll(/<img src="([^"]+)"/g)].map((x) => x[1]!)) {
          if (!src.includes('/emojis/')) continue
          found++
          expect(hosts).not.toContain(new URL(src).host)
        }
      }
    }
    expect(found).toBeGreaterThan(0)
  })

  it('answers 404 for unknown tokens and for files of deleted tickets', async () => {
    const sim = await sims.start({ tickets: 200, seed: 13, profile })
    expect((await download(`${sim.url}/attachments/token/0000000012345/?name=x.png`)).status).toBe(404)
    expect((await get(sim, '/attachments/1.json')).status).toBe(404)
    // The same generated account outside the server: a deleted ticket whose comments had files.
    const world = new ZdWorld(13, 200, profile)
    const index = Array.from({ length: 200 }, (_, i) => i).find((i) => world.header(i).deleted && world.comments(i).some((c) => c.files.length > 0))!
    const file = world.comments(index).flatMap((c) => c.files)[0]!
    expect((await download(`${sim.url}/attachments/token/${fileToken(13, file.id)}/?name=x`)).status).toBe(404)
    expect((await get(sim, `/attachments/${file.id}.json`)).status).toBe(404)
    const live = sim.manifest().tickets.find((t) => t.attachmentIds.length > 0)!
    expect((await get(sim, `/attachments/${live.attachmentIds[0]}.json`)).body).toMatchObject({ attachment: { id: live.attachmentIds[0] } })
  })
})
