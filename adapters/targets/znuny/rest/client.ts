// The GenericTicketConnectorREST client: one session reused for every call (re-login once on AuthFail), every
// HTTP 200 checked for an `Error` object, answers validated leniently, ids normalised, and failures classified:
// an idempotent request is retried by the shared HTTP client (5xx, resets, empty replies) and here (replies that
// are not HTTP); a non-idempotent one (TicketCreate, an article added by TicketUpdate) is sent once, and an
// ambiguous failure is reported as `AmbiguousReplyError` so the caller looks for what may have been written.
import type { z } from 'zod'
import type { HttpClient, JsonResponse } from '../../../../src/core/http.js'
import type { Logger } from '../../../../src/core/log.js'
import { AuthError, ConfigError, MigrationError, RemoteRequestError, RemoteUnavailableError } from '../../../../src/core/errors.js'
import { AmbiguousReplyError, isGarbledReply, ZnunyApiError } from './errors.js'
import {
  createAnswerSchema,
  errorAnswerSchema,
  historyAnswerSchema,
  searchAnswerSchema,
  sessionAnswerSchema,
  ticketGetAnswerSchema,
  updateAnswerSchema,
  type CreateAnswer,
  type UpdateAnswer,
  type ZnHistory,
  type ZnTicket,
} from './schemas.js'

export interface ZnunyRestOptions {
  /** The web service base (`…/Webservice/GenericTicketConnectorREST`), no trailing slash. */
  readonly url: string
  readonly user: string
  readonly password: string
  readonly http: HttpClient
  readonly log: Logger
  /** Registers the session id as a secret (it grants the agent's rights). */
  readonly addSecret?: (secret: string) => void
  /** Attempts for replies that are not HTTP at all on idempotent requests (default 3). */
  readonly garbledAttempts?: number
}

/** Fresh logins for one call answered AuthFail (sessions expire, or the server's session store is cleared). */
const RELOGINS = 3

/** The GenericInterface operations this client calls. */
export type ZnOperation = 'SessionCreate' | 'TicketCreate' | 'TicketUpdate' | 'TicketGet' | 'TicketSearch' | 'TicketHistoryGet'

interface Call {
  readonly op: ZnOperation
  readonly method: 'GET' | 'POST' | 'PATCH'
  readonly path: string
  /** GET parameters (the session id is added). */
  readonly query?: Readonly<Record<string, string | number | undefined>>
  /** POST/PATCH body (the session id is added). */
  readonly body?: Readonly<Record<string, unknown>>
  readonly idempotent: boolean
}

/** What TicketGet should include. */
export interface TicketGetOptions {
  readonly articles?: boolean
  /** Attachment metadata (with `contents`, their bytes as base64; with `htmlBody`, the HTML body as `file-2`). */
  readonly attachments?: boolean
  readonly contents?: boolean
  readonly htmlBody?: boolean
  readonly dynamicFields?: boolean
}

export class ZnunyRest {
  private session: Promise<string> | null = null
  /** Which TicketSearch form this Znuny honours for dynamic-field filters, once learnt (see find.ts). */
  fieldFilterForm: 'operator' | 'scalar' | null = null
  /** Calls per operation, whatever their outcome (the bench's requests-per-ticket figure). */
  readonly calls: Record<string, number> = {}

  constructor(private readonly o: ZnunyRestOptions) {}

  /** Logs in (once; later calls reuse the session) and returns the session id. */
  sessionId(signal?: AbortSignal): Promise<string> {
    if (!this.session) {
      const p = this.login(signal)
      this.session = p
      // A failed login is not cached: the next call tries again.
      p.catch(() => {
        if (this.session === p) this.session = null
      })
    }
    return this.session
  }

  private async login(signal?: AbortSignal): Promise<string> {
    const body = await this.send({ op: 'SessionCreate', method: 'POST', path: '/Session', body: { UserLogin: this.o.user, Password: this.o.password }, idempotent: true }, null, signal)
    const err = errorAnswerSchema.safeParse(body)
    if (err.success) {
      const e = new ZnunyApiError('SessionCreate', err.data.Error.ErrorCode ?? '', err.data.Error.ErrorMessage ?? '')
      if (e.kind === 'AuthFail' || e.kind === 'MissingParameter')
        throw new AuthError(`Znuny refused the login of ${this.o.user}: ${e.errorMessage || e.errorCode}`, { hint: 'check ZNUNY_USER and ZNUNY_PASSWORD (an agent login, not a customer user)' })
      throw e
    }
    const ok = sessionAnswerSchema.safeParse(body)
    if (!ok.success) throw new RemoteUnavailableError(`Znuny SessionCreate answered without a SessionID: ${brief(body)}`, { hint: 'check that ZNUNY_URL is the GenericTicketConnectorREST web service' })
    this.o.addSecret?.(ok.data.SessionID)
    return ok.data.SessionID
  }

