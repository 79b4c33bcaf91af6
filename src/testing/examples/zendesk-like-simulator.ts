// A throwaway simulator of a Zendesk-shaped vendor, built on the simulator kit: the model of what a vendor
// simulator author writes (a lazy seeded world, the vendor's routes and auth, its rate-limit header names) and
// what the kit gives (counting, limits, faults, /_sim/*). It serves a cursor-paged users listing, the
// incremental tickets export (its own budget: 10 requests/minute), per-ticket comments paged by cursor, and
// attachment files behind signed links that expire like S3's (403 once past `expires`).
import {
  Rng,
  SparseRules,
  bytesResponse,
  generatedFileBytes,
  hash32,
  jsonResponse,
  resolveCommonOptions,
  sha256Hex,
  startSimServer,
  type CommonSimOptions,
  type SimRequest,
  type SimResponse,
  type SimStats,
} from '../../kits/simulator/index.js'

export interface ZendeskLikeSimOptions extends CommonSimOptions {
  /** Tickets in the account (default 30); end users are half as many, agents 3. */
  readonly tickets?: number
  /** Items per page of the users listing and the tickets export (default 10). */
  readonly pageSize?: number
  /** Comments per page of a ticket's comments (default 3, so long tickets page). */
  readonly commentsPageSize?: number
  /** The tickets export's own budget, requests per minute (default 10, as Zendesk's). */
  readonly exportRpm?: number
  /** How long an attachment link stays valid at least, ms (default 5 minutes; valid up to twice that). */
  readonly linkTtlMs?: number
  /** Clock of the rate windows and the link expiry (default `Date.now`); tests share a virtual one. */
  readonly now?: () => number
}

export interface ZendeskLikeManifest {
  readonly counts: { readonly agent: number; readonly customer: number; readonly ticket: number; readonly message: number; readonly attachment: number }
  readonly tickets: readonly { readonly id: number; readonly comments: number; readonly attachments: readonly { readonly id: number; readonly sha256: string; readonly size: number }[] }[]
}

export interface ZendeskLikeSimulator {
  readonly origin: string
  /** The API root a source is configured with. */
  readonly baseUrl: string
  manifest(): ZendeskLikeManifest
  stats(): SimStats
  close(): Promise<void>
}

export const EXPORT_ROUTE = 'GET /api/v2/incremental/tickets/cursor.json'
export const COMMENTS_ROUTE = 'GET /api/v2/tickets/{id}/comments.json'
export const ATTACHMENT_ROUTE = 'GET /attachments/{id}'

const BASE_TIME = Date.parse('2025-01-01T00:00:00Z')
const AGENTS = 3
const STATUSES = ['new', 'open', 'pending', 'hold', 'solved', 'closed'] as const
const FILE_TYPES = [['png', 'image/png'], ['pdf', 'application/pdf'], ['txt', 'text/plain']] as const
const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z')
const cursorOf = (parts: readonly (string | number)[]): string => Buffer.from(parts.join(':')).toString('base64url')
const partsOf = (cursor: string): string[] => Buffer.from(cursor, 'base64url').toString('utf8').split(':')

interface World {
  readonly customers: number
  user(id: number): Record<string, unknown> | null
  userIds(): number[]
  ticket(index: number): Ticket
}

interface Ticket {
  readonly wire: Record<string, unknown>
  readonly updatedAt: number
  readonly comments: readonly Comment[]
}

interface Comment {
  readonly id: number
  readonly body: string
  readonly authorId: number
  readonly public: boolean
  readonly createdAt: number
  readonly files: readonly { readonly id: number; readonly name: string; readonly type: string; readonly size: number }[]
}

