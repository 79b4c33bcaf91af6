import type { SourceDefinition } from '../../../src/core/source.js'
import { helpscoutConfigSpec } from './config.js'
import type { HelpScoutConfig } from './config.js'
import { helpscoutStreams } from './streams.js'
import { createHelpScoutSource } from './source.js'
import { helpscoutSimulator } from './simulator/definition.js'

/** Help Scout (Mailbox API 2.0) as a source: OAuth2 client credentials, HAL page-number pagination. */
export const helpscoutSource = {
  id: 'helpscout',
  displayName: 'Help Scout',
  config: helpscoutConfigSpec,
  streams: helpscoutStreams,
  http: {
    rateLimitHeaders: {
      limit: 'x-ratelimit-limit-minute',
      remaining: 'x-ratelimit-remaining-minute',
      retryAfter: ['x-ratelimit-retry-after', 'retry-after'],
      windowMs: 60_000,
    },
    // The documented historic account limit (v1: 200 requests per minute); plans differ, `--rpm` overrides.
    defaultRpm: 200,
    defaultConcurrency: 4,
  },
  // Where pasted images of a Help Scout account live: its CDN (CloudFront) and its own file hosts. The
  // simulator's CDN path is added through `HELPSCOUT_INLINE_IMAGE_HOSTS`, which `simulate --print-env` sets.
  inlineImages: { hosts: ['d33v4339jhl8k0.cloudfront.net', 'helpscout.net'] },
  create: createHelpScoutSource,
  simulator: helpscoutSimulator,
} satisfies SourceDefinition<HelpScoutConfig>
