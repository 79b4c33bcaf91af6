/**
 * Help Scout Mailbox API 2.0 simulator: serves a deterministic generated dataset so the Help Scout
 * adapter can be run and benchmarked offline.
 *
 * Wire choices where Help Scout documents nothing (the adapter should rely on exactly these):
 * - Inline images: the attachment object carries `contentId` (e.g. `img-1000000123@sim.deskmove`,
 *   no angle brackets) and the thread body references it as `<img src="cid:img-1000000123@sim.deskmove">`.
 * - Merges: the surviving conversation has a `lineitem` thread with
 *   `action: { type: "merged", text, associatedEntities: { conversation: { id: <oldId>, number: <oldNumber> } } }`;
 *   `GET /v2/conversations/{oldId}` and `…/{oldId}/threads` answer 301 with `Location` of the survivor
 *   (query kept). The old id is never listed and is not counted in the manifest.
 * - Chat threads in `GET /v2/conversations?embed=threads` have their `body` cut to 80 code points
 *   followed by "…" (every generated chat body is longer). `GET /v2/conversations/{id}` (with
 *   `embed=threads`) and `/threads` return whole bodies. Rule for clients: re-read `/threads` for any
 *   listed conversation holding a thread of type `chat`.
 * - Rate-limit headers are sent on every response while `rpm` is set; with `rpm: null` none are sent.
 * - Drafts are never generated (the API does not list them); deleted conversations are listed with
 *   `state: "deleted"` and spam with `status: "spam"` under `status=all`.
 * - Photo and web links point at `*.helpscout-sim.invalid` hosts, which the simulator does not serve.
 */
import { startSimServer, type SimRequest } from '../../../../src/kits/simulator/server.js'
import type { SimProfile } from '../../../../src/kits/simulator/profile.js'
import { readGrant, TokenStore } from './auth.js'
import { helpScoutFaultJson } from './faults.js'
import { computeManifest } from './manifest.js'
import { handlePublicImage, publicRouteKey } from './inline-images.js'
import { SIM_CDN_PATH } from './threads.js'
import { resolveSimOptions, type HelpScoutSimulatorOptions, type ResolvedSimOptions } from './options.js'
import { QueryCache } from './queries.js'
import { errorResponse, jsonResponse } from './responses.js'
import { handleGet, matchRoute, type RouteContext } from './router.js'
import type { SimManifest, SimResponse, SimStats } from './types.js'
import { World } from './world.js'

export type { SimManifest, SimStats } from './types.js'
export type { HelpScoutSimulatorOptions } from './options.js'

/** A running simulator. */
export interface HelpScoutSimulator {
  /** Origin of the server, e.g. `http://127.0.0.1:41234`; the API lives under `/v2/`. */
  readonly url: string
  /** Environment for the deskmove Help Scout adapter (base URL includes `/v2`). */
  readonly env: { HELPSCOUT_BASE_URL: string; HELPSCOUT_APP_ID: string; HELPSCOUT_APP_SECRET: string; HELPSCOUT_INLINE_IMAGE_HOSTS: string }
  /** The payload profile the renderers were given. */
  readonly profile: SimProfile
  /** Ground truth of a complete extract; computed on first use (it takes a moment for large datasets). */
  manifest(): SimManifest
  stats(): SimStats
  close(): Promise<void>
}

const TOKEN_PATH = '/v2/oauth2/token'

/** Help Scout's part of the pipeline: the token endpoint, bearer auth, then the read-only routes. */
function apiResponse(opts: ResolvedSimOptions, tokens: TokenStore, ctx: RouteContext, req: SimRequest): SimResponse {
  const { method, url } = req
  if (url.pathname === TOKEN_PATH) {
    if (method !== 'POST') return errorResponse(404, `No route for ${method} ${url.pathname}`)
    const grant = readGrant(req.headers['content-type'], req.body, url.searchParams)
    if (grant.grantType !== 'client_credentials') {
      return jsonResponse(400, { error: 'unsupported_grant_type', error_description: 'Only client_credentials is simulated' }, 'application/json')
    }
    if (grant.clientId !== opts.appId || grant.clientSecret !== opts.appSecret) {
      return jsonResponse(401, { error: 'invalid_client', error_description: 'Invalid client credentials' }, 'application/json')
    }
    return jsonResponse(200, tokens.issue(), 'application/json')
  }
  // The CDN's and the tracker's images are public URLs: no token, as on the real CDN.
  const image = handlePublicImage(ctx.world, method, url.pathname)
  if (image) return image
  const check = tokens.check(req.headers.authorization)
  if (check !== 'ok') {
    const why = check === 'expired' ? 'Token expired' : check === 'missing' ? 'Missing bearer token' : 'Invalid token'
    return { ...errorResponse(401, why), headers: { 'content-type': 'application/json;charset=UTF-8', 'www-authenticate': 'Bearer' } }
  }
  return handleGet(ctx, method, url.pathname, url.searchParams)
}

/** Starts the simulator and resolves once it listens. */
export async function startHelpScoutSimulator(o: HelpScoutSimulatorOptions = {}): Promise<HelpScoutSimulator> {
  const opts = resolveSimOptions(o)
  const world = new World(opts.seed, opts.conversations, opts.profile)
  const queries = new QueryCache(world)
  const tokens = new TokenStore(opts.seed, opts.tokenTtlSeconds)
  let manifestCache: SimManifest | null = null
  const manifest = () => (manifestCache ??= computeManifest(world))
  let ctx: RouteContext | null = null
  const server = await startSimServer({
    options: opts,
    rateLimitHeaders: { limit: 'x-ratelimit-limit-minute', remaining: 'x-ratelimit-remaining-minute', retryAfter: ['x-ratelimit-retry-after', 'retry-after'] },
    routeKey: (method, path) => (path === TOKEN_PATH ? `${method} ${TOKEN_PATH}` : publicRouteKey(method, path) ?? matchRoute(method, path)?.route.key ?? 'other'),
    handle: (req, origin) => apiResponse(opts, tokens, (ctx ??= { world, queries, v2: `${origin}/v2` }), req),
    errorResponse,
    faultJson: helpScoutFaultJson,
    manifest,
  })
  const origin = server.origin
  return {
    url: origin,
    // The simulated CDN is one of the account's image hosts; the tracker path beside it is not.
    env: { HELPSCOUT_BASE_URL: `${origin}/v2`, HELPSCOUT_APP_ID: opts.appId, HELPSCOUT_APP_SECRET: opts.appSecret, HELPSCOUT_INLINE_IMAGE_HOSTS: `${new URL(origin).host}${SIM_CDN_PATH}/` },
    profile: opts.profile,
    manifest,
    stats: () => server.stats(),
    close: () => server.close(),
  }
}
