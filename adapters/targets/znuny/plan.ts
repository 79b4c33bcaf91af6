// The PURE planner: a unit (organization, customer, ticket with its history) → the op that writes it, or a Skip.
import type { MappingConfig } from '../../../src/core/mapping-config.js'
import type { Customer } from '../../../src/core/model/person.js'
import type { Alteration, PlanDeps, PlanUnit, Skip, WriteOpBase } from '../../../src/core/target.js'
import { skip } from '../../../src/core/target.js'
import { fitText, refusedAddress } from './fidelity.js'
import { provenanceValue } from './ids.js'
import type { ZnLookups } from './lookups.js'
import { FROM_STATUS, mapped, PRIORITY_OF_CANONICAL, STATE_OF_STATUS } from './mapping.js'
import { planArticles } from './plan-articles.js'
import type { ZnArticleOp, ZnCompanyOp, ZnOp, ZnTicketOp } from './plan-ops.js'

type Deps = PlanDeps<ZnLookups, MappingConfig>

const base = (ref: WriteOpBase['ref'], summary: WriteOpBase['summary']) => ({ ref, dedupeKey: provenanceValue(ref), summary, partialRejects: [] })

/** The customer company id a source organization becomes (Znuny `CustomerID`, at most 150 characters). */
export function companyId(source: string, sourceId: string): string {
  return `${source}-${sourceId}`.slice(0, 150)
}

export function planZnuny(unit: PlanUnit, deps: Deps): ZnOp | Skip {
  if (unit.kind === 'agent') return skip('unsupported-entity', 'Znuny agents cannot be created through the web service; map assignees to existing agents in mapping.owners')
  if (unit.kind === 'organization') {
    const o = unit.record
    const op: ZnCompanyOp = { ...base({ source: o.source, kind: 'organization', sourceId: o.sourceId }, { customerId: companyId(o.source, o.sourceId) }), type: 'customer-company', customerId: companyId(o.source, o.sourceId), name: o.name }
    return op
  }
  if (unit.kind === 'customer') return planCustomer(unit.record, deps)
  return planTicket(unit, deps)
}

function planCustomer(c: Customer, deps: Deps): ZnOp | Skip {
  const ref = { source: c.source, kind: 'customer' as const, sourceId: c.sourceId }
  const alterations: Alteration[] = []
  let email: string | null = null
  for (const e of c.emails) {
    const why = refusedAddress(e.value)
    if (!why) {
      email = e.value.toLowerCase()
      break
    }
    alterations.push({ field: 'email', rule: 'address-dropped', detail: `${e.value}: ${why}` })
  }
  let decision: 'own' | 'placeholder-email' = 'own'
  const p = deps.config.customersWithoutEmail
  if (!email && p.policy === 'placeholder') {
    email = p.pattern.replace('{sourceId}', c.sourceId).replace('{domain}', p.domain).toLowerCase()
    decision = 'placeholder-email'
  }
  if (!email) return skip('invalid', `customer ${c.sourceId} has no address Znuny accepts (${c.emails.map((e) => e.value).join(', ') || 'none'}) and mapping.customersWithoutEmail is reject`)
  const owner = deps.emailOwner(email)
  if (owner !== undefined && owner !== c.sourceId) {
    return { ...base(ref, { login: email }), type: 'customer-alias', into: { kind: 'customer', sourceId: owner }, identity: { sourceId: c.sourceId, decision: 'merged-into-source', email, into: owner, why: `shares ${email} with customer ${owner}` } }
  }
  const company = c.organizationRef && deps.staged(c.organizationRef) ? c.organizationRef : null
  const mangles = deps.lookups.dbDialect !== 'postgres'
  const firstName = fitText((c.firstName ?? '').trim() || email.split('@')[0]!, 'first_name', mangles, alterations).slice(0, 100)
  const lastName = fitText((c.lastName ?? '').trim() || '-', 'last_name', mangles, alterations).slice(0, 100)
  return {
    ...base(ref, { login: email }),
    type: 'customer-user',
    login: email,
    email,
    firstName,
    lastName,
    company,
    claimsEmails: [email],
    identity: { sourceId: c.sourceId, decision, email, into: null, why: decision === 'own' ? 'its first address Znuny accepts' : 'no address Znuny accepts: placeholder per mapping.customersWithoutEmail' },
    ...(alterations.length ? { alterations } : {}),
    // Znuny has no REST for customer users: tickets name the login; the row is the database step's.
    notice: deps.lookups.dbDialect ? 'customer user row written by the database step' : 'no customer user row (needs ZNUNY_DB_URL): tickets name the customer by e-mail',
  }
}

