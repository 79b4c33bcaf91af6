import PQueue from 'p-queue'
import { Agent } from 'undici'
import type { Dispatcher } from 'undici'
import { RemoteUnavailableError, TransientError } from '../core/errors.js'
import type { Logger } from '../core/log.js'
import type { Redactor } from '../core/redact.js'
import { attemptJson, attemptStream } from './attempt.js'
import type { Attempt, AttemptDeps } from './attempt.js'
import { backoffDelay, sleep as realSleep } from './backoff.js'
import type { Sleep } from './backoff.js'
import { HostPacer, raceAbort, readRateLimitHeaders } from './pacing.js'
import { endpointLanes } from './endpoint-budget.js'
import type { EndpointLane } from './endpoint-budget.js'
import { buildUrl, displayUrl, routeKey } from './route.js'
import { StatsRecorder } from './stats.js'
import type { HostPolicy, HttpClient, HttpRequest } from '../core/http.js'

export { expectOk } from './classify.js'
export { defaultHostPolicy } from './policy.js'

export const DEFAULT_USER_AGENT = 'deskmove/0.1 (+https://github.com/deskmove/deskmove)'

export interface HttpClientOptions {
  /** Applied to every host separately: one pacer and one concurrency queue per origin. */
  readonly policy: HostPolicy
  /** Every log line and error message passes through `redactor.redact`. */
  readonly redactor: Redactor
  readonly log: Logger
  /** Default {@link DEFAULT_USER_AGENT}. */
  readonly userAgent?: string
  /** Tests and replay inject a MockAgent; the client then leaves closing it to the caller. */
  readonly dispatcher?: Dispatcher
  /** Injectable for tests; it must let `now()` advance by the time slept. */
  readonly sleep?: Sleep
  readonly now?: () => number
  /** Jitter source in [0, 1). */
  readonly random?: () => number
}

/** Per-origin state: the concurrency queue and the pacer. */
interface Lane {
  readonly queue: PQueue
  readonly pacer: HostPacer
  inFlight: number
}

/**
 * Builds the paced, retrying, redacting client (see `HttpClient` for the contract).
 * - 429: waits the vendor's retry header (else backoff) for the whole host, up to `policy.max429` times;
 * - 5xx, timeouts, resets, truncated / unparsable 2xx JSON: backoff with full jitter, up to `policy.maxAttempts`;
 * - then throws `RemoteUnavailableError` naming the route, the redacted URL and the last failure;
 * - aborting `req.signal` rejects with its reason whether the request is queued, waiting or in flight.
 * Redirects are not followed (undici 7 follows none without its redirect interceptor): 3xx are returned.
 */
