import type { SimResponse } from '../../../../src/kits/simulator/responses.js'
import { GROUPS } from './catalog.js'
import { iso } from './ids.js'
import { listPage } from './paging.js'
import type { UserSeed } from './people.js'
import { recordNotFound } from './responses.js'
import type { RouteContext } from './routes.js'

/** Secondary lists importers read: group memberships, user identities, satisfaction ratings. */

export interface ExtraRoute {
  key: string
  pattern: RegExp
  handle(ctx: RouteContext, params: string[], q: URLSearchParams): SimResponse
}

interface Membership { id: number; userId: number; groupId: number; isDefault: boolean; createdAt: number }

function memberships(ctx: RouteContext): Membership[] {
  const out: Membership[] = []
  for (const u of ctx.world.users().filter((x) => x.role !== 'end-user')) {
    const groups = GROUPS.filter((g) => !g.deleted && (g.id === u.defaultGroupId || (u.index + g.id) % 3 === 0))
    for (const g of groups) out.push({ id: 90_000_000_000 + u.index * 10 + (g.id % 10), userId: u.id, groupId: g.id, isDefault: g.id === u.defaultGroupId, createdAt: u.createdAt })
  }
  return out
}

function identities(u: UserSeed): Record<string, unknown>[] {
  const base = (k: number, type: string, value: string, primary: boolean) => ({
    url: '', id: 95_000_000_000 + u.index * 10 + k, user_id: u.id, type, value, verified: primary, primary, created_at: iso(u.createdAt), updated_at: iso(u.updatedAt), undeliverable_count: 0, deliverable_state: 'deliverable',
  })
  const out: Record<string, unknown>[] = []
  if (u.email) out.push(base(1, 'email', u.email, true))
  if (u.phone) out.push(base(2, 'phone_number', u.phone, out.length === 0))
  if (u.social === 'twitter' && u.handle) out.push(base(3, 'twitter', u.handle, out.length === 0))
  if (u.social === 'facebook') out.push(base(4, 'facebook', String(300_000_000 + u.index), out.length === 0))
  return out
}

const ratedCache = new WeakMap<object, { version: number; indexes: number[] }>()
function ratedTickets(ctx: RouteContext): number[] {
  const hit = ratedCache.get(ctx.world)
  if (hit && hit.version === ctx.world.version) return hit.indexes
  const indexes: number[] = []
  for (let i = 0; i < ctx.world.tickets; i++) {
    const h = ctx.world.header(i)
    if ((h.status === 'solved' || h.status === 'closed') && !h.deleted && h.index % 4 === 0) indexes.push(i)
  }
  ratedCache.set(ctx.world, { version: ctx.world.version, indexes })
  return indexes
}

export const EXTRA_ROUTES: ExtraRoute[] = [
  {
    key: 'GET /api/v2/group_memberships', pattern: /^\/api\/v2\/group_memberships$/,
    handle: (ctx, _p, q) => {
      const all = memberships(ctx)
      return listPage({
        key: 'group_memberships', url: `${ctx.api}/group_memberships`, query: q, total: all.length, slice: (a, b) => all.slice(a, b),
        render: (m) => ({ url: `${ctx.api}/group_memberships/${m.id}.json`, id: m.id, user_id: m.userId, group_id: m.groupId, default: m.isDefault, created_at: iso(m.createdAt), updated_at: iso(m.createdAt) }),
      })
    },
  },
  {
    key: 'GET /api/v2/users/{id}/identities', pattern: /^\/api\/v2\/users\/(\d+)\/identities$/,
    handle: (ctx, [id], q) => {
      const u = ctx.world.userById(Number(id))
      if (!u || u.deleted) return recordNotFound()
      const all = identities(u).map((x) => ({ ...x, url: `${ctx.api}/users/${u.id}/identities/${x.id as number}.json` }))
      return listPage({ key: 'identities', url: `${ctx.api}/users/${u.id}/identities.json`, query: q, total: all.length, slice: (a, b) => all.slice(a, b), render: (x) => x })
    },
  },
  {
    key: 'GET /api/v2/satisfaction_ratings', pattern: /^\/api\/v2\/satisfaction_ratings$/,
    handle: (ctx, _p, q) => {
      const all = ratedTickets(ctx)
      return listPage({
        key: 'satisfaction_ratings', url: `${ctx.api}/satisfaction_ratings`, query: q, total: all.length, slice: (a, b) => all.slice(a, b),
        render: (i) => {
          const h = ctx.world.header(i)
          const d = ctx.world.detail(i)
          const good = i % 8 === 0
          return {
            url: `${ctx.api}/satisfaction_ratings/${97_000_000_000 + i}.json`, id: 97_000_000_000 + i, assignee_id: d.assigneeIndex === null ? null : ctx.world.agentIds()[d.assigneeIndex]!, group_id: d.groupId,
            requester_id: ctx.world.users()[d.requesterIndex]!.id, ticket_id: h.id, score: good ? 'good' : 'offered', comment: good ? 'Quick and friendly, thanks!' : null, reason: good ? null : 'No reason provided', reason_id: good ? null : 0,
            created_at: iso(h.updatedAt), updated_at: iso(h.updatedAt),
          }
        },
      })
    },
  },
]
