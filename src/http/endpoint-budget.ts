// Per-endpoint rate budgets inside a host: which budget a request falls under, and the pacer that keeps it.
import type { Sleep } from './backoff.js'
import { HostPacer } from './pacing.js'
import type { EndpointBudget, HostPolicy } from '../core/http.js'

/** The endpoint's pacer and whether its headers describe it (then they are not the host's). */
export interface EndpointLane {
  readonly budget: EndpointBudget
  readonly pacer: HostPacer
}

/** The first budget that governs a request with this route and URL path, or null. */
export function budgetFor(budgets: readonly EndpointBudget[] | undefined, route: string, path: string): number | null {
  if (!budgets) return null
  for (let i = 0; i < budgets.length; i++) {
    const m = budgets[i]!.match
    if (m.route !== undefined && m.route === route) return i
    if (m.path !== undefined && new RegExp(m.path).test(path)) return i
  }
  return null
}

/** One pacer per (origin, budget): the same sliding-window pacing as a host, at the endpoint's budget. */
export function endpointLanes(policy: HostPolicy, clock: { now: () => number; sleep: Sleep }): (origin: string, route: string, path: string) => EndpointLane | null {
  const lanes = new Map<string, EndpointLane>()
  return (origin, route, path) => {
    const i = budgetFor(policy.endpointBudgets, route, path)
    if (i === null) return null
    const key = `${origin} ${i}`
    let lane = lanes.get(key)
    if (!lane) {
      const budget = policy.endpointBudgets![i]!
      const own: HostPolicy = {
        ...policy,
        rpm: budget.rpm ?? null,
        rateLimitHeaders: budget.rateLimitHeaders ?? { retryAfter: [], windowMs: 60_000 },
      }
      lane = { budget, pacer: new HostPacer(own, clock) }
      lanes.set(key, lane)
    }
    return lane
  }
}
