// The Znuny target's ops (+ what apply wrote) → the database step's items, for `queueDbStep` in `apply`.
import type { RecordRef } from '../../../../src/core/model/common.js'
import type { TicketIds } from '../ids.js'
import type { ZnCompanyOp, ZnCustomerOp, ZnTicketOp } from '../plan-ops.js'
import type { DbStepCompany, DbStepCustomerUser, DbStepTicket } from './types.js'

/**
 * Source instants a ticket op carries for the step: `createdAt`, `changedAt`, `closedAt` (ISO) and `number` on
 * the ticket, `createdAt` on each article. A planner that does not carry `createdAt` gets no step for the ticket.
 */
interface TimedTicket {
  readonly createdAt?: string | null
  readonly changedAt?: string | null
  readonly closedAt?: string | null
  readonly number?: string | number | null
}

const later = (a: string, b: string | null | undefined) => (b && Date.parse(b) > Date.parse(a) ? b : a)

/**
 * The step of one applied ticket: its ids (from the ref apply returns), the op's source instants, the kept
 * number when `keepNumbers`, the company key, and whether this run `created` it (for rollback). Articles pair
 * with the ref's article ids by position (both oldest first); an article without a time is left as Znuny made it.
 * Null when the op carries no creation instant.
 */
export function dbStepTicketFromOp(op: ZnTicketOp, ids: TicketIds, opts: { readonly created: boolean; readonly keepNumbers?: boolean; readonly customerId?: string | null }): DbStepTicket | null {
  const t = op as ZnTicketOp & TimedTicket
  if (!t.createdAt) return null
  const articles = op.articles.flatMap((a, i) => {
    const at = (a as typeof a & { createdAt?: string | null }).createdAt
    const id = ids.articleIds[i]
    return at && id !== undefined ? [{ sourceId: a.key, articleId: Number(id), createdAt: at }] : []
  })
  const changed = stepChangedAt(op)!
  return {
    sourceId: op.ref.sourceId,
    ticketId: Number(ids.ticketId),
    tn: opts.keepNumbers && t.number !== null && t.number !== undefined ? String(t.number) : null,
    customerId: opts.customerId ?? null,
    createdAt: t.createdAt,
    changedAt: changed,
    closedAt: t.closedAt ?? null,
    created: opts.created,
    articles,
  }
}

/**
 * The change time the step gives a ticket op: the latest of its creation, change, close and article instants
 * (verify expects the same). Null when the op carries no creation instant.
 */
export function stepChangedAt(op: ZnTicketOp): string | null {
  const t = op as ZnTicketOp & TimedTicket
  if (!t.createdAt) return null
  const start = later(later(t.createdAt, t.changedAt), t.closedAt)
  return op.articles.reduce((c, a) => later(c, (a as typeof a & { createdAt?: string | null }).createdAt), start)
}

/** A customer company row from its op. */
export function dbStepCompanyFromOp(op: ZnCompanyOp): DbStepCompany {
  return { sourceId: op.ref.sourceId, customerId: op.customerId, name: op.name, url: null, comments: null, createdAt: null }
}

/**
 * A customer user row from its op; `resolve` turns the op's company into its CustomerID (the id map holds an
 * organization's CustomerID as its ref). Without a company, the login is the customer id (Znuny's convention).
 */
export function dbStepCustomerFromOp(op: ZnCustomerOp, resolve: (ref: RecordRef) => string | undefined): DbStepCustomerUser {
  const company = op.company ? resolve(op.company) : undefined
  return {
    sourceId: op.ref.sourceId,
    login: op.login,
    email: op.email,
    customerId: company ?? op.login,
    firstName: op.firstName || '-',
    lastName: op.lastName || '-',
    title: null,
    phone: null,
    mobile: null,
    fax: null,
    street: null,
    zip: null,
    city: null,
    country: null,
    comments: null,
    createdAt: null,
  }
}