function world(seed: number, tickets: number, sparse: SparseRules): World {
  const customers = Math.max(4, Math.ceil(tickets / 2))
  const user = (id: number): Record<string, unknown> | null => {
    const agent = id > 100 && id <= 100 + AGENTS
    const n = agent ? id - 100 : id - 200
    if (!agent && (n < 1 || n > customers)) return null
    const base = {
      id, name: agent ? `Agent ${n}` : `Customer ${n}`, role: agent ? (n === 1 ? 'admin' : 'agent') : 'end-user', active: true,
      email: agent ? `agent${n}@vendor.example` : `customer${n}@example.com`, phone: agent ? null : `+49 30 ${1000 + n}`,
      time_zone: 'Europe/Berlin', created_at: iso(BASE_TIME - n * 86_400_000), updated_at: iso(BASE_TIME),
    }
    // Sparse accounts: end users without an address or phone, no time zone.
    return agent ? sparse.omit(base, 'time_zone', 'user.tz', id) : sparse.nullify(sparse.omit(base, 'phone', 'user.phone', id), 'email', 'user.email', id, 0.3)
  }
  const ticket = (i: number): Ticket => {
    const r = new Rng(seed, 1, i)
    const id = 1001 + i
    const requester = 201 + r.int(customers)
    const assignee = r.chance(0.8) ? 101 + r.int(AGENTS) : null
    const createdAt = BASE_TIME + i * 3_600_000
    const comments: Comment[] = []
    const count = r.range(1, 5)
    for (let j = 0; j < count; j++) {
      const cid = id * 100 + j
      const fromCustomer = j === 0 || r.chance(0.4)
      const files = r.chance(0.35) ? Array.from({ length: r.range(1, 2) }, (_, k) => {
        const [ext, type] = r.pick(FILE_TYPES)
        return { id: cid * 10 + k, name: `file-${cid}-${k}.${ext}`, type, size: r.range(200, 6000) }
      }) : []
      comments.push({ id: cid, authorId: fromCustomer ? requester : (assignee ?? 101), public: j === 0 || r.chance(0.8), createdAt: createdAt + j * 600_000, files, body: `Message ${j + 1} on ticket ${id}: it <b>still</b> fails &amp; we wait.` })
    }
    const updatedAt = comments.at(-1)!.createdAt
    const wire = {
      id, url: `/api/v2/tickets/${id}.json`, subject: `Ticket ${id}: printer on floor ${r.range(1, 9)}`, status: r.pick(STATUSES),
      priority: sparse.applies('ticket.priority', id) ? null : r.pick(['low', 'normal', 'high', 'urgent']),
      requester_id: requester, submitter_id: requester, assignee_id: sparse.applies('ticket.assignee', id, 0.3) ? null : assignee,
      tags: sparse.emptyList(['printer', `floor-${i % 3}`], 'ticket.tags', id), via: { channel: r.pick(['email', 'web', 'api']) },
      created_at: iso(createdAt), updated_at: iso(updatedAt),
    }
    return { wire: sparse.omit(wire, 'via', 'ticket.via', id), updatedAt, comments }
  }
  const userIds = (): number[] => [...Array.from({ length: AGENTS }, (_, i) => 101 + i), ...Array.from({ length: customers }, (_, i) => 201 + i)]
  return { customers, user, userIds, ticket }
}

