import { describe, expect, it } from 'vitest'
import { testSimProfile } from '../../../../src/testing/sim-profile.js'
import { resolveZendeskOptions } from './options.js'
import { basicAuth, get, useZendeskSim } from './sim.test-helpers.js'

const profile = testSimProfile(import.meta.url)
const sims = useZendeskSim()

describe(`Zendesk simulator faults (${profile} profile)`, () => {
  it('hands out already-expired signed links under the expired fault, so a client must ask content_url again', async () => {
    const sim = await sims.start({ tickets: 40, seed: 2, profile, faults: 'expired=1' })
    const t = sim.manifest().tickets.find((x) => x.attachmentIds.length > 0)!
    // The expired fault hits the API reads too (counted, no effect there): those still answer normally.
    const r = await get<{ comments: { attachments: { content_url: string }[] }[] }>(sim, `/tickets/${t.id}/comments.json`)
    expect(r.status).toBe(200)
    const url = r.body.comments.flatMap((c) => c.attachments)[0]!.content_url
    const hop = await fetch(url, { redirect: 'manual' })
    expect(hop.status).toBe(302)
    const file = await fetch(hop.headers.get('location')!)
    expect(file.status).toBe(403)
    expect(await file.text()).toMatch(/expired/)
    expect(sim.stats().faults.expired).toBeGreaterThanOrEqual(2)
  })

  it('answers injected server errors with Zendesk\'s JSON error shapes or a proxy page, the same way for the same seed', async () => {
    const run = async () => {
      const sim = await sims.start({ tickets: 20, seed: 9, profile, faults: '5xx=0.5,malformed=0.2' })
      const seen: string[] = []
      for (let i = 0; i < 24; i++) {
        const r = await fetch(`${sim.env.ZENDESK_BASE_URL}/groups.json`, { headers: basicAuth(sim) })
        const text = await r.text()
        if (r.status >= 500) {
          if ((r.headers.get('content-type') ?? '').includes('json')) {
            const body = JSON.parse(text) as Record<string, unknown>
            expect('errors' in body || (typeof body.error === 'object' && body.error !== null)).toBe(true)
            seen.push(`${r.status}:json`)
          } else seen.push(`${r.status}:html`)
        } else {
          let ok = true
          try {
            JSON.parse(text)
          } catch {
            ok = false
          }
          seen.push(`${r.status}:${ok ? 'ok' : 'malformed'}`)
        }
      }
      return seen
    }
    const a = await run()
    expect(a).toEqual(await run())
    expect(a.some((s) => s.endsWith(':json'))).toBe(true)
    expect(a).toContain('200:malformed')
    expect(a).toContain('200:ok')
  })

  it('refuses a fault spec with a kind neither the kit nor Zendesk knows', () => {
    expect(() => resolveZendeskOptions({ faults: 'expired=0.1,429=0.05,badutf8=0.01' })).not.toThrow()
    expect(() => resolveZendeskOptions({ faults: 'gone=0.1' })).toThrow(/unknown fault kind "gone"/)
  })
})
