// The load loop: staging → plan → classify → (apply through the gate) → id map, a page of records at a time.
import type { StagingStore } from '../staging/store.js'
import type { RecordRef } from '../core/model/common.js'
import type { AnyTarget, ApplyContext, IdentityDecision, PlanDeps, PlanUnit, WriteOpBase } from '../core/target.js'
import { isSkip } from '../core/target.js'
import type { MappingConfig } from '../core/mapping-config.js'
import { RecordRejectedError } from '../core/errors.js'
import { markInFlight, markLoaded } from '../staging/id-map.js'
import { addReject, hasOpenRejects, resolveRejects } from '../staging/rejects.js'
import { createHash } from 'node:crypto'
import { readFileSync, statSync } from 'node:fs'
import { Readable } from 'node:stream'
import type { SideEffectGate } from './side-effects.js'
import { openRejectKeys } from '../staging/open-reject-keys.js'
import { contentHash } from '../staging/hash.js'
import { buildUnits, partsOf, stagedIdPages } from '../staging/plan-units.js'
import { idMapReader } from '../staging/id-map-reads.js'
import { loadKinds, type LoadKind } from '../core/capabilities.js'
import { stagedChecker } from '../staging/observed.js'
import { assertMappedValuesExist } from './mapping-checks.js'

export type { LoadKind } from '../core/capabilities.js'

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
  /** What the op carries besides its record, by kind (a ticket's messages, attachments, tags, custom fields), left-out parts excluded. */
  readonly parts?: Readonly<Record<string, number>>
  /** Values the op alters by rule to fit the target (see `WriteOpBase.alterations`). */
  readonly alterations?: WriteOpBase['alterations']
}

/** Where a load run is in the kind it loads: records decided (planned), written and committed (apply), staged. */
export type LoadProgress = { readonly kind: LoadKind } & Readonly<Record<'decided' | 'written' | 'total', number>>

export interface KindCounts {
  create: number
  /** Linked to an object the target already had (`WriteOpBase.matchesExisting`): nothing is created. */
  match: number
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
  /** Per loaded kind, in the target's declared load order. */
  readonly counts: Partial<Record<LoadKind, KindCounts>>
  /** Up to `REJECT_SAMPLE` rejects of this run (all are in the reject table). */
  readonly rejects: readonly LoadReject[]
  readonly rejectedTotal: number
  readonly identity: readonly IdentityDecision[]
  readonly status: 'completed' | 'interrupted'
  /** `prepare`'s answer, for naming target values in reports (see `MappingSection.display`). */
  readonly lookups?: unknown
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
  /** Called after every decision and every committed batch, so a spinner moves during the run. */
  readonly onProgress?: (p: LoadProgress) => void
}


const REJECT_SAMPLE = 1000
export const DEFAULT_BATCH = 300 // ops per target transaction with `applyBatch` (group commit: one fsync per batch)

interface Pending {
  readonly kind: LoadKind
  readonly sourceId: string
  readonly op: WriteOpBase
  readonly opHash: string
  readonly action: Action
  readonly unit: PlanUnit
  readonly ctx: ApplyContext
}

const MEMO_LIMIT = 50_000 // entries kept by the run's caches before they start over, so memory stays flat

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

const emptyCounts = (): KindCounts => ({ create: 0, match: 0, update: 0, unchanged: 0, skip: 0, rejected: 0 })

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

