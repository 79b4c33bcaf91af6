// `verify`: compares what staging says each conversation should be with what the target now holds.
// The expected state is the target's own pure `plan` of the staged ticket (the same op `apply` wrote), so
// verify and apply can never disagree on mapping rules; the target only reads back and compares.
import { createHash } from 'node:crypto'
import type { RecordRef } from '../core/model/common.js'
import type { AnyTarget, PlanDeps, PlanUnit, WriteOpBase } from '../core/target.js'
import { isSkip } from '../core/target.js'
import type { MappingConfig } from '../core/mapping-config.js'
import { RemoteUnavailableError, UsageError } from '../core/errors.js'
import { openApplyReject } from '../staging/rejects.js'
import { warningsWithCode } from '../staging/warnings.js'
import type { StagingStore } from '../staging/store.js'
import { buildUnit, buildUnits, stagedIdPages } from './load.js'
import { contentHash } from '../staging/hash.js'
import { stagedChecker } from '../staging/observed.js'
import { idMapReader } from '../staging/id-map-reads.js'
import { VerdictTable, type CheckFinding, type FieldDiff, type Verdict } from '../staging/verify-results.js'
import type { CompareOutcome, TargetVerifier, VerifyContext, VerifyItem } from '../core/target-verify.js'

export type { CheckFinding, FieldDiff, Verdict, VerifyMarker } from '../staging/verify-results.js'
export { formatVerdict } from '../staging/verify-results.js'

export type { CompareOutcome, TargetVerifier, VerifyContext, VerifyItem } from '../core/target-verify.js'

export interface VerifyOptions<Op extends WriteOpBase = WriteOpBase> {
  readonly store: StagingStore
  readonly source: string
  /** The connected target: its `prepare` and pure `plan` give the expected state. */
  readonly target: AnyTarget
  readonly verifier: TargetVerifier<Op>
  readonly config: MappingConfig
  /** Percentage of conversations to check, chosen by a hash of the source id (deterministic); default 100. */
  readonly samplePct?: number
  /** Writes the combined report (one line per conversation) to this file. */
  readonly combinedPath?: string | null
  readonly signal: AbortSignal
  /** Called for every conversation: how many were taken up so far, and how many of those are read back and compared. */
  readonly progress?: (taken: number, compared: number) => void
  /** Conversations read back per batch (default 200). */
  readonly batchSize?: number
  /** Differences kept in `examples` (default 20; all are in the combined report). */
  readonly exampleLimit?: number
}

/**
 * What verify found. `matching + altered + missing + differ + errors + skipped = checked`. `skipped` are tickets the plan
 * itself leaves out (a reject with a reason), so they are not expected in the target.
 */
export interface VerifyResult {
  readonly source: string
  readonly target: string
  readonly samplePct: number
  readonly checked: number
  readonly matching: number
  readonly missing: number
  readonly differ: number
  readonly errors: number
  readonly skipped: number
  /** Found as planned, with values altered by a stated rule to fit the target (marker `a`); not in `matching`. */
  readonly altered?: number
  /** The first differences, missing records and errors, in order. */
  readonly examples: readonly Verdict[]
  /** Check findings that belong to no checked conversation (e.g. folder counters), up to 100. */
  readonly checks: readonly CheckFinding[]
  readonly checksTotal: number
  /** The signal fired: the counts cover only what was checked before. */
  readonly interrupted: boolean
  readonly combinedPath: string | null
  /** How records were compared: the target's own verifier, or the generic `snapshot` read-back. */
  readonly method?: 'target' | 'snapshot'
  /**
   * Attachments whose bytes disagreed with the size the vendor declared (kept as received, hashed as received):
   * not a difference between staging and the target, but worth a look before cut-over.
   */
  readonly sizeMismatches?: { readonly total: number; readonly examples: readonly { readonly kind: string; readonly sourceId: string; readonly detail: string }[] }
}

/** Whether verify found anything wrong (the CLI exits 6 then). */
export function hasDifferences(r: VerifyResult): boolean {
  return r.missing + r.differ + r.errors + r.checksTotal > 0
}

/** rclone-check style summary: "N matching, N missing in target, N differ, N errors". */
export function formatVerifyCounts(r: VerifyResult): string {
  const extra = [r.altered ? `${r.altered} altered by rule` : '', r.skipped ? `${r.skipped} skipped by the plan` : '', r.checksTotal ? `${r.checksTotal} target check finding(s)` : ''].filter(Boolean)
  return [`${r.matching} matching`, `${r.missing} missing in target`, `${r.differ} differ`, `${r.errors} errors`, ...extra].join(', ')
}

/**
 * Whether a record belongs to a `pct`% sample: the first 32 bits of sha256(sourceId) scaled to [0, 100).
 * Deterministic, so the same sample is checked again after fixing a difference.
 */
