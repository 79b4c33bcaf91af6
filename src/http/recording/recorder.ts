// `--record DIR`: an HttpClient that hands every call to the real client and writes what the adapter asked
// and got back (after the client's retries and rate-limit waits: a replay never waits) as scrubbed fixture
// files. Works for any source: it sits between the adapter and the client, and knows nothing of vendors.
import { createWriteStream, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Transform, pipeline } from 'node:stream'
import { createHash } from 'node:crypto'
import type { HttpClient, HttpRequest, JsonResponse, StreamResponse } from '../../core/http.js'
import type { Redactor } from '../../core/redact.js'
import { buildUrl } from '../route.js'
import type { Anonymizer } from './anonymize.js'
import { Scrubber } from './scrub.js'
import { BODIES_DIR, EXCHANGES_DIR, exchangeName, extensionFor, queryOf, requestKey } from './format.js'
import type { ExchangeFile, RecordedRequest } from './format.js'

export interface RecorderOptions {
  readonly dir: string
  /** The run's redactor: it knows the config's secrets and every token the source registered since. */
  readonly redactor: Redactor
  readonly anonymizer?: Anonymizer | null
}

export interface Recorder {
  readonly client: HttpClient
  /** Exchanges written so far. */
  count(): number
  /** Resolves once every body that was consumed or dropped so far is written (the client's close awaits it). */
  settled(): Promise<void>
}