export function createHttpClient(o: HttpClientOptions): HttpClient {
  const { policy, redactor } = o
  const now = o.now ?? Date.now
  const sleep = o.sleep ?? realSleep
  const random = o.random ?? Math.random
  const ownDispatcher = o.dispatcher ? null : new Agent({ keepAliveTimeout: 10_000 })
  const stats = new StatsRecorder()
  const lanes = new Map<string, Lane>()
  const endpointLaneFor = endpointLanes(policy, { now, sleep })
  const deps: AttemptDeps = {
    dispatcher: o.dispatcher ?? (ownDispatcher as Agent),
    userAgent: o.userAgent ?? DEFAULT_USER_AGENT,
    timeoutMs: policy.timeoutMs,
    retryAfterHeaders: [...policy.rateLimitHeaders.retryAfter, 'retry-after'],
    stats,
    now,
  }

  const debug = (message: string, fields: Record<string, unknown>): void =>
    o.log.debug(redactor.redact(message), redactor.redactValue(fields))

  const laneFor = (url: URL): Lane => {
    let lane = lanes.get(url.origin)
    if (!lane) {
      const queue = new PQueue({ concurrency: Math.max(1, policy.concurrency) })
      lane = { queue, pacer: new HostPacer(policy, { now, sleep }), inFlight: 0 }
      lanes.set(url.origin, lane)
    }
    return lane
  }

  /** One attempt inside the host's concurrency slot, after the pacer lets it start. */
  const attemptOnce = <T>(
    lane: Lane,
    endpoint: EndpointLane | null,
    req: HttpRequest,
    route: string,
    run: () => Promise<Attempt<T>>,
    settle: (out: Attempt<T>) => void,
  ) =>
    raceAbort(
      // An endpoint's budget is waited for before taking one of the host's slots: a 10-per-minute endpoint
      // must not hold a slot that requests to other endpoints could use meanwhile.
      (endpoint ? endpoint.pacer.acquire(req.cost ?? 1, req.signal) : Promise.resolve()).then(() => lane.queue.add(
        async () => {
          // Aborted while queued: give the slot straight back.
          req.signal?.throwIfAborted()
          await lane.pacer.acquire(req.cost ?? 1, req.signal)
          stats.sent(route)
          lane.inFlight += 1
          let out: Attempt<T>
          try {
            out = await run()
          } finally {
            lane.inFlight -= 1
          }
          if (out.head) {
            // An endpoint announcing its own limit paces its budget; its numbers say nothing about the host.
            const own = endpoint?.budget.rateLimitHeaders
            const seen = readRateLimitHeaders(out.head.headers, own ?? policy.rateLimitHeaders)
            const holdMs = own && endpoint ? endpoint.pacer.observe(seen, 0) : lane.pacer.observe(seen, lane.inFlight)
            if (holdMs > 0) {
              const fields = { route, status: out.head.status, waitMs: Math.round(holdMs) }
              debug('http pacing: server quota nearly used, holding', fields)
            }
          }
          // Still inside the slot, so a 429 hold is in place before the next queued request may start.
          settle(out)
          return out
        },
        { throwOnTimeout: true },
      )),
      req.signal,
    )

  async function perform<T>(req: HttpRequest, run: (url: URL) => Promise<Attempt<T>>): Promise<T> {
    const url = buildUrl(req)
    const route = routeKey(req, url)
    const shown = displayUrl(url, redactor)
    const lane = laneFor(url)
    const endpoint = endpointLaneFor(url.origin, route, url.pathname)
    let failures = 0
    let throttles = 0
    const method = req.method ?? 'GET'
    const noteThrottle = (out: Attempt<unknown>): void => {
      if (out.kind !== 'throttled') return
      throttles += 1
      stats.throttle()
      if (throttles > policy.max429) return
      const waitMs = out.retryAfterMs ?? backoffDelay(throttles - 1, policy.backoffBaseMs, policy.backoffMaxMs, random)
      // The limit is the host's, not this request's: every request to it waits.
      lane.pacer.holdFor(waitMs)
      debug('http throttled, waiting', { route, status: 429, waitMs, throttles, url: shown })
    }
    for (;;) {
      const out = await attemptOnce(lane, endpoint, req, route, () => run(url), noteThrottle)
      if (out.kind === 'done') return out.value
      if (out.kind === 'throttled') {
        if (throttles > policy.max429) {
          const msg = `${route}: ${method} ${shown} still rate-limited after ${throttles} HTTP 429 responses`
          throw unavailable(msg, 429, null)
        }
        continue
      }
      failures += 1
      if (failures >= policy.maxAttempts || req.idempotent === false) {
        const msg = `${route}: ${method} ${shown} failed after ${failures} attempts; last failure: ${out.failure}`
        throw unavailable(msg, out.head?.status ?? null, out.cause)
      }
      stats.retry()
      const backoff = backoffDelay(failures - 1, policy.backoffBaseMs, policy.backoffMaxMs, random)
      const waitMs = out.retryAfterMs === null ? backoff : Math.min(out.retryAfterMs, policy.backoffMaxMs)
      const status = out.head?.status ?? null
      const fields = { route, status, failure: out.failure, attempt: failures, waitMs, url: shown }
      debug('http retry after transient failure', fields)
      await sleep(waitMs, req.signal)
    }
  }

  function unavailable(message: string, status: number | null, cause: unknown): RemoteUnavailableError {
    const text = redactor.redact(message)
    const detail = cause instanceof Error ? redactError(cause, redactor) : undefined
    const last = new TransientError(text, { status, cause: detail })
    return new RemoteUnavailableError(text, { cause: last })
  }

  return {
    requestJson: (req) => perform(req, (url) => attemptJson(url, req, deps)),
    requestStream: (req) => perform(req, (url) => attemptStream(url, req, deps)),
    stats: () => stats.snapshot(),
    async close() {
      if (ownDispatcher) await ownDispatcher.close()
    },
  }
}

/** A copy of a network error whose message passed through the redactor (it is shown with --verbose). */
function redactError(e: Error, redactor: Redactor): Error {
  const copy = new Error(redactor.redact(e.message))
  copy.name = e.name
  const code = (e as { code?: unknown }).code
  if (typeof code === 'string') Object.assign(copy, { code })
  return copy
}
