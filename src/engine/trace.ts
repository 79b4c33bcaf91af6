// `show <kind> <source-id>`: one record's whole path, raw → canonical → planned → applied → verified, plus
// its rejects, read from staging and (when a target is configured) from the target. Returns data; reads only.
import type { EntityKind } from '../core/model/common.js'
import type { AnyTarget, PartialReject, PlanDeps, WriteOpBase } from '../core/target.js'
import { isSkip } from '../core/target.js'
import type { MappingConfig } from '../core/mapping-config.js'
import { UsageError } from '../core/errors.js'
import type { Db, StagingStore } from '../staging/store.js'
import { getRecord } from '../staging/records.js'
import { getRun, type RunStatus } from '../staging/runs.js'
import { contentHash } from '../staging/hash.js'
import { buildUnit } from './load.js'
import { loadKinds, type LoadKind } from '../core/capabilities.js'
import { stagedChecker } from '../staging/observed.js'
import { emailOwnerBefore, idMapRowsOf, rejectRowsOf, sourcesHolding } from '../staging/trace-reads.js'
import { compareBatch, createExpecter, type TargetVerifier, type Verdict } from './verify.js'

/** A connected target to plan and verify against. Without it, `show` reports staging and the id map only. */
export interface TraceTarget {
  readonly target: AnyTarget
  readonly config: MappingConfig
  /** Reads back conversations (tickets are compared field by field only with one). */
  readonly verifier?: TargetVerifier<any>
}

export interface TraceArgs {
  readonly store: StagingStore
  readonly kind: EntityKind
  readonly sourceId: string
  /** Needed only when the id exists in several sources. */
  readonly source?: string
  readonly target?: TraceTarget | null
  readonly signal: AbortSignal
}

export type PlannedStage =
  | { readonly action: 'write'; readonly opHash: string; readonly op: WriteOpBase; readonly partial: PartialReject | null }
  | { readonly action: 'skip'; readonly reason: string; readonly detail: string }
  | { readonly action: 'not-planned'; readonly why: string }

export interface AppliedStage {
  readonly target: string
  readonly targetRef: string | null
  readonly state: string
  readonly runId: string
  readonly updatedAt: string
  readonly run: { readonly command: string; readonly status: RunStatus; readonly startedAt: string; readonly finishedAt: string | null } | null
  /** Whether the target holds the version planned now (null when not planned against this target). */
  readonly upToDate: boolean | null
}

export type VerifiedStage =
  | (Verdict & { readonly snapshot?: Record<string, unknown> | null })
  | { readonly marker: null; readonly why: string }

export interface TraceReject {
  readonly kind: string
  readonly sourceId: string
  readonly phase: string
  readonly target: string | null
  readonly runId: string
  readonly reason: string
  readonly detail: string
  readonly createdAt: string
  readonly resolvedAt: string | null
}

/** One record's path. For a message or attachment, planned/applied/verified are those of its ticket (`parent`). */
export interface RecordTrace {
  readonly source: string
  readonly kind: EntityKind
  readonly sourceId: string
  readonly staged: { readonly raw: unknown; readonly canonical: unknown; readonly contentHash: string; readonly stream: string } | null
  readonly parent: { readonly kind: 'ticket'; readonly sourceId: string } | null
  readonly planned: PlannedStage
  readonly applied: readonly AppliedStage[]
  readonly verified: VerifiedStage
  /** Rejects of the record (and, for a ticket, of its messages and attachments), resolved ones included. */
  readonly rejects: readonly TraceReject[]
}

function sourceOf(db: Db, kind: EntityKind, sourceId: string, given: string | undefined): string | null {
  if (given) return given
  const sources = sourcesHolding(db, kind, sourceId)
  if (sources.length > 1) throw new UsageError(`${kind} ${sourceId} exists in several sources (${sources.join(', ')})`, { hint: 'name the source' })
  return sources[0] ?? null
}

function appliedRows(db: Db, source: string, kind: string, sourceId: string, opHash: string | null, targetId: string | null): AppliedStage[] {
  const rows = idMapRowsOf(db, source, kind, sourceId)
  return rows.map((r) => {
    const run = getRun(db, r.run_id!)
    return {
      target: r.target!,
      targetRef: r.target_ref ?? null,
      state: r.state!,
      runId: r.run_id!,
      updatedAt: r.updated_at!,
      run: run ? { command: run.command, status: run.status, startedAt: run.startedAt, finishedAt: run.finishedAt } : null,
      upToDate: opHash !== null && r.target === targetId ? r.state === 'loaded' && r.content_hash === opHash : null,
    }
  })
}

function rejectsOf(db: Db, source: string, kind: string, sourceId: string): TraceReject[] {
  const rows = rejectRowsOf(db, source, kind, sourceId)
  return rows.map((r) => ({
    kind: r.kind!,
    sourceId: r.source_id!,
    phase: r.phase!,
    target: r.target ?? null,
    runId: r.run_id!,
    reason: r.reason!,
    detail: r.detail!,
    createdAt: r.created_at!,
    resolvedAt: r.resolved_at ?? null,
  }))
}

