import { afterEach, describe, expect, it } from 'vitest'
import { parseFaultSpec, pickFault } from './faults.js'
import { resolveCommonOptions } from './options.js'
import { jsonResponse } from './responses.js'
import { startSimServer, type SimServer, type SimServerSpec } from './server.js'

// The kit's additions for vendors with several header spellings, structured endpoint budgets and more faults.
let sim: SimServer | null = null
afterEach(async () => {
  await sim?.close()
  sim = null
})

function toy(faults: string | undefined, more: Partial<SimServerSpec> = {}, vendorFaults: string[] = []): Promise<SimServer> {
  const seen: (string | null | undefined)[] = []
  return startSimServer({
    options: resolveCommonOptions({ seed: 3, faults }, 50, vendorFaults),
    rateLimitHeaders: { limit: ['x-old-limit', 'new-limit'], remaining: ['x-old-left', 'new-left'], reset: ['new-reset'], retryAfter: ['retry-after'] },
    routeKey: (method, path) => `${method} ${path}`,
    handle: (req) => {
      seen.push(req.fault)
      return jsonResponse(200, { name: 'thing', fault: req.fault ?? null })
    },
    errorResponse: (status, message) => ({ status, headers: { 'content-type': 'text/plain' }, body: Buffer.from(message) }),
    faultJson: () => ({}),
    manifest: () => ({}),
    ...more,
  })
}

describe('simulator kit extras', () => {
  it('sends every spelling of the limit headers, the reset, and an endpoint budget as a structured header', async () => {
    sim = await toy(undefined, { endpointLimits: [{ routes: ['GET /slow'], rpm: 2, header: 'vendor-ratelimit-slow' }] })
    const r = await fetch(`${sim.origin}/slow`)
    expect(r.headers.get('x-old-limit')).toBe('50')
    expect(r.headers.get('new-limit')).toBe('50')
    expect(r.headers.get('x-old-left')).toBe('49')
    expect(r.headers.get('new-left')).toBe('49')
    expect(Number(r.headers.get('new-reset'))).toBeGreaterThan(0)
    expect(r.headers.get('vendor-ratelimit-slow')).toMatch(/^total=2; remaining=1; resets=\d+$/)
    await fetch(`${sim.origin}/slow`)
    const refused = await fetch(`${sim.origin}/slow`)
    expect(refused.status).toBe(429)
    expect(refused.headers.get('vendor-ratelimit-slow')).toMatch(/^total=2; remaining=0; resets=\d+$/)
    expect((await fetch(`${sim.origin}/other`)).headers.get('vendor-ratelimit-slow')).toBeNull()
  })

  it('keeps the base kinds\' fault sequence when other kinds are added, and refuses kinds nobody knows', () => {
    const base = parseFaultSpec('5xx=0.1,reset=0.1')
    const more = parseFaultSpec('5xx=0.1,reset=0.1,429=0.1,expired=0.2', ['expired'])
    expect(base).toEqual({ '5xx': 0.1, reset: 0.1, slow: 0, truncate: 0 })
    for (let n = 0; n < 500; n++) {
      const a = pickFault(1, n, base)
      if (a) expect(pickFault(1, n, more, true)).toBe(a)
    }
    expect(() => parseFaultSpec('expired=0.1')).toThrow(/unknown fault kind/)
  })

  it('answers a 429 storm of several requests with Retry-After, then recovers', async () => {
    sim = await toy('429=0.05')
    const statuses: number[] = []
    for (let i = 0; i < 80; i++) {
      const r = await fetch(`${sim.origin}/x`)
      statuses.push(r.status)
      if (r.status === 429) {
        expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
        expect(await r.text()).toBe('Rate limit exceeded')
      } else await r.arrayBuffer()
    }
    // Lengths of the runs of consecutive 429s: storms, each followed by normal answers again.
    const runs = statuses.map((s) => (s === 429 ? 'x' : '.')).join('').split('.').filter(Boolean).map((r) => r.length)
    expect(Math.max(...runs)).toBeGreaterThanOrEqual(2)
    expect(statuses.lastIndexOf(200)).toBeGreaterThan(statuses.indexOf(429))
    expect(sim.stats().throttled).toBe(statuses.filter((s) => s === 429).length)
  })

  it('spoils JSON bodies (cut short, or not UTF-8) and hands vendor kinds to the handler', async () => {
    sim = await toy('malformed=0.34,badutf8=0.33,expired=0.33', {}, ['expired'])
    const kinds = new Set<string>()
    for (let i = 0; i < 30; i++) {
      const r = await fetch(`${sim.origin}/x`)
      const bytes = Buffer.from(await r.arrayBuffer())
      expect(Number(r.headers.get('content-length'))).toBe(bytes.length)
      let parsed: { fault: string | null } | null = null
      try {
        parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as { fault: string | null }
      } catch (err) {
        kinds.add(err instanceof SyntaxError ? 'malformed' : 'badutf8')
      }
      if (parsed) kinds.add(parsed.fault ?? 'none')
    }
    expect([...kinds].sort()).toEqual(['badutf8', 'expired', 'malformed'])
  })
})
