import type { HostPolicy } from '../core/http.js'

/**
 * Defaults for a host nobody has tuned: no budget of our own (the vendor's headers still pace us),
 * four requests in flight, `Retry-After` honoured, 30 s timeout, 5 attempts, backoff 0.5 s doubling to 30 s.
 * Adapters override what their vendor documents (e.g. Help Scout's rpm and `X-RateLimit-*` headers).
 */
export function defaultHostPolicy(overrides: Partial<HostPolicy> = {}): HostPolicy {
  return {
    rpm: null,
    concurrency: 4,
    rateLimitHeaders: { retryAfter: ['retry-after'], windowMs: 60_000 },
    timeoutMs: 30_000,
    maxAttempts: 5,
    max429: 20,
    backoffBaseMs: 500,
    backoffMaxMs: 30_000,
    ...overrides,
  }
}
