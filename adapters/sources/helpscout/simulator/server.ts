/**
 * Help Scout Mailbox API 2.0 simulator: serves a deterministic generated dataset so the Help Scout
 * adapter can be run and benchmarked offline.
 *
 * Wire choices where Help Scout documents nothing (the adapter should rely on exactly these):
 * - Inline images: the attachment object carries `contentId` (e.g. `img-1000000123@sim.deskmove`,
 *   no angle brackets) and the thread body references it as `<img src="cid:img-1000000123@sim.deskmove">`.
 * - Merges: the surviving conversation has a `lineitem` thread with
 *   `action: { type: "merged", text, associatedEntities: { conversation: { id: <oldId>, number: <oldNumber> } } }`;
 *   `GET /v2/conversations/{oldId}` and `…/{oldId}/threads` answer 301 with `Location` of the survivor
 *   (query kept). The old id is never listed and is not counted in the manifest.
 * - Chat threads in `GET /v2/conversations?embed=threads` have their `body` cut to 80 code points
 *   followed by "…" (every generated chat body is longer). `GET /v2/conversations/{id}` (with
 *   `embed=threads`) and `/threads` return whole bodies. Rule for clients: re-read `/threads` for any
 *   listed conversation holding a thread of type `chat`.
 * - Rate-limit headers are sent on every response while `rpm` is set; with `rpm: null` none are sent.
 * - Drafts are never generated (the API does not list them); deleted conversations are listed with
 *   `state: "deleted"` and spam with `status: "spam"` under `status=all`.
 * - Photo and web links point at `*.helpscout-sim.invalid` hosts, which the simulator does not serve.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { readGrant, TokenStore } from './auth.js'
import { faultBody, faultShape, pickFault } from './faults.js'
import { computeManifest } from './manifest.js'
import { resolveSimOptions, type HelpScoutSimulatorOptions } from './options.js'
import { QueryCache } from './queries.js'
import { SlidingWindowLimiter } from './rate-limit.js'
import { errorResponse, jsonResponse } from './responses.js'
import { handleGet, matchRoute, type RouteContext } from './router.js'
import type { SimManifest, SimResponse, SimStats } from './types.js'
import { parseProfile } from './sparse.js'
import { World } from './world.js'

export type { SimManifest, SimStats } from './types.js'
export type { HelpScoutSimulatorOptions } from './options.js'

/** A running simulator. */
export interface HelpScoutSimulator {
  /** Origin of the server, e.g. `http://127.0.0.1:41234`; the API lives under `/v2/`. */
  readonly url: string
  /** Environment for the deskmove Help Scout adapter (base URL includes `/v2`). */
  readonly env: { HELPSCOUT_BASE_URL: string; HELPSCOUT_APP_ID: string; HELPSCOUT_APP_SECRET: string }
  /** Ground truth of a complete extract; computed on first use (it takes a moment for large datasets). */
  manifest(): SimManifest
  stats(): SimStats
  close(): Promise<void>
}

const TOKEN_PATH = '/v2/oauth2/token'
const MAX_BODY = 1 << 20

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size <= MAX_BODY) chunks.push(c)
    })
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

