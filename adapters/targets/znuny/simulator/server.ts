/**
 * Znuny GenericTicketConnectorREST simulator (znuny.md B.2 and the "Observed on a running Znuny 7.0.19" sections).
 *
 * Wire facts a client must handle, all reproduced here:
 * - Errors come as HTTP 200 `{"Error":{"ErrorCode":"<Op>.<Code>","ErrorMessage":"<Op>: …"}}`; bad JSON and unknown
 *   routes as HTTP 500 plain text; an unknown web-service name as no reply at all; the `crash` fault as an HTML page
 *   with no status line after the ticket and its first article were stored (a half-made ticket).
 * - Ids are strings or numbers as observed (TicketCreate strings, ArticleID a number for agent articles and from
 *   TicketUpdate; TicketGet numbers except SenderTypeID/FileID/FilesizeRaw).
 * - Version detection (no version endpoint exists): send TicketCreate with `Ticket: {"Title": "…"}` (CustomerUser
 *   missing) and `Article` as an array. 6.5/7.0 answer MissingParameter "Article parameter is missing or not
 *   valid!" (arrays are not accepted there); 7.1+ answer "Ticket->CustomerUser parameter is missing!". Neither
 *   creates anything.
 * - Create times are always "now"; 4-byte UTF-8 turns into U+FFFD (MySQL behaviour, on by default); per-article
 *   attachments without Filename/ContentType are dropped silently; `example.*` addresses are refused; TicketSearch
 *   ignores unknown filters (and returns every ticket then); mail lands in `mail_queue` as mail-trap.ts describes.
 * - A known customer user named by login or e-mail (any case) is stored under its login and company; an unknown
 *   valid address as given with an empty CustomerID.
 * - JSON bodies are read on GET too (PyOTRS sends every call that way); TicketSearch takes dynamic-field filters as
 *   `DynamicField_<Name>=value` (znuny.md B.2; `--df-scalar-filter ignored` for the stricter code reading) or as
 *   operator objects in a body (`{"DynamicField":{"Name":…,"Equals":…}}`).
 * - Options for harder runs: `sessionRequests` (AuthFail after N uses), `cache` (TicketGet's object cache),
 *   faults `crash`/`authfail` beside the kit's `5xx`/`reset`/`slow`/`truncate`, and `faultNext(kind)` in tests.
 * Requests are handled one at a time (like one Apache child), which keeps ids and ticket numbers deterministic.
 */
import { startSimServer, type SimRequest } from '../../../../src/kits/simulator/server.js'
import { jsonResponse, type SimResponse } from '../../../../src/kits/simulator/responses.js'
import { unit } from '../../../../src/kits/simulator/rng.js'
import type { SimStats } from '../../../../src/kits/simulator/stats.js'
import { authenticate, checkLogin, isResponse, Sessions } from './auth.js'
import { giData, giError, giFault, noReply, requestData, transportError } from './gi.js'
import { buildManifest, type ZnunySimManifest } from './manifest.js'
import { ZnunyModel } from './model.js'
import { resolveZnunyOptions, type ResolvedZnunyOptions, type ZnunySimOptions } from './options.js'
import { route, routeKey, WEBSERVICE } from './router.js'
import { MemoryTables, type ZnunyTables } from './tables.js'
import { ticketCreate } from './ticket-create.js'
import { sessionData, ticketGet, ticketHistoryGet } from './ticket-get.js'
import { ticketSearch } from './ticket-search.js'
import { ticketUpdate } from './ticket-update.js'
import { str } from './text.js'

export type { ZnunySimManifest } from './manifest.js'
export type { ZnunySimOptions } from './options.js'

export interface ZnunySimEnv {
  ZNUNY_URL: string
  ZNUNY_USER: string
  ZNUNY_PASSWORD: string
  ZNUNY_DB_URL?: string
}

/** A running Znuny simulator. */
export interface ZnunySim {
  /** Origin, e.g. `http://127.0.0.1:41234`. */
  readonly url: string
  /** The GenericTicketConnectorREST base URL (what ZNUNY_URL holds). */
  readonly baseUrl: string
  readonly env: ZnunySimEnv
  readonly version: ResolvedZnunyOptions['version']
  /**
   * Forces a fault on the next `count` requests it applies to (`crash`: TicketCreate/TicketUpdate calls with
   * articles; `authfail`: calls with a SessionID), beside the random rates of `faults`.
   */
  faultNext(kind: 'crash' | 'authfail', count?: number): void
  /** What `bin/znuny.Console.pl Maint::Cache::Delete [--type Ticket|Article]` does (with the `cache` option). */
  cacheDelete(type?: 'Ticket' | 'Article'): void
  /** Everything the simulator holds (also at `/_sim/manifest`). */
  manifest(): Promise<ZnunySimManifest>
  stats(): SimStats
  close(): Promise<void>
}

const FAULT_SALT_CRASH = 31
const FAULT_SALT_AUTH = 37

/** The tables and the admin password they hold (a reused stand-in keeps the password it was built with). */
async function openTables(opts: ResolvedZnunyOptions): Promise<{ tables: ZnunyTables; password: string }> {
  if (opts.dbUrl === null) return { tables: new MemoryTables(opts.password, opts.sendmailModule), password: opts.password }
  const { openStandInTables } = await import('../standin/open.js')
  return openStandInTables(opts.dbUrl, { password: opts.password, sendmailModule: opts.sendmailModule })
}