export function inSample(sourceId: string, pct: number): boolean {
  if (pct >= 100) return true
  if (pct <= 0) return false
  const x = createHash('sha256').update(sourceId).digest().readUInt32BE(0)
  return (x / 0x100000000) * 100 < pct
}

/** Expected state of one ticket: a verdict already (skipped / missing / error), or an item to read back. */
export type Expectation<Op extends WriteOpBase> = { readonly verdict: Verdict } | { readonly item: VerifyItem<Op>; readonly stale: FieldDiff | null }

/** Plans tickets the way `runLoad` does and looks up where they went; shared by `runVerify` and `show`. */
export interface Expecter<Op extends WriteOpBase> {
  /** `unit`: the ticket's plan unit when the caller already read it (runVerify reads a page at a time). */
  expect(sourceId: string, unit?: PlanUnit): Expectation<Op>
  resolve(ref: RecordRef): string | undefined
}

/** Caches a lookup by record ref; forgets everything past 10,000 entries so memory stays bounded. */
function memo<T>(fn: (ref: RecordRef) => T): (ref: RecordRef) => T {
  const cache = new Map<string, T>()
  return (ref) => {
    const key = `${ref.kind}\u0000${ref.sourceId}`
    if (cache.has(key)) return cache.get(key) as T
    if (cache.size >= 10_000) cache.clear()
    const v = fn(ref)
    cache.set(key, v)
    return v
  }
}

/** Builds an expecter from the target's lookups (`prepare`, read once). */
export function createExpecter<Op extends WriteOpBase>(store: StagingStore, source: string, target: AnyTarget, config: MappingConfig, lookups: unknown): Expecter<Op> {
  const db = store.db
  const idMap = idMapReader(db, source, target.id)
  // Tickets refer to the same customers and agents over and over: remember recent answers (bounded).
  const staged = memo(stagedChecker(db, source))
  const resolve = memo((ref) => idMap.loadedRef(ref.kind, ref.sourceId))
  // Tickets never consult email ownership (only customers do), so an empty answer is exact here.
  const deps: PlanDeps<unknown> = { lookups, config, staged, emailOwner: () => undefined }
  const verdict = (sourceId: string, marker: Verdict['marker'], detail: string, targetRef: string | null = null) => ({ verdict: { marker, sourceId, targetRef, detail, diffs: [] } })
  return {
    resolve,
    expect(sourceId, read) {
      let planned
      try {
        const unit = read ?? buildUnit(store, source, 'ticket', sourceId)
        if (!unit) return verdict(sourceId, '!', 'not in staging')
        planned = target.plan(unit, deps)
      } catch (e) {
        return verdict(sourceId, '!', `could not plan: ${(e as Error).message}`)
      }
      if (isSkip(planned)) return verdict(sourceId, '~', `skipped by the plan (${planned.reason}): ${planned.detail}`)
      const row = idMap.status('ticket', sourceId)
      if (!row || row.state !== 'loaded') {
        // A ticket the target refused stays "in flight" in the id map; its open apply reject says why.
        const rejected = row ? openApplyReject(db, { source, kind: 'ticket', sourceId, target: target.id }) : undefined
        if (rejected) return verdict(sourceId, '+', `rejected at apply (${rejected.reason}): ${rejected.detail}`, row?.targetRef ?? null)
      }
      if (!row?.targetRef) return verdict(sourceId, '+', row ? 'apply started but never finished (in flight)' : 'never applied')
      if (row.state !== 'loaded') return verdict(sourceId, '+', 'apply of a newer version never finished (in flight)', row.targetRef)
      const op = planned as Op
      const stale = row.contentHash === contentHash(op) ? null : { field: 'applied version', expected: 'the staged version', actual: 'an older version (run apply)' }
      return { item: { sourceId, op, targetRef: row.targetRef }, stale }
    },
  }
}

/** Compares a batch; turns outcomes (or a non-connection failure) into verdicts. */
export async function compareBatch<Op extends WriteOpBase>(
  verifier: TargetVerifier<Op>,
  batch: readonly { item: VerifyItem<Op>; stale: FieldDiff | null }[],
  ctx: VerifyContext,
): Promise<Verdict[]> {
  let outcomes: CompareOutcome[]
  try {
    outcomes = await verifier.compare(
      batch.map((b) => b.item),
      ctx,
    )
  } catch (e) {
    if (e instanceof RemoteUnavailableError) throw e
    outcomes = batch.map(() => ({ status: 'error', detail: `could not read back: ${(e as Error).message}` }))
  }
  return batch.map(({ item, stale }, i) => {
    const o = outcomes[i] ?? { status: 'error', detail: 'the target returned no outcome' }
    const base = { sourceId: item.sourceId, targetRef: item.targetRef }
    if (o.status === 'missing') return { ...base, marker: '+', detail: o.detail, diffs: [] }
    if (o.status === 'error') return { ...base, marker: '!', detail: o.detail, diffs: [] }
    const diffs = stale ? [stale, ...o.diffs] : [...o.diffs]
    const altered = item.op.alterations ?? []
    if (!diffs.length && altered.length) return { ...base, marker: 'a', detail: `altered by rule: ${altered.map((x) => `${x.field} ${x.rule}`).join(', ')}`, diffs }
    return { ...base, marker: diffs.length ? '*' : '=', detail: null, diffs }
  })
}

