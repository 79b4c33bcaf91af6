import type { AnySourceDefinition, Source } from '../core/source.js'
import type { CommandContext } from './command.js'
import type { HttpClient } from '../core/http.js'
import { createHttpClient, defaultHostPolicy } from '../http/client.js'
import { readConfigFile } from '../core/config-file.js'
import { resolveAdapterConfig, secretOriginsOf, valueOriginsOf } from '../core/resolve-config.js'
import { AuthError, RemoteUnavailableError } from '../core/errors.js'
import { findSource } from '../../adapters/index.js'
import { inlineImageHostsOf } from '../engine/inline-images.js'

export interface SourceSession {
  readonly definition: AnySourceDefinition
  readonly source: Source
  readonly http: HttpClient
  /** Hosts of the vendor's inline images: the definition's plus the config's `inlineImageHosts`. */
  readonly inlineImageHosts: readonly string[]
  /** Adds to a refused-credentials error where the secret was read from (env var or config-file key). */
  explain(e: unknown): unknown
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
    filePath: ctx.configPath,
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
    // A source that replays another's records (the archive) stages them under that source's id.
    definition: source.stagesAs ? { ...definition, id: source.stagesAs } : definition,
    source,
    http,
    inlineImageHosts: inlineImageHostsOf(definition, config),
    explain(e) {
      if (e instanceof RemoteUnavailableError) {
        const dns = dnsExplanation(e.message, config)
        return dns ? new RemoteUnavailableError(dns.message, { hint: dns.hint, cause: e.cause }) : e
      }
      const origins = secretOriginsOf(config)
      if (!(e instanceof AuthError) || origins.length === 0) return e
      const from = `the secret was read from ${origins.join(' and ')}`
      return new AuthError(e.message, { hint: e.hint ? `${e.hint}; ${from}` : from, cause: e.cause })
    },
    async close() {
      await source.close()
      await http.close()
    },
  }
}

/**
 * A host name that does not resolve is not a passing fault to wait out: say which host, and where its URL
 * came from — an override to correct, or the vendor's own host (then this machine's DNS or network is at fault).
 */
export function dnsExplanation(message: string, config: unknown): { message: string; hint: string } | null {
  if (!/\((ENOTFOUND|EAI_AGAIN)\)/.test(message)) return null
  const host = /[a-z][a-z0-9+.-]*:\/\/([^/\s:@]+)/i.exec(message)?.[1]
  if (!host) return null
  const origins = valueOriginsOf(config)
  const fields = config && typeof config === 'object' ? Object.entries(config as Record<string, unknown>) : []
  const key = fields.find(([, v]) => typeof v === 'string' && hostOf(v) === host)?.[0]
  const from = key ? origins[key] : undefined
  if (from) {
    return { message: `the host ${host} could not be resolved (DNS)`, hint: `check the URL in ${from}; progress so far is saved: re-run once it is fixed` }
  }
  return {
    message: `the vendor host ${host} could not be resolved (DNS): this machine cannot look up the real API host`,
    hint: 'check DNS and internet access from this machine (or a proxy); no base URL override is set, so the vendor’s own host is used',
  }
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).hostname
  } catch {
    return null
  }
}
