// Pure builders: canonical records (+ the Znuny ids the id map holds) → the rows and values of the database step.
import type { Customer } from '../../../../src/core/model/person.js'
import type { Organization } from '../../../../src/core/model/organization.js'
import type { Ticket } from '../../../../src/core/model/ticket.js'
import type { Message } from '../../../../src/core/model/message.js'
import type { DbStepArticle, DbStepCompany, DbStepCustomerUser, DbStepTicket } from './types.js'

/** Column widths of Znuny's customer tables (schema.mysql.sql, B.3): longer values are cut and reported. */
export const CUSTOMER_WIDTHS = {
  login: 200,
  email: 150,
  customerId: 150,
  companyName: 200,
  firstName: 100,
  lastName: 100,
  title: 50,
  phone: 150,
  street: 150,
  zip: 200,
  city: 200,
  country: 200,
  url: 200,
  comments: 250,
} as const

/**
 * The `customer_company.customer_id` of a source organization: `<source>-<sourceId>`, stable across runs and
 * unique even when two organizations share a name. Tickets pass the same value as `CustomerID`.
 */
export function companyKey(org: Pick<Organization, 'source' | 'sourceId'>): string {
  return `${org.source}-${org.sourceId}`.slice(0, CUSTOMER_WIDTHS.customerId)
}

/** A customer company row for a source organization. */
export function companyFromOrganization(org: Organization): DbStepCompany {
  return {
    sourceId: org.sourceId,
    customerId: companyKey(org),
    name: org.name.trim() || companyKey(org),
    url: org.domains[0] ?? null,
    comments: org.notes,
    createdAt: org.createdAt,
  }
}

const blankToNull = (s: string | null | undefined) => (s && s.trim() ? s.trim() : null)

/**
 * A customer user row for a source customer: login and email are the main address lower-cased (what TicketCreate
 * gets as `CustomerUser`), the company key is the organization's or — like Znuny's own self-registration — the
 * customer's email. Znuny needs first and last names: a missing one falls back to the address's local part / `-`.
 * Null when the customer has no email address (Znuny customer users need one; the plan decides the policy).
 */
export function customerUserFromCustomer(c: Customer, org: Organization | null, email = c.emails[0]?.value ?? null): DbStepCustomerUser | null {
  if (!email) return null
  const login = email.toLowerCase()
  const phone = (t: string) => c.phones.find((p) => p.type === t)?.value ?? null
  const first = blankToNull(c.firstName)
  const last = blankToNull(c.lastName)
  const addr = c.address ?? null
  return {
    sourceId: c.sourceId,
    login,
    email: login,
    customerId: org ? companyKey(org) : login,
    firstName: first ?? (last ? '-' : login.split('@')[0]!),
    lastName: last ?? '-',
    title: blankToNull(c.jobTitle),
    phone: phone('work') ?? phone('home') ?? phone('other') ?? null,
    mobile: phone('mobile'),
    fax: phone('fax'),
    street: addr && addr.lines.length ? addr.lines.join(', ') : null,
    zip: addr?.postalCode ?? null,
    city: addr?.city ?? null,
    country: addr?.country ?? null,
    comments: blankToNull(c.notes),
    createdAt: c.createdAt,
  }
}

const later = (a: string, b: string | null | undefined): string => (b && Date.parse(b) > Date.parse(a) ? b : a)

/** What the id map holds for an imported ticket. */
export interface WrittenTicketIds {
  readonly ticketId: number
  /** Znuny article id by canonical message source id (messages the target did not write are absent). */
  readonly articleIds: ReadonlyMap<string, number>
}

/**
 * The database-step values of one imported ticket: original create/change/close instants, the original number
 * when `keepNumbers` (the source number as text; Znuny's `tn` is a string), the company key to set, and each
 * written article with its message's instant. `changedAt` is the latest of the ticket's update, close and last
 * message, never before creation.
 */
export function ticketForDbStep(
  ticket: Ticket,
  messages: readonly Message[],
  ids: WrittenTicketIds,
  opts: { readonly keepNumbers: boolean; readonly customerId?: string | null },
): DbStepTicket {
  const articles: DbStepArticle[] = []
  let changed = ticket.createdAt
  for (const m of [...messages].sort((a, b) => a.position - b.position)) {
    const id = ids.articleIds.get(m.sourceId)
    changed = later(changed, m.createdAt)
    if (id !== undefined) articles.push({ sourceId: m.sourceId, articleId: id, createdAt: m.createdAt })
  }
  changed = later(later(changed, ticket.updatedAt), ticket.closedAt)
  return {
    sourceId: ticket.sourceId,
    ticketId: ids.ticketId,
    tn: opts.keepNumbers && ticket.number !== null ? String(ticket.number) : null,
    customerId: opts.customerId ?? null,
    createdAt: ticket.createdAt,
    changedAt: changed,
    closedAt: ticket.status === 'closed' ? ticket.closedAt : null,
    articles: articles.sort((a, b) => a.articleId - b.articleId),
  }
}

/** `'YYYY-MM-DD HH:MM:SS'` in UTC (Znuny's OTRSTimeZone default) for an ISO instant. */
export function sqlTime(iso: string): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) throw new TypeError(`not an instant: ${iso}`)
  return d.toISOString().slice(0, 19).replace('T', ' ')
}

/** Whole seconds since the epoch (`article_data_mime.incoming_time`) of an ISO instant. */
export function epochSeconds(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000)
}