/**
 * Verifies every staged ticket of `source` (or a deterministic sample) against the target, in batches so
 * memory stays flat, then runs the verifier's consistency checks over the conversations found. Verdicts
 * are kept in a TEMP table of the staging connection and written as the combined report at the end.
 * Throws `UsageError` for a sample outside 0–100 and `RemoteUnavailableError` when the target cannot be
 * reached. Writes nothing to the target.
 */
export async function runVerify<Op extends WriteOpBase>(o: VerifyOptions<Op>): Promise<VerifyResult> {
  const samplePct = o.samplePct ?? 100
  if (!(samplePct >= 0 && samplePct <= 100)) throw new UsageError(`the sample must be a percentage from 0 to 100, not ${o.samplePct}`, { hint: 'e.g. --sample 5' })
  const lookups = await o.target.prepare(o.signal)
  const expecter = createExpecter<Op>(o.store, o.source, o.target, o.config, lookups)
  const ctx: VerifyContext = { resolve: expecter.resolve, signal: o.signal }
  const table = new VerdictTable(o.store.db)
  const size = Math.max(1, o.batchSize ?? 200)
  let checked = 0
  let compared = 0
  let interrupted = false
  const complete = samplePct >= 100
  const early = complete && o.verifier.checkAll ? o.verifier.checkAll({ signal: o.signal }) : null
  early?.catch(() => {}) // awaited after the pass; this only keeps it from counting as unhandled meanwhile
  try {
    // Verdicts known without reading back wait with their batch, so the report keeps source-id order.
    let pending: Expectation<Op>[] = []
    let toRead = 0
    // One batch is read back while the next is planned (CPU here, I/O there); verdicts are stored in order.
    let inflight: Promise<void> = Promise.resolve()
    const flush = async () => {
      const batch = pending
      const done = checked
      pending = []
      toRead = 0
      const reads = batch.filter((e): e is Extract<Expectation<Op>, { item: unknown }> => 'item' in e)
      const reading = reads.length ? compareBatch(o.verifier, reads, ctx) : Promise.resolve([])
      const previous = inflight
      inflight = (async () => {
        const read = await reading
        await previous
        let i = 0
        table.add(batch.map((e) => ('verdict' in e ? e.verdict : read[i++]!)))
        compared = done
        o.progress?.(checked, compared)
      })()
      // A failure surfaces when awaited below; this only keeps it from counting as unhandled meanwhile.
      inflight.catch(() => {})
      await previous
    }
    pages: for (const page of stagedIdPages(o.store.db, o.source, 'ticket')) {
      const ids = page.filter((id) => inSample(id, samplePct))
      // A page's tickets are read in three queries; if one cannot be read, each is read (and reported) alone.
      let units: Map<string, PlanUnit> | null = null
      try {
        units = buildUnits(o.store, o.source, 'ticket', ids)
      } catch {
        units = null
      }
      for (const sourceId of ids) {
        if (o.signal.aborted) {
          interrupted = true
          break pages
        }
        checked++
        o.progress?.(checked, compared)
        const e = expecter.expect(sourceId, units?.get(sourceId))
        pending.push(e)
        if ('item' in e) toRead++
        if (toRead >= size || pending.length >= size * 10) await flush()
      }
    }
    await flush()
    await inflight
    let rest: CheckFinding[] = []
    if (early && !interrupted) {
      const findings = await early
      if (table.hasFound()) rest = table.amend(findings).filter((f) => f.targetRef === null)
    } else if (o.verifier.checks && !interrupted) {
      const refs = table.foundRefs()
      if (refs.length) rest = table.amend(await o.verifier.checks(refs, { complete, signal: o.signal })).filter((f) => !complete || f.targetRef === null)
    }
    if (o.combinedPath) await table.writeCombined(o.combinedPath)
    return {
      source: o.source,
      target: o.target.id,
      samplePct,
      checked,
      ...table.counts(),
      examples: table.examples(o.exampleLimit ?? 20),
      checks: rest.slice(0, 100),
      checksTotal: rest.length,
      sizeMismatches: warningsWithCode(o.store.db, o.source, 'size-mismatch'),
      interrupted,
      combinedPath: o.combinedPath ?? null,
    }
  } finally {
    await early?.catch(() => {})
    table.drop()
  }
}
