// A throwaway Znuny-shaped target (test tree only) that shows the contract fits a target unlike FreeScout:
// customer companies before customer users, its own `states` and `queues` mapping sections, no rollback (the
// GenericInterface has no ticket delete), and HTTP-style writes — one remote call per object, errors
// reported inside a 200 answer — so a ticket is NOT written atomically and resume goes through `locate`.
import { z } from 'zod'
import type { RecordRef } from '../../core/model/common.js'
import type { Located, PlanDeps, PlanUnit, Skip, Target, TargetDefinition, UnknownTargetValue, WriteOpBase } from '../../core/target.js'
import { skip } from '../../core/target.js'
import { declareCapabilities } from '../../core/capabilities.js'
import { DEFAULT_KEY, sectionOf, type MappingConfig, type MappingSection } from '../../core/mapping-config.js'
import { RecordRejectedError, RemoteUnavailableError } from '../../core/errors.js'
import { ZnunyRemote, type RemoteAnswer } from './znuny-remote.js'

export const ZNUNY_STATES = ['new', 'open', 'closed successful', 'closed unsuccessful', 'pending reminder', 'pending auto close+', 'merged', 'removed'] as const

export const statesSection: MappingSection<string> = {
  name: 'states',
  description: 'Source status value to a Znuny ticket state.',
  values: z.enum(ZNUNY_STATES),
  observe: { kind: 'ticket', path: '$.vendorStatus' },
  template: '"states": { "*": "open" }',
}

export const queuesSection: MappingSection<string> = {
  name: 'queues',
  description: 'Source group id to a Znuny queue (`Parent::Child`).',
  values: z.string().regex(/^[^:]+(::[^:]+)*$/, 'a queue name such as Support::L1'),
  observe: { kind: 'ticket', path: '$.groupRef.sourceId' },
  template: '"queues": { "*": "Raw" }',
}

/** The ops of this target: one per unit of its load order. */
export type ZnOp = WriteOpBase &
  (
    | { readonly type: 'company'; readonly customerId: string; readonly name: string }
    | { readonly type: 'agent'; readonly login: string; readonly email: string | null }
    | { readonly type: 'customer-user'; readonly login: string; readonly email: string; readonly company: RecordRef | null }
    | { readonly type: 'customer-alias'; readonly into: RecordRef }
    | {
        readonly type: 'ticket'
        readonly title: string
        readonly queue: string
        readonly state: string
        readonly customer: RecordRef
        readonly articles: readonly { readonly key: string; readonly body: string; readonly internal: boolean }[]
      }
  )

export interface ZnLookups {
  readonly queues: readonly string[]
}

type ZnMapping = MappingConfig

const mapped = (config: ZnMapping, section: string, value: string): string | undefined => {
  const m = sectionOf(config, section)
  return (m[value] ?? m[DEFAULT_KEY]) as string | undefined
}

function planZnuny(unit: PlanUnit, deps: PlanDeps<ZnLookups, ZnMapping>): ZnOp | Skip {
  const src = unit.record.source
  const base = (kind: RecordRef['kind'], sourceId: string, summary: WriteOpBase['summary']) => ({
    ref: { source: src, kind, sourceId },
    dedupeKey: `${src}:${kind}:${sourceId}`,
    summary,
    partialRejects: [],
  })
  if (unit.kind === 'organization') {
    const o = unit.record
    return { ...base('organization', o.sourceId, { name: o.name }), type: 'company', customerId: `org-${o.sourceId}`, name: o.name }
  }
  if (unit.kind === 'agent') {
    const a = unit.record
    return { ...base('agent', a.sourceId, { login: a.email?.toLowerCase() ?? `agent-${a.sourceId}` }), type: 'agent', login: a.email?.toLowerCase() ?? `agent-${a.sourceId}`, email: a.email }
  }
  if (unit.kind === 'customer') {
    const c = unit.record
    let email = c.emails[0]?.value.toLowerCase() ?? null
    const p = deps.config.customersWithoutEmail
    if (!email && p.policy === 'placeholder') email = p.pattern.replace('{sourceId}', c.sourceId).replace('{domain}', p.domain)
    if (!email) return skip('invalid', `customer ${c.sourceId} has no email address and Znuny customer users need one`)
    const owner = deps.emailOwner(email)
    if (owner !== undefined && owner !== c.sourceId) return { ...base('customer', c.sourceId, { into: owner }), type: 'customer-alias', into: { kind: 'customer', sourceId: owner } }
    const company = c.organizationRef && deps.staged(c.organizationRef) ? c.organizationRef : null
    return { ...base('customer', c.sourceId, { login: email, company: company?.sourceId ?? null }), type: 'customer-user', login: email, email, company, claimsEmails: [email] }
  }
  const t = unit.record
  if (!t.customerRef) return skip('no-customer', `ticket ${t.sourceId} has no customer`)
  if (!deps.staged(t.customerRef)) return skip('dangling-reference', `ticket ${t.sourceId} refers to customer ${t.customerRef.sourceId}, which is not staged`)
  const state = mapped(deps.config, 'states', t.vendorStatus)
  const queue = mapped(deps.config, 'queues', t.groupRef?.sourceId ?? '(none)')
  if (!state || !queue) return skip('unmapped', `no Znuny ${state ? 'queue' : 'state'} for ticket ${t.sourceId}`)
  const articles = unit.messages.map((m) => ({ key: m.sourceId, body: m.bodyHtml ?? m.bodyText ?? '', internal: m.type === 'internal_note' }))
  // Never silently: attachments this target does not keep become rejects of their own.
  const partialRejects = unit.attachments.map((a) => ({ kind: 'attachment' as const, sourceId: a.record.sourceId, reason: 'unsupported-entity' as const, detail: 'the Znuny-shaped test target keeps no attachments' }))
  return { ...base('ticket', t.sourceId, { title: t.subject, queue, state, articles: articles.length }), partialRejects, type: 'ticket', title: t.subject, queue, state, customer: t.customerRef, articles }
}