/** Starts the simulator (port 0: any free port). */
export async function startZendeskLikeSimulator(o: ZendeskLikeSimOptions = {}): Promise<ZendeskLikeSimulator> {
  const options = resolveCommonOptions(o, 700)
  const now = o.now ?? Date.now
  const tickets = o.tickets ?? 30
  const pageSize = o.pageSize ?? 10
  const commentsPageSize = o.commentsPageSize ?? 3
  const ttl = o.linkTtlMs ?? 300_000
  const sparse = new SparseRules(options.profile, options.seed)
  const w = world(options.seed, tickets, sparse)
  const signature = (fileId: number, expires: number): string => hash32(options.seed, fileId, expires).toString(16)
  const error = (status: number, message: string): SimResponse => jsonResponse(status, { error: message })

  /** A link valid for at least `ttl`: issued on a ttl boundary, so links read in one stretch are equal. */
  const signedLink = (origin: string, f: Comment['files'][number]): string => {
    const expires = (Math.floor(now() / ttl) + 2) * ttl
    return `${origin}/attachments/${f.id}/${encodeURIComponent(f.name)}?expires=${expires}&signature=${signature(f.id, expires)}`
  }
  const commentWire = (origin: string, ticketId: number, c: Comment): Record<string, unknown> => ({
    id: c.id, type: 'Comment', author_id: c.authorId, public: c.public, created_at: iso(c.createdAt),
    plain_body: c.body.replace(/<\/?b>/g, '').replace('&amp;', '&'),
    ...(sparse.applies('comment.html', c.id) ? {} : { html_body: `<div class="zd-comment"><p>${c.body}</p></div>` }),
    attachments: c.files.map((f) => sparse.omit({ id: f.id, file_name: f.name, content_type: f.type, size: f.size, inline: false, content_url: signedLink(origin, f) }, 'size', 'file.size', f.id, 0.3)),
    metadata: { ticket_id: ticketId },
  })
  /** One page of a cursor listing in Zendesk's `meta` / `links` shape. */
  const cursorPage = <T>(key: string, all: readonly T[], q: URLSearchParams, size: number, url: string, render: (item: T) => unknown): SimResponse => {
    const after = q.get('page[after]')
    const start = after === null ? 0 : Number(partsOf(after)[1])
    if (!Number.isInteger(start) || start < 0) return error(400, 'invalid cursor')
    const end = Math.min(all.length, start + Math.max(1, Math.min(size, Number(q.get('page[size]') ?? size))))
    const next = cursorOf([key, end])
    const hasMore = end < all.length
    return jsonResponse(200, { [key]: all.slice(start, end).map(render), meta: { has_more: hasMore, after_cursor: hasMore ? next : null }, links: { next: hasMore ? `${url}?page[after]=${next}` : null } })
  }
  const exportPage = (origin: string, q: URLSearchParams): SimResponse => {
    const cursor = q.get('cursor')
    const [startTime, offset] = cursor === null ? [Number(q.get('start_time') ?? NaN), 0] : partsOf(cursor).slice(1).map(Number) as [number, number]
    if (!Number.isFinite(startTime) || !Number.isInteger(offset)) return error(400, 'start_time or cursor required')
    // Ordered by update time, as the export is; the list is small, so it is filtered on every request.
    const all = Array.from({ length: tickets }, (_, i) => w.ticket(i)).filter((t) => t.updatedAt >= startTime * 1000).sort((a, b) => a.updatedAt - b.updatedAt)
    const end = Math.min(all.length, offset + pageSize)
    const after = cursorOf(['t', startTime, end])
    return jsonResponse(200, {
      tickets: all.slice(offset, end).map((t) => ({ ...t.wire, url: `${origin}${t.wire.url as string}` })),
      after_cursor: after, after_url: `${origin}/api/v2/incremental/tickets/cursor.json?cursor=${after}`, before_cursor: null, end_of_stream: end >= all.length,
    })
  }
  const attachment = (req: SimRequest, fileId: number): SimResponse => {
    const index = Math.floor(fileId / 1000) - 1001
    const f = index >= 0 && index < tickets ? w.ticket(index).comments.flatMap((c) => c.files).find((x) => x.id === fileId) : undefined
    const expires = Number(req.url.searchParams.get('expires'))
    const s3 = (code: string, message: string): SimResponse => ({ status: 403, headers: { 'content-type': 'application/xml' }, body: Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`) })
    if (!f || req.url.searchParams.get('signature') !== signature(fileId, expires)) return s3('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.')
    if (now() >= expires) return s3('AccessDenied', 'Request has expired')
    return bytesResponse(generatedFileBytes(options.seed, { id: f.id, size: f.size, mimeType: f.type }), f.type)
  }
  const authorized = (req: SimRequest): boolean => {
    const [scheme, value] = (req.headers.authorization ?? '').split(' ')
    return scheme === 'Basic' && /^[^:/]+\/token:.+$/.test(Buffer.from(value ?? '', 'base64').toString('utf8'))
  }
  const handle = (req: SimRequest, origin: string): SimResponse => {
    const path = req.url.pathname
    const q = req.url.searchParams
    const file = /^\/attachments\/(\d+)\/[^/]+$/.exec(path)
    if (req.method === 'GET' && file) return attachment(req, Number(file[1]))
    if (!authorized(req)) return error(401, "Couldn't authenticate you")
    if (req.method !== 'GET') return error(405, 'Method not allowed')
    if (path === '/api/v2/users/me.json') return jsonResponse(200, { user: w.user(101) })
    if (path === '/api/v2/users.json') return cursorPage('users', w.userIds(), q, pageSize, `${origin}${path}`, (id) => w.user(id))
    if (path === '/api/v2/incremental/tickets/cursor.json') return exportPage(origin, q)
    const comments = /^\/api\/v2\/tickets\/(\d+)\/comments\.json$/.exec(path)
    const index = comments ? Number(comments[1]) - 1001 : -1
    if (index < 0 || index >= tickets) return error(404, 'RecordNotFound')
    const t = w.ticket(index)
    return cursorPage('comments', t.comments, q, commentsPageSize, `${origin}${path}`, (c) => commentWire(origin, t.wire.id as number, c))
  }
  const routeKey = (method: string, path: string): string => {
    if (/^\/attachments\/\d+\//.test(path)) return ATTACHMENT_ROUTE
    if (/^\/api\/v2\/tickets\/\d+\/comments\.json$/.test(path)) return COMMENTS_ROUTE
    return ['/api/v2/users/me.json', '/api/v2/users.json', '/api/v2/incremental/tickets/cursor.json'].includes(path) ? `${method} ${path}` : 'other'
  }
  const manifest = (): ZendeskLikeManifest => {
    const all = Array.from({ length: tickets }, (_, i) => w.ticket(i))
    const list = all.map((t) => ({
      id: t.wire.id as number,
      comments: t.comments.length,
      attachments: t.comments.flatMap((c) => c.files).map((f) => ({ id: f.id, size: f.size, sha256: sha256Hex(generatedFileBytes(options.seed, { id: f.id, size: f.size, mimeType: f.type })) })),
    }))
    const sum = (f: (t: (typeof list)[number]) => number): number => list.reduce((n, t) => n + f(t), 0)
    return { counts: { agent: AGENTS, customer: w.customers, ticket: tickets, message: sum((t) => t.comments), attachment: sum((t) => t.attachments.length) }, tickets: list }
  }
  const server = await startSimServer({
    options,
    now,
    rateLimitHeaders: { limit: 'x-rate-limit', remaining: 'x-rate-limit-remaining', retryAfter: ['retry-after'] },
    endpointLimits: [{ routes: [EXPORT_ROUTE], rpm: o.exportRpm ?? 10 }],
    routeKey,
    handle,
    errorResponse: error,
    faultJson: (status) => ({ error: 'InternalError', description: `simulated ${status}` }),
    manifest,
  })
  return { origin: server.origin, baseUrl: `${server.origin}/api/v2`, manifest, stats: server.stats, close: server.close }
}
