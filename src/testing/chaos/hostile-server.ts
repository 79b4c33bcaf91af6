// A small Help Scout-shaped server (OAuth token + the list endpoints deskmove reads) serving hostile content.
// Self-contained on purpose: it will move onto the simulator kit later. Every request is counted so a
// listing that never ends shows up as a number, not as a hang.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

type Json = Record<string, unknown>

/** The dataset a scenario serves; scenarios mutate a copy of `baseWorld()`. */
export interface HostileWorld {
  users: Json[]
  mailboxes: Json[]
  tags: Json[]
  customers: Json[]
  /** Full conversations, threads embedded under `_embedded.threads`. */
  conversations: Json[]
  /** Attachment bytes by attachment id. */
  files: Map<string, Buffer>
  /** A hook that may answer any request itself (raw body, resets, endless pages); undefined = default. */
  override?: (path: string, query: URLSearchParams, res: ServerResponse) => boolean
}

export interface HostileServer {
  readonly url: string
  readonly env: Record<string, string>
  /** Requests served, per path pattern (ids replaced by `{id}`). */
  readonly requests: Map<string, number>
  totalRequests(): number
  close(): Promise<void>
}

export const APP_ID = 'hostile-app'
export const APP_SECRET = 'hostile-secret-not-real'
const PAGE = 50

/** Requests to one route after which the server stops answering. */
export const CUT_OFF = 600

/** Attachment bytes of a given length, deterministic. */
export function bytesOf(seed: number, length: number): Buffer {
  const b = Buffer.alloc(length)
  let x = seed >>> 0 || 1
  for (let i = 0; i < length; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    b[i] = x & 0xff
  }
  return b
}

const iso = (day: number): string => new Date(Date.UTC(2020, 0, 1 + day)).toISOString().replace(/\.\d{3}Z$/, 'Z')

/** An attachment entry of a thread. */
export function attachment(id: number, filename: string, size: number, mimeType = 'application/pdf'): Json {
  return { id, filename, mimeType, size, state: 'valid' }
}

/** A customer thread (or `type` given). */
export function thread(id: number, day: number, body: string, attachments: Json[] = [], type = 'customer'): Json {
  const by = type === 'customer' ? { id: 200001, type: 'customer', first: 'Carla', last: 'Kunde', email: 'carla@example.org' } : { id: 1001, type: 'user', first: 'Ada', last: 'Agent', email: 'ada@acme.example' }
  return {
    id, type, status: 'active', state: 'published', body,
    customer: { id: 200001, first: 'Carla', last: 'Kunde', email: 'carla@example.org' },
    createdBy: by, to: type === 'customer' ? [] : ['carla@example.org'], cc: [], bcc: [],
    createdAt: iso(day), _embedded: { attachments },
  }
}

/** A closed email conversation of customer 200001 in mailbox 3001. */
export function conversation(id: number, day: number, subject: string, threads: Json[]): Json {
  return {
    id, number: id - 10_000_000, threads: threads.length, type: 'email', status: 'closed', state: 'published', subject,
    mailboxId: 3001, createdBy: { id: 200001, type: 'customer', email: 'carla@example.org' },
    primaryCustomer: { id: 200001, type: 'customer', email: 'carla@example.org' },
    createdAt: iso(day), closedAt: iso(day + 1), userUpdatedAt: iso(day + 1), tags: [], cc: [], bcc: [], customFields: [],
    _embedded: { threads },
  }
}

/** Three plain conversations, two threads each, one 2 KB attachment each: the calm the storm is added to. */
export function baseWorld(): HostileWorld {
  const files = new Map<string, Buffer>()
  const conversations: Json[] = []
  for (let i = 1; i <= 3; i++) {
    const aid = 5_000_000 + i
    files.set(String(aid), bytesOf(aid, 2048))
    conversations.push(conversation(10_000_000 + i, i, `Question ${i}`, [
      thread(100_000_000 + i * 10 + 2, i, '<p>Answer</p>', [], 'message'),
      thread(100_000_000 + i * 10 + 1, i, '<p>Hello</p>', [attachment(aid, `report-${i}.pdf`, 2048)]),
    ]))
  }
  return {
    users: [{ id: 1001, firstName: 'Ada', lastName: 'Agent', email: 'ada@acme.example', role: 'owner', type: 'user', createdAt: iso(0), updatedAt: iso(0) }],
    mailboxes: [{ id: 3001, name: 'Support', slug: 'support', email: 'support@acme.example', createdAt: iso(0), updatedAt: iso(0) }],
    tags: [{ id: 4001, name: 'bug', slug: 'bug', createdAt: iso(0), updatedAt: iso(0) }],
    customers: [{ id: 200001, firstName: 'Carla', lastName: 'Kunde', createdAt: iso(0), updatedAt: iso(0), _embedded: { emails: [{ id: 1, value: 'carla@example.org', type: 'work' }], phones: [], websites: [] } }],
    conversations,
    files,
  }
}