/** Unwraps a GenericInterface answer: an `Error` inside a 200 is this record's fault, not the connection's. */
function ok<T>(answer: RemoteAnswer<T>, what: string): T {
  if ('Error' in answer) throw new RecordRejectedError('invalid', `${what}: ${answer.Error.ErrorCode}: ${answer.Error.ErrorMessage}`)
  return answer.data
}

/** Creates the target over a remote (share one between calls to simulate re-connecting). */
export function createZnunyShapedTarget(remote: ZnunyRemote = new ZnunyRemote()): Target<ZnOp, ZnLookups, ZnMapping> & { readonly remote: ZnunyRemote } {
  const call = <T>(fn: () => RemoteAnswer<T>): T => {
    if (remote.down) throw new RemoteUnavailableError('znuny-shaped: connection refused')
    return ok(remote.call(fn), 'GenericInterface')
  }
  return {
    id: 'znuny-shaped',
    remote,
    capabilities: ZNUNY_SHAPED_CAPABILITIES,
    mappingSections: [statesSection, queuesSection],
    async check() {
      if (remote.down) return { ok: false, items: [{ name: 'webservice', status: 'unreachable', detail: 'connection refused' }] }
      return { ok: true, items: [{ name: 'webservice', status: 'ok', detail: `${remote.queues.length} queue(s)` }] }
    },
    async prepare() {
      return call(() => ({ data: { queues: [...remote.queues] } }))
    },
    checkMapping(config, lookups): UnknownTargetValue[] {
      return Object.entries(sectionOf(config, 'queues'))
        .filter(([, q]) => !lookups.queues.includes(String(q)))
        .map(([key, q]) => ({ section: 'queues', key, value: String(q), available: [...lookups.queues] }))
    },
    plan: planZnuny,
    async apply(op, ctx) {
      if (op.type === 'customer-alias') {
        const into = ctx.resolve(op.into)
        if (!into) throw new RecordRejectedError('dangling-reference', `customer ${op.into.sourceId} was not written`)
        return into
      }
      if (op.type === 'ticket') {
        const owner = ctx.resolve(op.customer)
        if (!owner) throw new RecordRejectedError('dangling-reference', `customer ${op.customer.sourceId} was not written`)
        // TicketCreate, then one ArticleCreate per message, then the op hash: three kinds of call, no transaction.
        const id = ctx.existingRef ?? call(() => remote.create('ticket', op.dedupeKey, { title: op.title, queue: op.queue, state: op.state, owner }))
        call(() => remote.update(id, { title: op.title, queue: op.queue, state: op.state, owner }))
        for (const a of op.articles) if (!remote.hasArticle(id, a.key)) call(() => remote.addArticle(id, a.key))
        call(() => remote.update(id, { opHash: ctx.opHash }))
        return id
      }
      const company = op.type === 'customer-user' && op.company ? ctx.resolve(op.company) ?? null : null
      const fields = op.type === 'company' ? { name: op.name } : op.type === 'agent' ? { login: op.login } : { login: op.login, company }
      const id = ctx.existingRef ?? call(() => remote.create(op.ref.kind, op.dedupeKey, fields))
      call(() => remote.update(id, { ...fields, opHash: ctx.opHash }))
      return id
    },
    async locate(op, ctx): Promise<Located | null> {
      if (op.type === 'customer-alias') {
        const into = ctx.resolve(op.into)
        return into ? { ref: into, sameOp: true } : null
      }
      const found = call(() => ({ data: remote.findByKey(op.dedupeKey) }))
      return found ? { ref: found.id, sameOp: found.fields.opHash === ctx.opHash } : null
    },
    async snapshot(kind, ref) {
      const o = call(() => ({ data: remote.get(ref) }))
      if (!o || o.kind !== kind) return null
      const f = o.fields
      if (kind === 'ticket') return { title: f.title, queue: f.queue, state: f.state, articles: o.articles.length }
      if (kind === 'customer') return { login: f.login, company: f.company === null || f.company === undefined ? null : remote.get(String(f.company))?.key.split(':').pop() ?? null }
      return { ...f }
    },
    async fingerprint() {
      return call(() => ({ data: remote.digest() }))
    },
    async close() {},
  }
}

export const ZNUNY_SHAPED_CAPABILITIES = declareCapabilities({
  entities: ['organization', 'agent', 'customer', 'ticket', 'message'],
  // Customer users name their company by its customer id, so companies go first.
  loadOrder: [{ kind: 'organization' }, { kind: 'agent' }, { kind: 'customer' }, { kind: 'ticket', with: ['message'] }],
  atomicUnit: 'none',
  preservesTimestamps: false,
  internalNotes: true,
})

/** The definition as the registry would hold it (tests only; never registered). */
export const znunyShapedTarget: TargetDefinition<Record<string, never>, ZnOp, ZnLookups, ZnMapping> = {
  id: 'znuny-shaped',
  displayName: 'Znuny-shaped test target',
  config: { schema: z.object({}).strict() as never, env: {}, sensitive: [] },
  capabilities: ZNUNY_SHAPED_CAPABILITIES,
  mapping: [statesSection, queuesSection],
  http: { defaultRpm: 600, defaultConcurrency: 2 },
  create: () => createZnunyShapedTarget(),
}
