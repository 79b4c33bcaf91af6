import { attachmentBytes } from './attachment-bytes.js'
import { TAG_SEEDS, TEAM_SEEDS, USER_SEEDS } from './catalog.js'
import { CONVERSATION_PAGE_SIZE, PAGE_SIZE, halPage, pageBounds, parsePage } from './hal.js'
import { CONVERSATION_ID_BASE, MERGED_ID_BASE } from './headers.js'
import { CUSTOMER_ID_BASE, ORGANIZATION_ID_BASE } from './people.js'
import { BadRequest, type QueryCache, parseConversationQuery, parseCustomerQuery } from './queries.js'
import {
  customerParts, renderCustomer, renderField, renderFolders, renderMailbox, renderOrganization, renderTag, renderTeam, renderUser,
} from './render-catalog.js'
import { renderConversation, renderThread } from './render-conversation.js'
import { contentDisposition, errorResponse, jsonResponse, redirectResponse } from './responses.js'
import { conversationIndexOfAttachment } from './threads.js'
import type { SimResponse } from './types.js'
import type { World } from './world.js'

/** Read-only Mailbox API 2.0 routes over the generated world. Authentication is checked by the caller. */

export interface RouteContext {
  world: World
  queries: QueryCache
  /** Absolute base of the API, e.g. `http://127.0.0.1:41234/v2`. */
  v2: string
}

interface Route {
  key: string
  pattern: RegExp
  handle: (ctx: RouteContext, params: string[], query: URLSearchParams) => SimResponse
}

const notFound = (what: string): SimResponse => errorResponse(404, `${what} not found`)

function list<T>(ctx: RouteContext, path: string, query: URLSearchParams, key: string, all: readonly T[], render: (x: T) => unknown, size = PAGE_SIZE): SimResponse {
  const page = parsePage(query)
  if (page === null) return errorResponse(400, 'page must be a positive integer')
  const { start, end } = pageBounds(page, size, all.length)
  return jsonResponse(200, halPage({ url: `${ctx.v2}${path}`, params: query, key, items: all.slice(start, end).map(render), total: all.length, page, size }))
}

/** Pages over an ordered index list, rendering only the requested slice. */
function indexedList(ctx: RouteContext, path: string, query: URLSearchParams, key: string, order: Int32Array, render: (i: number) => unknown, size: number): SimResponse {
  const page = parsePage(query)
  if (page === null) return errorResponse(400, 'page must be a positive integer')
  const { start, end } = pageBounds(page, size, order.length)
  const items = Array.from(order.subarray(start, end), render)
  return jsonResponse(200, halPage({ url: `${ctx.v2}${path}`, params: query, key, items, total: order.length, page, size }))
}

function mailboxOf(ctx: RouteContext, raw: string) {
  return ctx.world.mailboxes.find((m) => m.id === Number(raw))
}

/** Index of a listed conversation, or for an old merged id the survivor's id to redirect to. */
function resolveConversation(ctx: RouteContext, raw: string): { index: number } | { movedTo: number } | null {
  const id = Number(raw)
  const index = ctx.world.conversationIndexOf(id, CONVERSATION_ID_BASE)
  if (index !== null) return { index }
  const survivor = ctx.world.conversationIndexOf(id, MERGED_ID_BASE)
  if (survivor !== null && ctx.world.header(survivor).absorbedMerge) return { movedTo: CONVERSATION_ID_BASE + survivor }
  return null
}

function withQuery(url: string, query: URLSearchParams): string {
  const q = query.toString()
  return q ? `${url}?${q}` : url
}

function attachmentOf(ctx: RouteContext, cidRaw: string, aidRaw: string) {
  const resolved = resolveConversation(ctx, cidRaw)
  if (!resolved || !('index' in resolved)) return null
  const aid = Number(aidRaw)
  if (conversationIndexOfAttachment(aid) !== resolved.index) return null
  for (const t of ctx.world.threads(resolved.index)) {
    const a = t.attachments.find((x) => x.id === aid)
    if (a) return a
  }
  return null
}

