import { afterEach, describe, expect, it } from 'vitest'
import { RemoteUnavailableError } from '../core/errors.js'
import { expectOk } from './client.js'
import { clientSetup, fakeTime, json } from '../testing/test-server.js'

const setup = clientSetup(afterEach)

describe('createHttpClient: statuses', () => {
  it('waits out a 429 for its Retry-After, then retries and succeeds', async () => {
    const time = fakeTime()
    const { server, client, lines } = await setup(
      (_req, res, hit) => (hit === 1 ? json(res, 429, { error: 'slow down' }, { 'retry-after': '3' }) : json(res, 200, { ok: true })),
      {},
      { sleep: time.sleep, now: time.now },
    )
    const res = await client.requestJson({ url: `${server.url}/v2/conversations`, route: 'conversations.list' })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ ok: true })
    expect(server.hits).toHaveLength(2)
    expect(time.t.sleeps).toContain(3_000)
    expect(client.stats()).toMatchObject({ requests: 2, throttled: 1, retries: 0, byStatus: { '200': 1, '429': 1 } })
    expect(lines.some((l) => l.includes('throttled') && l.includes('"waitMs":3000') && l.includes('conversations.list'))).toBe(true)
  })

  it('honours the vendor retry header and does not spend maxAttempts on 429s', async () => {
    const time = fakeTime()
    const headers = { retryAfter: ['x-ratelimit-retry-after'], windowMs: 60_000 }
    const { server, client } = await setup(
      (_req, res, hit) => (hit <= 4 ? json(res, 429, {}, { 'x-ratelimit-retry-after': '2' }) : json(res, 200, [])),
      { maxAttempts: 2, rateLimitHeaders: headers },
      { sleep: time.sleep, now: time.now },
    )
    await expect(client.requestJson({ url: server.url })).resolves.toMatchObject({ status: 200 })
    expect(time.t.sleeps.filter((ms) => ms === 2_000)).toHaveLength(4)
  })

  it('gives up with RemoteUnavailableError after max429 throttles', async () => {
    const time = fakeTime()
    const { server, client } = await setup((_req, res) => json(res, 429, {}, { 'retry-after': '1' }), { max429: 2 }, time)
    await expect(client.requestJson({ url: `${server.url}/x` })).rejects.toThrow(/rate-limited after 3 HTTP 429/)
    expect(server.hits).toHaveLength(3)
  })

  it('retries 5xx and returns the eventual success', async () => {
    const statuses = [500, 502, 503, 504]
    const { server, client } = await setup((_req, res, hit) => json(res, statuses[hit - 1] ?? 200, { hit }), { maxAttempts: 5 })
    const res = await client.requestJson({ url: `${server.url}/v2/users/42` })
    expect(res.body).toEqual({ hit: 5 })
    expect(client.stats()).toMatchObject({ requests: 5, retries: 4, byRoute: { 'GET /v2/users/:id': 5 } })
  })

  it('does not repeat a non-idempotent request after a 5xx: the server may have acted on it', async () => {
    const { server, client } = await setup((_req, res, hit) => json(res, hit === 1 ? 500 : 200, { hit }), { maxAttempts: 5 })
    const err = await client.requestJson({ method: 'POST', url: `${server.url}/Ticket`, body: '{}', idempotent: false }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(RemoteUnavailableError)
    expect((err as Error).message).toMatch(/failed after 1 attempts; last failure: HTTP 500/)
    expect(server.hits).toHaveLength(1)
  })

  it('throws RemoteUnavailableError naming the route and last failure when 5xx persists', async () => {
    const { server, client } = await setup((_req, res) => json(res, 503, {}), { maxAttempts: 3 })
    const err = await client.requestJson({ url: `${server.url}/v2/mailboxes`, route: 'mailboxes.list' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(RemoteUnavailableError)
    expect((err as Error).message).toMatch(
      /mailboxes\.list: GET http:\/\/127\.0\.0\.1:\d+\/v2\/mailboxes failed after 3 attempts; last failure: HTTP 503/,
    )
    expect(server.hits).toHaveLength(3)
  })

  it('returns 404 without retrying, body parsed, and expectOk turns it into an error', async () => {
    const { server, client } = await setup((_req, res) => json(res, 404, { message: 'no such user' }))
    const res = await client.requestJson({ url: `${server.url}/v2/users/9` })
    expect(res).toMatchObject({ status: 404, body: { message: 'no such user' } })
    expect(server.hits).toHaveLength(1)
    expect(() => expectOk(res, 'get user')).toThrow(/HTTP 404/)
  })

  it('returns a 3xx as-is instead of following it, with a non-JSON body as text', async () => {
    const { server, client } = await setup((_req, res) => {
      res.writeHead(302, { location: '/elsewhere', 'content-type': 'text/plain' })
      res.end('moved')
    })
    const res = await client.requestJson({ url: `${server.url}/a` })
    expect(res).toMatchObject({ status: 302, body: 'moved', headers: { location: '/elsewhere' } })
    expect(server.hits).toHaveLength(1)
  })

  it('sends the user agent, JSON accept header, method, body and query', async () => {
    const { server, client } = await setup((req, res) => {
      let body = ''
      req.on('data', (c: Buffer) => (body += c.toString()))
      req.on('end', () => json(res, 201, { method: req.method, body }))
    })
    const res = await client.requestJson({
      method: 'POST',
      url: `${server.url}/v2/notes`,
      query: { page: 2 },
      body: '{"a":1}',
      headers: { 'Content-Type': 'application/json' },
    })
    expect(res.body).toEqual({ method: 'POST', body: '{"a":1}' })
    expect(server.hits[0]?.url).toBe('/v2/notes?page=2')
    expect(server.hits[0]?.headers).toMatchObject({
      'user-agent': 'deskmove/0.1 (+https://github.com/deskmove/deskmove)',
      accept: 'application/json',
      'content-type': 'application/json',
    })
  })

  it('gives 204 No Content a null body', async () => {
    const { server, client } = await setup((_req, res) => res.writeHead(204).end())
    const res = await client.requestJson({ method: 'DELETE', url: `${server.url}/x/1` })
    expect(res).toMatchObject({ status: 204, body: null })
  })
})

describe('createHttpClient: broken connections', () => {
  it('retries a reset connection', async () => {
    const { server, client } = await setup((req, res, hit) => (hit === 1 ? req.socket.destroy() : json(res, 200, { ok: 1 })))
    await expect(client.requestJson({ url: server.url })).resolves.toMatchObject({ body: { ok: 1 } })
    expect(client.stats()).toMatchObject({ requests: 2, retries: 1, byStatus: { error: 1, '200': 1 } })
  })

  it('retries a body cut off before its Content-Length', async () => {
    const { server, client, lines } = await setup((req, res, hit) => {
      if (hit > 1) return json(res, 200, { items: [1, 2, 3] })
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' })
      res.write('{"items":[1,')
      setTimeout(() => req.socket.destroy(), 10)
    })
    await expect(client.requestJson({ url: server.url })).resolves.toMatchObject({ body: { items: [1, 2, 3] } })
    expect(lines.some((l) => l.includes('reading the body'))).toBe(true)
    expect(server.hits).toHaveLength(2)
  })

  it('retries a complete 2xx response whose JSON does not parse', async () => {
    const { server, client, lines } = await setup((_req, res, hit) => {
      if (hit > 1) return json(res, 200, { fine: true })
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end('{"items":[1,')
    })
    await expect(client.requestJson({ url: server.url })).resolves.toMatchObject({ body: { fine: true } })
    expect(lines.some((l) => l.includes('invalid JSON body'))).toBe(true)
  })

  it('retries when no headers arrive within timeoutMs', async () => {
    // The first request never gets an answer.
    const { server, client } = await setup((_req, res, hit) => hit > 1 && json(res, 200, { late: false }), { timeoutMs: 150 })
    await expect(client.requestJson({ url: server.url })).resolves.toMatchObject({ body: { late: false } })
    expect(client.stats().retries).toBe(1)
  })

  it('counts a body that stalls past timeoutMs as a timeout too', async () => {
    const { server, client, lines } = await setup(
      (_req, res, hit) => {
        if (hit > 1) return json(res, 200, { done: true })
        res.writeHead(200, { 'content-type': 'application/json' })
        res.write('{"slow":')
      },
      { timeoutMs: 150 },
    )
    await expect(client.requestJson({ url: server.url })).resolves.toMatchObject({ body: { done: true } })
    expect(lines.some((l) => l.includes('timeout after 150 ms'))).toBe(true)
  })

  it('retries a refused connection and then reports it', async () => {
    const { server, client } = await setup((_req, res) => json(res, 200, {}), { maxAttempts: 2 })
    const url = server.url
    await server.close()
    const pending = client.requestJson({ url: `${url}/gone` })
    await expect(pending).rejects.toThrow(/failed after 2 attempts; last failure: connection refused/)
  })
})
