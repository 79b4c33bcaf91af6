import { describe, expect, it } from 'vitest'
import { testSimProfile } from '../../../../src/testing/sim-profile.js'
import { cursorExportAll, get, useZendeskSim } from './sim.test-helpers.js'

const profile = testSimProfile(import.meta.url)
const sims = useZendeskSim()

describe(`Zendesk simulator changes between runs (${profile} profile)`, () => {
  it('serves only what changed after the kept cursor: touched tickets with their new reply, touched users', async () => {
    let now = Date.parse('2026-03-01T12:00:00Z')
    const sim = await sims.start({ tickets: 80, seed: 14, profile, now: () => now })
    const before = sim.manifest()
    const first = await cursorExportAll<{ id: number }>(sim, '/incremental/tickets/cursor.json', 'tickets')
    const cursor = first.pages.at(-1)!.after_cursor as string
    const users = await get(sim, '/incremental/users.json?start_time=0')
    expect(users.body.end_of_stream).toBe(true)

    // Activity two minutes ago (outside the one-minute window): three replies and one user's update.
    const user = before.tickets[20]!.requesterId
    const r = await fetch(`${sim.url}/_sim/touch?count=3&reply=1&users=${user}&age=120`, { method: 'POST' })
    const touched = (await r.json()) as { tickets: number[]; users: number[]; refused: number[] }
    expect(touched.tickets).toHaveLength(3)
    expect(touched.users).toEqual([user])

    const delta = await get<{ tickets: { id: number; status: string; updated_at: string }[]; end_of_stream: boolean }>(sim, `/incremental/tickets/cursor.json?cursor=${encodeURIComponent(cursor)}`)
    expect(delta.body.tickets.map((t) => t.id).sort()).toEqual([...touched.tickets].sort())
    expect(delta.body.end_of_stream).toBe(true)
    for (const t of delta.body.tickets) {
      expect(t.status).toBe('open')
      expect(Date.parse(t.updated_at)).toBe(Math.floor(now / 1000) * 1000 - 120_000)
      const comments = await get<{ comments: { author_id: number; body: string }[] }>(sim, `/tickets/${t.id}/comments.json`)
      expect(comments.body.comments.at(-1)!.body).toMatch(/Any news on this\?/)
      expect(comments.body.comments).toHaveLength(before.tickets.find((x) => x.id === t.id)!.comments + 1)
    }
    const userDelta = await get<{ users: { id: number }[] }>(sim, users.body.next_page as string)
    expect(userDelta.body.users.map((u) => u.id)).toContain(user)
    expect(sim.manifest().counts.comments).toBe(before.counts.comments + 3)

    // A change made just now stays inside the window for a minute.
    const fresh = sim.touch({ count: 1 })
    const cursor2 = encodeURIComponent((await cursorExportAll(sim, '/incremental/tickets/cursor.json', 'tickets')).pages.at(-1)!.after_cursor as string)
    expect((await get<{ tickets: unknown[] }>(sim, `/incremental/tickets/cursor.json?cursor=${cursor2}`)).body.tickets).toHaveLength(0)
    now += 61_000
    expect((await get<{ tickets: { id: number }[] }>(sim, `/incremental/tickets/cursor.json?cursor=${cursor2}`)).body.tickets.map((t) => t.id)).toEqual(fresh.tickets)
  })

  it('refuses to change closed or deleted tickets, which Zendesk does not reopen', async () => {
    const sim = await sims.start({ tickets: 40, profile })
    const m = sim.manifest()
    const closed = m.tickets.find((t) => t.status === 'closed')!.id
    const deleted = m.tickets.find((t) => t.deleted)!.id
    expect(sim.touch({ ticketIds: [closed, deleted], reply: true })).toEqual({ tickets: [], users: [], refused: [closed, deleted] })
    expect((await fetch(`${sim.url}/_sim/touch`)).status).toBe(405)
  })
})
