// `plan` → plan.json (what would change, and the fingerprints it was made against); `apply plan.json`
// refuses when staging or the target moved since, otherwise applies exactly that plan.
import { createHash } from 'node:crypto'
import { z } from 'zod'
import type { StagingStore } from '../staging/store.js'
import type { AnyTarget, IdentityDecision } from '../core/target.js'
import type { MappingConfig } from '../core/mapping-config.js'
import { LOAD_KINDS, type LoadKind } from '../core/capabilities.js'
import { PlanStaleError } from '../core/errors.js'
import { stableJson } from '../staging/hash.js'
import { startRun, finishRun, listRuns } from '../staging/runs.js'
import { stagingFingerprint } from '../staging/fingerprint.js'
import { runLoad } from './load.js'
import type { Decision, KindCounts, LoadOptions, LoadResult } from './load.js'
import { assertMappingCovers } from './mapping-checks.js'
import { planLabels } from './plan-labels.js'
import { SideEffectGate } from './side-effects.js'

const fieldChangeSchema = z.object({ field: z.string(), before: z.unknown(), after: z.unknown() })
export type FieldChange = z.infer<typeof fieldChangeSchema>

const planRecordSchema = z.object({
  kind: z.enum(LOAD_KINDS),
  sourceId: z.string(),
  action: z.enum(['create', 'update', 'skip']),
  opHash: z.string().nullable(),
  reason: z.string().optional(),
  detail: z.string().optional(),
  targetRef: z.string().nullable().optional(),
  changes: z.array(fieldChangeSchema).optional(),
})
export type PlanRecord = z.infer<typeof planRecordSchema>

const countsSchema = z.object({ create: z.number(), match: z.number().default(0), update: z.number(), unchanged: z.number(), skip: z.number(), rejected: z.number() })

export const planFileSchema = z.object({
  format: z.literal('deskmove-plan/1'),
  source: z.string(),
  target: z.string(),
  createdAt: z.string(),
  /** `records`: staged records only (no id map), so a resumed apply can tell its own writes from a moved staging. */
  fingerprints: z.object({ staging: z.string(), target: z.string(), config: z.string(), records: z.string().optional() }),
  counts: z.record(z.enum(LOAD_KINDS), countsSchema),
  changesPending: z.boolean(),
  /** Every record that is not unchanged, with its decision. */
  records: z.array(planRecordSchema),
  /** What the created and updated records carry (messages, attachments, tags, custom fields, organisations), by kind. */
  contents: z.record(z.string(), z.object({ create: z.number(), update: z.number() })).optional(),
  /** Each mapping section's observed values and the target value each goes to, by name. */
  mapping: z.array(z.object({ section: z.string(), value: z.string(), count: z.number(), valueName: z.string().optional(), target: z.string(), byDefault: z.boolean() })).optional(),
  /** Names of raw target values in `changes` (field → value → name), e.g. status 3 → closed. */
  labels: z.record(z.string(), z.record(z.string(), z.string())).optional(),
  notices: z.array(z.object({ kind: z.string(), sourceId: z.string(), text: z.string() })),
  /** The target's own remarks on the plan as a whole (`Target.planRemarks`); absent in plans made before them. */
  remarks: z.array(z.object({ level: z.enum(['info', 'warning']), topic: z.string(), text: z.string() })).default([]),
  identity: z.array(
    z.object({
      sourceId: z.string(),
      decision: z.enum(['own', 'merged-into-source', 'matched-existing', 'placeholder-email', 'rejected-no-email']),
      email: z.string().nullable(),
      into: z.string().nullable(),
      why: z.string(),
    }),
  ),
  /** Values the plan alters by rule to fit the target: counts per rule and field (all), and the first records. */
  alterations: z
    .object({
      total: z.number(),
      records: z.number(),
      byRule: z.record(z.string(), z.number()),
      list: z.array(z.object({ kind: z.string(), sourceId: z.string(), field: z.string(), rule: z.string(), detail: z.string() })),
    })
    .optional(),
})

/** Alterations listed one by one in plan.json (all are counted). */
export const ALTERATION_LIST_LIMIT = 1000

/** The count key of an alteration: its rule and field, without record ids (`truncated: message body`). */
export function alterationGroup(a: { rule: string; field: string }): string {
  return `${a.rule}: ${a.field.replace(/^(message|attachment) \S+ /, '$1 ')}`
}
export type PlanFile = z.infer<typeof planFileSchema>

