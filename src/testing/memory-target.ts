// In-memory reference target (rclone's `memory` backend): passes the target conformance suite in
// milliseconds so engine tests never need a database.
import { createHash } from 'node:crypto'
import type { EntityKind, RecordRef } from '../core/model/common.js'
import type { ApplyContext, IdentityDecision, Located, PartialReject, PlanDeps, PlanUnit, Skip, Target, WriteOpBase } from '../core/target.js'
import { skip } from '../core/target.js'
import { declareCapabilities, PEOPLE_THEN_TICKETS } from '../core/capabilities.js'
import { RecordRejectedError, RemoteUnavailableError } from '../core/errors.js'
import { stableJson } from '../staging/hash.js'

/** Attachments above this are rejected, so the conformance suite can exercise the limit. */
export const MEMORY_MAX_ATTACHMENT_BYTES = 1024

export type MemoryOp = WriteOpBase &
  (
    | { readonly type: 'agent'; readonly email: string | null; readonly name: string }
    | { readonly type: 'customer'; readonly emails: readonly string[]; readonly name: string }
    | { readonly type: 'customer-alias'; readonly into: RecordRef }
    | {
        readonly type: 'ticket'
        readonly subject: string
        readonly customer: RecordRef
        readonly messages: readonly { readonly sourceId: string; readonly type: string; readonly body: string; readonly createdAt: string }[]
        readonly attachments: readonly { readonly sourceId: string; readonly sha256: string; readonly size: number; readonly fileName: string }[]
      }
  )

/** A stored object: the op that wrote it, which run created it, and the bytes read for its attachments. */
export interface MemoryObject {
  readonly kind: string
  readonly dedupeKey: string
  readonly createdByRun: string
  opHash: string
  summary: Record<string, unknown>
  blobs: string[]
}

/** The target's whole state; share one between `createMemoryTarget` calls to simulate re-opening. */
export interface MemoryTargetState {
  nextId: number
  readonly objects: Map<string, MemoryObject>
  /** Number of `apply` calls (the dry-run test asserts 0). */
  applyCalls: number
}

export function createMemoryState(): MemoryTargetState {
  return { nextId: 1, objects: new Map(), applyCalls: 0 }
}

function planUnit(unit: PlanUnit, deps: PlanDeps<null>): MemoryOp | Skip {
  const base = (kind: 'agent' | 'customer' | 'ticket', sourceId: string, summary: WriteOpBase['summary'], partialRejects: PartialReject[] = []) => ({
    ref: { source: unit.record.source, kind, sourceId },
    dedupeKey: `${unit.record.source}:${kind}:${sourceId}`,
    summary,
    partialRejects,
  })
  if (unit.kind === 'agent') {
    const a = unit.record
    return { ...base('agent', a.sourceId, { email: a.email, name: a.name }), type: 'agent', email: a.email?.toLowerCase() ?? null, name: a.name }
  }
  if (unit.kind === 'customer') {
    const c = unit.record
    const emails = [...new Set(c.emails.map((e) => e.value.toLowerCase()))]
    if (emails.length === 0) return skip('invalid', `customer ${c.sourceId} has no email address`)
    const owner = emails.map((e) => deps.emailOwner(e)).find((o) => o !== undefined && o !== c.sourceId)
    if (owner !== undefined) {
      const identity: IdentityDecision = { sourceId: c.sourceId, decision: 'merged-into-source', email: emails[0]!, into: owner, why: 'shares an email address with an earlier customer' }
      return { ...base('customer', c.sourceId, { into: owner }), type: 'customer-alias', into: { kind: 'customer', sourceId: owner }, identity }
    }
    const name = [c.firstName, c.lastName].filter(Boolean).join(' ')
    return { ...base('customer', c.sourceId, { name, emails: emails.join(',') }), type: 'customer', emails, name, claimsEmails: emails }
  }
  if (unit.kind === 'organization') return skip('unsupported-entity', 'the memory target keeps no organizations')
  const t = unit.record
  const customer = t.customerRef
  if (!customer) return skip('no-customer', `ticket ${t.sourceId} has no customer`)
  if (!deps.staged(customer)) return skip('dangling-reference', `ticket ${t.sourceId} refers to customer ${customer.sourceId}, which is not staged`)
  const partial: PartialReject[] = []
  const attachments = []
  for (const a of unit.attachments) {
    const r = a.record
    if (!r.sha256 || a.blobSize === null) partial.push({ kind: 'attachment', sourceId: r.sourceId, reason: 'missing-blob', detail: `no stored bytes for ${r.fileName}` })
    else if (a.blobSize > MEMORY_MAX_ATTACHMENT_BYTES) partial.push({ kind: 'attachment', sourceId: r.sourceId, reason: 'too-large', detail: `${a.blobSize} bytes > ${MEMORY_MAX_ATTACHMENT_BYTES}` })
    else attachments.push({ sourceId: r.sourceId, sha256: r.sha256, size: a.blobSize, fileName: r.fileName })
  }
  const messages = unit.messages.map((m) => ({ sourceId: m.sourceId, type: m.type, body: m.bodyHtml ?? m.bodyText ?? '', createdAt: m.createdAt }))
  return {
    ...base('ticket', t.sourceId, { subject: t.subject, status: t.status, messages: messages.length, attachments: attachments.length }, partial),
    type: 'ticket',
    subject: t.subject,
    customer,
    messages,
    attachments,
  }
}