  /** Sends an operation with the session; on `<Op>.AuthFail` (session expired) logs in again and repeats. */
  private async call<S extends z.ZodTypeAny>(c: Call, schema: S, signal?: AbortSignal): Promise<z.output<S>> {
    for (let relogin = 0; ; relogin++) {
      const sid = await this.sessionId(signal)
      const body = await this.send(c, sid, signal)
      const err = errorAnswerSchema.safeParse(body)
      if (err.success) {
        const e = new ZnunyApiError(c.op, err.data.Error.ErrorCode ?? '', err.data.Error.ErrorMessage ?? '')
        // AuthFail is answered before the operation acts, so repeating even a TicketCreate is safe.
        // A fresh session refused again and again means the agent lacks rights, not an expired session.
        if (e.kind === 'AuthFail' && relogin < RELOGINS) {
          this.o.log.debug(`znuny: ${c.op} answered AuthFail; logging in again`)
          if (this.session) this.session = null
          continue
        }
        if (e.kind === 'AuthFail') throw new AuthError(`Znuny refused the session of ${this.o.user} for ${c.op}: ${e.errorMessage}`, { hint: 'check that ZNUNY_USER is a valid agent with rights on the target queues' })
        throw e
      }
      const parsed = schema.safeParse(body)
      if (parsed.success) return parsed.data as z.output<S>
      const what = `Znuny ${c.op} answered HTTP 200 with an unexpected body: ${brief(body)}`
      // A write whose answer is unreadable may still have happened.
      throw c.idempotent ? new RemoteUnavailableError(what) : new AmbiguousReplyError(what)
    }
  }

  /** One HTTP exchange; returns the JSON body of a 200. */
  private async send(c: Call, sid: string | null, signal?: AbortSignal): Promise<unknown> {
    const attempts = c.idempotent ? Math.max(1, this.o.garbledAttempts ?? 3) : 1
    for (let attempt = 1; ; attempt++) {
      this.calls[c.op] = (this.calls[c.op] ?? 0) + 1
      let res: JsonResponse
      try {
        res = await this.o.http.requestJson({
          method: c.method,
          url: `${this.o.url}${c.path}`,
          route: `znuny.${c.op}`,
          idempotent: c.idempotent,
          ...(c.method === 'GET'
            ? { query: { ...c.query, ...(sid ? { SessionID: sid } : {}) }, ...(c.body ? { body: JSON.stringify(c.body), headers: { 'content-type': 'application/json; charset=utf-8' } } : {}) }
            : { body: JSON.stringify({ ...c.body, ...(sid ? { SessionID: sid } : {}) }), headers: { 'content-type': 'application/json; charset=utf-8' } }),
          ...(signal ? { signal } : {}),
        })
      } catch (e) {
        if (signal?.aborted) throw e
        if (e instanceof RemoteUnavailableError) throw c.idempotent ? e : new AmbiguousReplyError(`Znuny ${c.op}: ${e.message}`, { cause: e })
        if (e instanceof MigrationError || !isGarbledReply(e)) throw e
        const what = `Znuny ${c.op}: the reply was not HTTP (an operation that crashed answers with an error page and no status line)`
        if (attempt < attempts) {
          this.o.log.debug(`${what}; trying again`)
          await delay(50 * attempt, signal)
          continue
        }
        throw c.idempotent ? new RemoteUnavailableError(what, { cause: e }) : new AmbiguousReplyError(what, { cause: e })
      }
      return this.bodyOf(c, res)
    }
  }

  private bodyOf(c: Call, res: JsonResponse): unknown {
    if (res.status === 200 || res.status === 201) {
      if (res.body === null) throw c.idempotent ? new RemoteUnavailableError(`Znuny ${c.op} answered HTTP ${res.status} with an empty body`) : new AmbiguousReplyError(`Znuny ${c.op} answered HTTP ${res.status} with an empty body`)
      return res.body
    }
    if (res.status === 413) throw new ZnunyApiError(c.op, `${c.op}.TooLarge`, 'the request is larger than the web service accepts (HTTP 413, transport MaxLength)')
    if (res.status === 401 || res.status === 403)
      throw new AuthError(`Znuny ${c.op}: the web server refused the request (HTTP ${res.status})`, { hint: 'check ZNUNY_URL and any web-server authentication in front of Znuny' })
    if (res.status === 404)
      throw new ConfigError(`Znuny ${c.op}: HTTP 404 from ${redactedPath(res.url)}`, { hint: 'ZNUNY_URL must be the web service base, e.g. https://host/otrs/nph-genericinterface.pl/Webservice/GenericTicketConnectorREST' })
    throw new RemoteRequestError(res.status, redactedPath(res.url), `Znuny ${c.op}: unexpected HTTP ${res.status}`)
  }

