// The CLI side of `extract --record DIR` / `--replay DIR`: which config a replay runs with, which "now" the
// source sees, and the recording's metadata. Source-agnostic: everything comes from the adapter's definition
// (its config spec says which settings are secrets), so a new source records and replays with no code here.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { CommandContext } from './command.js'
import type { AnySourceDefinition } from '../core/source.js'
import type { HttpClient } from '../core/http.js'
import { readConfigFile } from '../core/config-file.js'
import { UsageError } from '../core/errors.js'
import { Anonymizer } from '../http/recording/anonymize.js'
import { createRecorder, type Recorder } from '../http/recording/recorder.js'
import { ReplayMissError, createReplayer, loadRecording, type Replayer } from '../http/recording/replay.js'
import { Scrubber } from '../http/recording/scrub.js'
import { META_FILE, RECORDING_FORMAT, RECORDING_VERSION, type RecordingMeta } from '../http/recording/format.js'

/** What a secret setting holds during a replay: the recording never had the real one. */
export const REPLAY_SECRET = 'replayed-secret'

export interface RecordingOptions {
  readonly record?: string
  readonly replay?: string
  readonly anonymize?: boolean
}

export interface RecordingSession {
  /** The context to open the source with (a replay's config and "now" come from the recording). */
  readonly ctx: CommandContext
  readonly wrapHttp?: (http: HttpClient) => HttpClient
  /** After the run: writes a recording's metadata; fails a replay that asked for anything not recorded. */
  finish(): void
  /** A line for the summary. */
  describe(): string | null
}

export function checkRecordingOptions(o: RecordingOptions): void {
  if (o.record && o.replay) throw new UsageError('--record and --replay cannot be used together', { hint: 'record once against the vendor (or a simulator), then replay the folder' })
  if (o.anonymize && !o.record) throw new UsageError('--anonymize only applies to --record', { hint: 'use `--record DIR --anonymize`' })
}

export function openRecordingSession(ctx: CommandContext, definition: AnySourceDefinition, o: RecordingOptions): RecordingSession {
  if (o.replay) return replaySession(ctx, definition, resolve(ctx.cwd, o.replay))
  if (o.record) return recordSession(ctx, definition, resolve(ctx.cwd, o.record), !!o.anonymize)
  return { ctx, finish: () => undefined, describe: () => null }
}

function replaySession(ctx: CommandContext, definition: AnySourceDefinition, dir: string): RecordingSession {
  const rec = loadRecording(dir)
  if (rec.meta.source !== definition.id) {
    throw new UsageError(`${dir} is a recording of ${rec.meta.source}, not of ${definition.id}`, { hint: `replay it with \`deskmove extract ${rec.meta.source} --replay ${dir}\`` })
  }
  // The recorded settings, and placeholders for the secrets: the user's own environment plays no part.
  const env: Record<string, string> = { ...Object.fromEntries(rec.meta.secretEnv.map((name) => [name, REPLAY_SECRET])), ...rec.meta.config }
  const recordedNow = new Date(rec.meta.recordedAt)
  const replayCtx: CommandContext = { ...ctx, env, configPath: null, now: () => recordedNow }
  let replayer: Replayer | null = null
  return {
    ctx: replayCtx,
    wrapHttp: (inner) => {
      replayer = createReplayer(rec, { redactor: ctx.redactor, command: `deskmove extract ${definition.id}` })
      return { ...replayer.client, close: async () => inner.close() }
    },
    finish() {
      const misses = replayer?.misses() ?? []
      if (misses.length) {
        throw new ReplayMissError(dir, `${misses.length} request(s), first ${misses[0]}`, `re-record with \`deskmove extract ${definition.id} --record ${dir}\``)
      }
    },
    describe: () => `replayed from ${dir} (recorded ${rec.meta.recordedAt}${rec.meta.anonymized ? ', anonymized' : ''}): no request left this machine`,
  }
}

function recordSession(ctx: CommandContext, definition: AnySourceDefinition, dir: string, anonymize: boolean): RecordingSession {
  mkdirSync(dir, { recursive: true })
  const anonymizer = anonymize ? new Anonymizer(ctx.env.DESKMOVE_ANONYMIZE_SALT ?? '') : null
  const spec = definition.config
  const file = readConfigFile(ctx.configPath)
  const section = ((file.sources as Record<string, unknown> | undefined)?.[definition.id] ?? {}) as Record<string, unknown>
  const scrub = new Scrubber(ctx.redactor)
  const config: Record<string, string> = {}
  const secretEnv: string[] = []
  for (const [key, envName] of Object.entries(spec.env)) {
    if (spec.sensitive.includes(key)) {
      secretEnv.push(envName)
      continue
    }
    const raw = ctx.env[envName] || section[key]
    if (raw === undefined || raw === null || raw === '') continue
    const text = scrub.text(Array.isArray(raw) ? raw.join(',') : typeof raw === 'string' ? raw : JSON.stringify(raw))
    config[envName] = anonymizer ? anonymizer.emails(text) : text
  }
  const recordedAt = ctx.now().toISOString()
  let recorder: Recorder | null = null
  const writeMeta = (): void => {
    const meta: RecordingMeta = { format: RECORDING_FORMAT, version: RECORDING_VERSION, source: definition.id, recordedAt, anonymized: anonymize, config, secretEnv, exchanges: recorder?.count() ?? 0 }
    writeFileSync(join(dir, META_FILE), `${JSON.stringify(meta, null, 2)}\n`)
  }
  writeMeta()
  return {
    ctx: { ...ctx, now: () => new Date(recordedAt) },
    wrapHttp: (inner) => {
      recorder = createRecorder(inner, { dir, redactor: ctx.redactor, anonymizer })
      return recorder.client
    },
    finish: writeMeta,
    describe: () => `recorded ${recorder?.count() ?? 0} exchanges into ${dir}${anonymize ? ' (anonymized)' : ''}, scrubbed of credentials`,
  }
}
