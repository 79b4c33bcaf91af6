import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { resolveCommonOptions } from './options.js'
import { jsonResponse } from './responses.js'
import { startSimServer, type SimServer, type SimServerSpec } from './server.js'

// A toy vendor: one route, its own rate-limit header names and error body.
function toyServer(rpm: number | null, faults?: string, more: Partial<SimServerSpec> = {}): Promise<SimServer> {
  return startSimServer({
    ...more,
    options: resolveCommonOptions({ seed: 5, faults }, rpm),
    rateLimitHeaders: { limit: 'x-toy-limit', remaining: 'x-toy-left', retryAfter: ['x-toy-wait'] },
    routeKey: (method, path) => (path === '/api/things' ? `${method} /api/things` : 'other'),
    handle: (req, origin) => (req.url.pathname === '/api/things' ? jsonResponse(200, { things: [1, 2], origin }) : jsonResponse(404, { toy: 'nope' })),
    errorResponse: (status, message) => jsonResponse(status, { toy: message }),
    faultJson: (status) => ({ toyFault: status }),
    manifest: () => ({ things: 2 }),
  })
}

describe('simulator kit server', () => {
  let sim: SimServer
  beforeAll(async () => {
    sim = await toyServer(3)
  })
  afterAll(() => sim.close())

  it('plugs the vendor routes and rate-limit header names into the pipeline, and counts per route', async () => {
    const r = await fetch(`${sim.origin}/api/things`)
    expect(r.status).toBe(200)
    expect(r.headers.get('x-toy-limit')).toBe('3')
    expect(r.headers.get('x-toy-left')).toBe('2')
    expect(await r.json()).toEqual({ things: [1, 2], origin: sim.origin })
    await fetch(`${sim.origin}/elsewhere`)
    await fetch(`${sim.origin}/api/things`)
    const refused = await fetch(`${sim.origin}/api/things`)
    expect(refused.status).toBe(429)
    expect(Number(refused.headers.get('x-toy-wait'))).toBeGreaterThan(0)
    expect(await refused.json()).toEqual({ toy: 'Rate limit exceeded' })
    const stats = (await (await fetch(`${sim.origin}/_sim/stats`)).json()) as { requests: Record<string, number>; total: number; throttled: number }
    expect(stats).toEqual({ requests: { 'GET /api/things': 3, other: 1 }, total: 4, throttled: 1, throttledByRoute: { 'GET /api/things': 1 }, faults: {} })
    expect(await (await fetch(`${sim.origin}/_sim/manifest`)).json()).toEqual({ things: 2 })
    expect(sim.stats().total).toBe(4)
    expect(await (await fetch(`${sim.origin}/_sim/info`)).json()).toEqual({ seed: 5, profile: 'full' })
  })

  it('answers injected 5xx with the vendor JSON body or a proxy page', async () => {
    const chaos = await toyServer(null, '5xx=1')
    try {
      const bodies = await Promise.all([0, 1, 2, 3, 4, 5].map(async () => {
        const r = await fetch(`${chaos.origin}/api/things`)
        expect([500, 502, 503]).toContain(r.status)
        return r.headers.get('content-type')!.includes('json') ? ((await r.json()) as { toyFault: number }).toyFault : (await r.text()).slice(0, 6)
      }))
      expect(bodies.some((b) => typeof b === 'number' && b >= 500)).toBe(true)
      expect(chaos.stats().faults['5xx']).toBe(6)
    } finally {
      await chaos.close()
    }
  })

  it('keeps an endpoint\'s own budget apart from the host\'s, on the clock it is given', async () => {
    let t = 1_000_000
    const sim = await toyServer(100, undefined, { endpointLimits: [{ routes: ['GET /api/things'], rpm: 2 }], now: () => t })
    try {
      const statuses: number[] = []
      for (let i = 0; i < 3; i++) statuses.push((await fetch(`${sim.origin}/api/things`)).status)
      const refused = await fetch(`${sim.origin}/api/things`)
      expect(refused.status).toBe(429)
      // The endpoint's refusal says how long to wait and does not speak for the host's budget.
      expect(Number(refused.headers.get('x-toy-wait'))).toBe(60)
      expect(refused.headers.get('x-toy-limit')).toBeNull()
      const elsewhere = await fetch(`${sim.origin}/elsewhere`)
      expect(elsewhere.status).toBe(404)
      expect(elsewhere.headers.get('x-toy-left')).toBe('97')
      t += 60_000
      statuses.push((await fetch(`${sim.origin}/api/things`)).status)
      expect(statuses).toEqual([200, 200, 429, 200])
      expect(sim.stats()).toMatchObject({ throttled: 2, throttledByRoute: { 'GET /api/things': 2 } })
    } finally {
      await sim.close()
    }
  })
})