  /** TicketCreate. Not idempotent: an ambiguous failure throws `AmbiguousReplyError`. */
  ticketCreate(payload: Readonly<Record<string, unknown>>, signal?: AbortSignal): Promise<CreateAnswer> {
    return this.call({ op: 'TicketCreate', method: 'POST', path: '/Ticket', body: payload, idempotent: false }, createAnswerSchema, signal)
  }

  /** TicketUpdate (PATCH). Idempotent only when it adds no article (`idempotent` says which). */
  ticketUpdate(ticketId: string, payload: Readonly<Record<string, unknown>>, opts: { idempotent: boolean; signal?: AbortSignal }): Promise<UpdateAnswer> {
    return this.call({ op: 'TicketUpdate', method: 'PATCH', path: `/Ticket/${encodeURIComponent(ticketId)}`, body: payload, idempotent: opts.idempotent }, updateAnswerSchema, opts.signal)
  }

  /** TicketGet of one or more tickets (comma list); a ticket that does not exist answers AccessDenied. */
  async ticketGet(ids: readonly string[], opts: TicketGetOptions = {}, signal?: AbortSignal): Promise<ZnTicket[]> {
    if (ids.length === 0) return []
    const query: Record<string, string | number> = {}
    if (opts.articles) Object.assign(query, { AllArticles: 1, ArticleOrder: 'ASC' })
    if (opts.attachments) Object.assign(query, { Attachments: 1, GetAttachmentContents: opts.contents ? 1 : 0, ...(opts.htmlBody ? { HTMLBodyAsAttachment: 1 } : {}) })
    if (opts.dynamicFields) query.DynamicFields = 1
    const a = await this.call({ op: 'TicketGet', method: 'GET', path: `/Ticket/${ids.map(encodeURIComponent).join(',')}`, query, idempotent: true }, ticketGetAnswerSchema, signal)
    return a.Ticket
  }

  /** TicketGet of one ticket, or null when Znuny says it does not exist (or the agent may not see it). */
  async ticketGetOne(id: string, opts: TicketGetOptions = {}, signal?: AbortSignal): Promise<ZnTicket | null> {
    try {
      return (await this.ticketGet([id], opts, signal))[0] ?? null
    } catch (e) {
      if (e instanceof ZnunyApiError && (e.kind === 'AccessDenied' || e.kind === 'NotValidTicketID')) return null
      throw e
    }
  }

  /**
   * TicketSearch: ticket ids. Unknown filters are IGNORED by Znuny (every ticket matches): callers verify hits.
   * `body` goes as a JSON body of the GET (how operator filters such as `{"Equals": …}` travel; PyOTRS does the same).
   */
  ticketSearch(query: Readonly<Record<string, string | number>>, signal?: AbortSignal, body?: Readonly<Record<string, unknown>>): Promise<string[]> {
    return this.call({ op: 'TicketSearch', method: 'GET', path: '/Ticket', query, ...(body ? { body } : {}), idempotent: true }, searchAnswerSchema, signal)
  }

  /** TicketHistoryGet of one ticket. */
  async ticketHistory(id: string, signal?: AbortSignal): Promise<ZnHistory | null> {
    const a = await this.call({ op: 'TicketHistoryGet', method: 'GET', path: `/TicketHistory/${encodeURIComponent(id)}`, idempotent: true }, historyAnswerSchema, signal)
    return a.TicketHistory[0] ?? null
  }

  /** Total calls made (all operations). */
  totalCalls(): number {
    return Object.values(this.calls).reduce((n, c) => n + c, 0)
  }
}

function brief(body: unknown): string {
  const s = typeof body === 'string' ? body : JSON.stringify(body)
  return s.length > 200 ? `${s.slice(0, 200)}…` : s
}

/** Path only: the query of a GET carries the session id. */
function redactedPath(url: string): string {
  try {
    const u = new URL(url)
    return `${u.origin}${u.pathname}`
  } catch {
    return url.split('?')[0] ?? ''
  }
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error)
    const t = setTimeout(resolve, ms)
    signal?.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason as Error)), { once: true })
  })
}
