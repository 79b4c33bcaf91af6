// A bare HTTP client for the simulator's tests: raw status, body and parsed JSON, no retries, no checks.
import { request } from 'node:http'
import type { ZnunySim } from './server.js'

export interface RawReply {
  readonly status: number
  readonly contentType: string
  readonly text: string
  /** Parsed body, or undefined when it is not JSON. */
  readonly json: Record<string, unknown> | undefined
}

export class GiClient {
  sessionId = ''

  constructor(readonly sim: ZnunySim) {}

  async call(method: string, route: string, body?: unknown, query: Record<string, string | number> = {}): Promise<RawReply> {
    const url = new URL(`${this.sim.baseUrl}${route}`)
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, String(v))
    const res = await fetch(url, { method, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json' } })
    const text = await res.text()
    let json: Record<string, unknown> | undefined
    try {
      json = JSON.parse(text) as Record<string, unknown>
    } catch {
      json = undefined
    }
    return { status: res.status, contentType: res.headers.get('content-type') ?? '', text, json }
  }

  async login(): Promise<string> {
    const r = await this.call('POST', '/Session', { UserLogin: this.sim.env.ZNUNY_USER, Password: this.sim.env.ZNUNY_PASSWORD })
    this.sessionId = String(r.json?.SessionID)
    return this.sessionId
  }

  /** TicketCreate with the session; `extra` is merged at the top level. */
  create(ticket: Record<string, unknown>, article: unknown, extra: Record<string, unknown> = {}): Promise<RawReply> {
    return this.call('POST', '/Ticket', { SessionID: this.sessionId, Ticket: ticket, Article: article, ...extra })
  }

  update(id: string | number, body: Record<string, unknown>): Promise<RawReply> {
    return this.call('PATCH', `/Ticket/${id}`, { SessionID: this.sessionId, ...body })
  }

  /** TicketGet with every option on; returns the one ticket. */
  async get(id: string | number, query: Record<string, string | number> = { AllArticles: 1, Attachments: 1, DynamicFields: 1 }): Promise<Record<string, unknown>> {
    const r = await this.call('GET', `/Ticket/${id}`, undefined, { SessionID: this.sessionId, ...query })
    const tickets = r.json?.Ticket as Record<string, unknown>[] | undefined
    if (!tickets?.[0]) throw new Error(`TicketGet ${id}: ${r.text}`)
    return tickets[0]
  }

  search(query: Record<string, string | number>): Promise<RawReply> {
    return this.call('GET', '/Ticket', undefined, { SessionID: this.sessionId, ...query })
  }

  /** A GET with a JSON body (fetch refuses one), as PyOTRS sends every call. */
  getWithBody(route: string, body: unknown): Promise<RawReply> {
    return new Promise((resolve, reject) => {
      const payload = JSON.stringify(body)
      const req = request(new URL(`${this.sim.baseUrl}${route}`), { method: 'GET', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), text, json: JSON.parse(text) as Record<string, unknown> })
        })
      })
      req.on('error', reject)
      req.end(payload)
    })
  }
}

/** Sends raw bytes and returns everything the server wrote before closing (for replies without HTTP framing). */
export function rawExchange(sim: ZnunySim, method: string, route: string, body: string): Promise<string> {
  return new Promise<string>((resolve) => {
    const url = new URL(`${sim.baseUrl}${route}`)
    const req = request(url, { method, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } })
    req.on('socket', (socket) => {
      const chunks: Buffer[] = []
      socket.on('data', (c: Buffer) => chunks.push(c))
      socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')))
    })
    // The parser's complaint about a missing status line is the point of these replies, not a failure.
    req.on('error', () => undefined)
    req.end(body)
  })
}

/** A plain customer e-mail article (valid for TicketCreate). */
export const customerArticle = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  CommunicationChannel: 'Email', SenderType: 'customer', IsVisibleForCustomer: 1, From: 'John Doe <jdoe@acme.test>',
  Subject: 'Printer broken', Body: 'The printer on floor 2 is broken.', ContentType: 'text/plain; charset=utf8', ...extra,
})

/** A ticket on the clean queue Raw for the seeded customer user. */
export const rawTicket = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  Title: 'Imported ticket 1', Queue: 'Raw', State: 'new', Priority: '3 normal', CustomerUser: 'jdoe', ...extra,
})
