import { Transform, pipeline } from 'node:stream'
import { request } from 'undici'
import type { Dispatcher } from 'undici'
import { retryAfterFromHeaders } from './backoff.js'
import { classifyStatus, describeTransientError } from './classify.js'
import type { StatsRecorder } from './stats.js'
import type { HttpRequest, HttpResponseHead, JsonResponse, StreamResponse } from '../core/http.js'

/** How one attempt ended. Only `done` is handed to the caller; the client loops on the others. */
export type Attempt<T> =
  | { readonly kind: 'done'; readonly value: T; readonly head: HttpResponseHead }
  | { readonly kind: 'throttled'; readonly head: HttpResponseHead; readonly retryAfterMs: number | null }
  | {
      readonly kind: 'transient'
      /** Short, secret-free description of the failure, e.g. `HTTP 503` or `connection reset (ECONNRESET)`. */
      readonly failure: string
      readonly head: HttpResponseHead | null
      readonly retryAfterMs: number | null
      readonly cause?: unknown
    }

/** What an attempt needs from the client. */
export interface AttemptDeps {
  readonly dispatcher: Dispatcher
  readonly userAgent: string
  readonly timeoutMs: number
  readonly retryAfterHeaders: readonly string[]
  readonly stats: StatsRecorder
  readonly now: () => number
}

type Transient = Extract<Attempt<never>, { kind: 'transient' }>

/** Aborts the request when `timeoutMs` passes, or when the caller's signal aborts (with its reason). */
interface Deadline {
  readonly signal: AbortSignal
  timedOut(): boolean
  /** Stops the timer; the caller's signal stays linked (a streamed body remains abortable). */
  stopTimer(): void
  /** Stops the timer and unlinks the caller's signal. */
  release(): void
}

/*
 * Linked by hand rather than with AbortSignal.any: combining the engine's run-long signal per request
 * leaks in Node (nodejs/node#55351), and a migration sends hundreds of thousands of requests.
 */
function startDeadline(timeoutMs: number, userSignal: AbortSignal | undefined): Deadline {
  const ctl = new AbortController()
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    ctl.abort(new Error(`timed out after ${timeoutMs} ms`))
  }, timeoutMs)
  const onUserAbort = (): void => ctl.abort(userSignal?.reason)
  if (userSignal?.aborted) onUserAbort()
  else userSignal?.addEventListener('abort', onUserAbort, { once: true })
  return {
    signal: ctl.signal,
    timedOut: () => timedOut,
    stopTimer: () => clearTimeout(timer),
    release: () => {
      clearTimeout(timer)
      userSignal?.removeEventListener('abort', onUserAbort)
    },
  }
}

/** Turns a thrown error into a transient failure, or rethrows (caller's abort reason, programming errors). */
function failureOf(error: unknown, req: HttpRequest, deadline: Deadline, deps: AttemptDeps, phase: string): Transient {
  if (req.signal?.aborted) throw req.signal.reason
  if (deadline.timedOut()) {
    return { kind: 'transient', failure: `timeout after ${deps.timeoutMs} ms ${phase}`, head: null, retryAfterMs: null }
  }
  const described = describeTransientError(error)
  // Once headers arrived, any body failure is the connection's doing (truncation, close): retryable.
  if (described === null && phase !== 'reading the body') throw error
  const failure = `${described ?? 'response body broke off'} ${phase}`
  return { kind: 'transient', failure, head: null, retryAfterMs: null, cause: error }
}

function normalizeHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(raw)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value
  }
  return out
}

function send(url: URL, req: HttpRequest, deps: AttemptDeps, signal: AbortSignal, accept: string | null) {
  const headers: Record<string, string> = { 'user-agent': deps.userAgent }
  if (accept !== null) headers.accept = accept
  for (const [name, value] of Object.entries(req.headers ?? {})) headers[name.toLowerCase()] = value
  return request(url, {
    dispatcher: deps.dispatcher,
    method: req.method ?? 'GET',
    headers,
    body: req.body ?? null,
    signal,
    headersTimeout: deps.timeoutMs,
    bodyTimeout: deps.timeoutMs,
  })
}

