import type { SimResponse } from '../../../../src/kits/simulator/responses.js'
import { BRANDS, FORMS, GROUPS, ORG_FIELDS, TICKET_FIELDS, USER_FIELDS } from './catalog.js'
import { cursorExport, timeExport, type ExportContext } from './exports.js'
import { ticketEventsExport } from './events.js'
import { listPage } from './paging.js'
import type { UserSeed } from './people.js'
import { renderBrand, renderForm, renderGroup, renderKeyedField, renderOrg, renderTicketField, renderUser } from './render-people.js'
import { renderAttachment, renderComment, renderTicket, ticketTags, customFieldValues, type Urls } from './render-ticket.js'
import { recordNotFound, zdError, zdJson } from './responses.js'
import { EXTRA_ROUTES } from './routes-extra.js'
import { sideLoads } from './side-loads.js'
import type { ExportKey, ZdWorld } from './world.js'

/** The read-only Support API routes over the generated account. Authentication is checked by the caller. */

export interface RouteContext extends Urls {
  world: ZdWorld
  now: () => number
}

interface Route {
  key: string
  pattern: RegExp
  handle(ctx: RouteContext, params: string[], q: URLSearchParams): SimResponse
}

const P = '/api/v2'
const all = <T>(xs: readonly T[]) => ({ total: xs.length, slice: (a: number, b: number) => xs.slice(a, b) })

function simpleList<T>(ctx: RouteContext, path: string, key: string, xs: readonly T[], render: (x: T, i: number) => unknown, q: URLSearchParams): SimResponse {
  return listPage({ key, url: `${ctx.api}${path}`, query: q, ...all(xs.map((x, i) => [x, i] as const)), render: ([x, i]) => render(x, i) })
}

function usersFiltered(w: ZdWorld, q: URLSearchParams): UserSeed[] {
  const roles = [...q.getAll('role'), ...q.getAll('role[]')]
  // Permanently deleted users are no longer listed; they remain only in the users export.
  return w.users().filter((u) => !u.deleted && (roles.length === 0 || roles.includes(u.role)))
}

function showTicket(ctx: RouteContext, index: number, q: URLSearchParams): SimResponse {
  const h = ctx.world.header(index)
  // Deleted tickets 404 outside the export; archived ones are still shown.
  if (h.deleted) return recordNotFound()
  const d = ctx.world.detail(index)
  return zdJson({ ticket: renderTicket(ctx.world, ctx, h, d, { exported: false }), ...sideLoads(ctx, q, [index]) })
}

function ticketIndex(ctx: RouteContext, raw: string): number | null {
  return ctx.world.ticketIndexOf(Number(raw))
}

