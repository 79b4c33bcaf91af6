// One function per Zendesk endpoint deskmove reads, over the engine's paced client. Status handling belongs
// to the readers, which know whether a 403 or 404 is fatal there (`ensureOk` for the common case).
import { AuthError, RemoteRequestError } from '../../../src/core/errors.js'
import type { AdapterContext } from '../../../src/core/context.js'
import type { JsonResponse, StreamResponse } from '../../../src/core/http.js'
import { errorText } from './wire.js'

export interface Api {
  readonly ctx: AdapterContext
  /** The API root with `/api/v2`, no trailing slash. */
  readonly baseUrl: string
  readonly authorization: string
  /** Hosts that may receive the credentials (the account's own); signed links and other hosts never do. */
  readonly credentialHosts: readonly string[]
  /** The run's clock (ms): export start times keep out of Zendesk's one-minute window by it. */
  readonly now: () => number
}

/** Routes of the incremental exports: they share the export's own budget (10 requests per minute). */
export const EXPORT_ROUTES = ['export.tickets', 'export.users', 'export.organizations', 'export.ticket_events'] as const

type Query = Readonly<Record<string, string | number | undefined>>

const sendsCredentials = (api: Api, url: string): boolean => api.credentialHosts.includes(new URL(url).host)

/** GET of a path under the API root, or of a full URL Zendesk handed back (`next_page`, followed verbatim). */
export function get(api: Api, pathOrUrl: string, route: string, query: Query, signal: AbortSignal): Promise<JsonResponse> {
  const url = /^https?:\/\//i.test(pathOrUrl) ? pathOrUrl : `${api.baseUrl}${pathOrUrl}`
  const headers: Record<string, string> = sendsCredentials(api, url) ? { authorization: api.authorization } : {}
  return api.ctx.http.requestJson({ method: 'GET', url, query, route, headers, signal })
}

/** Bytes of a URL; credentials only to the account's own hosts (a 302 target is signed and gets none). */
export function getStream(api: Api, url: string, route: string, signal: AbortSignal): Promise<StreamResponse> {
  const headers: Record<string, string> = sendsCredentials(api, url) ? { authorization: api.authorization } : {}
  return api.ctx.http.requestStream({ method: 'GET', url, route, headers, signal })
}

/** Throws for a status a reader cannot go on from, with Zendesk's own error text. */
export function ensureOk(res: JsonResponse, what: string): void {
  if (res.status >= 200 && res.status < 300) return
  const detail = errorText(res.body)
  const where = res.url.split('?')[0] ?? ''
  if (res.status === 401) {
    throw new AuthError(`${what}: Zendesk refused the credentials (HTTP 401${detail ? `: ${detail}` : ''})`, {
      hint: 'check ZENDESK_EMAIL + ZENDESK_API_TOKEN (API token access must be enabled in Admin Center) or ZENDESK_OAUTH_TOKEN',
    })
  }
  if (res.status === 403) {
    throw new AuthError(`${what}: the Zendesk user lacks permission (HTTP 403${detail ? `: ${detail}` : ''})`, {
      hint: 'incremental exports need an admin user\'s token',
    })
  }
  throw new RemoteRequestError(res.status, where, `${what}: HTTP ${res.status}${detail ? ` (${detail})` : ''}`)
}

/** `/users/me`: 200 with `id: null` when the credentials are wrong (Zendesk answers anonymously). */
export const fetchMe = (api: Api, signal: AbortSignal): Promise<JsonResponse> => get(api, '/users/me.json', 'users.me', {}, signal)

/** A small list read by cursor (`page[size]`): groups, brands, ticket forms, field definitions. */
export const fetchListPage = (api: Api, path: string, route: string, after: string | null, signal: AbortSignal): Promise<JsonResponse> =>
  get(api, path, route, { 'page[size]': 100, 'page[after]': after ?? undefined }, signal)

/** A ticket's comments, by cursor (offset paging stops at 100 pages), with inline images listed and authors side-loaded. */
export const fetchCommentsPage = (api: Api, ticketId: string, after: string | null, signal: AbortSignal): Promise<JsonResponse> =>
  get(api, `/tickets/${encodeURIComponent(ticketId)}/comments.json`, 'tickets.comments', {
    'page[size]': 100,
    'page[after]': after ?? undefined,
    include: 'users',
    include_inline_images: 'true',
  }, signal)

/** Up to 100 users by id; ids Zendesk no longer has are left out of the answer. */
export const fetchUsersByIds = (api: Api, ids: readonly number[], signal: AbortSignal): Promise<JsonResponse> =>
  get(api, '/users/show_many.json', 'users.show_many', { ids: ids.join(',') }, signal)

/**
 * Tickets per export page. Zendesk allows 1,000, but a page commits only once every comment of its tickets is
 * read (one request per ticket on the account budget): 250 keeps a Ctrl-C's wait and a crash's lost work to about
 * 20 s at 700/min, for 4 export requests per 1,000 tickets, well inside the export's 10/min meanwhile.
 */
export const TICKETS_PER_EXPORT_PAGE = 250

/** The cursor-based incremental tickets export, first page by `start_time`, then by `cursor`. */
export const fetchTicketExport = (api: Api, at: { cursor: string } | { startTime: number }, signal: AbortSignal): Promise<JsonResponse> =>
  get(api, '/incremental/tickets/cursor.json', 'export.tickets', {
    ...('cursor' in at ? { cursor: at.cursor } : { start_time: at.startTime }),
    per_page: TICKETS_PER_EXPORT_PAGE,
    include: 'users',
  }, signal)