/**
 * Creates the memory target over `state` (a fresh one by default). `unreachable` makes it behave like a
 * target whose backend is down: `check` reports it, every other call throws `RemoteUnavailableError`.
 */
export function createMemoryTarget(state: MemoryTargetState = createMemoryState(), opts: { unreachable?: boolean } = {}): Target<MemoryOp, null> & { readonly state: MemoryTargetState } {
  const reach = () => {
    if (opts.unreachable) throw new RemoteUnavailableError('memory target: unreachable (test switch)')
  }
  const byKey = (key: string) => [...state.objects.entries()].find(([, o]) => o.dedupeKey === key)
  const target: Target<MemoryOp, null> & { readonly state: MemoryTargetState } = {
    id: 'memory',
    state,
    capabilities: declareCapabilities({
      entities: ['agent', 'customer', 'ticket', 'message', 'attachment'],
      loadOrder: PEOPLE_THEN_TICKETS,
      // An op is stored in one synchronous step: whole or not at all.
      atomicUnit: 'transaction',
      preservesTimestamps: true,
      internalNotes: true,
      maxAttachmentBytes: MEMORY_MAX_ATTACHMENT_BYTES,
    }),
    async check() {
      if (opts.unreachable) return { ok: false, items: [{ name: 'memory', status: 'unreachable', detail: 'test switch' }] }
      return { ok: true, items: [{ name: 'memory', status: 'ok' }] }
    },
    async prepare() {
      reach()
      return null
    },
    plan: planUnit,
    async apply(op: MemoryOp, ctx: ApplyContext) {
      reach()
      state.applyCalls++
      if (op.type === 'customer-alias') {
        const into = ctx.resolve(op.into)
        if (!into) throw new RecordRejectedError('dangling-reference', `customer ${op.into.sourceId} was not written`)
        return into
      }
      if (op.type === 'ticket' && !ctx.resolve(op.customer)) throw new RecordRejectedError('dangling-reference', `customer ${op.customer.sourceId} was not written`)
      const blobs: string[] = []
      if (op.type === 'ticket') for (const a of op.attachments) blobs.push(createHash('sha256').update(await readAll(ctx.openBlob(a.sha256))).digest('hex'))
      const ref = ctx.existingRef ?? String(state.nextId++)
      const prev = state.objects.get(ref)
      state.objects.set(ref, { kind: op.ref.kind, dedupeKey: op.dedupeKey, createdByRun: prev?.createdByRun ?? ctx.runId, opHash: ctx.opHash, summary: { ...op.summary }, blobs })
      return ref
    },
    async locate(op: MemoryOp, ctx: ApplyContext): Promise<Located | null> {
      reach()
      if (op.type === 'customer-alias') {
        const into = ctx.resolve(op.into)
        return into ? { ref: into, sameOp: true } : null
      }
      const hit = byKey(op.dedupeKey)
      return hit ? { ref: hit[0], sameOp: hit[1].opHash === ctx.opHash } : null
    },
    async snapshot(_kind, ref) {
      reach()
      return state.objects.get(ref)?.summary ?? null
    },
    async fingerprint() {
      reach()
      const rows = [...state.objects.entries()].sort((a, b) => Number(a[0]) - Number(b[0])).map(([id, o]) => [id, o.opHash])
      return createHash('sha256').update(stableJson(rows)).digest('hex').slice(0, 32)
    },
    async finish() {},
    async rollback(runId, opts) {
      const mine = [...state.objects.entries()].filter(([, o]) => o.createdByRun === runId)
      const counts: Record<string, number> = {}
      for (const [, o] of mine) counts[o.kind] = (counts[o.kind] ?? 0) + 1
      if (!opts.preview) for (const [id] of mine) state.objects.delete(id)
      return { counts, removed: mine.map(([id, o]) => ({ kind: o.kind as EntityKind, ref: id })) }
    },
    async close() {},
  }
  return target
}

async function readAll(s: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const c of s) chunks.push(c as Buffer)
  return Buffer.concat(chunks)
}