const ROUTES: Route[] = [
  // Authenticated: the token's user (the account's admin). Wrong credentials are answered before routing.
  { key: 'GET /api/v2/users/me', pattern: /^\/api\/v2\/users\/me$/, handle: (ctx) => zdJson({ user: { ...renderUser(ctx.world, ctx.api, ctx.world.users()[0]!), authenticity_token: 'sim-authenticity-token' } }) },
  { key: 'GET /api/v2/users', pattern: /^\/api\/v2\/users$/, handle: (ctx, _p, q) => simpleList(ctx, '/users', 'users', usersFiltered(ctx.world, q), (u) => renderUser(ctx.world, ctx.api, u), q) },
  {
    key: 'GET /api/v2/users/show_many', pattern: /^\/api\/v2\/users\/show_many$/,
    handle: (ctx, _p, q) => {
      const ids = (q.get('ids') ?? '').split(',').filter(Boolean).map(Number)
      if (ids.length > 100) return zdError(400, 'TooManyValues', 'Too many values specified for ids', { max_count: 100 })
      // Unknown and permanently deleted ids are left out silently, as show_many does.
      const users = ids.map((id) => ctx.world.userById(id)).filter((u): u is UserSeed => u !== null && !u.deleted)
      return zdJson({ users: users.map((u) => renderUser(ctx.world, ctx.api, u)), next_page: null, previous_page: null, count: users.length })
    },
  },
  {
    key: 'GET /api/v2/users/{id}', pattern: /^\/api\/v2\/users\/(\d+)$/,
    handle: (ctx, [id]) => {
      const u = ctx.world.userById(Number(id))
      return u && !u.deleted ? zdJson({ user: renderUser(ctx.world, ctx.api, u) }) : recordNotFound()
    },
  },
  { key: 'GET /api/v2/organizations', pattern: /^\/api\/v2\/organizations$/, handle: (ctx, _p, q) => simpleList(ctx, '/organizations', 'organizations', ctx.world.organizations(), (o) => renderOrg(ctx.world, ctx.api, o), q) },
  {
    key: 'GET /api/v2/organizations/{id}', pattern: /^\/api\/v2\/organizations\/(\d+)$/,
    handle: (ctx, [id]) => {
      const o = ctx.world.orgById(Number(id))
      return o ? zdJson({ organization: renderOrg(ctx.world, ctx.api, o) }) : recordNotFound()
    },
  },
  { key: 'GET /api/v2/groups', pattern: /^\/api\/v2\/groups$/, handle: (ctx, _p, q) => simpleList(ctx, '/groups', 'groups', GROUPS, (g) => renderGroup(ctx.api, g), q) },
  { key: 'GET /api/v2/brands', pattern: /^\/api\/v2\/brands$/, handle: (ctx, _p, q) => simpleList(ctx, '/brands', 'brands', BRANDS, (b) => renderBrand(ctx.api, ctx.origin, b), q) },
  { key: 'GET /api/v2/ticket_forms', pattern: /^\/api\/v2\/ticket_forms$/, handle: (ctx, _p, q) => simpleList(ctx, '/ticket_forms', 'ticket_forms', FORMS, (f) => renderForm(ctx.api, f), q) },
  { key: 'GET /api/v2/ticket_fields', pattern: /^\/api\/v2\/ticket_fields$/, handle: (ctx, _p, q) => simpleList(ctx, '/ticket_fields', 'ticket_fields', TICKET_FIELDS, (f, i) => renderTicketField(ctx.api, f, i), q) },
  { key: 'GET /api/v2/user_fields', pattern: /^\/api\/v2\/user_fields$/, handle: (ctx, _p, q) => simpleList(ctx, '/user_fields', 'user_fields', USER_FIELDS, (f, i) => renderKeyedField(ctx.api, 'user_fields', f, i), q) },
  { key: 'GET /api/v2/organization_fields', pattern: /^\/api\/v2\/organization_fields$/, handle: (ctx, _p, q) => simpleList(ctx, '/organization_fields', 'organization_fields', ORG_FIELDS, (f, i) => renderKeyedField(ctx.api, 'organization_fields', f, i), q) },
  {
    key: 'GET /api/v2/tickets', pattern: /^\/api\/v2\/tickets$/,
    handle: (ctx, _p, q) => {
      // The plain list leaves out archived and deleted tickets (only the export has them).
      const listed = listedTickets(ctx.world)
      return listPage({
        key: 'tickets', url: `${ctx.api}/tickets`, query: q, total: listed.length, slice: (a, b) => Array.from(listed.subarray(a, b)),
        render: (i) => renderTicket(ctx.world, ctx, ctx.world.header(i), ctx.world.detail(i), { exported: false }),
        extra: (items) => sideLoads(ctx, q, items),
      })
    },
  },
  {
    key: 'GET /api/v2/tickets/show_many', pattern: /^\/api\/v2\/tickets\/show_many$/,
    handle: (ctx, _p, q) => {
      const ids = (q.get('ids') ?? '').split(',').filter(Boolean).map(Number)
      if (ids.length > 100) return zdError(400, 'TooManyValues', 'Too many values specified for ids', { max_count: 100 })
      const found = ids.map((id) => ctx.world.ticketIndexOf(id)).filter((i): i is number => i !== null && !ctx.world.header(i).deleted)
      return zdJson({ tickets: found.map((i) => renderTicket(ctx.world, ctx, ctx.world.header(i), ctx.world.detail(i), { exported: false })), ...sideLoads(ctx, q, found), next_page: null, previous_page: null, count: found.length })
    },
  },
  {
    key: 'GET /api/v2/tickets/{id}', pattern: /^\/api\/v2\/tickets\/(\d+)$/,
    handle: (ctx, [id], q) => {
      const i = ticketIndex(ctx, id!)
      return i === null ? recordNotFound() : showTicket(ctx, i, q)
    },
  },
  {
    key: 'GET /api/v2/tickets/{id}/comments', pattern: /^\/api\/v2\/tickets\/(\d+)\/comments$/,
    handle: (ctx, [id], q) => {
      const i = ticketIndex(ctx, id!)
      if (i === null || ctx.world.header(i).deleted) return recordNotFound()
      const includeInline = q.get('include_inline_images') === 'true'
      const comments = ctx.world.comments(i)
      const ordered = q.get('sort_order') === 'desc' ? [...comments].reverse() : comments
      return listPage({
        key: 'comments', url: `${ctx.api}/tickets/${id}/comments.json`, query: q, ...all(ordered), render: (c) => renderComment(ctx.world, ctx, c, includeInline),
        // include=users: the page's authors that still exist (the former agent and deleted users do not).
        extra: (page) => ((q.get('include') ?? '').split(',').includes('users')
          ? { users: [...new Set(page.map((c) => c.authorId))].map((a) => ctx.world.userById(a)).filter((u): u is UserSeed => u !== null && !u.deleted).map((u) => renderUser(ctx.world, ctx.api, u)) }
          : {}),
      })
    },
  },
  {
    key: 'GET /api/v2/tickets/{id}/tags', pattern: /^\/api\/v2\/tickets\/(\d+)\/tags$/,
    handle: (ctx, [id]) => {
      const i = ticketIndex(ctx, id!)
      if (i === null || ctx.world.header(i).deleted) return recordNotFound()
      const h = ctx.world.header(i)
      return zdJson({ tags: ticketTags(ctx.world, h, customFieldValues(ctx.world, h)) })
    },
  },
  {
    key: 'GET /api/v2/attachments/{id}', pattern: /^\/api\/v2\/attachments\/(\d+)$/,
    handle: (ctx, [id]) => {
      const f = ctx.world.file(Number(id))
      if (!f || f.thumbnail || ctx.world.header(f.ticketIndex).deleted) return recordNotFound()
      const seed = [...f.comment.files, ...f.comment.inlineImages].find((x) => x.id === Number(id))!
      return zdJson({ attachment: renderAttachment(ctx.world, ctx, seed) })
    },
  },
  { key: 'GET /api/v2/incremental/tickets/cursor', pattern: /^\/api\/v2\/incremental\/tickets\/cursor$/, handle: (ctx, _p, q) => cursorExport(ticketExportSpec(ctx, q, `${ctx.api}/incremental/tickets/cursor.json`), q, exportCtx(ctx)) },
  { key: 'GET /api/v2/incremental/tickets', pattern: /^\/api\/v2\/incremental\/tickets$/, handle: (ctx, _p, q) => timeExport(ticketExportSpec(ctx, q, `${ctx.api}/incremental/tickets.json`), q, exportCtx(ctx)) },
  { key: 'GET /api/v2/incremental/users/cursor', pattern: /^\/api\/v2\/incremental\/users\/cursor$/, handle: (ctx, _p, q) => cursorExport(userExportSpec(ctx, `${ctx.api}/incremental/users/cursor.json`), q, exportCtx(ctx)) },
  // As recorded, the users export's next_page has no `.json` while the others keep it.
  { key: 'GET /api/v2/incremental/users', pattern: /^\/api\/v2\/incremental\/users$/, handle: (ctx, _p, q) => timeExport(userExportSpec(ctx, `${ctx.api}/incremental/users`), q, exportCtx(ctx)) },
  {
    key: 'GET /api/v2/incremental/organizations', pattern: /^\/api\/v2\/incremental\/organizations$/,
    handle: (ctx, _p, q) => timeExport({ key: 'organizations', url: `${ctx.api}/incremental/organizations.json`, keys: ctx.world.orgsByTime(), render: (k) => renderOrg(ctx.world, ctx.api, ctx.world.organizations()[k.index]!) }, q, exportCtx(ctx)),
  },
  { key: 'GET /api/v2/incremental/ticket_events', pattern: /^\/api\/v2\/incremental\/ticket_events$/, handle: (ctx, _p, q) => ticketEventsExport(ctx, q, exportCtx(ctx)) },
  ...EXTRA_ROUTES,
]

