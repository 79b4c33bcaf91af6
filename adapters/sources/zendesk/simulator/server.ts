/**
 * Zendesk Support API v2 simulator: serves a deterministic generated account so the Zendesk adapter can be run,
 * tested and benchmarked offline. Paths live under `<origin>/api/v2/…` (`.json` optional); attachment downloads
 * under `<origin>/attachments/token/…` (302) and `<origin>/zdusercontent/attachment/…` (signed, expiring).
 *
 * Served: `users/me` (wrong credentials: 200 with `id: null`), `users`, `users/{id}`, `users/show_many`,
 * `users/{id}/identities`, `organizations(/{id})`, `groups`, `group_memberships`, `brands`, `ticket_forms`,
 * `ticket_fields`, `user_fields`, `organization_fields`, `tickets` (neither archived nor deleted), `tickets/{id}`,
 * `tickets/show_many`, `tickets/{id}/comments` (`include_inline_images`, `include=users`), `tickets/{id}/tags`,
 * `attachments/{id}`, `satisfaction_ratings`, and the exports `incremental/tickets/cursor`, `incremental/tickets`,
 * `incremental/users/cursor`, `incremental/users`, `incremental/organizations`, `incremental/ticket_events`
 * (own budget, `--export-rpm`). Faults: the kit's kinds plus `expired` (attachment links handed out expired).
 * Control: `POST /_sim/touch?tickets=<ids>|count=<n>&users=<ids>&reply=1&age=<s>` changes data for delta runs.
 *
 * Wire choices where Zendesk documents nothing (the adapter may rely on exactly these):
 * - The data ends in mid-2025, so the exports' one-minute window never hides generated records.
 * - Inline images are `<img src="<content_url>">` in `html_body` and listed in `attachments[]` (with
 *   `inline: true`) only when `include_inline_images=true`; emoji are `<img>`s on `https://static.zdassets.com`.
 * - Merges: the source ticket is closed, tagged `closed_by_merge`, and both tickets get a private comment whose
 *   `via.source.rel` is `merge`.
 * - A former agent (id 359999999999) authors some comments and is assignee of some tickets; neither the users
 *   export nor `/users/{id}` knows them. Permanently deleted users are in the users export with
 *   `permanently_deleted: true` and 404 elsewhere.
 */
import { startSimServer, type SimRequest } from '../../../../src/kits/simulator/server.js'
import type { SimProfile } from '../../../../src/kits/simulator/profile.js'
import type { SimResponse } from '../../../../src/kits/simulator/responses.js'
import type { SimStats } from '../../../../src/kits/simulator/stats.js'
import { SIGNED_PATH, TOKEN_PATH, redirectToSigned, serveSigned } from './attachments.js'
import { checkAuth } from './auth.js'
import { computeManifest, type ZendeskManifest } from './manifest.js'
import { resolveZendeskOptions, type ResolvedZendeskOptions, type ZendeskSimulatorOptions } from './options.js'
import { anonymousUser } from './render-people.js'
import { errorResponse, faultJson, zdError, zdJson } from './responses.js'
import { EXPORT_ROUTE_KEYS, TICKETS_INDEX_KEY, handleApi, matchRoute, normalisePath, type RouteContext } from './routes.js'
import { ZdWorld } from './world.js'

export type { ZendeskManifest } from './manifest.js'
export type { ZendeskSimulatorOptions } from './options.js'

export interface ZendeskSimulator {
  /** Origin of the server, e.g. `http://127.0.0.1:41234`. */
  readonly url: string
  /** Environment for the deskmove Zendesk adapter. */
  readonly env: Readonly<Record<string, string>>
  readonly profile: SimProfile
  /** A Bearer token the simulator accepts as well (`ZENDESK_OAUTH_TOKEN`); not in `env`, which uses the API token. */
  readonly oauthToken: string
  /**
   * Changes data as account activity would, for delta runs (also `POST /_sim/touch?tickets=…|count=…&users=…&reply=1&age=…`):
   * the tickets and users get updated now (minus `ageSeconds`), with `reply` a new comment from the requester.
   */
  touch(t: TouchRequest): { tickets: number[]; users: number[]; refused: number[] }
  /** Ground truth of a complete extract; computed on first use. */
  manifest(): ZendeskManifest
  stats(): SimStats
  close(): Promise<void>
}

