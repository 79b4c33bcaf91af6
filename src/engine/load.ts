// The load loop: staging → plan → classify → (apply through the gate) → id map, a page of records at a time.
import { stmt, type StagingStore, type Db } from '../staging/store.js'
import type { EntityKind, RecordRef } from '../core/model/common.js'
import type { Agent, Customer } from '../core/model/person.js'
import type { Ticket } from '../core/model/ticket.js'
import type { Message } from '../core/model/message.js'
import type { Attachment } from '../core/model/attachment.js'
import type { Organization } from '../core/model/organization.js'
import type { AnyTarget, ApplyContext, IdentityDecision, PlanDeps, PlanUnit, WriteOpBase } from '../core/target.js'
import { isSkip } from '../core/target.js'
import type { MappingConfig } from '../core/mapping-config.js'
import { RecordRejectedError } from '../core/errors.js'
import { getRecord } from '../staging/records.js'
import { deleteIdMap, markInFlight, markLoaded } from '../staging/id-map.js'
import { addReject, listRejects, resolveRejects } from '../staging/rejects.js'
import { createHash } from 'node:crypto'
import { readFileSync, statSync } from 'node:fs'
import { Readable } from 'node:stream'
import type { SideEffectGate } from './side-effects.js'

/** Kinds loaded as ops, in dependency order. Messages and attachments travel inside their ticket's op. */
export const LOAD_ORDER = ['agent', 'customer', 'ticket'] as const
export type LoadKind = (typeof LOAD_ORDER)[number]

export type Action = 'create' | 'update' | 'unchanged' | 'skip'

/** What the loop decided for one record (the plan file lists these). */
export interface Decision {
  readonly kind: LoadKind
  readonly sourceId: string
  readonly action: Action
  /** Content hash of the planned op; null for skips. */
  readonly opHash: string | null
  readonly reason?: string
  readonly detail?: string
  /** Target ref of the existing object (updates). */
  readonly targetRef?: string | null
  readonly summary?: WriteOpBase['summary']
}

export interface KindCounts {
  create: number
  update: number
  unchanged: number
  skip: number
  /** Apply failed for the op (reject row written). */
  rejected: number
}

export interface LoadReject {
  readonly kind: string
  readonly sourceId: string
  readonly reason: string
  readonly detail: string
}

/** A decision worth reporting (from `WriteOpBase.notice`), e.g. an unmatched agent. */
export interface LoadNotice {
  readonly kind: string
  readonly sourceId: string
  readonly text: string
}

export interface LoadResult {
  readonly runId: string
  /** Decisions to report (unmatched agents and what happened to them). */
  readonly notices: readonly LoadNotice[]
  readonly counts: Record<LoadKind, KindCounts>
  /** Up to `REJECT_SAMPLE` rejects of this run (all are in the reject table). */
  readonly rejects: readonly LoadReject[]
  readonly rejectedTotal: number
  readonly identity: readonly IdentityDecision[]
  readonly status: 'completed' | 'interrupted'
}

export interface LoadOptions {
  readonly store: StagingStore
  readonly source: string
  readonly target: AnyTarget
  readonly config: MappingConfig
  readonly runId: string
  readonly now: () => Date
  readonly signal: AbortSignal
  /** Closed (dry-run) for `plan`: nothing reaches `apply`. */
  readonly gate: SideEffectGate
  /** Only re-attempt records with an open apply reject for this target. */
  readonly retryRejects?: boolean
  /** Called for every decision; may throw (e.g. `PlanStaleError` when it differs from a reviewed plan). */
  readonly onDecision?: (d: Decision) => void
  /** Ops per target transaction when the target supports `applyBatch` (default 300). */
  readonly batchSize?: number
}

const REJECT_SAMPLE = 1000
const PAGE = 200
/** Ops per target transaction for targets with `applyBatch` (group commit: one fsync per batch). */
export const DEFAULT_BATCH = 300

interface Pending {
  readonly kind: LoadKind
  readonly sourceId: string
  readonly op: WriteOpBase
  readonly opHash: string
  readonly action: Action
  readonly unit: PlanUnit
  readonly ctx: ApplyContext
}

/** Entries kept by the run's caches before they start over, so memory stays flat. */
const MEMO_LIMIT = 50_000