/** A HAL list page of `all`, `page` 1-based. */
export function halPage(url: string, key: string, all: readonly unknown[], page: number, size = PAGE): Json {
  const totalPages = Math.ceil(all.length / size)
  const items = all.slice((page - 1) * size, page * size)
  return {
    ...(items.length ? { _embedded: { [key]: items } } : {}),
    page: { size, totalElements: all.length, totalPages, number: page },
    _links: { self: { href: `${url}?page=${page}` }, ...(page < totalPages ? { next: { href: `${url}?page=${page + 1}` } } : {}) },
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/hal+json;charset=UTF-8', 'content-length': Buffer.byteLength(text) })
  res.end(text)
}

function route(path: string): string {
  return path.replace(/\/\d+/g, '/{id}')
}

export async function startHostileServer(world: HostileWorld): Promise<HostileServer> {
  const requests = new Map<string, number>()
  let origin = ''
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://hostile.invalid')
    const path = url.pathname
    const n = (requests.get(route(path)) ?? 0) + 1
    requests.set(route(path), n)
    // Past this many requests to one route the listing is already judged a loop: cut the connection so the
    // run ends quickly (its verdict is a failure either way) instead of spinning until the time bound.
    if (n > CUT_OFF) return void res.socket?.destroy()
    if (path === '/v2/oauth2/token') return sendJson(res, 200, { access_token: 'hostile-token', token_type: 'bearer', expires_in: 7200 })
    if (world.override?.(path, url.searchParams, res)) return
    const page = Number(url.searchParams.get('page') ?? '1') || 1
    const list = (key: string, all: readonly unknown[]): void => sendJson(res, 200, halPage(`${origin}${path}`, key, all, page, key === 'conversations' ? 25 : PAGE))
    if (path === '/v2/users/me') return sendJson(res, 200, world.users[0])
    if (path === '/v2/users') return list('users', world.users)
    if (path === '/v2/mailboxes') return list('mailboxes', world.mailboxes)
    if (/^\/v2\/mailboxes\/\d+\/fields$/.test(path)) return list('fields', [])
    if (path === '/v2/tags') return list('tags', world.tags)
    if (path === '/v2/organizations') return list('organizations', [])
    if (path === '/v2/customers') return list('customers', world.customers)
    if (path === '/v2/conversations') return list('conversations', world.conversations)
    let m = /^\/v2\/conversations\/(\d+)\/threads$/.exec(path)
    if (m) {
      const c = world.conversations.find((x) => String(x.id) === m![1])
      return c ? list('threads', ((c._embedded as Json).threads as unknown[]) ?? []) : sendJson(res, 404, { message: 'not found' })
    }
    m = /^\/v2\/conversations\/(\d+)$/.exec(path)
    if (m) {
      const c = world.conversations.find((x) => String(x.id) === m![1])
      return c ? sendJson(res, 200, c) : sendJson(res, 404, { message: 'not found' })
    }
    m = /^\/v2\/conversations\/\d+\/attachments\/(\d+)\/(file|data)$/.exec(path)
    if (m) {
      const bytes = world.files.get(m[1]!)
      if (!bytes) return sendJson(res, 404, { message: 'not found' })
      if (m[2] === 'data') return sendJson(res, 200, { data: bytes.toString('base64') })
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length })
      return void res.end(bytes)
    }
    sendJson(res, 404, { message: `no route ${path}` })
  }
  const server = createServer((req, res) => {
    // Bodies of GETs are ignored; the token POST body is drained so the socket can be reused.
    req.resume()
    req.on('end', () => {
      try {
        handle(req, res)
      } catch (e) {
        if (!res.headersSent) sendJson(res, 500, { message: String(e) })
        else res.destroy()
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url: origin,
    env: { HELPSCOUT_BASE_URL: `${origin}/v2`, HELPSCOUT_APP_ID: APP_ID, HELPSCOUT_APP_SECRET: APP_SECRET },
    requests,
    totalRequests: () => [...requests.values()].reduce((a, b) => a + b, 0),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
