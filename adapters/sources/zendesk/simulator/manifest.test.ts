import { describe, expect, it } from 'vitest'
import { testSimProfile } from '../../../../src/testing/sim-profile.js'
import { cursorExportAll, get, useZendeskSim } from './sim.test-helpers.js'

const profile = testSimProfile(import.meta.url)
const sims = useZendeskSim()

describe(`Zendesk simulator manifest (${profile} profile)`, () => {
  it('holds exactly what the endpoints serve: tickets, comments, files, users, organisations', async () => {
    const sim = await sims.start({ tickets: 60, seed: 31, profile })
    const m = sim.manifest()
    expect(await (await fetch(`${sim.url}/_sim/manifest`)).json()).toEqual(m)
    const { items: tickets } = await cursorExportAll<{ id: number; status: string; tags: string[]; submitter_id: number; subject: string; description: string }>(sim, '/incremental/tickets/cursor.json', 'tickets')
    expect(tickets).toHaveLength(m.counts.tickets)
    const byId = new Map(tickets.map((t) => [t.id, t]))
    let comments = 0
    let voice = 0
    let publicComments = 0
    const files: number[] = []
    const inline: number[] = []
    for (const t of m.tickets) {
      const wire = byId.get(t.id)!
      expect(wire.status).toBe(t.status)
      expect(wire.tags).toEqual(t.tags)
      expect(wire.submitter_id).toBe(t.submitterId)
      if (t.scrubbed) expect(wire).toMatchObject({ subject: 'SCRUBBED', description: 'X', status: 'deleted' })
      if (t.deleted) continue
      const r = await get<{ comments: { id: number; type: string; public: boolean; attachments: { id: number; inline: boolean }[] }[] }>(sim, `/tickets/${t.id}/comments.json?include_inline_images=true`)
      expect(r.body.comments).toHaveLength(t.comments)
      expect(r.body.comments.map((c) => c.id)).toEqual(t.commentIds)
      comments += r.body.comments.length
      voice += r.body.comments.filter((c) => c.type !== 'Comment').length
      publicComments += r.body.comments.filter((c) => c.public).length
      for (const a of r.body.comments.flatMap((c) => c.attachments)) (a.inline ? inline : files).push(a.id)
    }
    expect({ comments, voice, publicComments }).toEqual({ comments: m.counts.comments, voice: m.counts.voiceComments, publicComments: m.counts.publicComments })
    expect(files.sort()).toEqual(Object.keys(m.attachments).map(Number).sort())
    expect(inline.sort()).toEqual(Object.keys(m.inlineImages).map(Number).sort())
    const { items: users } = await cursorExportAll<{ id: number; email: string | null; permanently_deleted?: boolean }>(sim, '/incremental/users/cursor.json', 'users')
    expect(users).toHaveLength(m.counts.users)
    expect(users.filter((u) => u.email === null)).toHaveLength(m.counts.usersWithoutEmail)
    expect(users.filter((u) => u.permanently_deleted)).toHaveLength(m.counts.deletedUsers)
    expect((await get<{ organizations: unknown[] }>(sim, '/organizations.json')).body.organizations).toHaveLength(m.counts.organizations)
    // The variety an extract must cope with is present.
    for (const k of ['archivedTickets', 'deletedTickets', 'scrubbedTickets', 'mergedTickets', 'ticketsWithSubmitterMinusOne', 'voiceComments', 'attachments', 'inlineImages', 'thumbnails', 'emojiImages', 'deletedUsers'] as const) {
      expect(m.counts[k], k).toBeGreaterThan(0)
    }
  })

  it('is deterministic by seed and starts fast with 2,000 tickets (the manifest is computed on first use)', async () => {
    const t0 = Date.now()
    const big = await sims.start({ tickets: 2000, seed: 5, profile })
    const first = await get<{ tickets: unknown[]; end_of_stream: boolean }>(big, '/incremental/tickets/cursor.json?start_time=0')
    expect(Date.now() - t0).toBeLessThan(5000)
    expect(first.body.tickets).toHaveLength(1000)
    expect(first.body.end_of_stream).toBe(false)
    const a = await sims.start({ tickets: 40, seed: 5, profile })
    const b = await sims.start({ tickets: 40, seed: 5, profile })
    const c = await sims.start({ tickets: 40, seed: 6, profile })
    const page = async (s: typeof a) => (await get(s, '/incremental/tickets/cursor.json?start_time=0')).text.replaceAll(s.url, '')
    expect(await page(a)).toBe(await page(b))
    expect(await page(a)).not.toBe(await page(c))
    expect(a.manifest().minimumRequests.commentsByTicketEvents).toBeLessThan(a.manifest().minimumRequests.commentsPerTicket)
  })
})
