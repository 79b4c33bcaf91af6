import { readFileSync } from 'node:fs'
import type { CommandContext } from './command.js'
import type { AnyTarget } from '../core/target.js'
import type { MappingConfig } from '../core/mapping-config.js'
import { defaultMappingConfig, parseMappingConfig } from '../core/mapping-config.js'
import { readConfigFile } from '../core/config-file.js'
import { resolveAdapterConfig } from '../core/resolve-config.js'
import { UsageError } from '../core/errors.js'
import { stagedSources } from '../staging/records.js'
import type { StagingStore } from '../staging/store.js'
import { createHttpClient, defaultHostPolicy } from '../http/client.js'
import { findTarget, type AnyTargetDefinition } from '../../adapters/index.js'

export interface TargetSession {
  readonly definition: AnyTargetDefinition
  readonly target: AnyTarget
  readonly config: unknown
  readonly mapping: MappingConfig
  close(): Promise<void>
}

/** Resolves a target's config (env, then config file) and the mapping section of deskmove.json. */
export function openTargetSession(ctx: CommandContext, targetId: string): TargetSession {
  const definition = findTarget(targetId)
  const file = readConfigFile(ctx.configPath)
  const config = resolveAdapterConfig(definition.config, { adapterId: definition.id, section: 'targets', env: ctx.env, file, redactor: ctx.redactor })
  const sections = definition.mapping ?? []
  const mapping = ctx.configPath ? parseMappingConfig(readFileSync(ctx.configPath, 'utf8'), sections, ctx.configPath) : defaultMappingConfig({}, sections)
  // Database targets make no HTTP calls; the client is there for API targets, paced as they declare.
  const h = definition.http
  const policy = defaultHostPolicy(h ? { rpm: h.defaultRpm, concurrency: h.defaultConcurrency, ...(h.rateLimitHeaders ? { rateLimitHeaders: h.rateLimitHeaders } : {}) } : {})
  const http = createHttpClient({ policy, redactor: ctx.redactor, log: ctx.reporter })
  const target = definition.create(config, { http, log: ctx.reporter, now: ctx.now }) as AnyTarget
  return {
    definition,
    target,
    config,
    mapping,
    async close() {
      await target.close()
      await http.close()
    },
  }
}

/** The source whose staged records go to the target: `--from`, or the only one in staging. */
export function stagedSourceFor(store: StagingStore, from: string | undefined): string {
  const sources = stagedSources(store.db)
  if (from) {
    if (!sources.includes(from)) throw new UsageError(`staging holds nothing from ${from}`, { hint: `run \`deskmove extract ${from}\` first` })
    return from
  }
  if (sources.length === 1) return sources[0]!
  if (sources.length === 0) throw new UsageError('staging is empty', { hint: 'run `deskmove extract <source>` first' })
  throw new UsageError(`staging holds several sources (${sources.join(', ')}); name one with --from`)
}
