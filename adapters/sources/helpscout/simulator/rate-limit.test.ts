import { describe, expect, it } from 'vitest'
import { SlidingWindowLimiter } from './rate-limit.js'

describe('sliding-window limiter', () => {
  it('allows `limit` requests per window, then refuses until the oldest one leaves the window', () => {
    let now = 1_000_000
    const limiter = new SlidingWindowLimiter(3, 60_000, () => now)
    expect([limiter.take(), limiter.take()].map((d) => d.remaining)).toEqual([2, 1])
    now += 20_000
    expect(limiter.take()).toMatchObject({ allowed: true, remaining: 0 })
    const refused = limiter.take()
    expect(refused).toMatchObject({ allowed: false, remaining: 0, retryAfterSeconds: 40 })
    now += 40_000
    // The first two requests have left the window; the third still counts.
    expect(limiter.take()).toMatchObject({ allowed: true, remaining: 1 })
  })

  it('does not count refused requests against the window', () => {
    let now = 0
    const limiter = new SlidingWindowLimiter(1, 1000, () => now)
    limiter.take()
    for (let i = 0; i < 5; i++) expect(limiter.take().allowed).toBe(false)
    now = 1000
    expect(limiter.take().allowed).toBe(true)
  })
})
