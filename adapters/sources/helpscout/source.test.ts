import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { AuthError, RemoteRequestError } from '../../../src/core/errors.js'
import { silentLogger } from '../../../src/core/log.js'
import type { HttpClient, HttpRequest, JsonResponse } from '../../../src/core/http.js'
import type { SourcePage } from '../../../src/core/source.js'
import { helpscoutSource } from './index.js'

const BASE = 'https://hs.test/v2'
const SECRET = 'canary-app-secret-value'
type Reply = { status: number; body?: unknown; headers?: Record<string, string> }

/** A scripted HttpClient: each request takes the next reply queued for `METHOD path?query`. */
function scripted(routes: Record<string, Reply[]>) {
  const sent: HttpRequest[] = []
  const next = (req: HttpRequest): Reply => {
    const url = new URL(req.url)
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v))
    url.searchParams.sort()
    const key = `${req.method ?? 'GET'} ${url.pathname}${url.search}`
    const reply = routes[key]?.shift()
    if (!reply) throw new Error(`unexpected request ${key}`)
    return reply
  }
  const http: HttpClient = {
    async requestJson(req): Promise<JsonResponse> {
      sent.push(req)
      const r = next(req)
      return { status: r.status, headers: r.headers ?? {}, url: req.url, body: r.body ?? null }
    },
    async requestStream(req) {
      sent.push(req)
      const r = next(req)
      const bytes = Buffer.isBuffer(r.body) ? r.body : Buffer.from(typeof r.body === 'string' ? r.body : r.body === undefined ? '' : JSON.stringify(r.body))
      return { status: r.status, headers: r.headers ?? {}, url: req.url, body: Readable.from([bytes]) }
    },
    stats: () => ({ requests: sent.length, byRoute: {}, byStatus: {}, throttled: 0, retries: 0, bytesIn: 0 }),
    close: async () => {},
  }
  return { http, sent, pending: () => Object.entries(routes).filter(([, r]) => r.length > 0).map(([k]) => k) }
}

const token = (t = 'tok-1'): Reply => ({ status: 200, body: { token_type: 'bearer', access_token: t, expires_in: 7200 } })
const page = (key: string, items: unknown[], number = 1, totalPages = 1): Reply => ({ status: 200, body: { _embedded: { [key]: items }, page: { size: 50, totalElements: items.length, totalPages, number } } })
const source = (http: HttpClient) => helpscoutSource.create({ appId: 'app-id', appSecret: SECRET, baseUrl: BASE }, { http, log: silentLogger, now: () => new Date(0) })
const signal = new AbortController().signal

async function readAll(it: AsyncIterable<SourcePage>): Promise<SourcePage[]> {
  const pages: SourcePage[] = []
  for await (const p of it) pages.push(p)
  return pages
}

const CONVERSATIONS = 'GET /v2/conversations?embed=threads&page=1&sortField=createdAt&sortOrder=asc&status=all'
const conv = (id: number, type: string, threads: unknown[]) => ({ id, number: id - 5000, type, status: 'active', mailboxId: 1, createdAt: '2024-01-01T00:00:00Z', _embedded: { threads } })
const chatThread = (id: number, body: string) => ({ id, type: 'chat', createdAt: '2024-01-01T00:00:00Z', body, createdBy: { id: 9, type: 'customer' } })