/** The latest of some instants (ISO), as Znuny's change_time means the last change of the ticket. */
function latest(instants: readonly (string | null | undefined)[]): string | null {
  let best: string | null = null
  for (const i of instants) if (i && (best === null || Date.parse(i) > Date.parse(best))) best = i
  return best
}

function pendingTime(iso: string | null | undefined): ZnTicketOp['PendingTime'] {
  if (!iso) return null
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return null
  return { Year: d.getUTCFullYear(), Month: d.getUTCMonth() + 1, Day: d.getUTCDate(), Hour: d.getUTCHours(), Minute: d.getUTCMinutes() }
}

/** The ticket dynamic field (Multiselect) that keeps tags when the target has it. */
export const TAGS_FIELD = 'DeskmoveTags'

/** A dynamic field name from a source field name (Znuny allows letters and digits only). */
export function dynamicFieldName(name: string): string {
  return name.replace(/[^A-Za-z0-9]/g, '')
}

/**
 * TicketCreate stores the queue name as To and drops Cc unless it sends the mail (znuny.md O3): that hits the
 * first article, and on 7.1+ every article of the one TicketCreate. With the database the writer stores them
 * afterwards. Recipients that are the thread's own participants (the customer a reply answers) and the helpdesk a
 * customer writes to (what the queue name stands for) are implied by the thread.
 */
function recipientLosses(articles: readonly ZnArticleOp[], lookups: ZnLookups, alterations: Alteration[]): void {
  if (lookups.dbDialect !== null) return
  const participants = new Set(articles.map((a) => /<([^>]+)>$/.exec(a.From ?? '')?.[1] ?? a.From ?? '').filter(Boolean).map((e) => e.toLowerCase()))
  articles.forEach((a, i) => {
    if (i > 0 && lookups.version === '7.0') return
    // A customer writes to the helpdesk: its To is what Znuny's queue name stands for.
    const to = a.SenderType === 'customer' ? [] : a.To.split(', ')
    const extra = [...to, ...a.Cc.split(', ')].filter((e) => e !== '' && !participants.has(e.toLowerCase()))
    if (extra.length === 0 && a.Cc === '') return
    alterations.push({ field: `message ${a.key} to/cc`, rule: 'recipients-not-stored', detail: `${extra.join(', ') || a.Cc}: TicketCreate stores the queue name as To and no Cc (set ZNUNY_DB_URL to keep them)` })
  })
}