/**
 * Runs the load loop over staging in the target's declared load order (e.g. agents → customers → tickets
 * with their history; organizations first for a target that stores them).
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
  assertMappedValuesExist(target, o.config, lookups)
  const order = loadKinds(target.capabilities)
  const counts = Object.fromEntries(order.map((k) => [k, emptyCounts()])) as Record<LoadKind, KindCounts>
  const rejects: LoadReject[] = []
  let rejectedTotal = 0
  const identity: IdentityDecision[] = []
  const notices: LoadNotice[] = []
  const emailOwners = new Map<string, string>()
  const isStaged = stagedChecker(db, source)
  const deps: PlanDeps<unknown> = {
    lookups,
    config: o.config,
    // Tickets ask about the same customers and agents over and over; staging does not change during a run.
    staged: bounded(isStaged),
    emailOwner: (email: string) => emailOwners.get(email.toLowerCase()),
  }
  const idMap = idMapReader(db, source, target.id)
  // Only rejects open when the run starts can be resolved by it: each record is visited once per run.
  const openRejects = hasOpenRejects(db, 'apply', source)
  const retryKeys = o.retryRejects ? openRejectKeys(store.db, source, target.id) : null
  const nowIso = () => o.now().toISOString()
  const key = (kind: string, sourceId: string) => ({ source, kind, sourceId, target: target.id })
  const reject = (kind: string, sourceId: string, reason: string, detail: string) => {
    rejectedTotal++
    if (rejects.length < REJECT_SAMPLE) rejects.push({ kind, sourceId, reason, detail })
    if (gate.open) addReject(db, { runId, phase: 'apply', source, target: target.id, kind, sourceId, reason, detail }, nowIso())
  }
  let interrupted = false
  const stagedTotal = db.prepare('SELECT COUNT(*) FROM staged_record WHERE source = ? AND kind = ?').pluck()
  const progress = { kind: order[0]!, decided: 0, written: 0, total: 0 }
  const report = () => o.onProgress?.({ ...progress })
  // Ops written but not yet in the id map (their batch has not committed): later ops may refer to them.
  const pending = new Map<string, string>()
  // Loaded refs are remembered (bounded); a commit forgets the ones it rewrites.
  const loaded = new Map<string, string>()
  const resolve = (ref: RecordRef) => {
    const k = `${ref.kind}:${ref.sourceId}`
    const p = pending.get(k) ?? loaded.get(k)
    if (p !== undefined) return p
    const r = idMap.loadedRef(ref.kind, ref.sourceId)
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
  /**
   * The record is in the target as planned (just loaded, or unchanged since an earlier run): its open apply
   * rejects, and those of the children its op carries, are resolved by this run.
   */
  const resolveLoaded = (kind: string, sourceId: string, op: WriteOpBase, unit: PlanUnit, leftOut: readonly { readonly kind: string; readonly sourceId: string }[] = []) => {
    if (!openRejects || !gate.open) return
    resolveRejects(db, { phase: 'apply', ...key(kind, sourceId), runId, now: nowIso() })
    if (unit.kind !== 'ticket') return
    const partial = new Set([...op.partialRejects, ...leftOut].map((x) => `${x.kind}:${x.sourceId}`))
    for (const a of unit.attachments) {
      if (!partial.has(`attachment:${a.record.sourceId}`)) resolveRejects(db, { phase: 'apply', ...key('attachment', a.record.sourceId), runId, now: nowIso() })
    }
    for (const m of unit.messages) if (!partial.has(`message:${m.sourceId}`)) resolveRejects(db, { phase: 'apply', ...key('message', m.sourceId), runId, now: nowIso() })
  }
  /** Records committed writes in the id map (one SQLite transaction) and counts them. */
  const commit = (items: readonly Pending[], results: readonly (string | RecordRejectedError)[]) => {
    db.transaction(() => {
      items.forEach((p, i) => {
        const ref = results[i]
        if (typeof ref !== 'string') return
        // A part the target had to leave out while writing (e.g. an attachment file it could not create) keeps
        // the record from counting as unchanged: the next apply rewrites it, and so retries that part.
        const leftOut = p.ctx.writeRejects ?? []
        const contentHash = leftOut.length ? `incomplete:${p.opHash}` : p.opHash
        markLoaded(db, { ...key(p.kind, p.sourceId), targetRef: ref, contentHash, runId, now: nowIso(), keepRun: p.action === 'update' })
        loaded.delete(`${p.kind}:${p.sourceId}`)
        resolveLoaded(p.kind, p.sourceId, p.op, p.unit, leftOut)
      })
    })()
    items.forEach((p, i) => {
      const r = results[i]
      if (r instanceof RecordRejectedError) {
        counts[p.kind].rejected++
        reject(p.kind, p.sourceId, r.reason, r.message)
        return
      }
      for (const x of [...p.op.partialRejects, ...(p.ctx.writeRejects ?? [])]) reject(x.kind, x.sourceId, x.reason, x.detail)
      counts[p.kind][p.action === 'update' ? 'update' : p.op.matchesExisting ? 'match' : 'create']++
    })
    if (items[0]?.kind === progress.kind) { progress.written += items.length; report() }
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
    outer: for (const kind of order) {
      const supported = target.capabilities.entities.includes(kind)
      Object.assign(progress, { kind, decided: 0, written: 0, total: Number(stagedTotal.get(source, kind) ?? 0) })
      report()
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
          progress.decided++; report()
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
          const opHash = contentHash(op)
          const existing = idMap.status(kind, sourceId)
          const action: Action =
            existing?.state === 'loaded' && existing.contentHash === opHash ? 'unchanged' : existing?.targetRef ? 'update' : 'create'
          // A decision already carried out by an earlier run (e.g. "a disabled user is created") is not news.
          if (op.notice && action !== 'unchanged' && notices.length < REJECT_SAMPLE) notices.push({ kind, sourceId, text: op.notice })
          o.onDecision?.({ kind, sourceId, action, opHash, targetRef: existing?.targetRef ?? null, summary: op.summary, parts: partsOf(unit, op), ...(op.alterations?.length ? { alterations: op.alterations } : {}) })
          if (action === 'unchanged' || !gate.open) {
            counts[kind][action === 'create' && op.matchesExisting ? 'match' : action]++
            if (action === 'unchanged') resolveLoaded(kind, sourceId, op, unit)
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
            writeRejects: [],
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
  if (gate.open && target.finish) await target.finish(o.signal)
  return { runId, notices, counts, rejects, rejectedTotal, identity, status: interrupted ? 'interrupted' : 'completed', lookups }
}

// Split out by role; re-exported so callers keep importing from the load loop.
export { stagedIdPages, stagedIds, buildUnit, buildUnits, partsOf } from '../staging/plan-units.js'
export { rollbackLoadRun, type RollbackResult } from './rollback.js'