describe('helpscout authentication', () => {
  it('posts client credentials form-encoded (OAuth2), then sends the bearer token', async () => {
    const s = scripted({ 'POST /v2/oauth2/token': [token()], 'GET /v2/users?page=1': [page('users', [{ id: 1 }])] })
    await readAll(source(s.http).read('agents', null, { since: null }, signal))
    const [auth, users] = s.sent
    expect(Object.fromEntries(new URLSearchParams(String(auth?.body)))).toEqual({ grant_type: 'client_credentials', client_id: 'app-id', client_secret: SECRET })
    expect(auth?.headers?.['content-type']).toBe('application/x-www-form-urlencoded')
    expect(auth?.cost).toBe(1)
    expect(users?.headers?.authorization).toBe('Bearer tok-1')
  })

  it('accepts a form-encoded token response as well as JSON', async () => {
    const s = scripted({
      'POST /v2/oauth2/token': [{ status: 200, body: 'access_token=tok-form&token_type=bearer&expires_in=7200', headers: { 'content-type': 'application/x-www-form-urlencoded' } }],
      'GET /v2/users?page=1': [page('users', [{ id: 1 }])],
    })
    await readAll(source(s.http).read('agents', null, { since: null }, signal))
    expect(s.sent[1]?.headers?.authorization).toBe('Bearer tok-form')
  })

  it('re-authenticates once on a 401 and retries with the new token', async () => {
    const s = scripted({
      'POST /v2/oauth2/token': [token('tok-1'), token('tok-2')],
      'GET /v2/users?page=1': [{ status: 401 }, page('users', [{ id: 1 }])],
    })
    const pages = await readAll(source(s.http).read('agents', null, { since: null }, signal))
    expect(pages[0]?.records).toHaveLength(1)
    expect(s.sent.map((r) => r.headers?.authorization ?? 'token')).toEqual(['token', 'Bearer tok-1', 'token', 'Bearer tok-2'])
  })

  it('gives up with an AuthError naming the env vars, never the secret, when freshly issued tokens keep answering 401', async () => {
    // One initial token plus three renewals (a token may expire again while a resend waits out 5xx retries).
    const s = scripted({ 'POST /v2/oauth2/token': [token(), token(), token(), token()], 'GET /v2/users?page=1': [{ status: 401 }, { status: 401 }, { status: 401 }, { status: 401 }] })
    const err = await readAll(source(s.http).read('agents', null, { since: null }, signal)).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(AuthError)
    expect((err as Error).message).toMatch(/HELPSCOUT_APP_ID.*HELPSCOUT_APP_SECRET/)
    expect(JSON.stringify({ m: (err as Error).message, h: (err as AuthError).hint })).not.toContain(SECRET)
    expect(s.pending()).toEqual([])
  })

  it('fails with an AuthError when the token endpoint refuses the app', async () => {
    const s = scripted({ 'POST /v2/oauth2/token': [{ status: 401, body: { error: 'invalid_client' } }] })
    await expect(readAll(source(s.http).read('tags', null, { since: null }, signal))).rejects.toBeInstanceOf(AuthError)
  })
})

