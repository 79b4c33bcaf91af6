import { describe, expect, it } from 'vitest'
import { testSimProfile } from '../../../../src/testing/sim-profile.js'
import { cursorExportAll, get, useZendeskSim } from './sim.test-helpers.js'

const profile = testSimProfile(import.meta.url)
const sims = useZendeskSim()

interface Cbp { meta: { has_more: boolean; after_cursor: string | null; before_cursor: string | null }; links: { next: string | null; prev: string | null } }

describe(`Zendesk simulator lists and single reads (${profile} profile)`, () => {
  it('pages comments by cursor: has_more false on the last page while links.next is still set; past the end, an empty page with null cursors', async () => {
    const sim = await sims.start({ tickets: 80, seed: 2, profile })
    const t = sim.manifest().tickets.find((x) => x.comments >= 5 && !x.deleted)!
    const ids: number[] = []
    let url: string = `/tickets/${t.id}/comments.json?page[size]=2`
    let page: Cbp & { comments: { id: number }[] }
    for (;;) {
      page = (await get<typeof page>(sim, url)).body
      ids.push(...page.comments.map((c) => c.id))
      if (!page.meta.has_more) break
      url = page.links.next!
    }
    expect(ids.length).toBe(t.comments)
    expect(page.links.next).not.toBeNull()
    expect(page.meta.after_cursor).not.toBeNull()
    const past = await get<typeof page>(sim, page.links.next!)
    expect(past.body).toEqual({ comments: [], meta: { has_more: false, after_cursor: null, before_cursor: null }, links: { prev: null, next: null } })
    const withUsers = await get<{ comments: { author_id: number }[]; users: { id: number }[] }>(sim, `/tickets/${t.id}/comments.json?include=users`)
    const authors = new Set(withUsers.body.comments.map((c) => c.author_id))
    expect(withUsers.body.users.every((u) => authors.has(u.id))).toBe(true)
    expect(withUsers.body.users.length).toBe([...authors].filter((a) => !sim.manifest().missingUserIds.includes(a)).length)
    // Without page[size], the offset envelope with a total.
    const offset = await get(sim, `/tickets/${t.id}/comments.json`)
    expect(offset.body).toMatchObject({ next_page: null, previous_page: null, count: t.comments })
  })

  it('refuses offset pagination past the first 100 pages / 10,000 records with 400, as Zendesk does since 2024', async () => {
    const sim = await sims.start({ tickets: 40, profile })
    expect((await get(sim, '/users.json?page=100&per_page=100')).status).toBe(200)
    const refused = await get(sim, '/users.json?page=101&per_page=100')
    expect(refused.status).toBe(400)
    expect(refused.body).toMatchObject({ error: 'InvalidPaginationParameter' })
    expect((await get(sim, '/organizations.json?page=1001&per_page=10')).status).toBe(400)
    // Cursor paging is not limited.
    expect((await get(sim, '/users.json?page[size]=100')).status).toBe(200)
    const first = await get<{ users: unknown[]; next_page: string; count: number }>(sim, '/users.json?per_page=5')
    expect(first.body.users).toHaveLength(5)
    expect(first.body.next_page).toMatch(/page=2/)
    expect(first.body.count).toBe(sim.manifest().counts.users - sim.manifest().counts.deletedUsers)
  })

  it('lists neither archived nor deleted tickets, shows archived ones by id, and 404s deleted ones outside the export', async () => {
    const sim = await sims.start({ tickets: 150, seed: 5, profile })
    const m = sim.manifest()
    const listed: number[] = []
    let url: string | null = '/tickets.json?page[size]=100'
    while (url) {
      const r: { body: Cbp & { tickets: { id: number }[] } } = await get(sim, url)
      listed.push(...r.body.tickets.map((t) => t.id))
      url = r.body.meta.has_more ? r.body.links.next : null
    }
    expect(listed.sort((a, b) => a - b)).toEqual(m.tickets.filter((t) => !t.archived && !t.deleted).map((t) => t.id))
    const archived = m.tickets.find((t) => t.archived)!
    const shown = await get<{ ticket: { id: number; status: string } }>(sim, `/tickets/${archived.id}.json`)
    expect(shown.body.ticket).toMatchObject({ id: archived.id, status: 'closed' })
    expect((await get(sim, `/tickets/${archived.id}/comments.json`)).status).toBe(200)
    const deleted = m.tickets.find((t) => t.deleted)!
    for (const path of [`/tickets/${deleted.id}.json`, `/tickets/${deleted.id}/comments.json`, `/tickets/${deleted.id}/tags.json`]) {
      const r = await get(sim, path)
      expect(r.status).toBe(404)
      expect(r.body).toEqual({ error: 'RecordNotFound', description: 'Not found' })
    }
  })

  it('answers 404 RecordNotFound for users that no longer exist, and show_many leaves them out', async () => {
    const sim = await sims.start({ tickets: 80, seed: 6, profile })
    const m = sim.manifest()
    expect(m.missingUserIds.length).toBeGreaterThan(0)
    for (const id of m.missingUserIds) expect((await get(sim, `/users/${id}.json`)).status).toBe(404)
    const t = m.tickets.find((x) => !m.missingUserIds.includes(x.requesterId))!
    const many = await get<{ users: { id: number }[] }>(sim, `/users/show_many.json?ids=${t.requesterId},${m.missingUserIds.join(',')}`)
    expect(many.body.users.map((u) => u.id)).toEqual([t.requesterId])
    expect((await get(sim, `/users/${t.requesterId}`)).status).toBe(200)
  })

  it('serves the catalogue, tags, side-loads and merged tickets', async () => {
    const sim = await sims.start({ tickets: 40, seed: 8, profile })
    const m = sim.manifest()
    for (const [path, key, n] of [['/groups.json', 'groups', 4], ['/brands.json', 'brands', 2], ['/ticket_forms.json', 'ticket_forms', 2], ['/ticket_fields.json', 'ticket_fields', m.counts.ticketFields], ['/user_fields.json', 'user_fields', 4], ['/organization_fields.json', 'organization_fields', 3]] as const) {
      const r = await get<Record<string, unknown[]>>(sim, path)
      expect(r.body[key]).toHaveLength(n)
    }
    const memberships = (await get<{ group_memberships: { user_id: number; group_id: number }[] }>(sim, '/group_memberships.json')).body.group_memberships
    const agents = (await get<{ users: { id: number }[] }>(sim, '/users.json?role[]=agent&role[]=admin')).body.users.map((u) => u.id)
    expect(new Set(memberships.map((x) => x.user_id))).toEqual(new Set(agents))
    const { items: exported } = await cursorExportAll<{ id: number; via: { channel: string }; requester_id: number; satisfaction_rating: { score: string } | null }>(sim, '/incremental/tickets/cursor.json', 'tickets')
    const ratings = (await get<{ satisfaction_ratings: { ticket_id: number; score: string }[] }>(sim, '/satisfaction_ratings.json')).body.satisfaction_ratings
    expect(ratings.map((r) => [r.ticket_id, r.score])).toEqual(exported.filter((t) => t.satisfaction_rating).sort((a, b) => a.id - b.id).map((t) => [t.id, t.satisfaction_rating!.score]))
    const social = exported.find((t) => t.via.channel === 'twitter' && !m.missingUserIds.includes(t.requester_id))!
    const ids = await get<{ identities: { type: string; primary: boolean }[] }>(sim, `/users/${social.requester_id}/identities.json`)
    expect(ids.body.identities).toEqual([expect.objectContaining({ type: 'twitter', primary: true })])
    const tagged = m.tickets.find((t) => t.tags.length > 0 && !t.deleted)!
    expect((await get(sim, `/tickets/${tagged.id}/tags.json`)).body).toEqual({ tags: tagged.tags })
    const show = await get<{ ticket: { requester_id: number }; users: { id: number }[]; groups: unknown[] }>(sim, `/tickets/${tagged.id}.json?include=users,groups`)
    if (!m.missingUserIds.includes(show.body.ticket.requester_id)) expect(show.body.users.map((u) => u.id)).toContain(show.body.ticket.requester_id)
    const merged = m.tickets.find((t) => t.mergedInto !== null)!
    expect(merged).toMatchObject({ status: 'closed' })
    expect(merged.tags).toContain('closed_by_merge')
    const notes = await get<{ comments: { via: { source: { rel: string | null } }; public: boolean }[] }>(sim, `/tickets/${merged.mergedInto}/comments.json`)
    expect(notes.body.comments.some((c) => c.via.source.rel === 'merge' && !c.public)).toBe(true)
  })
})