/** Route keys of the incremental exports: they share the export's own budget. */
export const EXPORT_ROUTE_KEYS = ROUTES.filter((r) => r.key.includes('/incremental/')).map((r) => r.key)
export const TICKETS_INDEX_KEY = 'GET /api/v2/tickets'

function exportCtx(ctx: RouteContext): ExportContext {
  return { nowMs: ctx.now() }
}

const withoutDeleted = new WeakMap<ZdWorld, { version: number; keys: ExportKey[] }>()
/** The tickets export's keys; `exclude_deleted=true` leaves deleted tickets out, as documented. */
function ticketKeys(w: ZdWorld, q: URLSearchParams): ExportKey[] {
  if (q.get('exclude_deleted') !== 'true') return w.ticketsByTime()
  const hit = withoutDeleted.get(w)
  if (hit && hit.version === w.version) return hit.keys
  const keys = w.ticketsByTime().filter((k) => !w.header(k.index).deleted)
  withoutDeleted.set(w, { version: w.version, keys })
  return keys
}

function ticketExportSpec(ctx: RouteContext, q: URLSearchParams, url: string) {
  return {
    key: 'tickets', url, keys: ticketKeys(ctx.world, q),
    render: (k: { index: number }) => renderTicket(ctx.world, ctx, ctx.world.header(k.index), ctx.world.detail(k.index), { exported: true }),
    extra: (page: readonly { index: number }[]) => sideLoads(ctx, q, page.map((k) => k.index)),
  }
}

