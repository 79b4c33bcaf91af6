import { describe, expect, it } from 'vitest'
import type { Sleep } from './backoff.js'
import { HostPacer, PACE_HEADROOM, readRateLimitHeaders } from './pacing.js'
import { defaultHostPolicy } from './policy.js'
import type { HostPolicy } from '../core/http.js'

/** A clock that only moves when someone sleeps: pacing tests run instantly and exactly. */
function fakeClock() {
  const clock = { t: 0, sleeps: [] as number[] }
  const sleep: Sleep = async (ms, signal) => {
    signal?.throwIfAborted()
    clock.sleeps.push(ms)
    clock.t += ms
  }
  return { clock, now: () => clock.t, sleep }
}

const headers = { limit: 'x-ratelimit-limit', remaining: 'x-ratelimit-remaining', retryAfter: ['retry-after'], windowMs: 60_000 }

function pacer(policy: Partial<HostPolicy>) {
  const c = fakeClock()
  return { ...c, pacer: new HostPacer(defaultHostPolicy({ rateLimitHeaders: headers, ...policy }), c) }
}

async function startTimes(p: HostPacer, now: () => number, n: number, cost = 1): Promise<number[]> {
  const out: number[] = []
  for (let i = 0; i < n; i++) {
    await p.acquire(cost)
    out.push(now())
  }
  return out
}

/** Largest total cost starting inside any window of `windowMs` (window [t, t + windowMs)). */
function maxInWindow(times: number[], windowMs: number): number {
  let best = 0
  let lo = 0
  for (let hi = 0; hi < times.length; hi++) {
    while ((times[hi] ?? 0) - (times[lo] ?? 0) >= windowMs) lo++
    best = Math.max(best, hi - lo + 1)
  }
  return best
}

describe('HostPacer', () => {
  it('spreads starts evenly a hair under the rpm budget', async () => {
    const { pacer: p, now } = pacer({ rpm: 600 })
    const times = await startTimes(p, now, 5)
    const gaps = times.slice(1).map((t, i) => t - (times[i] ?? 0))
    for (const gap of gaps) expect(gap).toBeCloseTo(100 / PACE_HEADROOM, 5)
    expect(times[0]).toBe(0)
  })

  it('does not pace at all without a budget or a server limit', async () => {
    const { pacer: p, now, clock } = pacer({ rpm: null })
    await startTimes(p, now, 20)
    expect(clock.t).toBe(0)
  })

  it('uses at least 95% of a 400/min budget and never exceeds it in any 60 s window', async () => {
    const { pacer: p, now } = pacer({ rpm: 400 })
    const times = await startTimes(p, now, 1300)
    expect(maxInWindow(times, 60_000)).toBeLessThanOrEqual(400)
    const inFirstThreeMinutes = times.filter((t) => t < 180_000).length
    expect(inFirstThreeMinutes / 1200).toBeGreaterThanOrEqual(0.95)
  })

  it('meets the benchmark against a 400/min sliding-window server announcing its quota: ≥ 95% used, no 429', async () => {
    const { pacer: p, now } = pacer({ rpm: 400 })
    const arrivals: number[] = []
    let rejected = 0
    while (now() < 180_000) {
      await p.acquire(1)
      const t = now()
      while (arrivals.length > 0 && (arrivals[0] ?? 0) <= t - 60_000) arrivals.shift()
      if (arrivals.length >= 400) rejected++
      else arrivals.push(t)
      // Two other requests are assumed in flight, as with a few concurrent workers.
      p.observe({ limit: 400, remaining: 400 - arrivals.length }, 2)
    }
    expect(rejected).toBe(0)
    expect(arrivals.length / 400).toBeGreaterThanOrEqual(0.95)
  })

  it('counts cost against the budget', async () => {
    const { pacer: p, now } = pacer({ rpm: 600 })
    const times = await startTimes(p, now, 3, 2)
    expect((times[1] ?? 0) - (times[0] ?? 0)).toBeCloseTo(200 / PACE_HEADROOM, 5)
  })

  it('paces to the server limit when it is lower than our budget', async () => {
    const { pacer: p, now } = pacer({ rpm: 600 })
    p.observe({ limit: 300, remaining: 250 }, 0)
    const times = await startTimes(p, now, 3)
    expect((times[2] ?? 0) - (times[1] ?? 0)).toBeCloseTo(200 / PACE_HEADROOM, 5)
  })

  it('keeps our own budget when the server allows more', async () => {
    const { pacer: p } = pacer({ rpm: 600 })
    p.observe({ limit: 3000, remaining: 2900 }, 0)
    expect(p.intervalMs()).toBeCloseTo(100 / PACE_HEADROOM, 5)
  })

  it('holds when the remaining count no longer covers requests in flight', async () => {
    const { pacer: p, now } = pacer({ rpm: null })
    p.observe({ limit: 100, remaining: 50 }, 3)
    await p.acquire(1)
    // Plenty left: only the server-limit spacing applies (one slot is 600 ms at 100/min).
    expect(now()).toBe(0)
    const hold = p.observe({ limit: 100, remaining: 1 }, 2)
    expect(hold).toBe(2 * 600)
    await p.acquire(1)
    expect(now()).toBeGreaterThanOrEqual(1200)
  })

  it('waits a whole window when remaining hits 0 and the limit is unknown', async () => {
    const { pacer: p, now } = pacer({ rpm: null })
    expect(p.observe({ limit: null, remaining: 0 }, 0)).toBe(60_000)
    await p.acquire(1)
    expect(now()).toBe(60_000)
  })

  it('makes every later start wait out a hold', async () => {
    const { pacer: p, now } = pacer({ rpm: null })
    p.holdFor(5_000)
    await startTimes(p, now, 2)
    expect(now()).toBe(5_000)
  })

  it('serves waiters in order and lets an aborted waiter leave without breaking the line', async () => {
    const { pacer: p, now } = pacer({ rpm: 60 })
    await p.acquire(1)
    const ctl = new AbortController()
    const reason = new Error('stop')
    const order: string[] = []
    const a = p.acquire(1).then(() => order.push(`a@${Math.round(now())}`))
    const b = p.acquire(1, ctl.signal).then(
      () => order.push('b'),
      (e: unknown) => order.push(e === reason ? 'b aborted' : 'b ?'),
    )
    const c = p.acquire(1).then(() => order.push(`c@${Math.round(now())}`))
    ctl.abort(reason)
    await Promise.all([a, b, c])
    expect(order).toEqual(['b aborted', `a@${Math.round(1000 / PACE_HEADROOM)}`, `c@${Math.round(2000 / PACE_HEADROOM)}`])
  })
})

describe('readRateLimitHeaders', () => {
  it('reads the configured headers case-insensitively and ignores junk', () => {
    const spec = { ...headers, limit: 'X-RateLimit-Limit' }
    const seen = readRateLimitHeaders({ 'x-ratelimit-limit': '400', 'x-ratelimit-remaining': '12' }, spec)
    expect(seen).toEqual({ limit: 400, remaining: 12 })
    expect(readRateLimitHeaders({ 'x-ratelimit-limit': 'lots' }, spec)).toEqual({ limit: null, remaining: null })
  })
})