/** Starts the simulator and resolves once it listens. */
export async function startHelpScoutSimulator(o: HelpScoutSimulatorOptions = {}): Promise<HelpScoutSimulator> {
  const opts = resolveSimOptions(o)
  const world = new World(opts.seed, opts.conversations, parseProfile(o.profile))
  const queries = new QueryCache(world)
  const tokens = new TokenStore(opts.seed, opts.tokenTtlSeconds)
  const limiter = opts.rpm === null ? null : new SlidingWindowLimiter(opts.rpm)
  const stats: SimStats = { requests: {}, total: 0, throttled: 0, faults: {} }
  let manifestCache: SimManifest | null = null
  const manifest = () => (manifestCache ??= computeManifest(world))
  let counter = 0
  let ctx: RouteContext | null = null
  const sockets = new Set<Socket>()

  function answer(res: ServerResponse, r: SimResponse, extra: Record<string, string>): void {
    res.writeHead(r.status, { ...r.headers, ...extra, 'content-length': String(r.body.length) })
    res.end(r.body)
  }

  function apiResponse(req: IncomingMessage, url: URL, body: Buffer): SimResponse {
    if (url.pathname === TOKEN_PATH) {
      if (req.method !== 'POST') return errorResponse(404, `No route for ${req.method} ${url.pathname}`)
      const grant = readGrant(req.headers['content-type'], body, url.searchParams)
      if (grant.grantType !== 'client_credentials') {
        return jsonResponse(400, { error: 'unsupported_grant_type', error_description: 'Only client_credentials is simulated' }, 'application/json')
      }
      if (grant.clientId !== opts.appId || grant.clientSecret !== opts.appSecret) {
        return jsonResponse(401, { error: 'invalid_client', error_description: 'Invalid client credentials' }, 'application/json')
      }
      return jsonResponse(200, tokens.issue(), 'application/json')
    }
    const check = tokens.check(req.headers.authorization)
    if (check !== 'ok') {
      const why = check === 'expired' ? 'Token expired' : check === 'missing' ? 'Missing bearer token' : 'Invalid token'
      return { ...errorResponse(401, why), headers: { 'content-type': 'application/json;charset=UTF-8', 'www-authenticate': 'Bearer' } }
    }
    return handleGet(ctx!, req.method ?? 'GET', url.pathname, url.searchParams)
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req)
    const url = new URL(req.url ?? '/', 'http://sim.invalid')
    if (url.pathname.startsWith('/_sim/')) {
      // Ground-truth routes: never counted, throttled or faulted.
      if (url.pathname === '/_sim/manifest') return answer(res, jsonResponse(200, manifest(), 'application/json'), {})
      if (url.pathname === '/_sim/stats') return answer(res, jsonResponse(200, stats, 'application/json'), {})
      return answer(res, errorResponse(404, 'Unknown simulator route'), {})
    }
    const n = counter++
    const key = url.pathname === TOKEN_PATH ? `${req.method} ${TOKEN_PATH}` : matchRoute(req.method ?? '', url.pathname)?.route.key ?? 'other'
    stats.total++
    stats.requests[key] = (stats.requests[key] ?? 0) + 1
    const rate = limiter?.take()
    const rateHeaders: Record<string, string> = rate
      ? { 'x-ratelimit-limit-minute': String(rate.limit), 'x-ratelimit-remaining-minute': String(rate.remaining) }
      : {}
    if (opts.latencyMs > 0) await sleep(opts.latencyMs)
    if (rate && !rate.allowed) {
      stats.throttled++
      const retry = String(rate.retryAfterSeconds)
      return answer(res, errorResponse(429, 'Rate limit exceeded'), { ...rateHeaders, 'x-ratelimit-retry-after': retry, 'retry-after': retry })
    }
    const fault = pickFault(opts.seed, n, opts.faults)
    if (fault) stats.faults[fault] = (stats.faults[fault] ?? 0) + 1
    if (fault === 'reset') {
      req.socket.destroy()
      return
    }
    const shape = faultShape(opts.seed, n)
    if (fault === '5xx') {
      const f = faultBody(shape)
      return answer(res, { status: shape.status, headers: { 'content-type': f.contentType }, body: Buffer.from(f.body) }, rateHeaders)
    }
    if (fault === 'slow') await sleep(shape.slowMs)
    const r = apiResponse(req, url, body)
    if (fault === 'truncate') {
      // Promise the whole body, deliver half, then drop the connection.
      res.writeHead(r.status, { ...r.headers, ...rateHeaders, 'content-length': String(r.body.length) })
      res.write(r.body.subarray(0, Math.floor(r.body.length / 2)), () => req.socket.destroy())
      return
    }
    answer(res, r, rateHeaders)
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) answer(res, errorResponse(500, `Simulator error: ${err instanceof Error ? err.message : String(err)}`), {})
      else res.destroy()
    })
  })
  server.on('connection', (s: Socket) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port, opts.host, () => resolve())
  })
  const addr = server.address() as AddressInfo
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address
  const origin = `http://${host}:${addr.port}`
  ctx = { world, queries, v2: `${origin}/v2` }
  return {
    url: origin,
    env: { HELPSCOUT_BASE_URL: `${origin}/v2`, HELPSCOUT_APP_ID: opts.appId, HELPSCOUT_APP_SECRET: opts.appSecret },
    manifest,
    stats: () => structuredClone(stats),
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const s of sockets) s.destroy()
        server.close((err) => (err ? reject(err) : resolve()))
      }),
  }
}
