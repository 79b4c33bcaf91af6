import type { Readable } from 'node:stream'

/** How a vendor reports its rate limit in response headers (names are matched case-insensitively). */
export interface RateLimitHeaderSpec {
  /**
   * Requests allowed per window, e.g. `x-ratelimit-limit-minute`. Several names: the first present wins
   * (a vendor that renamed its headers over the years sends one spelling or another).
   */
  readonly limit?: string | readonly string[]
  /** Requests left in the current window, e.g. `x-ratelimit-remaining-minute` (several names: first present wins). */
  readonly remaining?: string | readonly string[]
  /**
   * Headers carrying seconds to wait on a 429, first present wins (e.g. `x-ratelimit-retry-after`, `retry-after`).
   * A structured value (`total=…; remaining=…; resets=17`) counts by its `resets`.
   */
  readonly retryAfter: readonly string[]
  /**
   * Structured headers `total=N; remaining=N; resets=S` (Zendesk's `Zendesk-RateLimit-<endpoint>`), read when
   * `limit` / `remaining` are absent. A name ending in `*` matches every header with that prefix (the tightest wins).
   */
  readonly structured?: readonly string[]
  /** Length of the vendor's window in ms (60 000 for per-minute limits). */
  readonly windowMs: number
}

/**
 * The budget of one endpoint, beside its host's: Zendesk's incremental exports allow 10 requests per minute
 * whatever the account's limit; Freshdesk announces a different `X-Ratelimit-Total` per endpoint.
 */
export interface EndpointBudget {
  /** Which requests it governs: `req.route` equal to `route`, or the URL path matching the regular expression `path`. */
  readonly match: { readonly route?: string; readonly path?: string }
  /** Our budget for the endpoint, requests per minute (omit to rely on the endpoint's headers alone). */
  readonly rpm?: number
  /**
   * Headers announcing the endpoint's own limit. When given, the endpoint's responses pace this budget and
   * not the host's (their numbers describe the endpoint, not the host).
   */
  readonly rateLimitHeaders?: RateLimitHeaderSpec
}

/** Per-host behaviour of the client. */
export interface HostPolicy {
  /** Our own budget in requests per minute (null = unlimited; the vendor's headers still apply). */
  readonly rpm: number | null
  /** Requests in flight at once. */
  readonly concurrency: number
  readonly rateLimitHeaders: RateLimitHeaderSpec
  /** Per-request timeout (headers and body), ms. */
  readonly timeoutMs: number
  /** Attempts for transient failures (5xx, resets, timeouts, truncated bodies) before RemoteUnavailableError. */
  readonly maxAttempts: number
  /** 429s waited out for one request before giving up (they do not use up maxAttempts). */
  readonly max429: number
  readonly backoffBaseMs: number
  readonly backoffMaxMs: number
  /** Per-endpoint budgets inside the host (the first that matches a request applies). */
  readonly endpointBudgets?: readonly EndpointBudget[]
}

export interface HttpRequest {
  readonly method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  /** Absolute URL. */
  readonly url: string
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: string | Uint8Array
  readonly signal?: AbortSignal
  /** Budget units this request costs (Help Scout counts writes as 2). Default 1. */
  readonly cost?: number
  /** Route name for stats and logs, e.g. `conversations.list` (URLs may carry ids). */
  readonly route?: string
  /**
   * Default true. `false` for a request the server must not receive twice (Znuny's TicketCreate): after a
   * 5xx, reset, timeout or empty/unparsable reply the server may have acted, so it is not repeated — the first
   * such failure throws `RemoteUnavailableError` at once and the caller finds out what happened. 429 is still
   * waited out (the server did not act on it).
   */
  readonly idempotent?: boolean
}

export interface HttpResponseHead {
  readonly status: number
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string>>
  /** The URL that was requested (redirects are not followed: 3xx are returned). */
  readonly url: string
}

export interface JsonResponse extends HttpResponseHead {
  /** Parsed JSON for 2xx with a body; for other statuses the parsed body if it was JSON, else the text. */
  readonly body: unknown
}

export interface StreamResponse extends HttpResponseHead {
  readonly body: Readable
}

export interface HttpStats {
  readonly requests: number
  readonly byRoute: Readonly<Record<string, number>>
  readonly byStatus: Readonly<Record<string, number>>
  readonly throttled: number
  readonly retries: number
  readonly bytesIn: number
}

/**
 * The paced, retrying, redacting client every adapter uses; adapters never build their own.
 *
 * - 429 is waited out (`Retry-After` or the vendor's header), 5xx / timeouts / resets / truncated or
 *   unparsable 2xx JSON are retried with exponential backoff and jitter; when attempts run out the call
 *   throws `RemoteUnavailableError`.
 * - Every other status (2xx, 3xx, 4xx) is returned to the caller, which decides; see `expectOk`.
 * - Secrets registered with the redactor never appear in errors or logs.
 */
export interface HttpClient {
  requestJson(req: HttpRequest): Promise<JsonResponse>
  /** Bytes as a stream. Retries transient failures before the body starts; a body that breaks later errors the stream. */
  requestStream(req: HttpRequest): Promise<StreamResponse>
  stats(): HttpStats
  close(): Promise<void>
}
