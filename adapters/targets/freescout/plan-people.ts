// Pure planning of agents (→ FreeScout users) and customers (→ customers + emails, identity decisions).
import type { Agent, Customer } from '../../../src/core/model/person.js'
import type { Organization } from '../../../src/core/model/organization.js'
import type { IdentityDecision, PlanDeps, Skip } from '../../../src/core/target.js'
import { skip } from '../../../src/core/target.js'
import { DEFAULT_KEY } from '../../../src/core/mapping-config.js'
import type { FsCustomerLinkOp, FsCustomerOp, FsLookups, FsUserOp } from './plan-ops.js'
import { cleanText } from './plan-text.js'
import { FS_LIMITS, ValueFitter } from './planner/fit-values.js'
import { epochSeconds, phonesJson, sanitizeEmail, splitName, sqlTime, websitesJson } from './plan-rows.js'

const opBase = (source: string, kind: 'agent' | 'customer', sourceId: string) => ({
  ref: { source, kind, sourceId },
  dedupeKey: `${source}:${kind}:${sourceId}`,
  partialRejects: [],
})

function findUser(l: FsLookups, v: number | string): number | null {
  if (typeof v === 'number') return l.userIds.includes(v) ? v : null
  return l.users[v.toLowerCase()]?.id ?? null
}

/** A source time as FreeScout stores it: wall-clock time in the site's zone. */
const timeIn = (l: FsLookups) => (iso: string | null) => (iso ? sqlTime(epochSeconds(iso), l.settings.timeZone) : null)

/**
 * An agent becomes a FreeScout user: the configured mapping (by source email or id) wins, then a user with the
 * same email (main or alternate), then the unmatched policy (`map-to` a named user or `create-disabled`).
 */
export function planAgent(a: Agent, deps: PlanDeps<FsLookups>): FsUserOp | Skip {
  const l = deps.lookups
  const cfg = deps.config
  const time = timeIn(l)
  const email = a.email ? sanitizeEmail(a.email) : null
  const { first, last } = splitName(cleanText(a.name), a.firstName && cleanText(a.firstName), a.lastName && cleanText(a.lastName))
  const base = { ...opBase(a.source, 'agent', a.sourceId), email: email ?? '', firstName: first, lastName: last, createdAt: time(a.createdAt) }
  // Config keys are matched case-insensitively for emails, exactly for ids.
  const byKey = (k: string) => cfg.agents[k] ?? Object.entries(cfg.agents).find(([key]) => key.toLowerCase() === k)?.[1]
  const mapped = (email ? byKey(email) : undefined) ?? cfg.agents[a.sourceId]
  if (mapped !== undefined) {
    const id = findUser(l, mapped)
    if (id === null) return skip('unmapped', `mapping.agents maps ${email ?? a.sourceId} to ${mapped}, which is no FreeScout user`)
    return { ...base, type: 'user', action: 'map-to', userId: id, matchesExisting: true, summary: { action: 'map-to', userId: id } }
  }
  for (const e of [email, ...a.alternateEmails.map(sanitizeEmail)]) {
    const u = e ? l.users[e] : undefined
    if (u) return { ...base, type: 'user', action: 'match', userId: u.id, matchesExisting: true, summary: { action: 'match', userId: u.id } }
  }
  const policy = cfg.unmatchedAgents
  if (policy.policy === 'map-to') {
    const id = findUser(l, policy.user)
    if (id === null) return skip('unmapped', `mapping.unmatchedAgents.user ${policy.user} is no FreeScout user`)
    const notice = `agent ${a.name} <${email ?? 'no email'}> has no FreeScout user: mapped to user ${policy.user}`
    return { ...base, type: 'user', action: 'map-to', userId: id, notice, matchesExisting: true, summary: { action: 'map-to', userId: id } }
  }
  const own = email && email.length <= 100 ? email : `agent+${a.sourceId.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 40)}@deskmove.invalid`
  const notice = `agent ${a.name} <${email ?? 'no email'}> has no FreeScout user: a disabled user ${own} is created`
  return { ...base, type: 'user', action: 'create-disabled', userId: null, email: own, notice, summary: { action: 'create-disabled', email: own, name: `${first} ${last}`.trim() } }
}

/**
 * A customer: its addresses sanitised (lower-cased, one owner per address). When an address already belongs
 * to an earlier source customer, or to a customer FreeScout had before the import, this one merges into that
 * customer instead (reported as an identity decision). Without any address it gets a placeholder or is
 * rejected, as configured.
 */