/** Caches a pure lookup by record ref (bounded). */
function bounded<T>(fn: (ref: RecordRef) => T): (ref: RecordRef) => T {
  const cache = new Map<string, T>()
  return (ref) => {
    const k = `${ref.kind}:${ref.sourceId}`
    if (cache.has(k)) return cache.get(k) as T
    if (cache.size >= MEMO_LIMIT) cache.clear()
    const v = fn(ref)
    cache.set(k, v)
    return v
  }
}

const emptyCounts = (): KindCounts => ({ create: 0, update: 0, unchanged: 0, skip: 0, rejected: 0 })

/** Source ids of one kind in key order, a page at a time, so memory stays flat however large staging is. */
export function* stagedIdPages(db: Db, source: string, kind: EntityKind): Generator<string[]> {
  const stmt = db.prepare('SELECT source_id FROM staged_record WHERE source = ? AND kind = ? AND source_id > ? ORDER BY source_id LIMIT ?').pluck()
  for (let after = ''; ; ) {
    const ids = stmt.all(source, kind, after, PAGE) as string[]
    if (ids.length === 0) return
    yield ids
    after = ids[ids.length - 1]!
  }
}

/** Source ids of one kind in key order (paged underneath). */
export function* stagedIds(db: Db, source: string, kind: EntityKind): Generator<string> {
  for (const page of stagedIdPages(db, source, kind)) yield* page
}

/** Builds the plan unit of one staged record: tickets come with their messages and attachments. */
export function buildUnit(store: StagingStore, source: string, kind: LoadKind, sourceId: string): PlanUnit | undefined {
  return buildUnits(store, source, kind, [sourceId]).get(sourceId)
}

const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ')

/**
 * Builds the plan units of a page of staged records in three queries (records, then all their messages and
 * attachments, or customers' organisations), reading only the canonical JSON. Ids not staged are absent.
 */
export function buildUnits(store: StagingStore, source: string, kind: LoadKind, ids: readonly string[]): Map<string, PlanUnit> {
  const { db, blobs } = store
  const out = new Map<string, PlanUnit>()
  if (ids.length === 0) return out
  const read = (k: EntityKind, col: 'source_id' | 'parent_id', keys: readonly string[]) => {
    const rows: { k: string; canonical: string }[] = []
    for (let i = 0; i < keys.length; i += PAGE) {
      const part = keys.slice(i, i + PAGE)
      rows.push(...(stmt(db, `SELECT ${col} AS k, canonical FROM staged_record WHERE source = ? AND kind = ? AND ${col} IN (${marks(part.length)})`).all(source, k, ...part) as typeof rows))
    }
    return rows
  }
  const records = new Map(read(kind, 'source_id', ids).map((r) => [r.k, JSON.parse(r.canonical) as Agent | Customer | Ticket]))
  if (kind === 'agent') for (const [id, r] of records) out.set(id, { kind: 'agent', record: r as Agent })
  if (kind === 'customer') {
    const orgIds = [...new Set([...records.values()].flatMap((c) => ((c as Customer).organizationRef ? [(c as Customer).organizationRef!.sourceId] : [])))]
    const orgs = new Map(orgIds.length ? read('organization', 'source_id', orgIds).map((r) => [r.k, JSON.parse(r.canonical) as Organization]) : [])
    for (const [id, r] of records) {
      const c = r as Customer
      out.set(id, { kind: 'customer', record: c, organization: (c.organizationRef && orgs.get(c.organizationRef.sourceId)) || null })
    }
  }
  if (kind !== 'ticket') return out
  const found = [...records.keys()]
  const children = (k: 'message' | 'attachment') => {
    const byTicket = new Map<string, unknown[]>()
    for (const r of found.length ? read(k, 'parent_id', found) : []) {
      const list = byTicket.get(r.k) ?? []
      list.push(JSON.parse(r.canonical))
      byTicket.set(r.k, list)
    }
    return byTicket
  }
  const messages = children('message') as Map<string, Message[]>
  const attachments = children('attachment') as Map<string, Attachment[]>
  for (const [id, r] of records) {
    out.set(id, {
      kind: 'ticket',
      record: r as Ticket,
      messages: (messages.get(id) ?? []).sort((a, b) => a.position - b.position || a.sourceId.localeCompare(b.sourceId)),
      attachments: (attachments.get(id) ?? [])
        .sort((a, b) => a.sourceId.localeCompare(b.sourceId))
        .map((record) => ({ record, blobSize: record.sha256 ? blobs.sizeOf(record.sha256) : null })),
    })
  }
  return out
}

