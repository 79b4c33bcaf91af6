import type { SourceDefinition } from '../../../src/core/source.js'
import type { EndpointBudget } from '../../../src/core/http.js'
import { zendeskConfigSpec, type ZendeskConfig } from './config.js'
import { zendeskStreams } from './streams.js'
import { createZendeskSource } from './source.js'
import { zendeskSimulator } from './simulator/definition.js'

/** Every spelling Zendesk has used for the account limit (VENDOR-SHAPES.md Zendesk #23), first present wins. */
const ACCOUNT_HEADERS = {
  limit: ['x-rate-limit', 'ratelimit-limit', 'rate-limit'],
  remaining: ['x-rate-limit-remaining', 'ratelimit-remaining', 'rate-limit-remaining'],
  // `Retry-After` on a 429 (its body may be plain text); the reset headers when it is missing.
  retryAfter: ['retry-after', 'ratelimit-reset', 'rate-limit-reset'],
  windowMs: 60_000,
} as const

/**
 * The incremental exports' own budget: 10 requests per minute whatever the account's limit (30 with the High
 * Volume API add-on: `ZENDESK_EXPORT_RPM=30`). Their structured `Zendesk-RateLimit-…` header, when sent, paces
 * this budget, not the account's.
 */
export function exportBudget(envValue: string | undefined): EndpointBudget {
  const rpm = envValue !== undefined && /^\d+$/.test(envValue.trim()) && Number(envValue) > 0 ? Number(envValue) : 10
  return {
    match: { path: '/incremental/' },
    rpm,
    rateLimitHeaders: { structured: ['zendesk-ratelimit-incremental*', 'zendesk-rate-limit-incremental*'], retryAfter: ['retry-after'], windowMs: 60_000 },
  }
}

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
    // Read when the run builds its client, so `ZENDESK_EXPORT_RPM` set for that run applies.
    get endpointBudgets() {
      return [exportBudget(process.env.ZENDESK_EXPORT_RPM)]
    },
  },
  // Content URLs redirect to signed links that expire: bytes are fetched page by page, refreshed on expiry.
  attachments: { links: 'expiring' },
  create: createZendeskSource,
  simulator: zendeskSimulator,
} satisfies SourceDefinition<ZendeskConfig>