export interface PlanArgs {
  readonly store: StagingStore
  readonly source: string
  readonly target: AnyTarget
  readonly config: MappingConfig
  readonly now: () => Date
  readonly signal: AbortSignal
  /** Moves the caller's spinner during the run (see `LoadOptions.onProgress`). */
  readonly onProgress?: LoadOptions['onProgress']
}

export interface ApplyResult extends LoadResult {
  readonly counts: Partial<Record<LoadKind, KindCounts>>
  /** The run resumed an interrupted apply of the same plan. */
  readonly resumed?: boolean
}

function configHash(config: MappingConfig): string {
  return createHash('sha256').update(stableJson(config)).digest('hex').slice(0, 32)
}

/** Identifies one plan file (its decisions and fingerprints), so an apply of it can be resumed. */
export function planHash(plan: PlanFile): string {
  return createHash('sha256').update(stableJson({ f: plan.fingerprints, r: plan.records, c: plan.createdAt })).digest('hex').slice(0, 32)
}

/**
 * Whether the latest run touching this source is an apply of this very plan that did not finish (Ctrl-C,
 * a crash, a lost connection): then the id map and target moved only by the plan's own partial application.
 */
function resumesInterruptedApply(store: StagingStore, plan: PlanFile, hash: string): boolean {
  const last = listRuns(store.db, 20).find((r) => r.source === plan.source && (r.command !== 'apply' || r.target === plan.target))
  return !!last && last.command === 'apply' && last.args.planHash === hash && last.status !== 'succeeded' && last.status !== 'completed-with-rejects'
}

function diff(summary: Decision['summary'], before: Record<string, unknown> | null): FieldChange[] {
  if (!summary) return []
  return Object.keys(summary)
    .sort()
    .filter((f) => stableJson(before?.[f] ?? null) !== stableJson(summary[f] ?? null))
    .map((field) => ({ field, before: before?.[field] ?? null, after: summary[field] ?? null }))
}

/**
 * Plans every staged record against the target without writing to it: counts per kind, each create /
 * update / skip (updates with field-level before → after), identity decisions, and fingerprints of
 * staging, target and mapping. Throws `ConfigError` listing unmapped observed values.
 */
export async function buildPlan(a: PlanArgs): Promise<PlanFile> {
  assertMappingCovers(a.store, a.source, a.target, a.config)
  const fingerprints = {
    staging: stagingFingerprint(a.store.db, a.source, a.target.id),
    records: stagingFingerprint(a.store.db, a.source, a.target.id, false),
    target: await a.target.fingerprint(a.signal),
    config: configHash(a.config),
  }
  const records: PlanRecord[] = []
  const updates: { record: PlanRecord; summary: Decision['summary'] }[] = []
  const contents: Record<string, { create: number; update: number }> = {}
  const altered: NonNullable<PlanFile['alterations']> = { total: 0, records: 0, byRule: {}, list: [] }
  const res = await runLoad({
    ...a,
    runId: 'plan',
    gate: new SideEffectGate('dry-run'),
    onDecision: (d) => {
      if (d.action === 'unchanged') return
      if (d.action !== 'skip') for (const [k, n] of Object.entries(d.parts ?? {})) (contents[k] ??= { create: 0, update: 0 })[d.action] += n
      if (d.alterations?.length) {
        altered.records++
        for (const x of d.alterations) {
          altered.total++
          const g = alterationGroup(x)
          altered.byRule[g] = (altered.byRule[g] ?? 0) + 1
          if (altered.list.length < ALTERATION_LIST_LIMIT) altered.list.push({ kind: d.kind, sourceId: d.sourceId, ...x })
        }
      }
      const record: PlanRecord = { kind: d.kind, sourceId: d.sourceId, action: d.action, opHash: d.opHash, reason: d.reason, detail: d.detail, targetRef: d.targetRef }
      records.push(record)
      if (d.action === 'update') updates.push({ record, summary: d.summary })
    },
  })
  // Field diffs need the target's current values: read them after the pure pass.
  for (const u of updates) u.record.changes = u.record.targetRef ? diff(u.summary, await a.target.snapshot(u.record.kind, u.record.targetRef, a.signal)) : []
  const changesPending = records.some((r) => r.action !== 'skip')
  const remarks = a.target.planRemarks ? [...a.target.planRemarks(res.lookups, { counts: res.counts, contents })] : []
  const { mapping, labels } = planLabels(a.store, a.source, a.target, a.config, res.lookups, records.flatMap((r) => r.changes ?? []))
  return {
    format: 'deskmove-plan/1',
    source: a.source,
    target: a.target.id,
    createdAt: a.now().toISOString(),
    fingerprints,
    counts: res.counts,
    changesPending,
    records,
    contents,
    mapping,
    labels,
    notices: [...res.notices],
    remarks,
    identity: res.identity as IdentityDecision[],
    ...(altered.total ? { alterations: altered } : {}),
  }
}

