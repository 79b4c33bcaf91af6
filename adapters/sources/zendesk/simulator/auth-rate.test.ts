import { describe, expect, it } from 'vitest'
import { testSimProfile } from '../../../../src/testing/sim-profile.js'
import { get, useZendeskSim } from './sim.test-helpers.js'

const profile = testSimProfile(import.meta.url)
const sims = useZendeskSim()
const basic = (user: string, secret: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}` })

describe(`Zendesk simulator auth and rate limits (${profile} profile)`, () => {
  it('answers /users/me with 200 and an anonymous user (id null) for wrong or missing credentials, 401 elsewhere', async () => {
    const sim = await sims.start({ tickets: 10, profile })
    for (const headers of [{}, basic(`${sim.env.ZENDESK_EMAIL}/token`, 'wrong'), basic(sim.env.ZENDESK_EMAIL!, sim.env.ZENDESK_API_TOKEN!), { authorization: 'Bearer nope' }]) {
      const me = await get<{ user: { id: number | null; url: string | null } }>(sim, '/users/me.json', headers)
      expect(me.status).toBe(200)
      expect(me.body.user).toMatchObject({ id: null, url: null })
      // How a client recognises a Zendesk host even without valid credentials.
      expect(me.headers.get('x-zendesk-api-version')).toBe('v2')
      const groups = await get(sim, '/groups.json', headers)
      expect(groups.status).toBe(401)
      expect(groups.body).toEqual({ error: "Couldn't authenticate you" })
    }
    const me = await get<{ user: { id: number; role: string } }>(sim, '/users/me')
    expect(me.body.user).toMatchObject({ role: 'admin' })
    expect(me.body.user.id).toBeGreaterThan(0)
    const bearer = await get<{ user: { id: number } }>(sim, '/users/me.json', { authorization: `Bearer ${sim.oauthToken}` })
    expect(bearer.body.user.id).toBe(me.body.user.id)
  })

  it('sends the account limit in the spellings Zendesk has used, and a structured header on the tickets index', async () => {
    const sim = await sims.start({ tickets: 10, profile, rpm: 700 })
    const r = await get(sim, '/groups.json')
    expect(r.headers.get('x-rate-limit')).toBe('700')
    expect(r.headers.get('x-rate-limit-remaining')).toBe('699')
    const modern = profile === 'full'
    expect(r.headers.get(modern ? 'ratelimit-limit' : 'rate-limit')).toBe('700')
    expect(r.headers.get(modern ? 'ratelimit-remaining' : 'rate-limit-remaining')).toBe('699')
    expect(Number(r.headers.get(modern ? 'ratelimit-reset' : 'rate-limit-reset'))).toBeGreaterThan(0)
    const index = await get(sim, '/tickets.json')
    expect(index.headers.get(modern ? 'zendesk-ratelimit-tickets-index' : 'zendesk-rate-limit-tickets-index')).toMatch(/^total=100; remaining=99; resets=\d+$/)
  })

  it('keeps the exports\' 10 requests/minute apart from the account budget; a 429 has Retry-After and a plain-text body', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z')
    const sim = await sims.start({ tickets: 10, profile, rpm: 700, now: () => now })
    for (let i = 0; i < 10; i++) expect((await get(sim, '/incremental/organizations.json?start_time=0')).status).toBe(200)
    const refused = await get(sim, '/incremental/tickets/cursor.json?start_time=0')
    expect(refused.status).toBe(429)
    expect(Number(refused.headers.get('retry-after'))).toBe(60)
    expect(refused.headers.get('content-type')).toMatch(/^text\/plain/)
    expect(refused.text).toMatch(/Rate limit exceeded/)
    // The rest of the API is unaffected; the account budget counted the ten exports but not the refused one.
    const other = await get(sim, '/groups.json')
    expect(other.status).toBe(200)
    expect(other.headers.get('x-rate-limit-remaining')).toBe('689')
    now += 61_000
    expect((await get(sim, '/incremental/users.json?start_time=0')).status).toBe(200)
    const stats = sim.stats()
    expect(stats.throttledByRoute).toEqual({ 'GET /api/v2/incremental/tickets/cursor': 1 })
    expect(stats.byClass).toEqual({ export: { requests: 12, throttled: 1 }, general: { requests: 1, throttled: 0 } })
    expect(stats.requests['GET /api/v2/incremental/organizations']).toBe(10)
  })

  it('refuses the account budget with 429 and Retry-After when --rpm is spent', async () => {
    const sim = await sims.start({ tickets: 10, profile, rpm: 3 })
    for (let i = 0; i < 3; i++) expect((await get(sim, '/brands.json')).status).toBe(200)
    const r = await get(sim, '/brands.json')
    expect(r.status).toBe(429)
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(sim.stats().throttled).toBe(1)
  })
})