const INDEX_KEY = /^(?:0|[1-9]\d*)$/
const PLAIN_KEY = /^[\w$.-]*$/
const isIndexKey = (k: string) => INDEX_KEY.test(k) && Number(k) < 4294967295
/**
 * Key order and quoted key prefixes per key list, as a sorted copy enumerates them (integer-like keys first,
 * ascending). Keyed by the count and the NUL-joined keys; lists with a NUL in a key are not cached, so a hit is exact.
 */
const keyOrders = new Map<string, readonly (readonly [string, string])[]>()

function sortedKeys(o: object): readonly (readonly [string, string])[] {
  const keys = Object.keys(o)
  const sig = `${keys.length}:${keys.join('\u0000')}`
  const hit = keyOrders.get(sig)
  if (hit) return hit
  const s = keys.sort()
  const order = (s.some(isIndexKey) ? [...s.filter(isIndexKey).sort((a, b) => Number(a) - Number(b)), ...s.filter((k) => !isIndexKey(k))] : s).map(
    (k) => [k, `${PLAIN_KEY.test(k) ? `"${k}"` : JSON.stringify(k)}:`] as const,
  )
  if (!keys.some((k) => k.includes('\u0000'))) {
    if (keyOrders.size >= 1000) keyOrders.clear()
    keyOrders.set(sig, order)
  }
  return order
}

/** `stableJson` without its per-value replacer and sorted copies (the same text, faster). */
function stableText(v: unknown): string | undefined {
  if (v === null) return 'null'
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v)
    case 'number':
      return Number.isFinite(v) ? String(v) : 'null'
    case 'boolean':
      return v ? 'true' : 'false'
    case 'object': {
      if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return stableText((v as { toJSON(): unknown }).toJSON())
      if (Array.isArray(v)) {
        let out = '['
        for (let i = 0; i < v.length; i++) out += (i ? ',' : '') + (stableText(v[i]) ?? 'null')
        return out + ']'
      }
      let out = ''
      for (const [k, prefix] of sortedKeys(v)) {
        const text = stableText((v as Record<string, unknown>)[k])
        if (text !== undefined) out += (out ? ',' : '') + prefix + text
      }
      return `{${out}}`
    }
    default:
      return undefined
  }
}

/** The content hash of an op: equal to `contentHash(op)` (staging/hash.ts), computed faster. */
export function hashOp(op: unknown): string {
  return createHash('sha256').update(stableText(op) ?? '').digest('hex').slice(0, 32)
}

/** Blobs up to this size are read whole for the target; larger ones stream. */
const SMALL_BLOB = 256 * 1024

/**
 * Opens a blob for `apply`: a small one is read and verified in one go (a file stream per attachment was a
 * large share of apply's CPU); a large one, or one that fails to read or verify, comes from the blob store's
 * own verifying stream, so errors surface exactly as before.
 */
function openBlob(store: StagingStore, sha256: string, size: number | undefined): Readable {
  try {
    const path = store.blobs.pathFor(sha256)
    if ((size ?? statSync(path).size) <= SMALL_BLOB) {
      const bytes = readFileSync(path)
      if (createHash('sha256').update(bytes).digest('hex') === sha256) return Readable.from([bytes])
    }
  } catch {
    // reported by the stream below
  }
  return store.blobs.open(sha256)
}

/** Sizes of a ticket's attachment blobs, as planning saw them (saves a stat per file when applying). */
function blobSizes(unit: PlanUnit): Map<string, number> {
  const sizes = new Map<string, number>()
  if (unit.kind === 'ticket') for (const a of unit.attachments) if (a.record.sha256 && a.blobSize !== null) sizes.set(a.record.sha256, a.blobSize)
  return sizes
}