/** Reads plan.json text; throws `PlanStaleError` when it is not a deskmove plan. */
export function parsePlanFile(text: string): PlanFile {
  const r = planFileSchema.safeParse(JSON.parse(text))
  if (!r.success) throw new PlanStaleError(`not a deskmove plan file: ${r.error.issues[0]?.message ?? 'invalid'}`)
  return r.data
}

/**
 * Applies staged records to the target under a new run id (recorded in staging and in the target). With
 * `plan`, first refuses (`PlanStaleError`, exit 9, naming what moved) when staging, the target or the
 * mapping changed since the plan was made, then applies exactly the planned decisions. Without a plan it
 * plans and applies in one pass. Returns counts per kind, rejects and the run id.
 */
export async function applyPlan(a: PlanArgs & { readonly plan?: PlanFile | null; readonly retryRejects?: boolean }): Promise<ApplyResult> {
  assertMappingCovers(a.store, a.source, a.target, a.config)
  const expected = a.plan ? new Map(a.plan.records.map((r) => [`${r.kind}:${r.sourceId}`, r])) : null
  const hash = a.plan ? planHash(a.plan) : null
  // Re-running the same `apply plan.json` after Ctrl-C continues it: the id map and the target moved only by
  // the plan's own partial application, so those fingerprints are not compared (staged records and mapping are).
  const resumed = !!a.plan && !!hash && !!a.plan.fingerprints.records && resumesInterruptedApply(a.store, a.plan, hash)
  if (a.plan) {
    const moved: string[] = []
    if (a.plan.source !== a.source || a.plan.target !== a.target.id) moved.push(`the plan is for ${a.plan.source} → ${a.plan.target}`)
    if (resumed) {
      if (stagingFingerprint(a.store.db, a.source, a.target.id, false) !== a.plan.fingerprints.records) moved.push('staging changed (extract ran)')
    } else {
      if (stagingFingerprint(a.store.db, a.source, a.target.id) !== a.plan.fingerprints.staging) moved.push('staging changed (extract or another apply ran)')
      if ((await a.target.fingerprint(a.signal)) !== a.plan.fingerprints.target) moved.push(`the ${a.target.id} target changed`)
    }
    if (configHash(a.config) !== a.plan.fingerprints.config) moved.push('the mapping in deskmove.json changed')
    if (moved.length) throw new PlanStaleError(`the plan from ${a.plan.createdAt} is stale: ${moved.join('; ')}`)
  }
  const runId = startRun(a.store.db, { command: 'apply', source: a.source, target: a.target.id, args: { plan: !!a.plan, planHash: hash, resumed, retryRejects: !!a.retryRejects }, now: a.now() })
  try {
    const res = await runLoad({
      ...a,
      runId,
      gate: new SideEffectGate('apply'),
      retryRejects: a.retryRejects,
      onDecision: expected
        ? (d) => {
            const want = expected.get(`${d.kind}:${d.sourceId}`)
            // A resumed run finds the interrupted run's writes done (unchanged) or in flight (update): same op.
            const same = want ? (want.action === d.action || (resumed && want.action !== 'skip' && d.action !== 'skip')) && want.opHash === d.opHash : d.action === 'unchanged'
            if (!same) throw new PlanStaleError(`${d.kind} ${d.sourceId} no longer matches the plan (planned ${want?.action ?? 'unchanged'}, now ${d.action})`)
          }
        : undefined,
    })
    const status = res.status === 'interrupted' ? 'interrupted' : res.rejectedTotal > 0 ? 'completed-with-rejects' : 'succeeded'
    finishRun(a.store.db, runId, status, { counts: res.counts, rejected: res.rejectedTotal }, a.now())
    return { ...res, resumed }
  } catch (e) {
    finishRun(a.store.db, runId, 'failed', { error: (e as Error).message }, a.now())
    throw e
  }
}