export async function startZnunySim(o: ZnunySimOptions = {}): Promise<ZnunySim> {
  const opts = resolveZnunyOptions(o)
  const { tables, password } = await openTables(opts)
  const model = await ZnunyModel.open(tables, { replaceFourByte: opts.replaceFourByte, now: opts.now, cache: opts.cache })
  const sessions = new Sessions(opts.seed, opts.sessionRequests)
  let counter = 0
  const forced = { crash: 0, authfail: 0 }
  let queue: Promise<unknown> = Promise.resolve()
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = queue.then(fn, fn)
    queue = next.catch(() => undefined)
    return next
  }

  async function handle(req: SimRequest): Promise<SimResponse> {
    const n = counter++
    const r = route(req.method, req.url.pathname)
    if (r.kind === 'not-found') return { status: 404, headers: { 'content-type': 'text/html; charset=iso-8859-1' }, body: Buffer.from('<html><body><h1>Not Found</h1></body></html>') }
    if (r.kind === 'unknown-webservice') return noReply()
    if (r.kind === 'no-route') return transportError(`HTTP::REST Error while determine Operation for request URI '${r.route}'.`)
    model.beginCall()
    const data = requestData(req.method, req.url, req.headers, req.body, r.params)
    if (!data) return transportError('Error while decoding request content.')
    const op = r.op === 'TicketGetList' ? 'TicketGet' : r.op
    if (op === 'SessionCreate') {
      if (str(data.UserLogin) === undefined && str(data.CustomerUserLogin) === undefined) return giError(op, 'MissingParameter', 'UserLogin or CustomerUserLogin parameter is missing!')
      if (str(data.Password) === undefined) return giError(op, 'MissingParameter', 'Password parameter is missing!')
      const user = await checkLogin(model, data)
      return user ? giData({ SessionID: sessions.create(user) }) : giError(op, 'AuthFail', 'Authorization failing!')
    }
    if (op === 'SessionGet') return sessionData(model, str(data.SessionID) ? sessions.peek(String(data.SessionID)) : null, str(data.SessionID))
    // The `authfail` fault: the session is gone (expired, or the server's session store was cleared).
    const sid = str(data.SessionID)
    if (sid !== undefined && (forced.authfail > 0 || unit(opts.seed, n, FAULT_SALT_AUTH) < opts.znunyFaults.authfail)) {
      forced.authfail = Math.max(0, forced.authfail - 1)
      sessions.expire(sid)
    }
    const user = await authenticate(op, model, sessions, data)
    if (isResponse(user)) return user
    const writesArticles = (op === 'TicketCreate' || op === 'TicketUpdate') && data.Article !== undefined
    const crash = writesArticles && (forced.crash > 0 || unit(opts.seed, n, FAULT_SALT_CRASH) < opts.znunyFaults.crash)
    if (crash && forced.crash > 0) forced.crash--
    const call = { model, user, version: opts.version, crashAfterFirstArticle: crash }
    switch (op) {
      case 'TicketCreate':
        return ticketCreate(call, data)
      case 'TicketUpdate':
        return ticketUpdate(call, data)
      case 'TicketGet':
        return ticketGet(model, user, data)
      case 'TicketSearch':
        return ticketSearch(model, user, data, opts.scalarFieldFilter)
      case 'TicketHistoryGet':
        return ticketHistoryGet(model, user, data)
    }
  }

  const manifest = () => serial(() => buildManifest(model, opts.version))
  let server
  try {
    server = await startSimServer({
      options: opts,
      rateLimitHeaders: { limit: 'x-ratelimit-limit', remaining: 'x-ratelimit-remaining', retryAfter: ['retry-after'] },
      routeKey,
      handle: (req) => serial(() => tables.atomically(() => handle(req))).catch((e: unknown) => giFault(`Internal error: ${e instanceof Error ? e.message : String(e)}`)),
      errorResponse: (status, message) => (status === 413 ? { status, headers: { 'content-type': 'text/plain' }, body: Buffer.from('Request Entity Too Large') } : jsonResponse(status, { faultcode: 'Server', faultstring: message })),
      faultJson: () => ({ faultcode: 'Server', faultstring: 'Internal Server Error' }),
      manifest,
      maxBodyBytes: opts.maxBodyBytes,
    })
  } catch (e) {
    await tables.close()
    throw e
  }
  const baseUrl = `${server.origin}/otrs/nph-genericinterface.pl/Webservice/${WEBSERVICE}`
  const env: ZnunySimEnv = { ZNUNY_URL: baseUrl, ZNUNY_USER: opts.user, ZNUNY_PASSWORD: password, ...(opts.dbUrl ? { ZNUNY_DB_URL: opts.dbUrl } : {}) }
  return {
    url: server.origin,
    baseUrl,
    env,
    version: opts.version,
    cacheDelete: (type) => model.cacheDelete(type),
    faultNext: (kind, count = 1) => {
      forced[kind] += count
    },
    manifest,
    stats: () => server.stats(),
    close: async () => {
      await server.close()
      await serial(() => tables.close())
    },
  }
}