/** Record keys (`kind:sourceId`) with an open apply reject for this target; child rejects count for their ticket. */
function openRejectKeys(store: StagingStore, source: string, target: string): Set<string> {
  const keys = new Set<string>()
  for (const r of listRejects(store.db, { phase: 'apply', source, target })) {
    if (r.kind === 'message' || r.kind === 'attachment') {
      const child = getRecord(store.db, source, r.kind, r.sourceId)
      if (child) keys.add(`ticket:${(child.canonical as Message | Attachment).ticketRef.sourceId}`)
    } else keys.add(`${r.kind}:${r.sourceId}`)
  }
  return keys
}

/**
 * Runs the load loop over staging in dependency order (agents → customers → tickets with their history).
 * With the gate closed it only plans and classifies (`plan`); open, it applies each create/update:
 * mark in-flight → apply → mark loaded. An op left in-flight by a crash is `locate`d before re-applying, so
 * a re-run after SIGKILL leaves every record exactly once in the target. `RecordRejectedError` becomes a
 * reject row and the run goes on; `RemoteUnavailableError` (and anything unexpected) stops the run — the
 * id map is durable, so re-running resumes. Targets with `applyBatch` get up to `batchSize` ops per
 * transaction (each op isolated inside it); the id map is written only after the batch committed, so a
 * crash leaves the batch in flight and `locate` sorts it out. An aborted signal finishes the current op
 * (or batch), then stops.
 */
