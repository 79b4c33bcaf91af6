import { describe, expect, it } from 'vitest'
import { backoffDelay, parseRetryAfter, retryAfterFromHeaders, sleep } from './backoff.js'

describe('backoffDelay', () => {
  it('draws from [0, base·2^retry) with full jitter', () => {
    expect(backoffDelay(0, 500, 30_000, () => 0)).toBe(0)
    expect(backoffDelay(0, 500, 30_000, () => 0.5)).toBe(250)
    expect(backoffDelay(3, 500, 30_000, () => 0.5)).toBe(2_000)
  })

  it('never exceeds the maximum, even for huge retry counts', () => {
    expect(backoffDelay(10, 500, 30_000, () => 0.999)).toBeLessThan(30_000)
    expect(backoffDelay(500, 500, 30_000, () => 0.5)).toBe(15_000)
  })
})

describe('parseRetryAfter', () => {
  it('reads delta seconds, including decimals', () => {
    expect(parseRetryAfter('2', 0)).toBe(2_000)
    expect(parseRetryAfter(' 0.25 ', 0)).toBe(250)
  })

  it('reads an HTTP date relative to now and never goes negative', () => {
    const now = Date.parse('2026-01-01T00:00:00Z')
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5_000)
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0)
  })

  it('returns null for missing or unreadable values', () => {
    expect(parseRetryAfter(undefined, 0)).toBeNull()
    expect(parseRetryAfter('', 0)).toBeNull()
    expect(parseRetryAfter('soon', 0)).toBeNull()
    expect(parseRetryAfter('-3', 0)).toBeNull()
  })

  it('takes the first readable header in the vendor order', () => {
    const headers = { 'retry-after': '9', 'x-ratelimit-retry-after': '3' }
    expect(retryAfterFromHeaders(headers, ['X-RateLimit-Retry-After', 'retry-after'], 0)).toBe(3_000)
    expect(retryAfterFromHeaders({ 'retry-after': '9' }, ['X-RateLimit-Retry-After', 'retry-after'], 0)).toBe(9_000)
    expect(retryAfterFromHeaders({}, ['retry-after'], 0)).toBeNull()
  })
})

describe('sleep', () => {
  it('resolves after the delay', async () => {
    const started = Date.now()
    await sleep(20)
    expect(Date.now() - started).toBeGreaterThanOrEqual(15)
  })

  it('rejects with the signal reason when aborted mid-sleep or before', async () => {
    const ctl = new AbortController()
    const reason = new Error('stop')
    const pending = sleep(10_000, ctl.signal)
    ctl.abort(reason)
    await expect(pending).rejects.toBe(reason)
    await expect(sleep(10, ctl.signal)).rejects.toBe(reason)
  })
})