async function plan(store: StagingStore, source: string, kind: LoadKind, sourceId: string, t: TraceTarget, lookups: unknown): Promise<PlannedStage> {
  const unit = buildUnit(store, source, kind, sourceId)
  if (!unit) return { action: 'not-planned', why: `${kind} ${sourceId} is not in staging` }
  if (!t.target.capabilities.entities.includes(kind)) return { action: 'skip', reason: 'unsupported-entity', detail: `${t.target.id} does not store ${kind}s` }
  const deps: PlanDeps<unknown> = {
    lookups,
    config: t.config,
    staged: stagedChecker(store.db, source),
    emailOwner: emailOwnerBefore(store.db, source, sourceId),
  }
  const planned = t.target.plan(unit, deps)
  if (isSkip(planned)) return { action: 'skip', reason: planned.reason, detail: planned.detail }
  return { action: 'write', opHash: contentHash(planned), op: planned, partial: null }
}

/**
 * Traces one record. Planning uses the target's pure `plan` (customers' email ownership approximated from
 * staging order); verification re-reads the ticket's conversation with `verifier`, or for agents and
 * customers checks the object still exists (`snapshot`). Throws `UsageError` when the id is ambiguous
 * across sources and `RemoteUnavailableError` when the target cannot be reached.
 */
export async function traceRecord(a: TraceArgs): Promise<RecordTrace> {
  const db = a.store.db
  const source = sourceOf(db, a.kind, a.sourceId, a.source)
  const base = { kind: a.kind, sourceId: a.sourceId }
  if (source === null) {
    return { ...base, source: a.source ?? '', staged: null, parent: null, planned: { action: 'not-planned', why: 'not in staging' }, applied: [], verified: { marker: null, why: 'not in staging' }, rejects: [] }
  }
  const rec = getRecord(db, source, a.kind, a.sourceId)
  const staged = rec ? { raw: rec.raw, canonical: rec.canonical, contentHash: rec.contentHash, stream: rec.stream } : null
  const child = a.kind === 'message' || a.kind === 'attachment'
  const parent = child && rec ? { kind: 'ticket' as const, sourceId: (rec.canonical as { ticketRef: { sourceId: string } }).ticketRef.sourceId } : null
  const loadKind = (parent ? 'ticket' : a.kind) as LoadKind
  const loadId = parent?.sourceId ?? a.sourceId
  const t = a.target ?? null
  // Without a target, the kinds most targets load; with one, its declared load order.
  const loadable = (t ? loadKinds(t.target.capabilities) : ['organization', 'agent', 'customer', 'ticket']).includes(loadKind)

  let planned: PlannedStage
  let lookups: unknown
  if (!loadable) planned = { action: 'not-planned', why: `${a.kind}s are not written as records of their own (they travel with the records that use them)` }
  else if (!t) planned = { action: 'not-planned', why: 'no target configured' }
  else {
    lookups = await t.target.prepare(a.signal)
    planned = await plan(a.store, source, loadKind, loadId, t, lookups)
    if (planned.action === 'write' && parent) planned = { ...planned, partial: planned.op.partialRejects.find((p) => p.kind === a.kind && p.sourceId === a.sourceId) ?? null }
  }
  const applied = appliedRows(db, source, loadKind, loadId, planned.action === 'write' ? planned.opHash : null, t?.target.id ?? null)

  let verified: VerifiedStage = { marker: null, why: t ? 'not written to the target' : 'no target configured' }
  const mine = t ? applied.find((x) => x.target === t.target.id) : undefined
  if (t && loadKind === 'ticket' && planned.action === 'write') {
    if (!t.verifier) verified = { marker: null, why: 'the target has no verifier' }
    else {
      const expecter = createExpecter(a.store, source, t.target, t.config, lookups)
      const e = expecter.expect(loadId)
      verified = 'verdict' in e ? e.verdict : (await compareBatch(t.verifier, [e], { resolve: expecter.resolve, signal: a.signal }))[0]!
    }
  } else if (t && loadable && planned.action === 'write' && mine?.targetRef) {
    const snapshot = await t.target.snapshot(loadKind, mine.targetRef, a.signal)
    verified = snapshot
      ? { marker: '=', sourceId: loadId, targetRef: mine.targetRef, detail: 'present in the target (fields are compared for tickets only)', diffs: [], snapshot }
      : { marker: '+', sourceId: loadId, targetRef: mine.targetRef, detail: `${t.target.id} no longer holds ${mine.targetRef}`, diffs: [], snapshot: null }
  }
  return { ...base, source, staged, parent, planned, applied, verified, rejects: rejectsOf(db, source, a.kind, a.sourceId) }
}