type Sent = Awaited<ReturnType<typeof send>>

/** `url` is the URL as requested (query included): callers may need it, logs use the redacted form. */
function headOf(res: Sent, url: URL): HttpResponseHead {
  return { status: res.statusCode, headers: normalizeHeaders(res.headers), url: url.toString() }
}

/** 429 and 5xx: drain what is cheap to drain, and report how long the server asked us to wait. */
async function notReturned(res: Sent, head: HttpResponseHead, deps: AttemptDeps): Promise<Attempt<never>> {
  await res.body.dump({ limit: 64 * 1024 }).catch(() => undefined)
  const retryAfterMs = retryAfterFromHeaders(head.headers, deps.retryAfterHeaders, deps.now())
  if (head.status === 429) return { kind: 'throttled', head, retryAfterMs }
  return { kind: 'transient', failure: `HTTP ${head.status}`, head, retryAfterMs }
}

function decodeBody(status: number, bytes: Uint8Array): { ok: true; body: unknown } | { ok: false } {
  const text = new TextDecoder('utf-8').decode(bytes)
  const success = status >= 200 && status <= 299
  if (text.trim() === '') return { ok: true, body: success ? null : text }
  try {
    return { ok: true, body: JSON.parse(text) as unknown }
  } catch {
    return success ? { ok: false } : { ok: true, body: text }
  }
}

/** One JSON attempt. `timeoutMs` covers the headers and the whole body. */
export async function attemptJson(url: URL, req: HttpRequest, deps: AttemptDeps): Promise<Attempt<JsonResponse>> {
  const deadline = startDeadline(deps.timeoutMs, req.signal)
  try {
    let res: Sent
    try {
      res = await send(url, req, deps, deadline.signal, 'application/json')
    } catch (e) {
      deps.stats.outcome('error')
      return failureOf(e, req, deadline, deps, 'waiting for the response')
    }
    deps.stats.outcome(res.statusCode)
    const head = headOf(res, url)
    if (classifyStatus(head.status) !== 'return') return await notReturned(res, head, deps)
    let bytes: Uint8Array
    try {
      bytes = await res.body.bytes()
    } catch (e) {
      return { ...failureOf(e, req, deadline, deps, 'reading the body'), head }
    }
    deps.stats.received(bytes.byteLength)
    const decoded = decodeBody(head.status, bytes)
    if (!decoded.ok) {
      return { kind: 'transient', failure: `truncated or invalid JSON body (HTTP ${head.status})`, head, retryAfterMs: null }
    }
    return { kind: 'done', value: { ...head, body: decoded.body }, head }
  } finally {
    deadline.release()
  }
}

/**
 * One streaming attempt. `timeoutMs` covers the wait for headers; afterwards undici's body timeout
 * catches a stalled download (idle time between chunks), which errors the returned stream.
 */
export async function attemptStream(url: URL, req: HttpRequest, deps: AttemptDeps): Promise<Attempt<StreamResponse>> {
  const deadline = startDeadline(deps.timeoutMs, req.signal)
  let res: Sent
  try {
    res = await send(url, req, deps, deadline.signal, null)
  } catch (e) {
    deadline.release()
    deps.stats.outcome('error')
    return failureOf(e, req, deadline, deps, 'waiting for the response')
  }
  deadline.stopTimer()
  deps.stats.outcome(res.statusCode)
  const head = headOf(res, url)
  if (classifyStatus(head.status) !== 'return') {
    deadline.release()
    return notReturned(res, head, deps)
  }
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      deps.stats.received(chunk.length)
      done(null, chunk)
    },
  })
  // Errors reach the consumer through `counter`; the callback runs once the body is finished or destroyed.
  pipeline(res.body, counter, () => deadline.release())
  return { kind: 'done', value: { ...head, body: counter }, head }
}
