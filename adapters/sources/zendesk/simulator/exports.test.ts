import { describe, expect, it } from 'vitest'
import { testSimProfile } from '../../../../src/testing/sim-profile.js'
import { eventKeys } from './events.js'
import { decodeExportCursor, timeExportPages } from './exports.js'
import { ZdWorld } from './world.js'
import { cursorExportAll, get, useZendeskSim } from './sim.test-helpers.js'

const profile = testSimProfile(import.meta.url)
const sims = useZendeskSim()

interface Stamped { id: number; updated_at: string; generated_timestamp?: number; status?: string }
const seconds = (iso: string): number => Date.parse(iso) / 1000

describe(`Zendesk simulator incremental exports (${profile} profile)`, () => {
  it('serves every ticket (archived and deleted too) through the cursor export until end_of_stream, and keeps a cursor to resume from', async () => {
    const sim = await sims.start({ tickets: 140, seed: 4, profile })
    const { pages, items } = await cursorExportAll<Stamped>(sim, '/incremental/tickets/cursor.json', 'tickets')
    const m = sim.manifest()
    expect(items.map((t) => t.id).sort((a, b) => a - b)).toEqual(m.tickets.map((t) => t.id))
    expect(items.filter((t) => t.status === 'deleted').length).toBe(m.counts.deletedTickets)
    expect(m.counts.deletedTickets).toBeGreaterThan(0)
    expect(m.counts.archivedTickets).toBeGreaterThan(0)
    // Ordered by generated_timestamp, then id.
    const keys = items.map((t) => [t.generated_timestamp!, t.id] as const)
    expect(keys).toEqual([...keys].sort((a, b) => a[0] - b[0] || a[1] - b[1]))
    const last = pages.at(-1)!
    expect(Object.keys(last).sort()).toEqual(['after_cursor', 'after_url', 'before_cursor', 'before_url', 'end_of_stream', 'tickets'])
    expect(decodeExportCursor(last.after_cursor as string)).toEqual({ ts: keys.at(-1)![0], id: keys.at(-1)![1] })
    expect(Buffer.from(last.after_cursor as string, 'base64').toString()).toMatch(/^\d+\.0\|\|\d+\|$/)
    // Resuming from the kept cursor: nothing new, still end_of_stream, the same cursor to keep.
    const again = await get(sim, `/incremental/tickets/cursor.json?cursor=${encodeURIComponent(last.after_cursor as string)}`)
    expect(again.body).toMatchObject({ tickets: [], end_of_stream: true, after_cursor: last.after_cursor })
  })

  it('pages the cursor export by per_page and keeps per_page in after_url; it cannot side-load last_audits', async () => {
    const sim = await sims.start({ tickets: 30, profile })
    // A page that reaches the last record says end_of_stream at once, even on an exact multiple of per_page.
    const tens = await get<{ end_of_stream: boolean; after_url: string }>(sim, '/incremental/tickets/cursor.json?start_time=0&per_page=10')
    const second = await get<{ end_of_stream: boolean; after_url: string }>(sim, tens.body.after_url)
    const third = await get<{ tickets: unknown[]; end_of_stream: boolean }>(sim, second.body.after_url)
    expect([tens.body.end_of_stream, second.body.end_of_stream, third.body.end_of_stream, third.body.tickets.length]).toEqual([false, false, true, 10])
    expect((await get(sim, '/incremental/tickets/cursor.json?start_time=0&include=last_audits')).status).toBe(400)
    const loaded = await get<{ users: { id: number }[]; groups: unknown[] }>(sim, '/incremental/tickets/cursor.json?start_time=0&include=users,groups')
    expect(loaded.body.users.length).toBeGreaterThan(0)
    expect(loaded.body.groups.length).toBeGreaterThan(0)
    const { items: kept } = await cursorExportAll<Stamped>(sim, '/incremental/tickets/cursor.json', 'tickets')
    const noDeleted = await get<{ tickets: Stamped[] }>(sim, '/incremental/tickets/cursor.json?start_time=0&exclude_deleted=true')
    expect(noDeleted.body.tickets.some((t) => t.status === 'deleted')).toBe(false)
    expect(noDeleted.body.tickets.length).toBe(kept.filter((t) => t.status !== 'deleted').length)
    const first = await get(sim, '/incremental/tickets/cursor.json?start_time=0&per_page=7')
    expect((first.body.tickets as unknown[]).length).toBe(7)
    expect(first.body.end_of_stream).toBe(false)
    expect(first.body.after_url).toMatch(/\/api\/v2\/incremental\/tickets\/cursor\.json\?cursor=[^&]+&per_page=7$/)
    const next = await get(sim, first.body.after_url as string)
    expect((next.body.tickets as Stamped[])[0]!.id).not.toBe((first.body.tickets as Stamped[])[6]!.id)
  })

  it('never splits a second across time-based pages, and the last page\'s next_page returns its boundary records again', async () => {
    const sim = await sims.start({ tickets: 120, seed: 9, profile })
    const seen: Stamped[] = []
    let url = '/incremental/users.json?start_time=0&per_page=10'
    let page: Record<string, unknown>
    let pagesRead = 0
    for (;;) {
      page = (await get(sim, url)).body
      pagesRead++
      const users = page.users as Stamped[]
      expect(page.count).toBe(users.length)
      // A page grows past per_page rather than split the records of its last second.
      if (users.length > 10) expect(new Set(users.slice(9).map((u) => u.updated_at)).size).toBe(1)
      if (!page.end_of_stream) expect(page.end_time).toBe(seconds(users.at(-1)!.updated_at) + 1)
      seen.push(...users)
      if (page.end_of_stream) break
      expect(page.next_page).toMatch(/\/incremental\/users\?per_page=10&start_time=\d+$/)
      url = page.next_page as string
    }
    expect(pagesRead).toBeGreaterThan(3)
    expect(seen.some((u, i) => i > 0 && u.updated_at === seen[i - 1]!.updated_at)).toBe(true)
    expect(new Set(seen.map((u) => u.id)).size).toBe(seen.length)
    expect(seen.length).toBe(sim.manifest().counts.users)
    // The end_of_stream page: end_time is its last second, and next_page hands the boundary records back.
    const lastUsers = page.users as Stamped[]
    expect(page.end_time).toBe(seconds(lastUsers.at(-1)!.updated_at))
    const repeat = await get(sim, page.next_page as string)
    const boundary = lastUsers.filter((u) => u.updated_at === lastUsers.at(-1)!.updated_at).map((u) => u.id)
    expect((repeat.body.users as Stamped[]).map((u) => u.id)).toEqual(boundary)
    expect(repeat.body).toMatchObject({ end_of_stream: true, end_time: page.end_time, next_page: page.next_page })
  })

  it('exports organisations with .json next_page links and users without, as recorded', async () => {
    const sim = await sims.start({ tickets: 40, profile })
    const orgs = await get(sim, '/incremental/organizations.json?start_time=0')
    expect(orgs.body.next_page).toMatch(/\/incremental\/organizations\.json\?start_time=\d+$/)
    expect((orgs.body.organizations as unknown[]).length).toBe(sim.manifest().counts.organizations)
    const users = await get(sim, '/incremental/users?start_time=0')
    expect(users.body.next_page).toMatch(/\/incremental\/users\?start_time=\d+$/)
  })

  it('refuses a start_time inside the last minute and leaves out records changed in it', async () => {
    const probe = await sims.start({ tickets: 60, profile })
    const target = probe.manifest().tickets[30]!.id
    const { items } = await cursorExportAll<Stamped>(probe, '/incremental/tickets/cursor.json', 'tickets')
    const changedAt = items.find((t) => t.id === target)!.generated_timestamp!
    // A clock 30 s after that ticket changed: it is inside the one-minute window.
    let now = (changedAt + 30) * 1000
    const sim = await sims.start({ tickets: 60, profile, now: () => now })
    const recent = await get(sim, `/incremental/tickets/cursor.json?start_time=${changedAt}`)
    expect(recent.status).toBe(422)
    expect(recent.body).toMatchObject({ error: 'InvalidValue', description: expect.stringMatching(/Too recent start_time/), details: { start_time: [{ error: 'InvalidValue' }] } })
    const exported = async () => (await cursorExportAll<Stamped>(sim, '/incremental/tickets/cursor.json', 'tickets')).items.map((t) => t.id)
    const before = await exported()
    expect(before).not.toContain(target)
    expect(before.length).toBe(items.filter((t) => t.generated_timestamp! <= changedAt - 30).length)
    now += 60_000
    expect(await exported()).toContain(target)
    expect((await get(sim, '/incremental/users.json')).status).toBe(422)
  })

  it('streams every served comment as ticket events with include=comment_events, and only flags without it', async () => {
    const sim = await sims.start({ tickets: 50, seed: 3, profile })
    const events: { ticket_id: number; child_events: Record<string, unknown>[] }[] = []
    let url = '/incremental/ticket_events.json?start_time=0&include=comment_events&per_page=40'
    let pages = 0
    for (;;) {
      const r = await get(sim, url)
      pages++
      events.push(...(r.body.ticket_events as typeof events))
      if (r.body.end_of_stream) break
      expect(r.body.next_page).toContain('include=comment_events')
      url = r.body.next_page as string
    }
    const m = sim.manifest()
    expect(events.length).toBe(m.counts.comments)
    // The page count the manifest's minimum is computed with is the one a client meets.
    expect(pages).toBe(timeExportPages(eventKeys(new ZdWorld(3, 50, profile)), 40))
    const comments = events.map((e) => e.child_events[0]!)
    expect(comments.every((c) => c.event_type === 'Comment' && typeof c.public === 'boolean' && 'author_id' in c && 'html_body' in c)).toBe(true)
    const bare = await get(sim, '/incremental/ticket_events.json?start_time=0')
    const child = (bare.body.ticket_events as typeof events)[0]!.child_events[0]!
    expect(child).not.toHaveProperty('html_body')
    expect(child).toHaveProperty('comment_present', true)
  })
})
