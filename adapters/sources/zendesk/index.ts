import type { SourceDefinition } from '../../../src/core/source.js'
import { zendeskConfigSpec, type ZendeskConfig } from './config.js'
import { zendeskStreams } from './streams.js'
import { createZendeskSource } from './source.js'

/** Every spelling Zendesk has used for the account limit (VENDOR-SHAPES.md Zendesk #23), first present wins. */
const ACCOUNT_HEADERS = {
  limit: ['x-rate-limit', 'ratelimit-limit', 'rate-limit'],
  remaining: ['x-rate-limit-remaining', 'ratelimit-remaining', 'rate-limit-remaining'],
  // `Retry-After` on a 429 (its body may be plain text); the reset headers when it is missing.
  retryAfter: ['retry-after', 'ratelimit-reset', 'rate-limit-reset'],
  windowMs: 60_000,
} as const

/** Zendesk Support API v2 as a source: incremental exports for bulk and delta, comments per ticket. */
export const zendeskSource = {
  id: 'zendesk',
  displayName: 'Zendesk',
  config: zendeskConfigSpec,
  streams: zendeskStreams,
  http: {
    rateLimitHeaders: ACCOUNT_HEADERS,
    // Enterprise's documented account limit; Team plans have 200, `--rpm` overrides.
    defaultRpm: 700,
    defaultConcurrency: 4,
    // The incremental exports have their own 10 requests per minute, whatever the account's limit; their
    // structured `Zendesk-RateLimit-…` header (when sent) paces that budget, not the account's.
    endpointBudgets: [
      {
        match: { path: '/incremental/' },
        rpm: 10,
        rateLimitHeaders: { structured: ['zendesk-ratelimit-incremental*', 'zendesk-rate-limit-incremental*'], retryAfter: ['retry-after'], windowMs: 60_000 },
      },
    ],
  },
  // Content URLs redirect to signed links that expire: bytes are fetched page by page, refreshed on expiry.
  attachments: { links: 'expiring' },
  create: createZendeskSource,
} satisfies SourceDefinition<ZendeskConfig>
