import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Logger } from '../core/log.js'
import { Redactor } from '../core/redact.js'
import type { Sleep } from '../http/backoff.js'
import { createHttpClient } from '../http/client.js'
import type { HttpClientOptions } from '../http/client.js'
import { defaultHostPolicy } from '../http/policy.js'
import type { HostPolicy, HttpClient } from '../core/http.js'

/*
 * Helpers for the http/ tests (kept free of vitest so the build compiles them like any module):
 * a real local server, so resets, truncation and timeouts happen on real sockets.
 */

export type Handler = (req: IncomingMessage, res: ServerResponse, hit: number) => void

/** A local server on port 0; `hits` records when each request arrived, with its URL and headers. */
export async function serve(handler: Handler) {
  const hits: { at: number; url: string; headers: IncomingMessage['headers'] }[] = []
  const server = createServer((req, res) => {
    hits.push({ at: performance.now(), url: req.url ?? '', headers: req.headers })
    handler(req, res, hits.length)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () => {
      server.closeAllConnections()
      return new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

export const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers })
  res.end(text)
}

/** Log lines kept as JSON text, so tests can search them for secrets. */
export function captureLog() {
  const lines: string[] = []
  const put = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push(JSON.stringify({ level, message, fields }))
  }
  const log: Logger = { debug: put('debug'), info: put('info'), warn: put('warn'), error: put('error') }
  return { log, lines }
}

/** Sleeps recorded and skipped: the pacer sees a clock that moves by exactly what was slept. */
export function fakeTime() {
  const t = { now: 0, sleeps: [] as number[] }
  const sleep: Sleep = async (ms, signal) => {
    signal?.throwIfAborted()
    t.sleeps.push(ms)
    t.now += ms
  }
  return { t, sleep, now: () => t.now }
}


/**
 * A server running `handler` and a client aimed at it with fast backoff (1–5 ms), a 2 s timeout, mid
 * jitter and a capturing log; `policy` and `extra` override. `close()` shuts both down.
 */
export async function clientAgainst(handler: Handler, policy: Partial<HostPolicy> = {}, extra: Partial<HttpClientOptions> = {}) {
  const server = await serve(handler)
  const { log, lines } = captureLog()
  const redactor = new Redactor()
  const client: HttpClient = createHttpClient({
    policy: defaultHostPolicy({ backoffBaseMs: 1, backoffMaxMs: 5, timeoutMs: 2_000, ...policy }),
    redactor,
    log,
    random: () => 0.5,
    ...extra,
  })
  const close = async (): Promise<void> => {
    await client.close()
    await server.close()
  }
  return { server, client, lines, redactor, close }
}

/**
 * `setup(...)` for a test file: starts a server and a client against it, closed after each test. Takes
 * vitest's `afterEach` so this module stays free of the test runner (it compiles with the rest).
 */
export function clientSetup(afterEach: (fn: () => Promise<void>) => void): (...args: Parameters<typeof clientAgainst>) => ReturnType<typeof clientAgainst> {
  const cleanups: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c()
  })
  return async (...args) => {
    const ctx = await clientAgainst(...args)
    cleanups.push(ctx.close)
    return ctx
  }
}