export interface TouchRequest {
  ticketIds?: readonly number[]
  /** Instead of ids: the newest `count` tickets that can still change. */
  count?: number
  userIds?: readonly number[]
  reply?: boolean
  /** How long ago the change happened, seconds (default 0: now, inside the exports' one-minute window). */
  ageSeconds?: number
}

function resolveTouch(world: ZdWorld, t: TouchRequest, nowMs: number): { ticketIds: number[]; userIds: readonly number[]; at: number; reply: boolean } {
  const ticketIds = [...(t.ticketIds ?? [])]
  for (let i = world.tickets - 1; i >= 0 && ticketIds.length < (t.ticketIds?.length ?? 0) + (t.count ?? 0); i--) {
    const h = world.header(i)
    if (!h.deleted && h.status !== 'closed' && !ticketIds.includes(h.id)) ticketIds.push(h.id)
  }
  return { ticketIds, userIds: t.userIds ?? [], at: Math.floor(nowMs / 1000) - Math.max(0, t.ageSeconds ?? 0), reply: t.reply ?? false }
}

const TOKEN_ROUTE = /^\/attachments\/token\/([0-9a-z]+)\/?$/
const SIGNED_ROUTE = new RegExp(`^${SIGNED_PATH}\\d+/([0-9a-z]+)$`)

export function routeKeyOf(method: string, pathname: string): string {
  if (TOKEN_ROUTE.test(pathname)) return `${method} ${TOKEN_PATH}{token}`
  if (SIGNED_ROUTE.test(pathname)) return `${method} ${SIGNED_PATH}{account}/{token}`
  return matchRoute(method, pathname)?.route.key ?? 'other'
}

function answer(opts: ResolvedZendeskOptions, world: ZdWorld, req: SimRequest, origin: string): SimResponse {
  const { method, url } = req
  const ctx: RouteContext = { world, origin, api: `${origin}/api/v2`, now: opts.now }
  // The `expired` fault: this attachment redirect hands out a link that has already expired.
  const files = { world, origin, now: opts.now, linkTtlMs: opts.linkTtlMs, expireNow: req.fault === 'expired' }
  const token = TOKEN_ROUTE.exec(url.pathname)
  if (method === 'GET' && token) return redirectToSigned(files, token[1]!)
  const signed = SIGNED_ROUTE.exec(url.pathname)
  // The user-content host needs no credentials: the signed link is the credential.
  if (method === 'GET' && signed) return serveSigned(files, signed[1]!, url.searchParams)
  const auth = checkAuth(req.headers.authorization, opts)
  if (!auth.ok) {
    // Zendesk answers /users/me for anyone: wrong credentials get 200 and an anonymous user (id null).
    if (method === 'GET' && normalisePath(url.pathname) === '/api/v2/users/me') return zdJson({ user: anonymousUser(auth.email) })
    return { status: 401, headers: { 'content-type': 'application/json; charset=utf-8', 'www-authenticate': 'Basic realm="Web Password"' }, body: Buffer.from(JSON.stringify({ error: "Couldn't authenticate you" })) }
  }
  return handleApi(ctx, method, url.pathname, url.searchParams)
}

/** `/_sim/stats` classes: the exports' own budget apart from the general API, and file downloads apart from both. */
export function routeClass(key: string): 'export' | 'download' | 'general' {
  if (key.includes('/incremental/')) return 'export'
  if (key.includes(TOKEN_PATH) || key.includes(SIGNED_PATH)) return 'download'
  return 'general'
}

