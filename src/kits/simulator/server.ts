import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { EXTRA_FAULT_KINDS, FAULT_KINDS, faultBody, faultShape, pickFault } from './faults.js'
import { hash32 } from './rng.js'
import type { ResolvedCommonOptions } from './options.js'
import { SlidingWindowLimiter } from './rate-limit.js'
import { jsonResponse, type SimResponse } from './responses.js'
import type { SimStats } from './stats.js'

/** One API request as the vendor's handler sees it. */
export interface SimRequest {
  readonly method: string
  readonly url: URL
  readonly headers: IncomingMessage['headers']
  /** Request body (at most 1 MiB is kept). */
  readonly body: Buffer
  /** A vendor fault kind (named in the spec, not one the kit injects itself) picked for this request, for the vendor to apply. */
  readonly fault?: string | null
}

/** Names of the rate-limit headers a vendor sends (mirrors the source definition's `http.rateLimitHeaders`). */
export interface SimRateLimitHeaders {
  /** One name, or every spelling the vendor has used (each is sent). */
  readonly limit: string | readonly string[]
  readonly remaining: string | readonly string[]
  /** Optional: headers with the seconds until the window frees a slot (e.g. `ratelimit-reset`). */
  readonly reset?: readonly string[]
  /** Sent on a 429, each with the seconds to wait. */
  readonly retryAfter: readonly string[]
}

/** What a vendor plugs into the kit's request pipeline. */
export interface SimServerSpec {
  /** Shared options after defaults (port, host, seed, rpm, latency, faults, profile). */
  readonly options: ResolvedCommonOptions
  readonly rateLimitHeaders: SimRateLimitHeaders
  /** Counting key of a request, e.g. `GET /v2/conversations/{id}`; 'other' when no route matches. */
  routeKey(method: string, pathname: string): string
  /** Answers an API request (auth included). `origin` is the server's `http://host:port`. */
  handle(req: SimRequest, origin: string): SimResponse | Promise<SimResponse>
  /** The vendor's error body (used for 429, unknown `/_sim/` routes and simulator crashes). */
  errorResponse(status: number, message: string): SimResponse
  /** The vendor's JSON body of an injected 5xx (HTML pages are the kit's). */
  faultJson(status: number): unknown
  /** Ground truth served at `/_sim/manifest` (may be a promise, e.g. read from a database). */
  manifest(): unknown
  /** The vendor's own control routes under `/_sim/` (e.g. changing data between runs); null when not one. Never counted. */
  simRoute?(req: SimRequest): SimResponse | null
  /**
   * Largest request body the vendor accepts; a bigger one is answered `errorResponse(413, …)`. Without it, bodies
   * are cut at 1 MiB (enough for read-only APIs).
   */
  readonly maxBodyBytes?: number
  /**
   * Endpoints with their own budget beside the host's (Zendesk's incremental exports: 10 requests/minute):
   * a request whose route key is listed takes a slot of both, and a refusal answers 429 with Retry-After.
   */
  readonly endpointLimits?: readonly SimEndpointLimit[]
  /** Routes no budget applies to (e.g. file downloads off the API): counted and faulted, never throttled. */
  unmetered?(key: string): boolean
  /** Optional class of a route key (e.g. `general`, `export`): `/_sim/stats` then also counts per class. */
  routeClass?(key: string): string
  /** The clock of the rate windows (default `Date.now`): a test shares a virtual clock with its HTTP client. */
  readonly now?: () => number
}

/** One endpoint's own budget in a simulator. */
export interface SimEndpointLimit {
  /** Route keys (as `routeKey` returns them) the budget governs. */
  readonly routes: readonly string[]
  /** Requests per 60 s window. */
  readonly rpm: number
  /**
   * Optional structured header describing this budget on the endpoint's responses, sent as
   * `total=<rpm>; remaining=<n>; resets=<s>` (Zendesk's `Zendesk-RateLimit-<endpoint>`).
   */
  readonly header?: string
}

/** A running simulator server. */
export interface SimServer {
  /** e.g. `http://127.0.0.1:41234` */
  readonly origin: string
  stats(): SimStats
  close(): Promise<void>
}

