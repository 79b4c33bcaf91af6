// Merged conversations as Help Scout documents them: List Threads of the old id answers 404 and only Get
// Conversation answers 301 (for 60 days) to the survivor, which names the old id in a merge line item.
import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { silentLogger } from '../../../src/core/log.js'
import type { HttpClient, HttpRequest, JsonResponse } from '../../../src/core/http.js'
import type { SourcePage } from '../../../src/core/source.js'
import { helpscoutSource } from './index.js'

const BASE = 'https://hs.test/v2'
type Reply = { status: number; body?: unknown; headers?: Record<string, string> }

function scripted(routes: Record<string, Reply[]>) {
  const sent: string[] = []
  const next = (req: HttpRequest): Reply => {
    const url = new URL(req.url)
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v))
    url.searchParams.sort()
    const key = `${req.method ?? 'GET'} ${url.pathname}${url.search}`
    sent.push(key)
    const reply = routes[key]?.shift()
    if (!reply) throw new Error(`unexpected request ${key}`)
    return reply
  }
  const http: HttpClient = {
    async requestJson(req): Promise<JsonResponse> {
      const r = next(req)
      return { status: r.status, headers: r.headers ?? {}, url: req.url, body: r.body ?? null }
    },
    async requestStream(req) {
      const r = next(req)
      return { status: r.status, headers: r.headers ?? {}, url: req.url, body: Readable.from([Buffer.from(typeof r.body === 'string' ? r.body : JSON.stringify(r.body ?? ''))]) }
    },
    stats: () => ({ requests: sent.length, byRoute: {}, byStatus: {}, throttled: 0, retries: 0, bytesIn: 0 }),
    close: async () => {},
  }
  return { http, sent, pending: () => Object.entries(routes).filter(([, r]) => r.length > 0).map(([k]) => k) }
}

const token: Reply = { status: 200, body: { token_type: 'bearer', access_token: 'tok', expires_in: 7200 } }
const CONVERSATIONS = 'GET /v2/conversations?embed=threads&page=1&sortField=createdAt&sortOrder=asc&status=all'
const conv = (id: number, type: string, threads: unknown[]) => ({ id, number: id - 5000, type, status: 'active', mailboxId: 1, createdAt: '2024-01-01T00:00:00Z', _embedded: { threads } })
const signal = new AbortController().signal

async function readTickets(http: HttpClient): Promise<SourcePage[]> {
  const src = helpscoutSource.create({ appId: 'a', appSecret: 'secret-value-x', baseUrl: BASE }, { http, log: silentLogger, now: () => new Date(0) })
  const pages: SourcePage[] = []
  for await (const p of src.read('tickets', null, { since: null }, signal)) pages.push(p)
  return pages
}

describe('merged conversations', () => {
  it('on a 404 from List Threads asks Get Conversation, follows its 301 and stages the survivor with the old id', async () => {
    const merge = { id: 31, type: 'lineitem', createdAt: '2024-01-02T00:00:00Z', action: { type: 'merged', text: 'Merged #2 into this', associatedEntities: { conversation: { id: 5002, number: 2 } } } }
    const s = scripted({
      'POST /v2/oauth2/token': [token],
      [CONVERSATIONS]: [{ status: 200, body: { _embedded: { conversations: [conv(5002, 'chat', [{ id: 2, type: 'chat', createdAt: '2024-01-01T00:00:00Z', body: 'trunc…' }])] }, page: { size: 25, totalElements: 1, totalPages: 1, number: 1 } } }],
      'GET /v2/conversations/5002/threads?page=1': [{ status: 404, body: { message: 'Not found' } }],
      'GET /v2/conversations/5002?embed=threads': [{ status: 301, headers: { location: `${BASE}/conversations/5009` } }],
      'GET /v2/conversations/5009?embed=threads': [{ status: 200, body: conv(5009, 'email', [{ id: 3, type: 'customer', createdAt: '2024-01-01T00:00:00Z' }, merge]) }],
    })
    const [p] = await readTickets(s.http)
    expect(s.pending()).toEqual([])
    expect(p?.rejects).toEqual([])
    const tickets = p?.records.filter((r) => r.canonical.kind === 'ticket').map((r) => r.canonical)
    expect(tickets).toEqual([expect.objectContaining({ sourceId: '5009', mergedFrom: ['5002'] })])
  })

  it('a 404 that Get Conversation confirms (deleted) stages the embedded threads and records the loss', async () => {
    const s = scripted({
      'POST /v2/oauth2/token': [token],
      [CONVERSATIONS]: [{ status: 200, body: { _embedded: { conversations: [conv(5003, 'chat', [{ id: 4, type: 'chat', createdAt: '2024-01-01T00:00:00Z', body: 'trunc…' }])] }, page: { size: 25, totalElements: 1, totalPages: 1, number: 1 } } }],
      'GET /v2/conversations/5003/threads?page=1': [{ status: 404 }],
      'GET /v2/conversations/5003?embed=threads': [{ status: 404 }],
    })
    const [p] = await readTickets(s.http)
    expect(p?.records.map((r) => r.canonical.kind).sort()).toEqual(['message', 'ticket'])
    expect(p?.rejects).toEqual([expect.objectContaining({ kind: 'message', reason: 'threads-unavailable', detail: expect.stringContaining('404') })])
  })
})