describe('helpscout tickets', () => {
  it('lists threads separately only for conversations with (truncated) chat threads', async () => {
    const s = scripted({
      'POST /v2/oauth2/token': [token()],
      [CONVERSATIONS]: [page('conversations', [conv(5001, 'email', [{ id: 1, type: 'customer', createdAt: '2024-01-01T00:00:00Z' }]), conv(5002, 'chat', [chatThread(2, 'Hello th…')])])],
      'GET /v2/conversations/5002/threads?page=1': [page('threads', [chatThread(2, 'Hello there, full line')], 1, 1)],
    })
    const [p] = await readAll(source(s.http).read('tickets', null, { since: null }, signal))
    expect(s.pending()).toEqual([])
    expect(p?.records.find((r) => r.canonical.sourceId === '2')?.canonical).toMatchObject({ bodyText: 'Hello there, full line' })
    expect(p?.checkpoint).toEqual({ page: 1 })
  })

  it('ends a chat thread list that never advances with an error naming it, instead of paging forever', async () => {
    const stuck = page('threads', [chatThread(2, 'again')], 1, 5)
    const s = scripted({
      'POST /v2/oauth2/token': [token()],
      [CONVERSATIONS]: [page('conversations', [conv(5002, 'chat', [chatThread(2, 'Hello th…')])])],
      'GET /v2/conversations/5002/threads?page=1': [stuck],
      'GET /v2/conversations/5002/threads?page=2': [stuck],
      'GET /v2/conversations/5002/threads?page=3': [stuck],
    })
    const err = await readAll(source(s.http).read('tickets', null, { since: null }, signal)).catch((e: unknown) => e)
    expect((err as Error).message).toContain('the listing of threads of conversation 5002 does not end')
  })

  it('follows a merge redirect once and stages the survivor with the old id in mergedFrom', async () => {
    const s = scripted({
      'POST /v2/oauth2/token': [token()],
      [CONVERSATIONS]: [page('conversations', [conv(5002, 'chat', [chatThread(2, 'trunc…')])])],
      'GET /v2/conversations/5002/threads?page=1': [{ status: 301, headers: { location: 'https://elsewhere.example/v2/conversations/5009' } }],
      'GET /v2/conversations/5009?embed=threads': [{ status: 200, body: conv(5009, 'email', [{ id: 3, type: 'customer', createdAt: '2024-01-01T00:00:00Z' }]) }],
    })
    const [p] = await readAll(source(s.http).read('tickets', null, { since: null }, signal))
    expect(s.pending()).toEqual([])
    // The redirect's host is ignored: the token only ever goes to the configured base URL.
    expect(s.sent.every((r) => r.url.startsWith(BASE))).toBe(true)
    const tickets = p?.records.filter((r) => r.canonical.kind === 'ticket').map((r) => r.canonical)
    expect(tickets).toEqual([expect.objectContaining({ sourceId: '5009', mergedFrom: ['5002'] })])
  })

  it('stages the embedded chat and records the loss when the full thread list cannot be had', async () => {
    const s = scripted({
      'POST /v2/oauth2/token': [token()],
      [CONVERSATIONS]: [page('conversations', [conv(5002, 'chat', [chatThread(2, 'Hello th…')])])],
      'GET /v2/conversations/5002/threads?page=1': [{ status: 404 }],
      // A 404 from List Threads is checked with Get Conversation: a merged id would answer 301 there.
      'GET /v2/conversations/5002?embed=threads': [{ status: 404 }],
    })
    const [p] = await readAll(source(s.http).read('tickets', null, { since: null }, signal))
    expect(p?.records.map((r) => r.canonical.kind)).toEqual(['ticket', 'message'])
    expect(p?.rejects).toEqual([expect.objectContaining({ kind: 'message', sourceId: 'conversation 5002', reason: 'threads-unavailable' })])
  })

  it('reads a delta by modifiedAt with modifiedSince in whole seconds, resuming after the checkpoint page', async () => {
    const s = scripted({
      'POST /v2/oauth2/token': [token()],
      'GET /v2/conversations?embed=threads&modifiedSince=2024-05-01T10%3A00%3A00Z&page=3&sortField=modifiedAt&sortOrder=asc&status=all': [page('conversations', [], 3, 3)],
    })
    const pages = await readAll(source(s.http).read('tickets', { page: 2 }, { since: '2024-05-01T10:00:00.123Z' }, signal))
    expect(pages.map((p) => p.checkpoint)).toEqual([{ page: 3 }])
  })

  it('turns an unreadable page envelope into one page reject and goes on', async () => {
    const s = scripted({
      'POST /v2/oauth2/token': [token()],
      'GET /v2/users?page=1': [{ status: 200, body: { _embedded: { users: 'nope' }, page: { number: 1, totalPages: 2 } } }],
      'GET /v2/users?page=2': [page('users', [{ id: 1 }], 2, 2)],
    })
    const pages = await readAll(source(s.http).read('agents', null, { since: null }, signal))
    expect(pages.map((p) => [p.checkpoint, p.records.length, p.rejects.map((r) => r.kind)])).toEqual([[{ page: 1 }, 0, ['page']], [{ page: 2 }, 1, []]])
  })
})

