import { afterEach, describe, expect, it } from 'vitest'
import { budgetFor } from './endpoint-budget.js'
import { clientSetup, fakeTime, json } from '../testing/test-server.js'

const setup = clientSetup(afterEach)

describe('per-endpoint rate budgets', () => {
  it('matches by route name or by URL path, first match wins', () => {
    const budgets = [{ match: { route: 'tickets.export' }, rpm: 10 }, { match: { path: '^/api/v2/incremental/' }, rpm: 20 }]
    expect(budgetFor(budgets, 'tickets.export', '/x')).toBe(0)
    expect(budgetFor(budgets, 'other', '/api/v2/incremental/tickets/cursor.json')).toBe(1)
    expect(budgetFor(budgets, 'other', '/api/v2/tickets.json')).toBeNull()
    expect(budgetFor(undefined, 'tickets.export', '/x')).toBeNull()
  })

  it('keeps an endpoint to its budget while the rest of the host goes at its own pace', async () => {
    const time = fakeTime()
    const { server, client } = await setup(
      (_req, res) => json(res, 200, {}),
      { concurrency: 4, endpointBudgets: [{ match: { path: '^/incremental/' }, rpm: 120 }] },
      { sleep: time.sleep, now: time.now },
    )
    const send = (kind: string, i: number) => client.requestJson({ url: `${server.url}/${kind}/${i}`, route: kind })
    await Promise.all([...Array.from({ length: 3 }, (_, i) => send('incremental', i)), ...Array.from({ length: 3 }, (_, i) => send('other', i))])
    // 120 per minute: the endpoint's second and third starts wait their turn (0.5 s apart, on the fake clock);
    // the host itself is unlimited, so nothing else waited.
    const waits = time.t.sleeps.filter((ms) => ms > 0)
    expect(waits).toHaveLength(2)
    expect(waits.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1_000)
    expect(server.hits.filter((h) => h.url.startsWith('/other/'))).toHaveLength(3)
  })

  it('paces by the endpoint\'s own limit header and leaves the host\'s pace alone', async () => {
    const time = fakeTime()
    const spec = { limit: 'x-ratelimit-total', remaining: 'x-ratelimit-remaining', retryAfter: ['retry-after'], windowMs: 60_000 }
    const { server, client } = await setup(
      (req, res) => json(res, 200, {}, req.url?.startsWith('/search') ? { 'x-ratelimit-total': '6' } : { 'x-ratelimit-total': '6000' }),
      { rateLimitHeaders: spec, concurrency: 1, endpointBudgets: [{ match: { route: 'search' }, rateLimitHeaders: spec }] },
      { sleep: time.sleep, now: time.now },
    )
    for (let i = 0; i < 4; i++) await client.requestJson({ url: `${server.url}/search/${i}`, route: 'search' })
    const searchDone = time.t.now
    // 6 per minute announced by the endpoint: 10 s apart after the first answer.
    expect(searchDone).toBeGreaterThanOrEqual(20_000)
    for (let i = 0; i < 4; i++) await client.requestJson({ url: `${server.url}/tickets/${i}`, route: 'tickets' })
    expect(time.t.now - searchDone).toBeLessThan(1_000)
  })
})
