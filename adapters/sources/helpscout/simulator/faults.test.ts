import { request } from 'node:http'
import { describe, expect, it } from 'vitest'
import { faultShape, pickFault } from './faults.js'
import { parseFaultSpec } from './options.js'
import { startHelpScoutSimulator } from './server.js'

describe('fault spec', () => {
  it('parses rates per kind and defaults the rest to zero', () => {
    expect(parseFaultSpec('5xx=0.02, reset=0.01,truncate=0.5')).toEqual({ '5xx': 0.02, reset: 0.01, slow: 0, truncate: 0.5 })
    expect(parseFaultSpec(undefined)).toEqual({ '5xx': 0, reset: 0, slow: 0, truncate: 0 })
  })

  it('refuses unknown kinds, bad numbers and totals above 1', () => {
    expect(() => parseFaultSpec('timeout=0.1')).toThrow(/unknown fault kind/)
    expect(() => parseFaultSpec('5xx=lots')).toThrow(/between 0 and 1/)
    expect(() => parseFaultSpec('5xx=')).toThrow(/between 0 and 1/)
    expect(() => parseFaultSpec('5xx=0.6,reset=0.6')).toThrow(/more than 1/)
  })
})

describe('fault decisions', () => {
  const rates = parseFaultSpec('5xx=0.05,reset=0.02,slow=0.01,truncate=0.03')

  it('hit each kind at its configured rate', () => {
    const n = 40_000
    const counts: Record<string, number> = {}
    for (let i = 0; i < n; i++) {
      const f = pickFault(1, i, rates)
      if (f) counts[f] = (counts[f] ?? 0) + 1
    }
    for (const [kind, rate] of Object.entries(rates)) {
      // Four standard deviations of a binomial count.
      const tolerance = 4 * Math.sqrt(n * rate * (1 - rate))
      expect(Math.abs((counts[kind] ?? 0) - n * rate), kind).toBeLessThan(tolerance)
    }
  })

  it('are a pure function of seed and request counter', () => {
    const run = (seed: number) => Array.from({ length: 500 }, (_, i) => pickFault(seed, i, rates))
    expect(run(5)).toEqual(run(5))
    expect(run(5)).not.toEqual(run(6))
  })
})

interface Outcome {
  status?: number
  error?: string
  declaredLength?: number
  received?: number
}

function rawGet(url: string, headers: Record<string, string> = {}): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = request(url, { headers, agent: false }, (res) => {
      let received = 0
      res.on('data', (c: Buffer) => (received += c.length))
      const declaredLength = Number(res.headers['content-length'])
      res.on('end', () => resolve({ status: res.statusCode, declaredLength, received }))
      res.on('error', (e) => resolve({ status: res.statusCode, error: e.message, declaredLength, received }))
      res.on('aborted', () => resolve({ status: res.statusCode, error: 'aborted', declaredLength, received }))
    })
    req.on('error', (e) => resolve({ error: e.message }))
    req.end()
  })
}

describe('fault injection over HTTP', () => {
  it('injects 5xx, resets and truncated bodies exactly where the decisions say, and never on /_sim', async () => {
    const spec = '5xx=0.25,reset=0.15,truncate=0.2'
    const sim = await startHelpScoutSimulator({ seed: 11, conversations: 30, faults: spec, rpm: null })
    try {
      const rates = parseFaultSpec(spec)
      const n = 80
      const outcomes: Outcome[] = []
      for (let i = 0; i < n; i++) outcomes.push(await rawGet(`${sim.env.HELPSCOUT_BASE_URL}/users`, { authorization: 'Bearer x' }))
      outcomes.forEach((o, i) => {
        const expected = pickFault(11, i, rates)
        if (expected === 'reset') expect(o.error, `request ${i}`).toBeDefined()
        else if (expected === '5xx') expect([500, 502, 503], `request ${i}`).toContain(o.status)
        else if (expected === 'truncate') expect(o.received ?? 0, `request ${i}`).toBeLessThan(o.declaredLength ?? 0)
        // Unfaulted requests reach the API, which refuses the made-up token.
        else expect(o.status, `request ${i}`).toBe(401)
      })
      const stats = sim.stats()
      const expectedCounts: Record<string, number> = {}
      for (let i = 0; i < n; i++) {
        const f = pickFault(11, i, rates)
        if (f) expectedCounts[f] = (expectedCounts[f] ?? 0) + 1
      }
      expect(stats.faults).toEqual(expectedCounts)
      // The sample really exercised every kind.
      expect(Object.keys(expectedCounts).sort()).toEqual(['5xx', 'reset', 'truncate'])
      expect(stats.total).toBe(n)
      for (let i = 0; i < 10; i++) expect((await rawGet(`${sim.url}/_sim/stats`)).status).toBe(200)
    } finally {
      await sim.close()
    }
  })

  it('delays slow requests by the 2 to 5 seconds the decision says', async () => {
    // Pick a seed whose first delay is short, to keep the test quick.
    const seed = Array.from({ length: 500 }, (_, s) => s).find((s) => faultShape(s, 0).slowMs < 2200)!
    const delay = faultShape(seed, 0).slowMs
    expect(delay).toBeGreaterThanOrEqual(2000)
    const sim = await startHelpScoutSimulator({ seed, conversations: 5, faults: 'slow=1' })
    try {
      const t0 = Date.now()
      const res = await fetch(`${sim.env.HELPSCOUT_BASE_URL}/users`)
      expect(res.status).toBe(401)
      const took = Date.now() - t0
      expect(took).toBeGreaterThanOrEqual(delay - 5)
      expect(took).toBeLessThan(delay + 1000)
      expect(sim.stats().faults).toEqual({ slow: 1 })
    } finally {
      await sim.close()
    }
  }, 10_000)
})