/** Wraps `inner`; the folder is created (its exchanges and bodies emptied first: a recording is one run). */
export function createRecorder(inner: HttpClient, o: RecorderOptions): Recorder {
  const scrub = new Scrubber(o.redactor)
  const anon = o.anonymizer ?? null
  for (const sub of [EXCHANGES_DIR, BODIES_DIR]) {
    rmSync(join(o.dir, sub), { recursive: true, force: true })
    mkdirSync(join(o.dir, sub), { recursive: true })
  }
  const occurrences = new Map<string, number>()
  const pending = new Set<Promise<void>>()
  const settled = async (): Promise<void> => {
    // A stream dropped just now emits its 'close' on a later tick: let it, then wait for its files.
    await new Promise((next) => setImmediate(next))
    await Promise.all(pending)
  }
  let written = 0

  /** The request as it is stored (and as a replay will match it): scrubbed, then anonymized. */
  const recordedRequest = (req: HttpRequest): RecordedRequest => {
    const url = scrub.url(buildUrl(req))
    const headers = scrub.requestHeaders(req.headers ?? {})
    const contentType = Object.entries(req.headers ?? {}).find(([k]) => k.toLowerCase() === 'content-type')?.[1]
    let body = req.body === undefined ? undefined : scrub.body(typeof req.body === 'string' ? req.body : Buffer.from(req.body).toString('utf8'), contentType)
    let path = url.pathname
    let query = queryOf(url)
    if (anon) {
      // Only a path that carries an email is rewritten (segment by segment, as an adapter would encode it).
      if (/@|%40/i.test(path)) path = path.split('/').map((seg) => encodeURIComponent(anon.emails(safeDecode(seg)))).join('/')
      query = Object.fromEntries(Object.entries(query).map(([k, v]) => [k, Array.isArray(v) ? v.map((x) => anon.emails(x)) : anon.emails(v)]))
      if (body !== undefined) body = anonymizeBody(anon, body)
    }
    return { method: req.method ?? 'GET', origin: url.origin, path, query, headers, ...(body === undefined ? {} : { body }) }
  }

  /** Names the exchange when the request starts, so identical requests keep the order they were sent in. */
  const nameFor = (request: RecordedRequest): string => {
    const key = requestKey(request)
    const n = (occurrences.get(key) ?? 0) + 1
    occurrences.set(key, n)
    return exchangeName(key, n)
  }

  const write = (name: string, file: ExchangeFile): void => {
    const path = join(o.dir, EXCHANGES_DIR, `${name}.json`)
    writeFileSync(`${path}.tmp`, `${JSON.stringify(file, null, 2)}\n`)
    renameSync(`${path}.tmp`, path)
    written += 1
  }

  const responseHeaders = (h: Readonly<Record<string, string>>, status: number): Record<string, string> => {
    const out = scrub.responseHeaders(h)
    // A redirect's body only restates its (signed, scrubbed) Location: its length follows the signature's, and
    // would make every re-recording differ.
    if (status >= 300 && status < 400 && 'location' in out) delete out['content-length']
    if (!anon) return out
    return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, anon.emails(v)]))
  }

  /** A text body read as a stream: JSON scrubbed (and anonymized) by key, anything else as text. */
  /**
   * A text body read as a stream, rewritten only where it must be: a token answer loses its tokens, but an
   * attachment (the account's data, which a replay must stage byte for byte) is kept as it came unless anonymized.
   */
  const scrubText = (body: string, contentType: string | undefined): string => {
    let parsed: unknown
    try {
      parsed = JSON.parse(body)
    } catch {
      if (mode(contentType) === 'prose') return anon ? anon.prose(body) : body
      const clean = scrub.body(body, contentType)
      return anon ? anon.emails(clean) : clean
    }
    const json = scrub.json(parsed)
    if (!anon && JSON.stringify(json) === JSON.stringify(parsed)) return body
    return `${JSON.stringify(anon ? anon.json(json) : json, null, 2)}\n`
  }

  const failed = (name: string, mode: 'json' | 'stream', request: RecordedRequest, e: unknown): void => {
    if (isAbort(e)) return
    const err = e instanceof Error ? e : new Error(String(e))
    const status = (err.cause as { status?: unknown } | undefined)?.status
    write(name, { mode, request, error: { name: err.name, message: scrub.text(err.message), status: typeof status === 'number' ? status : null } })
  }

  const client: HttpClient = {
    async requestJson(req: HttpRequest): Promise<JsonResponse> {
      const request = recordedRequest(req)
      const name = nameFor(request)
      let res: JsonResponse
      try {
        res = await inner.requestJson(req)
      } catch (e) {
        failed(name, 'json', request, e)
        throw e
      }
      const body = scrub.json(res.body)
      write(name, { mode: 'json', request, response: { status: res.status, headers: responseHeaders(res.headers, res.status), body: anon ? anon.json(body) : body } })
      return res
    },

    async requestStream(req: HttpRequest): Promise<StreamResponse> {
      const request = recordedRequest(req)
      const name = nameFor(request)
      let res: StreamResponse
      try {
        res = await inner.requestStream(req)
      } catch (e) {
        failed(name, 'stream', request, e)
        throw e
      }
      const bodyFile = `${BODIES_DIR}/${name}.${extensionFor(res.headers['content-type'])}`
      const path = join(o.dir, bodyFile)
      const out = createWriteStream(`${path}.tmp`)
      const hash = createHash('sha256')
      // Text (a token endpoint read as bytes, a JSON page, a text attachment) is held until complete, then
      // scrubbed like any JSON answer; binary goes to the file as the adapter reads it (a 2 GB attachment
      // never sits in memory).
      let text: Buffer[] | null = isText(res.headers['content-type']) ? [] : null
      let bytes = 0
      const store = (data: Buffer): void => {
        hash.update(data)
        out.write(data)
      }
      // An exchange is complete once its headers are in and its body is consumed OR abandoned (a redirect whose
      // body nobody reads, an early stop, a broken download): what was received is recorded either way, so the
      // replay answers the same request the same way. Abandoned bodies are marked `complete: false`.
      let finalised: Promise<void> | null = null
      const finalise = (complete: boolean): Promise<void> => {
        if (finalised) return finalised
        if (text) {
          const clean = Buffer.from(scrubText(Buffer.concat(text).toString('utf8'), res.headers['content-type']))
          // An anonymized text attachment keeps its exact size: the listing declared it, the replay must agree.
          store(anon && mode(res.headers['content-type']) === 'prose' ? fitBytes(clean, bytes) : clean)
          text = null
        }
        finalised = new Promise<void>((done) => {
          out.end(() => {
            renameSync(`${path}.tmp`, path)
            const response = { status: res.status, headers: responseHeaders(res.headers, res.status), bodyFile, bytes, sha256: hash.digest('hex'), ...(complete ? {} : { complete: false }) }
            write(name, { mode: 'stream', request, response })
            done()
          })
        })
        const p = finalised
        pending.add(p)
        void p.then(() => pending.delete(p))
        return p
      }
      const tee = new Transform({
        transform(chunk: Buffer, _enc, done) {
          if (text && bytes + chunk.length <= MAX_SCRUBBED_TEXT) text.push(chunk)
          else {
            if (text) for (const held of text.splice(0)) store(anon ? anon.bytes(name, 0, held) : held)
            text = null
            store(anon ? anon.bytes(name, bytes, chunk) : chunk)
          }
          bytes += chunk.length
          done(null, chunk)
        },
        flush(done) {
          void finalise(true).then(() => done())
        },
      })
      tee.on('close', () => {
        if (!tee.writableFinished) void finalise(false)
      })
      // Errors and early ends travel both ways: the consumer sees a broken download, the socket is released.
      pipeline(res.body, tee, () => undefined)
      return { ...res, body: tee }
    },

    stats: () => inner.stats(),
    // Abandoned bodies are written as their streams close: the recording is whole before the run ends.
    close: async () => {
      await settled()
      await inner.close()
    },
  }
  return { client, count: () => written, settled }
}

/** Text bodies up to this size are scrubbed before they are written; larger ones are kept as bytes. */
const MAX_SCRUBBED_TEXT = 16 * 1024 * 1024

function mode(contentType: string | undefined): 'prose' | 'data' {
  return /^text\/(plain|html|csv)/i.test(contentType ?? '') ? 'prose' : 'data'
}

/** Cut or space-padded to `n` bytes. */
function fitBytes(data: Buffer, n: number): Buffer {
  return data.length >= n ? data.subarray(0, n) : Buffer.concat([data, Buffer.alloc(n - data.length, 0x20)])
}

function isText(contentType: string | undefined): boolean {
  return /json|^text\/|x-www-form-urlencoded|xml|javascript/i.test(contentType ?? '')
}

/** A Ctrl-C is not an exchange: the next run asks again. */
function isAbort(e: unknown): boolean {
  return e instanceof Error && (e.name === 'AbortError' || e.name === 'InterruptedError')
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}

function anonymizeBody(anon: Anonymizer, body: string): string {
  try {
    return JSON.stringify(anon.json(JSON.parse(body)))
  } catch {
    return anon.emails(body)
  }
}