export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const { store, source, target, runId, gate } = o
  const db = store.db
  const lookups = await target.prepare(o.signal)
  const counts = Object.fromEntries(LOAD_ORDER.map((k) => [k, emptyCounts()])) as Record<LoadKind, KindCounts>
  const rejects: LoadReject[] = []
  let rejectedTotal = 0
  const identity: IdentityDecision[] = []
  const notices: LoadNotice[] = []
  const emailOwners = new Map<string, string>()
  const stagedStmt = db.prepare('SELECT 1 FROM staged_record WHERE source = ? AND kind = ? AND source_id = ?').pluck()
  const deps: PlanDeps<unknown> = {
    lookups,
    config: o.config,
    // Tickets ask about the same customers and agents over and over; staging does not change during a run.
    staged: bounded((ref: RecordRef) => stagedStmt.get(source, ref.kind, ref.sourceId) !== undefined),
    emailOwner: (email: string) => emailOwners.get(email.toLowerCase()),
  }
  const existingStmt = db.prepare('SELECT target_ref AS targetRef, state, content_hash AS contentHash FROM id_map WHERE source = ? AND kind = ? AND source_id = ? AND target = ?')
  const loadedStmt = db.prepare("SELECT target_ref FROM id_map WHERE source = ? AND kind = ? AND source_id = ? AND target = ? AND state = 'loaded'").pluck()
  // Only rejects open when the run starts can be resolved by it: each record is visited once per run.
  const openRejects = db.prepare("SELECT 1 FROM reject WHERE resolved_at IS NULL AND phase = 'apply' AND source = ? LIMIT 1").pluck().get(source) !== undefined
  const retryKeys = o.retryRejects ? openRejectKeys(store, source, target.id) : null
  const nowIso = () => o.now().toISOString()
  const key = (kind: string, sourceId: string) => ({ source, kind, sourceId, target: target.id })
  const reject = (kind: string, sourceId: string, reason: string, detail: string) => {
    rejectedTotal++
    if (rejects.length < REJECT_SAMPLE) rejects.push({ kind, sourceId, reason, detail })
    if (gate.open) addReject(db, { runId, phase: 'apply', source, target: target.id, kind, sourceId, reason, detail }, nowIso())
  }
  let interrupted = false
  // Ops written but not yet in the id map (their batch has not committed): later ops may refer to them.
  const pending = new Map<string, string>()
  // Loaded refs are remembered (bounded); a commit forgets the ones it rewrites.
  const loaded = new Map<string, string>()
  const resolve = (ref: RecordRef) => {
    const k = `${ref.kind}:${ref.sourceId}`
    const p = pending.get(k) ?? loaded.get(k)
    if (p !== undefined) return p
    const r = (loadedStmt.get(source, ref.kind, ref.sourceId, target.id) as string | null | undefined) ?? undefined
    if (r === undefined) return undefined
    if (loaded.size >= MEMO_LIMIT) loaded.clear()
    loaded.set(k, r)
    return r
  }
  const batch: Pending[] = []
  const batchSize = target.applyBatch ? Math.max(1, o.batchSize ?? DEFAULT_BATCH) : 1
  const applyItems = async (items: readonly Pending[]): Promise<(string | RecordRejectedError)[]> => {
    const onApplied = (i: number, ref: string) => pending.set(`${items[i]!.kind}:${items[i]!.sourceId}`, ref)
    if (target.applyBatch) return gate.write(`apply ${items.length} op(s)`, () => target.applyBatch!(items.map((p) => ({ op: p.op, ctx: p.ctx })), onApplied))
    const p = items[0]!
    try {
      return [await gate.write(`apply ${p.kind} ${p.sourceId}`, () => target.apply(p.op, p.ctx))]
    } catch (e) {
      if (e instanceof RecordRejectedError) return [e]
      throw e
    }
  }
  /** Records committed writes in the id map (one SQLite transaction) and counts them. */
  const commit = (items: readonly Pending[], results: readonly (string | RecordRejectedError)[]) => {
    db.transaction(() => {
      items.forEach((p, i) => {
        const ref = results[i]
        if (typeof ref !== 'string') return
        markLoaded(db, { ...key(p.kind, p.sourceId), targetRef: ref, contentHash: p.opHash, runId, now: nowIso(), keepRun: p.action === 'update' })
        loaded.delete(`${p.kind}:${p.sourceId}`)
        if (!openRejects) return
        resolveRejects(db, { phase: 'apply', ...key(p.kind, p.sourceId), runId, now: nowIso() })
        if (p.unit.kind !== 'ticket') return
        const partial = new Set(p.op.partialRejects.map((x) => `${x.kind}:${x.sourceId}`))
        for (const a of p.unit.attachments) {
          if (!partial.has(`attachment:${a.record.sourceId}`)) resolveRejects(db, { phase: 'apply', ...key('attachment', a.record.sourceId), runId, now: nowIso() })
        }
      })
    })()
    items.forEach((p, i) => {
      const r = results[i]
      if (r instanceof RecordRejectedError) {
        counts[p.kind].rejected++
        reject(p.kind, p.sourceId, r.reason, r.message)
        return
      }
      for (const x of p.op.partialRejects) reject(x.kind, x.sourceId, x.reason, x.detail)
      counts[p.kind][p.action === 'update' ? 'update' : 'create']++
    })
  }
  // One batch is written while the loop plans the next (the plan is CPU, the write mostly waiting on the
  // database); the next batch starts only once the previous one is committed to the id map.
  let inflight: Promise<void> | null = null
  const settle = async () => {
    const p = inflight
    inflight = null
    if (p) await p
  }
  /** Marks the batch in flight and starts writing it (one target transaction when the target batches); `wait` also awaits it. */
  const flush = async (wait: boolean) => {
    await settle()
    if (batch.length && o.signal.aborted) {
      // Ctrl-C arrived while the previous batch was written: these ops were planned but are not started.
      batch.length = 0
      interrupted = true
    }
    if (batch.length) {
      const items = batch.splice(0)
      db.transaction(() => {
        for (const p of items) markInFlight(db, { ...key(p.kind, p.sourceId), op: { dedupeKey: p.op.dedupeKey, opHash: p.opHash }, runId, now: nowIso() })
      })()
      const p = (async () => {
        try {
          commit(items, await applyItems(items))
        } finally {
          pending.clear()
        }
      })()
      p.catch(() => {}) // handled when settled; avoids an unhandled-rejection report meanwhile
      inflight = p
    }
    if (wait) await settle()
  }

  try {
    outer: for (const kind of LOAD_ORDER) {
      const supported = target.capabilities.entities.includes(kind)
      for (const page of stagedIdPages(db, source, kind)) {
        const ids = retryKeys ? page.filter((id) => retryKeys.has(`${kind}:${id}`)) : page
        const units = buildUnits(store, source, kind, ids)
        for (const sourceId of ids) {
          if (o.signal.aborted) {
            interrupted = true
            break outer
          }
          const unit = units.get(sourceId)
          if (!unit) continue
          const planned = supported ? target.plan(unit, deps) : ({ skip: true, reason: 'unsupported-entity', detail: `${target.id} does not store ${kind}s` } as const)
          if (isSkip(planned)) {
            counts[kind].skip++
            o.onDecision?.({ kind, sourceId, action: 'skip', opHash: null, reason: planned.reason, detail: planned.detail })
            reject(kind, sourceId, planned.reason, planned.detail)
            continue
          }
          const op = planned as WriteOpBase & { identity?: IdentityDecision; claimsEmails?: readonly string[] }
          for (const e of op.claimsEmails ?? []) if (!emailOwners.has(e)) emailOwners.set(e, sourceId)
          if (op.identity && op.identity.decision !== 'own') identity.push(op.identity)
          if (op.notice && notices.length < REJECT_SAMPLE) notices.push({ kind, sourceId, text: op.notice })
          const opHash = hashOp(op)
          const existing = existingStmt.get(source, kind, sourceId, target.id) as { targetRef: string | null; state: string; contentHash: string | null } | undefined
          const action: Action =
            existing?.state === 'loaded' && existing.contentHash === opHash ? 'unchanged' : existing?.targetRef ? 'update' : 'create'
          o.onDecision?.({ kind, sourceId, action, opHash, targetRef: existing?.targetRef ?? null, summary: op.summary })
          if (action === 'unchanged' || !gate.open) {
            counts[kind][action]++
            continue
          }
          const sizes = blobSizes(unit)
          const ctx: { -readonly [K in keyof ApplyContext]: ApplyContext[K] } = {
            runId,
            signal: o.signal,
            opHash,
            existingRef: existing?.targetRef ?? null,
            resolve,
            openBlob: (sha) => openBlob(store, sha, sizes.get(sha)),
          }
          if (existing?.state === 'in-flight') {
            // A crash between the target commit and markLoaded: find the write instead of repeating it.
            const found = await target.locate(op, ctx)
            if (found?.sameOp) {
              commit([{ kind, sourceId, op, opHash, action, unit, ctx }], [found.ref])
              continue
            }
            if (found) ctx.existingRef = found.ref
          }
          batch.push({ kind, sourceId, op, opHash, action, unit, ctx })
          if (batch.length >= batchSize) await flush(false)
        }
      }
      await flush(false)
    }
    await flush(true)
  } catch (e) {
    // Let the batch being written commit to the id map before the error ends the run.
    await (inflight as Promise<void> | null)?.catch(() => {})
    throw e
  }
  // Also with no writes: a run killed after its last commit but before `finish` left that work undone.
  if (gate.open) await target.finish(o.signal)
  return { runId, notices, counts, rejects, rejectedTotal, identity, status: interrupted ? 'interrupted' : 'completed' }
}

