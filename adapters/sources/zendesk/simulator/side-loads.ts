import { BRANDS, GROUPS } from './catalog.js'
import { renderBrand, renderGroup, renderOrg, renderUser } from './render-people.js'
import type { RouteContext } from './routes.js'

/**
 * `include=users,groups,organizations,brands` on ticket lists, shows and the tickets export: top-level arrays of
 * the records the page's tickets reference. Permanently deleted users and the former agent are not side-loaded
 * (they no longer exist); a client has to cope with ids it cannot resolve.
 */
export function sideLoads(ctx: RouteContext, q: URLSearchParams, ticketIndexes: readonly number[]): Record<string, unknown> {
  const include = new Set((q.get('include') ?? '').split(',').map((s) => s.trim()).filter(Boolean))
  if (include.size === 0) return {}
  const w = ctx.world
  const userIds = new Set<number>()
  const orgIds = new Set<number>()
  const groupIds = new Set<number>()
  const brandIds = new Set<number>()
  const agentIds = w.agentIds()
  for (const i of ticketIndexes) {
    const d = w.detail(i)
    const requester = w.users()[d.requesterIndex]!
    userIds.add(requester.id)
    if (d.assigneeIndex !== null) userIds.add(agentIds[d.assigneeIndex]!)
    for (const c of d.ccIndexes) userIds.add(w.users()[c]!.id)
    for (const f of d.followerIndexes) userIds.add(agentIds[f]!)
    if (requester.organizationId !== null) orgIds.add(requester.organizationId)
    if (d.groupId !== null) groupIds.add(d.groupId)
    brandIds.add(d.brandId)
  }
  const out: Record<string, unknown> = {}
  if (include.has('users')) {
    out.users = [...userIds].map((id) => w.userById(id)).filter((u) => u !== null && !u.deleted).map((u) => renderUser(w, ctx.api, u!))
  }
  if (include.has('organizations')) out.organizations = [...orgIds].map((id) => renderOrg(w, ctx.api, w.orgById(id)!))
  if (include.has('groups')) out.groups = GROUPS.filter((g) => groupIds.has(g.id)).map((g) => renderGroup(ctx.api, g))
  if (include.has('brands')) out.brands = BRANDS.filter((b) => brandIds.has(b.id)).map((b) => renderBrand(ctx.api, ctx.origin, b))
  return out
}