const MAX_BODY = 1 << 20

function readBody(req: IncomingMessage, max: number): Promise<{ body: Buffer; overflow: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size <= max) chunks.push(c)
    })
    req.on('end', () => resolve({ body: Buffer.concat(chunks), overflow: size > max }))
    req.on('error', reject)
  })
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

/**
 * The shared request pipeline: count → rate limit → latency → fault → vendor handler, plus the
 * uncounted ground-truth routes `/_sim/manifest`, `/_sim/stats` and `/_sim/info` (seed, profile). Resolves once listening.
 */
export async function startSimServer(spec: SimServerSpec): Promise<SimServer> {
  const opts = spec.options
  const now = spec.now ?? Date.now
  const limiter = opts.rpm === null ? null : new SlidingWindowLimiter(opts.rpm, 60_000, now)
  const endpointLimiters = (spec.endpointLimits ?? []).map((l) => ({ routes: l.routes, header: l.header, limiter: new SlidingWindowLimiter(l.rpm, 60_000, now) }))
  const stats: SimStats = { requests: {}, total: 0, throttled: 0, throttledByRoute: {}, faults: {}, ...(spec.routeClass ? { byClass: {} } : {}) }
  const classStats = (key: string) => {
    if (!spec.routeClass || !stats.byClass) return null
    const name = spec.routeClass(key)
    return (stats.byClass[name] ??= { requests: 0, throttled: 0 })
  }
  const names = spec.rateLimitHeaders
  let counter = 0
  /** Requests (by counter) up to which a `429` fault storm lasts, and its Retry-After. */
  let storm = { until: -1, retryAfter: 1 }
  const spellings = (n: string | readonly string[]): readonly string[] => (typeof n === 'string' ? [n] : n)
  let origin = ''
  const sockets = new Set<Socket>()

  function answer(res: ServerResponse, r: SimResponse, extra: Record<string, string>): void {
    if (r.rawSocket) {
      // No HTTP framing at all (a crashed CGI script, a closed connection): the bytes as they are, then close.
      res.socket?.end(r.rawSocket)
      return
    }
    res.writeHead(r.status, { ...r.headers, ...extra, 'content-length': String(r.body.length) })
    res.end(r.body)
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { body, overflow } = await readBody(req, spec.maxBodyBytes ?? MAX_BODY)
    const url = new URL(req.url ?? '/', 'http://sim.invalid')
    const method = req.method ?? 'GET'
    if (url.pathname.startsWith('/_sim/')) {
      // Ground-truth routes: never counted, throttled or faulted.
      if (url.pathname === '/_sim/manifest') return answer(res, jsonResponse(200, await spec.manifest()), {})
      if (url.pathname === '/_sim/stats') return answer(res, jsonResponse(200, stats), {})
      if (url.pathname === '/_sim/info') return answer(res, jsonResponse(200, { seed: opts.seed, profile: opts.profile }), {})
      const own = spec.simRoute?.({ method, url, headers: req.headers, body })
      if (own) return answer(res, own, {})
      return answer(res, spec.errorResponse(404, 'Unknown simulator route'), {})
    }
    const n = counter++
    const key = spec.routeKey(method, url.pathname)
    stats.total++
    stats.requests[key] = (stats.requests[key] ?? 0) + 1
    const perClass = classStats(key)
    if (perClass) perClass.requests++
    // The endpoint's own window first: a refusal there must not use up a slot of the host's.
    const metered = !spec.unmetered?.(key)
    const endpoint = metered ? endpointLimiters.find((l) => l.routes.includes(key)) : undefined
    const own = endpoint?.limiter.take()
    const host = !metered || (own && !own.allowed) ? undefined : limiter?.take()
    // The limit headers describe the host; an endpoint's refusal says only how long to wait.
    const rateHeaders: Record<string, string> = {}
    if (host) {
      for (const h of spellings(names.limit)) rateHeaders[h] = String(host.limit)
      for (const h of spellings(names.remaining)) rateHeaders[h] = String(host.remaining)
      for (const h of names.reset ?? []) rateHeaders[h] = String(host.resetSeconds)
    }
    if (own && endpoint?.header) rateHeaders[endpoint.header] = `total=${own.limit}; remaining=${own.remaining}; resets=${own.resetSeconds}`
    const rate = own && !own.allowed ? own : host
    if (opts.latencyMs > 0) await sleep(opts.latencyMs)
    if (rate && !rate.allowed) {
      stats.throttled++
      stats.throttledByRoute[key] = (stats.throttledByRoute[key] ?? 0) + 1
      if (perClass) perClass.throttled++
      const retry = String(rate.retryAfterSeconds)
      const retryHeaders = Object.fromEntries(names.retryAfter.map((h) => [h, retry]))
      return answer(res, spec.errorResponse(429, 'Rate limit exceeded'), { ...rateHeaders, ...retryHeaders })
    }
    const picked = n <= storm.until ? '429' : pickFault(opts.seed, n, opts.faults, true)
    const fault = picked
    if (fault) stats.faults[fault] = (stats.faults[fault] ?? 0) + 1
    if (fault === '429') {
      // A storm: this request and the next few are refused, each saying how long to wait.
      if (n > storm.until) storm = { until: n + 1 + (hash32(opts.seed, n, 0x429) % 4), retryAfter: 1 + (hash32(opts.seed, n, 0x42a) % 3) }
      stats.throttled++
      stats.throttledByRoute[key] = (stats.throttledByRoute[key] ?? 0) + 1
      if (perClass) perClass.throttled++
      const retryHeaders = Object.fromEntries(names.retryAfter.map((h) => [h, String(storm.retryAfter)]))
      return answer(res, spec.errorResponse(429, 'Rate limit exceeded'), { ...rateHeaders, ...retryHeaders })
    }
    if (fault === 'reset') {
      req.socket.destroy()
      return
    }
    const shape = faultShape(opts.seed, n)
    if (fault === '5xx') {
      const f = faultBody(shape, spec.faultJson)
      return answer(res, { status: shape.status, headers: { 'content-type': f.contentType }, body: Buffer.from(f.body) }, rateHeaders)
    }
    if (fault === 'slow') await sleep(shape.slowMs)
    if (overflow && spec.maxBodyBytes !== undefined) return answer(res, spec.errorResponse(413, 'Request body too large'), rateHeaders)
    const kitKinds: readonly (string | null)[] = [null, ...FAULT_KINDS, ...EXTRA_FAULT_KINDS]
    const r0 = await spec.handle({ method, url, headers: req.headers, body, fault: kitKinds.includes(fault) ? null : fault }, origin)
    const r = fault === 'malformed' || fault === 'badutf8' ? corruptJson(r0, fault) : r0
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
      if (!res.headersSent) answer(res, spec.errorResponse(500, `Simulator error: ${err instanceof Error ? err.message : String(err)}`), {})
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
  origin = `http://${host}:${addr.port}`
  return {
    origin,
    stats: () => structuredClone(stats),
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const s of sockets) s.destroy()
        server.close((err) => (err ? reject(err) : resolve()))
      }),
  }
}

/**
 * A JSON response spoilt the way broken proxies and encoders spoil them: `malformed` keeps the status and
 * sends a body cut off mid-document (with a matching length, so only parsing fails); `badutf8` puts bytes that
 * are not UTF-8 into the first string value. Other bodies (files, HTML) are left alone.
 */
export function corruptJson(r: SimResponse, kind: 'malformed' | 'badutf8'): SimResponse {
  if (!(r.headers['content-type'] ?? '').includes('json') || r.body.length < 2) return r
  if (kind === 'malformed') return { ...r, body: Buffer.concat([r.body.subarray(0, Math.max(1, Math.floor(r.body.length * 0.6))), Buffer.from('\n<!-- upstream -->')]) }
  const at = r.body.indexOf('":"')
  if (at < 0) return r
  return { ...r, body: Buffer.concat([r.body.subarray(0, at + 3), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), r.body.subarray(at + 3)]) }
}