export interface RollbackResult {
  readonly runId: string
  readonly preview: boolean
  /** What the target removed (or would remove), by object kind. */
  readonly counts: Readonly<Record<string, number>>
  /** Id-map rows forgotten (or, in preview, to be forgotten), so a later apply re-creates those records. */
  readonly idMapRows: number
}

/**
 * Removes exactly what run `runId` created in the target, then forgets those id-map rows so a later apply
 * re-creates them. Objects the run only updated keep their content; objects the target kept (other runs
 * still use them) keep their id-map rows. With `preview` nothing changes.
 */
export async function rollbackLoadRun(a: { store: StagingStore; target: AnyTarget; runId: string; preview: boolean; signal: AbortSignal }): Promise<RollbackResult> {
  const res = await a.target.rollback(a.runId, { preview: a.preview, signal: a.signal })
  // Forget exactly the id-map rows (of any run) that point at removed objects: a kept customer keeps its row,
  // and a merge of another run into a removed customer is forgotten too, so nothing resolves to a gone id.
  const removed = new Set(res.removed.map((k) => `${k.kind}:${k.ref}`))
  const rows: { source: string; kind: string; sourceId: string }[] = []
  const all = a.store.db.prepare('SELECT source, kind, source_id AS sourceId, target_ref AS ref FROM id_map WHERE target = ? AND target_ref IS NOT NULL')
  for (const r of all.iterate(a.target.id) as IterableIterator<{ source: string; kind: string; sourceId: string; ref: string }>) {
    if (removed.has(`${r.kind}:${r.ref}`)) rows.push(r)
  }
  if (!a.preview) {
    a.store.db.transaction(() => {
      for (const r of rows) deleteIdMap(a.store.db, { ...r, target: a.target.id })
    })()
  }
  return { runId: a.runId, preview: a.preview, counts: res.counts, idMapRows: rows.length }
}