export function planCustomer(c: Customer, org: Organization | null, deps: PlanDeps<FsLookups>): FsCustomerOp | FsCustomerLinkOp | Skip {
  const base = opBase(c.source, 'customer', c.sourceId)
  let emails = [...new Set(c.emails.map((e) => sanitizeEmail(e.value)).filter((e): e is string => e !== null))]
  let identity: IdentityDecision | undefined
  if (emails.length === 0) {
    const p = deps.config.customersWithoutEmail
    if (p.policy === 'reject') return skip('invalid', `customer ${c.sourceId} has no usable email address (mapping.customersWithoutEmail is "reject")`)
    const placeholder = sanitizeEmail(p.pattern.replaceAll('{sourceId}', c.sourceId.replace(/[^A-Za-z0-9._-]/g, '_')).replaceAll('{domain}', p.domain))
    if (!placeholder) return skip('invalid', `placeholder pattern gives no valid address for customer ${c.sourceId}`)
    emails = [placeholder]
    identity = { sourceId: c.sourceId, decision: 'placeholder-email', email: placeholder, into: null, why: 'the source customer has no email address' }
  }
  for (const e of emails) {
    const existing = deps.lookups.existingEmails[e]
    if (existing !== undefined) {
      const id: IdentityDecision = { sourceId: c.sourceId, decision: 'matched-existing', email: e, into: String(existing), why: `FreeScout already has customer ${existing} with ${e}` }
      return { ...base, type: 'customer-link', into: null, existingCustomerId: existing, identity: id, summary: { customerId: existing } }
    }
    const owner = deps.emailOwner(e)
    if (owner !== undefined && owner !== c.sourceId) {
      const extra = emails.filter((x) => deps.emailOwner(x) === undefined)
      const why = `shares ${e} with source customer ${owner}${extra.length ? `; its other addresses (${extra.join(', ')}) are not added` : ''}`
      const id: IdentityDecision = { sourceId: c.sourceId, decision: 'merged-into-source', email: e, into: owner, why }
      return { ...base, type: 'customer-link', into: { kind: 'customer', sourceId: owner }, existingCustomerId: null, identity: id, summary: { into: owner } }
    }
  }
  const time = timeIn(deps.lookups)
  // Names longer than the column are cut by rule (an ellipsis last), recorded, and kept whole in the notes.
  const fit = new ValueFitter('customer notes')
  fit.droppedAddresses('emails', c.emails.map((e) => e.value))
  const text = (field: string, s: string | null, max?: number) => {
    if (s === null || s.trim() === '') return null
    const v = fit.clean(field, s).trim()
    return max ? fit.fit(field, v, max) : v
  }
  const firstName = text('first_name', c.firstName, FS_LIMITS.customerName)
  const lastName = text('last_name', c.lastName, FS_LIMITS.customerName)
  const notes = [text('notes', c.notes), ...fit.fullValues].filter((x): x is string => x !== null).join('\n\n')
  const row = {
    firstName,
    lastName,
    company: text('company', org?.name ?? c.company),
    jobTitle: text('job_title', c.jobTitle),
    notes: notes === '' ? null : notes,
    phones: phonesJson(c.phones.map((p) => ({ value: cleanText(p.value), type: p.type }))),
    websites: websitesJson(c.websites),
    createdAt: time(c.createdAt),
    updatedAt: time(c.sourceUpdatedAt ?? c.createdAt),
  }
  return {
    ...base,
    type: 'customer',
    row,
    emails,
    claimsEmails: emails,
    identity: identity ?? { sourceId: c.sourceId, decision: 'own', email: emails[0]!, into: null, why: 'first owner of its addresses' },
    summary: { first_name: row.firstName, last_name: row.lastName, company: row.company, emails: emails.join(','), phones: row.phones },
    ...(fit.alterations.length ? { alterations: fit.alterations } : {}),
  }
}

/** The mailbox a ticket goes to: mapping by group id, else the `*` default; null when unmapped or unknown. */
export function resolveMailbox(l: FsLookups, mailboxes: Readonly<Record<string, number | string>>, groupId: string | null): number | null {
  const v = (groupId !== null ? mailboxes[groupId] : undefined) ?? mailboxes[DEFAULT_KEY]
  if (v === undefined) return null
  const m = typeof v === 'number' ? l.mailboxes.find((x) => x.id === v) : l.mailboxes.find((x) => x.email.toLowerCase() === v.toLowerCase())
  return m?.id ?? null
}