describe('helpscout directory streams', () => {
  it('reads mailboxes and their fields as one restart page', async () => {
    const s = scripted({
      'POST /v2/oauth2/token': [token()],
      'GET /v2/mailboxes?page=1': [page('mailboxes', [{ id: 1, name: 'Support' }, { id: 2, name: 'Sales' }])],
      'GET /v2/mailboxes/1/fields?page=1': [page('fields', [{ id: 91, name: 'Plan', type: 'dropdown', options: [] }])],
      'GET /v2/mailboxes/2/fields?page=1': [{ status: 404 }],
    })
    const pages = await readAll(source(s.http).read('groups', null, { since: null }, signal))
    expect(pages).toHaveLength(1)
    expect(pages[0]?.checkpoint).toEqual({ complete: true })
    expect(pages[0]?.records.map((r) => `${r.canonical.kind}:${r.canonical.sourceId}`)).toEqual(['group:1', 'group:2', 'custom_field:91'])
  })

  it('reads nothing from an account without organisations (404), and fails a 403 with an AuthError', async () => {
    const none = scripted({ 'POST /v2/oauth2/token': [token()], 'GET /v2/organizations?page=1': [{ status: 404 }] })
    expect(await readAll(source(none.http).read('organizations', null, { since: null }, signal))).toEqual([])
    const forbidden = scripted({ 'POST /v2/oauth2/token': [token()], 'GET /v2/organizations?page=1': [{ status: 403 }] })
    await expect(readAll(source(forbidden.http).read('organizations', null, { since: null }, signal))).rejects.toBeInstanceOf(AuthError)
  })
})

describe('helpscout attachments and check', () => {
  it('streams /file bytes and reports a missing file as a RemoteRequestError', async () => {
    const s = scripted({
      'POST /v2/oauth2/token': [token()],
      'GET /v2/conversations/5/attachments/7/file': [{ status: 200, body: 'bytes!', headers: { 'content-length': '6' } }],
      'GET /v2/conversations/5/attachments/8/file': [{ status: 410 }],
    })
    const src = source(s.http)
    const file = await src.openAttachment!({ conversationId: '5', attachmentId: '7' }, signal)
    expect(file.size).toBe(6)
    expect(Buffer.concat(await file.body.toArray()).toString()).toBe('bytes!')
    await expect(src.openAttachment!({ conversationId: '5', attachmentId: '8' }, signal)).rejects.toBeInstanceOf(RemoteRequestError)
  })

  it('fetches an attachment from the surviving conversation when its own was merged away', async () => {
    const s = scripted({
      'POST /v2/oauth2/token': [token()],
      'GET /v2/conversations/5/attachments/7/file': [{ status: 301, headers: { location: '/v2/conversations/9' } }],
      'GET /v2/conversations/9/attachments/7/file': [{ status: 200, body: 'moved bytes' }],
    })
    const file = await source(s.http).openAttachment!({ conversationId: '5', attachmentId: '7' }, signal)
    expect(Buffer.concat(await file.body.toArray()).toString()).toBe('moved bytes')
    expect(file.size).toBeNull()
  })

  it('reports forbidden and missing features per stream without throwing', async () => {
    const s = scripted({
      'POST /v2/oauth2/token': [token()],
      'GET /v2/users/me': [{ status: 200, body: { id: 1 } }],
      'GET /v2/users?page=1': [page('users', [])],
      'GET /v2/mailboxes?page=1': [page('mailboxes', [])],
      'GET /v2/tags?page=1': [page('tags', [])],
      'GET /v2/organizations?page=1': [{ status: 404 }],
      'GET /v2/customers?page=1&sortField=createdAt&sortOrder=asc': [{ status: 403 }],
      [CONVERSATIONS]: [page('conversations', [])],
    })
    const report = await source(s.http).check(signal)
    expect(report.ok).toBe(false)
    expect(Object.fromEntries(report.items.map((i) => [i.name, i.status]))).toEqual({
      credentials: 'ok', 'users/me': 'ok', agents: 'ok', groups: 'ok', tags: 'ok', organizations: 'ok', customers: 'forbidden', tickets: 'ok',
    })
  })
})