function planTicket(unit: Extract<PlanUnit, { kind: 'ticket' }>, deps: Deps): ZnTicketOp | Skip {
  const t = unit.record
  const ref = { source: t.source, kind: 'ticket' as const, sourceId: t.sourceId }
  if (!t.customerRef) return skip('no-customer', `ticket ${t.sourceId} has no customer and Znuny tickets need one`)
  if (!deps.staged(t.customerRef)) return skip('dangling-reference', `ticket ${t.sourceId} refers to customer ${t.customerRef.sourceId}, which is not staged`)
  const { config, lookups } = deps
  const queue = mapped<string>(config, 'queues', t.groupRef?.sourceId ?? '(none)')
  let state = mapped<string>(config, 'states', t.vendorStatus)
  if (state === FROM_STATUS) state = STATE_OF_STATUS[t.status]
  const priority = mapped<string>(config, 'priorities', t.priority ?? '(none)') ?? PRIORITY_OF_CANONICAL[t.priority ?? '(none)'] ?? '3 normal'
  if (!queue) return skip('unmapped', `no Znuny queue for group ${t.groupRef?.sourceId ?? '(none)'} of ticket ${t.sourceId} (mapping.queues)`)
  if (!state) return skip('unmapped', `no Znuny state for status ${t.vendorStatus} of ticket ${t.sourceId} (mapping.states)`)
  const type = mapped<string | null>(config, 'types', t.channel) ?? null
  const ownerLogin = t.assigneeRef ? (mapped<string | null>(config, 'owners', t.assigneeRef.sourceId) ?? null) : null
  const mangles = lookups.dbDialect !== 'postgres'
  const alterations: Alteration[] = []
  let title = t.subject.trim() === '' ? '(no subject)' : t.subject
  if (title !== t.subject) alterations.push({ field: 'subject', rule: 'empty-subject-filled', detail: 'Znuny requires a title: "(no subject)" sent' })
  title = fitText(title, 'subject', mangles, alterations)
  if ([...title].length > 255) {
    alterations.push({ field: 'subject', rule: 'truncated', detail: `${[...title].length} characters cut to Znuny's 255` })
    title = [...title].slice(0, 255).join('')
  }
  const { articles, partialRejects } = planArticles(unit.messages, unit.attachments, { title, mangles }, alterations)
  if (articles.length === 0) {
    alterations.push({ field: 'messages', rule: 'placeholder-article', detail: 'the ticket has no message; Znuny needs one article: an internal note saying so was added' })
    articles.push({ key: `${t.sourceId}:none`, CommunicationChannel: 'Internal', SenderType: 'system', IsVisibleForCustomer: 0, From: null, To: '', Cc: '', Subject: title, Body: 'Imported without any message.', ContentType: 'text/plain; charset=utf-8', attachments: [], createdAt: t.createdAt })
  }
  recipientLosses(articles, lookups, alterations)
  const dynamicFields: { Name: string; Value: string | string[] }[] = []
  const have = lookups.dynamicFields
  if (t.tags.length) {
    const tags = t.tags.map((tag) => fitText(tag, 'tags', mangles, alterations))
    // DeskmoveTags is a Multiselect (one value per tag); a plain "Tags" Text field gets them comma-joined.
    // Unknown list (no database, no ticket to read yet): the documented set-up creates DeskmoveTags, so it is assumed;
    // a Znuny without it refuses the first ticket with a message naming the field, before anything else is written.
    if (have === null || have.includes(TAGS_FIELD)) dynamicFields.push({ Name: TAGS_FIELD, Value: tags })
    else if (have.includes('Tags')) dynamicFields.push({ Name: 'Tags', Value: tags.join(', ') })
    else alterations.push({ field: 'tags', rule: 'dropped', detail: `${t.tags.length} tag(s) not kept: create a ticket dynamic field ${TAGS_FIELD} (Multiselect) to keep them` })
  }
  for (const cf of t.customFields) {
    const name = dynamicFieldName(cf.name)
    const value = cf.text ?? cf.value
    if (value === null || value === '') continue
    if (name && have?.includes(name)) dynamicFields.push({ Name: name, Value: fitText(value, `custom field ${cf.name}`, mangles, alterations) })
    else alterations.push({ field: `custom field ${cf.name}`, rule: 'dropped', detail: `no ticket dynamic field ${name || '(empty)'} known in Znuny` })
  }
  let owner = ownerLogin
  let notice: string | undefined
  if (owner && !lookups.dbDialect) {
    notice = `owner ${owner} not set: setting an owner through the web service e-mails the agent; needs ZNUNY_DB_URL`
    owner = null
  }
  const attachmentCount = articles.reduce((n, a) => n + a.attachments.length, 0)
  const summary: Record<string, string | number | null> = { title, queue, state, priority, articles: articles.length, attachments: attachmentCount }
  if (type) summary.type = type
  if (owner) summary.owner = owner
  return {
    ...base(ref, summary),
    partialRejects,
    type: 'ticket',
    provenance: provenanceValue(ref),
    Title: title,
    Queue: queue,
    State: state,
    Priority: priority,
    Type: type,
    customer: t.customerRef,
    PendingTime: state.startsWith('pending') ? pendingTime(t.snooze?.until) : null,
    dynamicFields,
    owner,
    articles,
    createdAt: t.createdAt,
    changedAt: latest([t.createdAt, t.updatedAt, t.status === 'closed' ? t.closedAt : null, ...articles.map((a) => a.createdAt)]),
    closedAt: t.status === 'closed' ? t.closedAt : null,
    number: config.keepNumbers ? t.number : null,
    ...(alterations.length ? { alterations } : {}),
    ...(notice ? { notice } : {}),
  }
}