const ROUTES: Route[] = [
  { key: 'GET /v2/users', pattern: /^\/v2\/users$/, handle: (ctx, _p, q) => list(ctx, '/users', q, 'users', USER_SEEDS, (u) => renderUser(ctx.v2, u)) },
  { key: 'GET /v2/users/me', pattern: /^\/v2\/users\/me$/, handle: (ctx) => jsonResponse(200, renderUser(ctx.v2, USER_SEEDS[0]!)) },
  {
    key: 'GET /v2/users/{id}', pattern: /^\/v2\/users\/(\d+)$/,
    handle: (ctx, [id]) => {
      const u = USER_SEEDS.find((x) => x.id === Number(id))
      return u ? jsonResponse(200, renderUser(ctx.v2, u)) : notFound('User')
    },
  },
  { key: 'GET /v2/teams', pattern: /^\/v2\/teams$/, handle: (ctx, _p, q) => list(ctx, '/teams', q, 'teams', TEAM_SEEDS, (t) => renderTeam(ctx.v2, t)) },
  {
    key: 'GET /v2/teams/{id}/members', pattern: /^\/v2\/teams\/(\d+)\/members$/,
    handle: (ctx, [id], q) => {
      const t = TEAM_SEEDS.find((x) => x.id === Number(id))
      if (!t) return notFound('Team')
      const members = USER_SEEDS.filter((u) => t.memberIds.includes(u.id))
      return list(ctx, `/teams/${t.id}/members`, q, 'users', members, (u) => renderUser(ctx.v2, u))
    },
  },
  { key: 'GET /v2/mailboxes', pattern: /^\/v2\/mailboxes$/, handle: (ctx, _p, q) => list(ctx, '/mailboxes', q, 'mailboxes', ctx.world.mailboxes, (m) => renderMailbox(ctx.v2, m)) },
  {
    key: 'GET /v2/mailboxes/{id}', pattern: /^\/v2\/mailboxes\/(\d+)$/,
    handle: (ctx, [id]) => {
      const m = mailboxOf(ctx, id!)
      return m ? jsonResponse(200, renderMailbox(ctx.v2, m)) : notFound('Mailbox')
    },
  },
  {
    key: 'GET /v2/mailboxes/{id}/fields', pattern: /^\/v2\/mailboxes\/(\d+)\/fields$/,
    handle: (ctx, [id], q) => {
      const m = mailboxOf(ctx, id!)
      return m ? list(ctx, `/mailboxes/${m.id}/fields`, q, 'fields', m.fields, renderField) : notFound('Mailbox')
    },
  },
  {
    key: 'GET /v2/mailboxes/{id}/folders', pattern: /^\/v2\/mailboxes\/(\d+)\/folders$/,
    handle: (ctx, [id], q) => {
      const m = mailboxOf(ctx, id!)
      return m ? list(ctx, `/mailboxes/${m.id}/folders`, q, 'folders', renderFolders(ctx.world, m), (f) => f) : notFound('Mailbox')
    },
  },
  { key: 'GET /v2/tags', pattern: /^\/v2\/tags$/, handle: (ctx, _p, q) => list(ctx, '/tags', q, 'tags', TAG_SEEDS, (t) => renderTag(ctx.world, t)) },
  {
    key: 'GET /v2/customers', pattern: /^\/v2\/customers$/,
    handle: (ctx, _p, q) => {
      const order = ctx.queries.customers(parseCustomerQuery(q))
      return indexedList(ctx, '/customers', q, 'customers', order, (j) => renderCustomer(ctx.v2, ctx.world, ctx.world.customer(j)), PAGE_SIZE)
    },
  },
  {
    key: 'GET /v2/customers/{id}', pattern: /^\/v2\/customers\/(\d+)$/,
    handle: (ctx, [id]) => {
      const j = Number(id) - CUSTOMER_ID_BASE
      return j >= 0 && j < ctx.world.customerCount ? jsonResponse(200, renderCustomer(ctx.v2, ctx.world, ctx.world.customer(j), 'single')) : notFound('Customer')
    },
  },
  {
    key: 'GET /v2/customers/{id}/{details}', pattern: /^\/v2\/customers\/(\d+)\/(emails|phones|chats|social-profiles|websites|address|properties)$/,
    handle: (ctx, [id, kind], q) => {
      const j = Number(id) - CUSTOMER_ID_BASE
      if (!(j >= 0 && j < ctx.world.customerCount)) return notFound('Customer')
      const c = ctx.world.customer(j)
      const parts = customerParts(ctx.world, c)
      if (kind === 'address') return parts.address ? jsonResponse(200, parts.address) : notFound('Address')
      return list(ctx, `/customers/${c.id}/${kind}`, q, kind!, parts[kind!] as readonly unknown[], (e) => e)
    },
  },
  {
    key: 'GET /v2/organizations', pattern: /^\/v2\/organizations$/,
    handle: (ctx, _p, q) => {
      const order = Int32Array.from({ length: ctx.world.organizationCount }, (_, k) => k)
      return indexedList(ctx, '/organizations', q, 'organizations', order, (k) => renderOrganization(ctx.v2, ctx.world.organization(k)), PAGE_SIZE)
    },
  },
  {
    key: 'GET /v2/organizations/{id}', pattern: /^\/v2\/organizations\/(\d+)$/,
    handle: (ctx, [id]) => {
      const k = Number(id) - ORGANIZATION_ID_BASE
      return k >= 0 && k < ctx.world.organizationCount ? jsonResponse(200, renderOrganization(ctx.v2, ctx.world.organization(k))) : notFound('Organization')
    },
  },
  {
    key: 'GET /v2/conversations', pattern: /^\/v2\/conversations$/,
    handle: (ctx, _p, q) => {
      const order = ctx.queries.conversations(parseConversationQuery(q))
      const embed = q.get('embed') === 'threads'
      return indexedList(ctx, '/conversations', q, 'conversations', order, (i) =>
        renderConversation(ctx.v2, ctx.world, ctx.world.header(i), ctx.world.threads(i), embed ? { truncateChat: true } : null), CONVERSATION_PAGE_SIZE)
    },
  },
  {
    key: 'GET /v2/conversations/{id}', pattern: /^\/v2\/conversations\/(\d+)$/,
    handle: (ctx, [id], q) => {
      const r = resolveConversation(ctx, id!)
      if (!r) return notFound('Conversation')
      if ('movedTo' in r) return redirectResponse(withQuery(`${ctx.v2}/conversations/${r.movedTo}`, q))
      const embed = q.get('embed') === 'threads' ? { truncateChat: false } : null
      return jsonResponse(200, renderConversation(ctx.v2, ctx.world, ctx.world.header(r.index), ctx.world.threads(r.index), embed))
    },
  },
  {
    key: 'GET /v2/conversations/{id}/threads', pattern: /^\/v2\/conversations\/(\d+)\/threads$/,
    handle: (ctx, [id], q) => {
      const r = resolveConversation(ctx, id!)
      if (!r) return notFound('Conversation')
      // As documented: only Get Conversation answers 301 for a merged id; List Threads answers 404.
      if ('movedTo' in r) return notFound('Conversation')
      const h = ctx.world.header(r.index)
      const customer = ctx.world.customer(h.customerIndex)
      const newestFirst = [...ctx.world.threads(r.index)].reverse()
      return list(ctx, `/conversations/${h.id}/threads`, q, 'threads', newestFirst, (t) => renderThread(ctx.v2, h.id, customer, t, { truncateChat: false, profile: ctx.world.profile, seed: ctx.world.seed }))
    },
  },
  {
    key: 'GET /v2/conversations/{id}/attachments/{id}/data', pattern: /^\/v2\/conversations\/(\d+)\/attachments\/(\d+)\/data$/,
    handle: (ctx, [cid, aid]) => {
      const a = attachmentOf(ctx, cid!, aid!)
      if (!a) return notFound('Attachment')
      return jsonResponse(200, { data: attachmentBytes(ctx.world.seed, a).toString('base64') }, 'application/json;charset=UTF-8')
    },
  },
  {
    key: 'GET /v2/conversations/{id}/attachments/{id}/file', pattern: /^\/v2\/conversations\/(\d+)\/attachments\/(\d+)\/file$/,
    handle: (ctx, [cid, aid]) => {
      const a = attachmentOf(ctx, cid!, aid!)
      if (!a) return notFound('Attachment')
      return {
        status: 200,
        headers: { 'content-type': a.mimeType, 'content-disposition': contentDisposition(a.filename) },
        body: attachmentBytes(ctx.world.seed, a),
      }
    },
  },
]

/** The route a GET request hits, for stats; null when nothing matches (answered 404). */
export function matchRoute(method: string, pathname: string): { route: Route; params: string[] } | null {
  if (method !== 'GET') return null
  for (const route of ROUTES) {
    const m = route.pattern.exec(pathname)
    if (m) return { route, params: m.slice(1) }
  }
  return null
}

/** Answers an authenticated GET. Bad filters answer 400; unknown routes 404. */
export function handleGet(ctx: RouteContext, method: string, pathname: string, query: URLSearchParams): SimResponse {
  const hit = matchRoute(method, pathname)
  if (!hit) return errorResponse(404, `No route for ${method} ${pathname}`)
  try {
    return hit.route.handle(ctx, hit.params, query)
  } catch (err) {
    if (err instanceof BadRequest) return errorResponse(400, err.message)
    throw err
  }
}
