import { describe, expect, it } from 'vitest'
import { readRateLimitHeaders } from './pacing.js'
import { retryAfterFromHeaders } from './backoff.js'

// Vendors rename their headers over the years (Zendesk: X-Rate-Limit, rate-limit, ratelimit, structured).
const spec = {
  limit: ['x-rate-limit', 'ratelimit-limit', 'rate-limit'],
  remaining: ['x-rate-limit-remaining', 'ratelimit-remaining', 'rate-limit-remaining'],
  retryAfter: ['retry-after', 'ratelimit-reset'],
  structured: ['zendesk-ratelimit-*', 'zendesk-rate-limit-*'],
  windowMs: 60_000,
}

describe('rate-limit headers in several spellings', () => {
  it('reads the first spelling present', () => {
    expect(readRateLimitHeaders({ 'x-rate-limit': '700', 'x-rate-limit-remaining': '12' }, spec)).toEqual({ limit: 700, remaining: 12 })
    expect(readRateLimitHeaders({ 'ratelimit-limit': '400', 'ratelimit-remaining': '3' }, spec)).toEqual({ limit: 400, remaining: 3 })
    expect(readRateLimitHeaders({ 'rate-limit': '200', 'rate-limit-remaining': '0' }, spec)).toEqual({ limit: 200, remaining: 0 })
  })

  it('falls back to the tightest structured header when the plain ones are absent', () => {
    const h = { 'zendesk-ratelimit-tickets-index': 'total=100; remaining=95; resets=17', 'zendesk-rate-limit-other': 'total=30; remaining=2; resets=468' }
    expect(readRateLimitHeaders(h, spec)).toEqual({ limit: 30, remaining: 2 })
  })

  it('keeps the single-name form working', () => {
    expect(readRateLimitHeaders({ 'x-ratelimit-limit-minute': '200' }, { limit: 'x-ratelimit-limit-minute', retryAfter: [], windowMs: 60_000 })).toEqual({ limit: 200, remaining: null })
  })

  it('takes a structured value\'s resets as the wait', () => {
    expect(retryAfterFromHeaders({ 'zendesk-ratelimit-x': 'total=10; remaining=0; resets=17' }, ['zendesk-ratelimit-x'], 0)).toBe(17_000)
    expect(retryAfterFromHeaders({ 'retry-after': '7' }, ['retry-after', 'ratelimit-reset'], 0)).toBe(7000)
  })
})
