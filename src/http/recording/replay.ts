// `--replay DIR`: an HttpClient that answers from a recording, offline and deterministically — no network,
// no pacing, no waiting. Requests are matched on method, path, query and body (scrubbed the way the recorder
// scrubbed them; the origin is ignored, so a recording made against a simulator on any port replays).
// Identical requests get their recorded answers in the order they were recorded. A request the recording
// does not hold fails with ReplayMissError, naming the request and the fix: record again.
import { createReadStream, existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { ConfigError, MigrationError, RemoteRequestError, RemoteUnavailableError } from '../../core/errors.js'
import { EXIT } from '../../core/exit-codes.js'
import type { HttpClient, HttpRequest, HttpStats, JsonResponse, StreamResponse } from '../../core/http.js'
import type { Redactor } from '../../core/redact.js'
import { buildUrl, routeKey } from '../route.js'
import { EXCHANGES_DIR, META_FILE, exchangeFileSchema, queryOf, recordingMetaSchema, requestKey } from './format.js'
import type { ExchangeFile, RecordingMeta } from './format.js'
import { Scrubber } from './scrub.js'

/** The adapter asked for something the recording does not hold: the adapter or its config changed since. */
export class ReplayMissError extends MigrationError {
  readonly request: string
  constructor(dir: string, request: string, hint: string) {
    super('REPLAY_MISS', EXIT.config, `not in the recording ${dir}: ${request}`, { hint })
    this.request = request
  }
}

export interface Recording {
  readonly dir: string
  readonly meta: RecordingMeta
  /** Exchanges by request key, in recorded order. */
  readonly exchanges: ReadonlyMap<string, readonly (ExchangeFile & { readonly file: string })[]>
}

/** Reads and validates a recording folder; a folder that is not one is a usage error naming the fix. */
export function loadRecording(dir: string): Recording {
  const metaPath = join(dir, META_FILE)
  if (!existsSync(metaPath)) {
    throw new ConfigError(`${dir} is not a deskmove recording (no ${META_FILE})`, { hint: 'record one with `deskmove extract <source> --record DIR`' })
  }
  const meta = recordingMetaSchema.safeParse(JSON.parse(readFileSync(metaPath, 'utf8')))
  if (!meta.success) throw new ConfigError(`${metaPath} is not a recording this deskmove reads: ${meta.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, { hint: 're-record it with this version of deskmove' })
  const byKey = new Map<string, (ExchangeFile & { file: string; n: number })[]>()
  const folder = join(dir, EXCHANGES_DIR)
  for (const file of existsSync(folder) ? readdirSync(folder).filter((f) => f.endsWith('.json')).sort() : []) {
    const parsed = exchangeFileSchema.safeParse(JSON.parse(readFileSync(join(folder, file), 'utf8')))
    if (!parsed.success) throw new ConfigError(`${join(folder, file)} is not a recorded exchange: ${parsed.error.issues[0]?.message ?? ''}`, { hint: 're-record the folder' })
    const key = requestKey(parsed.data.request)
    const n = Number(/\.(\d+)\.json$/.exec(file)?.[1] ?? 1)
    const list = byKey.get(key) ?? []
    list.push({ ...parsed.data, file, n })
    byKey.set(key, list)
  }
  for (const list of byKey.values()) list.sort((a, b) => a.n - b.n)
  return { dir, meta: meta.data, exchanges: byKey }
}

export interface Replayer {
  readonly client: HttpClient
  /** Requests the recording did not hold (a run that swallowed the error still fails on these). */
  misses(): readonly string[]
}

export function createReplayer(rec: Recording, o: { redactor: Redactor; command: string }): Replayer {
  const scrub = new Scrubber(o.redactor)
  const served = new Map<string, number>()
  const misses: string[] = []
  const byRoute: Record<string, number> = {}
  const byStatus: Record<string, number> = {}
  let requests = 0
  let bytesIn = 0

  const answer = (req: HttpRequest, mode: 'json' | 'stream'): ExchangeFile & { file: string } => {
    req.signal?.throwIfAborted()
    const url = scrub.url(buildUrl(req))
    const contentType = Object.entries(req.headers ?? {}).find(([k]) => k.toLowerCase() === 'content-type')?.[1]
    const body = req.body === undefined ? undefined : scrub.body(typeof req.body === 'string' ? req.body : Buffer.from(req.body).toString('utf8'), contentType)
    const key = requestKey({ method: req.method ?? 'GET', path: url.pathname, query: queryOf(url), ...(body === undefined ? {} : { body }) })
    requests += 1
    const route = routeKey(req, url)
    byRoute[route] = (byRoute[route] ?? 0) + 1
    const list = rec.exchanges.get(key)
    if (!list?.length) {
      misses.push(key)
      throw new ReplayMissError(rec.dir, key, `the adapter asked for a request the recording does not hold (the adapter, its config or the options changed since it was recorded): re-record with \`${o.command} --record ${rec.dir}\`, or replay with the options it was recorded with`)
    }
    const n = served.get(key) ?? 0
    served.set(key, n + 1)
    // Asked more often than recorded (a resumed run re-reads a page): the last answer again.
    const ex = list[Math.min(n, list.length - 1)]!
    if (ex.mode !== mode && ex.response) throw new ReplayMissError(rec.dir, key, `recorded as a ${ex.mode} request, asked as ${mode}: re-record with \`${o.command} --record ${rec.dir}\``)
    return ex
  }

  const rethrow = (ex: ExchangeFile, url: string): never => {
    const e = ex.error!
    if (e.name === 'RemoteRequestError') throw new RemoteRequestError(e.status ?? 400, url, e.message)
    if (e.name === 'RemoteUnavailableError') throw new RemoteUnavailableError(e.message)
    throw new Error(`${e.name}: ${e.message}`)
  }

  const client: HttpClient = {
    async requestJson(req) {
      const ex = answer(req, 'json')
      const url = buildUrl(req).toString()
      if (!ex.response) return rethrow(ex, url)
      const r = ex.response
      byStatus[String(r.status)] = (byStatus[String(r.status)] ?? 0) + 1
      return { status: r.status, headers: r.headers, url, body: r.body === undefined ? null : r.body } satisfies JsonResponse
    },
    async requestStream(req) {
      const ex = answer(req, 'stream')
      const url = buildUrl(req).toString()
      if (!ex.response) return rethrow(ex, url)
      const r = ex.response
      byStatus[String(r.status)] = (byStatus[String(r.status)] ?? 0) + 1
      if (!r.bodyFile) throw new ReplayMissError(rec.dir, ex.file, 'the exchange has no body file: re-record the folder')
      const path = join(rec.dir, r.bodyFile)
      if (!existsSync(path)) throw new ReplayMissError(rec.dir, `${ex.file} (its body ${r.bodyFile} is missing)`, `re-record with \`${o.command} --record ${rec.dir}\``)
      // The stored body may be shorter or longer than the vendor's (a scrubbed token answer): say what is sent.
      const size = statSync(path).size
      bytesIn += size
      // A body abandoned while recording keeps the vendor's length: a replay that reads on sees it cut short, as then.
      const headers = 'content-length' in r.headers && r.complete !== false ? { ...r.headers, 'content-length': String(size) } : r.headers
      return { status: r.status, headers, url, body: createReadStream(path) } satisfies StreamResponse
    },
    stats: (): HttpStats => ({ requests, byRoute: { ...byRoute }, byStatus: { ...byStatus }, throttled: 0, retries: 0, bytesIn }),
    close: async () => undefined,
  }
  return { client, misses: () => [...misses] }
}
