import { getEventListeners } from 'node:events'
import type { ServerResponse } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { RemoteUnavailableError } from '../core/errors.js'
import { clientAgainst, clientSetup, json } from '../testing/test-server.js'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c()
})
const setup = clientSetup(afterEach)

const gaps = (times: number[]) => times.slice(1).map((t, i) => t - (times[i] ?? 0))
const rateHeaders = {
  limit: 'X-RateLimit-Limit-Minute',
  remaining: 'X-RateLimit-Remaining-Minute',
  retryAfter: ['x-ratelimit-retry-after'],
  windowMs: 1_000,
}

describe('createHttpClient: pacing', () => {
  it('spaces requests evenly at the rpm budget instead of bursting', async () => {
    const { server, client } = await setup((_req, res) => json(res, 200, {}), { rpm: 600, concurrency: 5 })
    await Promise.all(Array.from({ length: 5 }, (_, i) => client.requestJson({ url: `${server.url}/r/${i}` })))
    const arrivals = server.hits.map((h) => h.at)
    // Starts are 102 ms apart. Arrivals jitter on a loaded machine (a late one shortens the next gap), so
    // this checks the shape, not the timing: no burst, and no wait far beyond the budget.
    const span = (arrivals[4] ?? 0) - (arrivals[0] ?? 0)
    expect(span).toBeGreaterThanOrEqual(300)
    expect(span).toBeLessThan(2000)
    expect(gaps(arrivals).filter((g) => g < 20).length).toBeLessThanOrEqual(1)
  })

  it('keeps hosts apart: one pacer per origin', async () => {
    const a = await setup((_req, res) => json(res, 200, {}), { rpm: 60 })
    const b = await clientAgainst((_req, res) => json(res, 200, {}))
    cleanups.push(b.close)
    const started = performance.now()
    await a.client.requestJson({ url: a.server.url })
    await a.client.requestJson({ url: b.server.url })
    // The second host has its own budget, so it does not wait the first host's 1 s spacing.
    expect(performance.now() - started).toBeLessThan(500)
  })

  it('holds back when the server says its window is used up, instead of earning a 429', async () => {
    const { server, client, lines } = await setup(
      (_req, res, hit) =>
        json(res, 200, {}, { 'x-ratelimit-limit-minute': '5', 'x-ratelimit-remaining-minute': hit === 1 ? '0' : '4' }),
      { rateLimitHeaders: rateHeaders },
    )
    await client.requestJson({ url: server.url })
    await client.requestJson({ url: server.url })
    // Limit 5 per 1 s window: a slot frees every 200 ms, and the server pace is 5 per window from now on.
    expect((server.hits[1]?.at ?? 0) - (server.hits[0]?.at ?? 0)).toBeGreaterThanOrEqual(190)
    expect(client.stats().throttled).toBe(0)
    expect(lines.some((l) => l.includes('holding'))).toBe(true)
  })

  it('applies a 429 wait to every request queued for the host', async () => {
    const { server, client } = await setup((_req, res, hit) =>
      hit === 1 ? json(res, 429, {}, { 'x-ratelimit-retry-after': '0.3' }) : json(res, 200, {}),
      { rateLimitHeaders: rateHeaders, concurrency: 1 },
    )
    await Promise.all([client.requestJson({ url: `${server.url}/a` }), client.requestJson({ url: `${server.url}/b` })])
    expect(server.hits.map((h) => h.url)).toEqual(['/a', '/b', '/a'])
    expect((server.hits[1]?.at ?? 0) - (server.hits[0]?.at ?? 0)).toBeGreaterThanOrEqual(290)
  })
})

describe('createHttpClient: abort', () => {
  it('rejects with the signal reason while waiting out a 429', async () => {
    const { server, client } = await setup((_req, res) => json(res, 429, {}, { 'retry-after': '30' }))
    const ctl = new AbortController()
    const reason = new Error('user pressed Ctrl-C')
    const pending = client.requestJson({ url: server.url, signal: ctl.signal })
    setTimeout(() => ctl.abort(reason), 50)
    const started = performance.now()
    await expect(pending).rejects.toBe(reason)
    expect(performance.now() - started).toBeLessThan(1_000)
  })

  it('rejects with the signal reason while sleeping between retries', async () => {
    const { server, client } = await setup((_req, res) => json(res, 503, {}), { backoffBaseMs: 30_000, backoffMaxMs: 30_000 })
    const ctl = new AbortController()
    const pending = client.requestJson({ url: server.url, signal: ctl.signal })
    setTimeout(() => ctl.abort(new Error('stop')), 50)
    await expect(pending).rejects.toThrow('stop')
    expect(server.hits).toHaveLength(1)
  })

  it('rejects a queued request at once, and one in flight', async () => {
    const { server, client } = await setup(() => undefined, { concurrency: 1, timeoutMs: 5_000 })
    const inFlight = new AbortController()
    const queued = new AbortController()
    const first = client.requestJson({ url: `${server.url}/first`, signal: inFlight.signal })
    const second = client.requestJson({ url: `${server.url}/second`, signal: queued.signal })
    await new Promise((r) => setTimeout(r, 50))
    queued.abort(new Error('queued abort'))
    await expect(second).rejects.toThrow('queued abort')
    inFlight.abort(new Error('in-flight abort'))
    await expect(first).rejects.toThrow('in-flight abort')
    expect(server.hits.map((h) => h.url)).toEqual(['/first'])
  })
})

describe('createHttpClient: long-lived signals', () => {
  it('leaves no listener behind on the run-wide signal after requests, retries and streams', async () => {
    const handler = (_req: unknown, res: ServerResponse, hit: number) => (hit === 1 ? json(res, 503, {}) : json(res, 200, { hit }))
    const { server, client } = await setup(handler, { rpm: 6_000 })
    const run = new AbortController()
    for (let i = 0; i < 5; i++) await client.requestJson({ url: server.url, signal: run.signal })
    const stream = await client.requestStream({ url: server.url, signal: run.signal })
    for await (const _chunk of stream.body) void _chunk
    await new Promise((r) => setImmediate(r))
    expect(getEventListeners(run.signal, 'abort')).toHaveLength(0)
  })
})

describe('createHttpClient: secrets', () => {
  it('keeps a canary secret out of error messages and logs', async () => {
    const canary = 'canary-4f9e1d2c-SECRET'
    const { server, client, lines, redactor } = await setup((_req, res) => json(res, 503, { echo: canary }), { maxAttempts: 2 })
    redactor.add(canary)
    const err = await client
      .requestJson({ url: `${server.url}/v2/threads`, query: { key: canary }, headers: { authorization: `Bearer ${canary}` } })
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(RemoteUnavailableError)
    const cause = (err as Error).cause as Error
    const everything = [(err as Error).message, cause.message, ...lines].join('\n')
    expect(everything).not.toContain(canary)
    expect((err as Error).message).toContain('/v2/threads?key=[REDACTED]')
    expect(lines.length).toBeGreaterThan(0)
    expect(server.hits[0]?.headers.authorization).toBe(`Bearer ${canary}`)
  })
})