/**
 * Rate-limit header spellings: every response has the `X-Rate-Limit` pair; the full profile adds the 2024
 * `ratelimit-limit/remaining/reset`, the sparse one the Sept-2023 `rate-limit-*` spelling instead.
 */
export function rateLimitHeaders(profile: SimProfile): { limit: string[]; remaining: string[]; reset: string[]; retryAfter: string[] } {
  const p = profile === 'sparse' ? 'rate-limit' : 'ratelimit'
  return { limit: ['x-rate-limit', `${p}${profile === 'sparse' ? '' : '-limit'}`], remaining: ['x-rate-limit-remaining', `${p}-remaining`], reset: [`${p}-reset`], retryAfter: ['retry-after'] }
}

/** Starts the simulator and resolves once it listens. */
export async function startZendeskSimulator(o: ZendeskSimulatorOptions = {}): Promise<ZendeskSimulator> {
  const opts = resolveZendeskOptions(o)
  const world = new ZdWorld(opts.seed, opts.tickets, opts.profile)
  let origin = ''
  let manifestCache: { version: number; value: ZendeskManifest } | null = null
  const manifest = (): ZendeskManifest => {
    if (manifestCache?.version !== world.version) manifestCache = { version: world.version, value: computeManifest(world, origin) }
    return manifestCache.value
  }
  const touch = (t: TouchRequest) => world.touch(resolveTouch(world, t, opts.now()))
  const server = await startSimServer({
    options: opts,
    now: opts.now,
    rateLimitHeaders: rateLimitHeaders(opts.profile),
    // The exports' budget shows no header of its own (as recorded in 2024); the tickets index has a structured one.
    endpointLimits: [
      { routes: EXPORT_ROUTE_KEYS, rpm: opts.exportRpm },
      { routes: [TICKETS_INDEX_KEY], rpm: 100, header: opts.profile === 'sparse' ? 'zendesk-rate-limit-tickets-index' : 'zendesk-ratelimit-tickets-index' },
    ],
    routeKey: routeKeyOf,
    routeClass,
    // File downloads are not API calls: the account budget does not count them.
    unmetered: (key) => routeClass(key) === 'download',
    handle: (req, o2) => {
      const r = answer(opts, world, req, o2)
      // Zendesk's version headers (Zammad detects a Zendesk host by them).
      return { ...r, headers: { ...r.headers, 'x-zendesk-api-version': 'v2', 'zendesk-api-version': '2022-01-01' } }
    },
    errorResponse,
    faultJson,
    manifest,
    simRoute: (req) => {
      if (req.url.pathname !== '/_sim/touch') return null
      if (req.method !== 'POST') return zdError(405, 'MethodNotAllowed', 'POST /_sim/touch?tickets=<ids>|count=<n>&users=<ids>&reply=1&age=<seconds>')
      const q = req.url.searchParams
      const ids = (name: string) => (q.get(name) ?? '').split(',').filter(Boolean).map(Number)
      return zdJson(touch({ ticketIds: ids('tickets'), count: Number(q.get('count') ?? 0), userIds: ids('users'), reply: q.get('reply') === '1' || q.get('reply') === 'true', ageSeconds: Number(q.get('age') ?? 0) }))
    },
  })
  origin = server.origin
  const host = new URL(origin).host
  return {
    url: origin,
    env: {
      ZENDESK_BASE_URL: `${origin}/api/v2`,
      ZENDESK_SUBDOMAIN: opts.subdomain,
      ZENDESK_EMAIL: opts.email,
      ZENDESK_API_TOKEN: opts.apiToken,
      // The account host serves content_url; the signed user-content links are on the same simulated host.
      ZENDESK_ATTACHMENT_HOSTS: host,
    },
    profile: opts.profile,
    oauthToken: opts.oauthToken,
    manifest,
    touch,
    stats: () => server.stats(),
    close: () => server.close(),
  }
}
