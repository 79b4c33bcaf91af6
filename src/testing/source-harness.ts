// The source conformance suite's stage: a source over recorded exchanges with canary secrets and virtual time,
// and a reader that drains streams in order.
import { Redactor } from '../core/redact.js'
import type { Logger } from '../core/log.js'
import type { AnySourceDefinition, Source, SourcePage, StreamSpec } from '../core/source.js'
import type { HttpClient } from '../core/http.js'
import { createHttpClient, defaultHostPolicy } from '../http/client.js'
import { createReplay, type RecordedExchange, type Replay } from './http-replay.js'

/** A value the suite puts in a sensitive config field and then hunts for in all output. */
export const CANARY = (field: string): string => `canary-${field}-7f3c9a51`
export const FIXED_NOW = new Date('2026-01-01T00:00:00Z')

/**
 * The config with a canary in every sensitive field (registered with the redactor), and a logger that captures
 * every line into `output`, where the suite hunts for the canaries.
 */
export function canaryStage(def: AnySourceDefinition, base: Readonly<Record<string, unknown>>): { config: Record<string, unknown>; redactor: Redactor; output: string[]; log: Logger } {
  const redactor = new Redactor()
  const config: Record<string, unknown> = { ...base }
  for (const field of def.config.sensitive) {
    config[field] = CANARY(field)
    redactor.add(CANARY(field))
  }
  const output: string[] = []
  const capture = (level: string) => (message: string, fields?: Record<string, unknown>) => output.push(JSON.stringify([level, message, fields ?? null]))
  return { config, redactor, output, log: { debug: capture('debug'), info: capture('info'), warn: capture('warn'), error: capture('error') } }
}

/** Where the fixtures were recorded and the raw config (see `SourceConformanceOptions`). */
export interface HarnessOptions {
  readonly origin: string
  readonly config: Readonly<Record<string, unknown>>
}

/** A scenario's retry policy (`scenario.json` → `policy`). */
export interface RetryPolicy {
  readonly maxAttempts?: number
  readonly max429?: number
}

export interface Harness {
  readonly source: Source
  readonly http: HttpClient
  readonly replay: Replay
  readonly output: string[]
  close(): Promise<void>
}

export function harness(def: AnySourceDefinition, o: HarnessOptions, exchanges: readonly RecordedExchange[], policy: RetryPolicy): Harness {
  const replay = createReplay(o.origin, exchanges)
  const { config, redactor, output, log } = canaryStage(def, o.config)
  let clock = FIXED_NOW.getTime()
  const http = createHttpClient({
    policy: defaultHostPolicy({
      rpm: def.http.defaultRpm,
      concurrency: def.http.defaultConcurrency,
      rateLimitHeaders: def.http.rateLimitHeaders,
      ...(def.http.endpointBudgets ? { endpointBudgets: def.http.endpointBudgets } : {}),
      maxAttempts: policy.maxAttempts ?? 3,
      max429: policy.max429 ?? 5,
      backoffBaseMs: 100,
    }),
    redactor,
    log,
    dispatcher: replay.agent,
    // Virtual time: waits (Retry-After, backoff, pacing) advance the clock instead of the test.
    sleep: async (ms) => { clock += Math.max(0, ms) },
    now: () => clock,
    random: () => 0.5,
  })
  const source = def.create(def.config.schema.parse(config), { http, log, now: () => FIXED_NOW })
  return { source, http, replay, output, close: async () => { await source.close(); await http.close(); await replay.close() } }
}

export interface ReadRun {
  readonly pages: ReadonlyMap<string, SourcePage[]>
  readonly error: { readonly stream: string; readonly error: unknown } | null
}

export async function readStreams(source: Source, streams: readonly StreamSpec[]): Promise<ReadRun> {
  const pages = new Map<string, SourcePage[]>()
  const signal = new AbortController().signal
  for (const s of streams) {
    const list: SourcePage[] = []
    pages.set(s.name, list)
    try {
      for await (const p of source.read(s.name, null, { since: null }, signal)) list.push(p)
    } catch (error) {
      return { pages, error: { stream: s.name, error } }
    }
  }
  return { pages, error: null }
}
