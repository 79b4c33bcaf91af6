import type { AnySourceDefinition, Source } from '../core/source.js'
import type { CommandContext } from './command.js'
import type { HttpClient } from '../http/types.js'
import { createHttpClient, defaultHostPolicy } from '../http/client.js'
import { readConfigFile } from '../core/config-file.js'
import { resolveAdapterConfig } from '../core/resolve-config.js'
import { findSource } from '../../adapters/index.js'

export interface SourceSession {
  readonly definition: AnySourceDefinition
  readonly source: Source
  readonly http: HttpClient
  close(): Promise<void>
}

/** Resolves a source's config (env, then config file), builds its paced client, and creates it. */
export function openSourceSession(ctx: CommandContext, sourceId: string, opts: { rpm?: number | null; concurrency?: number }): SourceSession {
  const definition = findSource(sourceId)
  const config = resolveAdapterConfig(definition.config, {
    adapterId: definition.id,
    section: 'sources',
    env: ctx.env,
    file: readConfigFile(ctx.configPath),
    redactor: ctx.redactor,
  })
  const http = createHttpClient({
    policy: defaultHostPolicy({
      rpm: opts.rpm === undefined ? definition.http.defaultRpm : opts.rpm,
      concurrency: opts.concurrency ?? definition.http.defaultConcurrency,
      rateLimitHeaders: definition.http.rateLimitHeaders,
      ...(definition.http.endpointBudgets ? { endpointBudgets: definition.http.endpointBudgets } : {}),
    }),
    redactor: ctx.redactor,
    log: ctx.reporter,
  })
  const source = definition.create(config, { http, log: ctx.reporter, now: ctx.now, addSecret: (s) => ctx.redactor.add(s) })
  return {
    definition,
    source,
    http,
    async close() {
      await source.close()
      await http.close()
    },
  }
}
