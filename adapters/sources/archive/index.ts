import type { SourceDefinition } from '../../../src/core/source.js'
import { archiveConfigSpec, type ArchiveConfig } from './config.js'
import { archiveStreams } from './streams.js'
import { createArchiveSource } from './source.js'

/**
 * A deskmove export archive as a source (`deskmove extract archive --from DIR`): stages the records, raw
 * payloads, warnings and attachment bytes the archive holds, under the id of the source they were exported
 * from, so any migration re-runs from the archive without the vendor. Local files: no requests, no limits.
 */
export const archiveSource = {
  id: 'archive',
  displayName: 'deskmove archive',
  config: archiveConfigSpec,
  streams: archiveStreams,
  http: {
    rateLimitHeaders: { retryAfter: [], windowMs: 60_000 },
    defaultRpm: null,
    defaultConcurrency: 4,
  },
  create: createArchiveSource,
} satisfies SourceDefinition<ArchiveConfig>