function userExportSpec(ctx: RouteContext, url: string) {
  return { key: 'users', url, keys: ctx.world.usersByTime(), render: (k: { index: number }) => renderUser(ctx.world, ctx.api, ctx.world.users()[k.index]!) }
}

const listedCache = new WeakMap<ZdWorld, Int32Array>()
/** Indexes of the tickets `GET /tickets` lists (neither archived nor deleted), by id. */
export function listedTickets(w: ZdWorld): Int32Array {
  let hit = listedCache.get(w)
  if (!hit) {
    const out: number[] = []
    for (let i = 0; i < w.tickets; i++) {
      const h = w.header(i)
      if (!h.archived && !h.deleted) out.push(i)
    }
    hit = Int32Array.from(out)
    listedCache.set(w, hit)
  }
  return hit
}

/** `/api/v2/…` path without its optional `.json` suffix. */
export function normalisePath(pathname: string): string {
  return pathname.startsWith(`${P}/`) ? pathname.replace(/\.json$/, '') : pathname
}

export function matchRoute(method: string, pathname: string): { route: Route; params: string[] } | null {
  if (method !== 'GET') return null
  const path = normalisePath(pathname)
  for (const route of ROUTES) {
    const m = route.pattern.exec(path)
    if (m) return { route, params: m.slice(1) }
  }
  return null
}

export function handleApi(ctx: RouteContext, method: string, pathname: string, q: URLSearchParams): SimResponse {
  const hit = matchRoute(method, pathname)
  if (!hit) return zdError(404, 'InvalidEndpoint', `Not found: ${method} ${pathname}`)
  return hit.route.handle(ctx, hit.params, q)
}
