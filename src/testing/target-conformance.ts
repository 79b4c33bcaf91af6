// The shared target conformance suite (architecture §5): every target runs the same datasets. Tests of
// optional capabilities branch on what the target declares (rclone's fstests skip what a backend lacks).
import { Readable } from 'node:stream'
import { afterEach, describe, expect, it, vi, type TestContext } from 'vitest'
import type { AnyTarget, PlanDeps, PlanUnit, TargetDefinition } from '../core/target.js'
import { isSkip } from '../core/target.js'
import { loadKinds } from '../core/capabilities.js'
import { listIdMap } from '../staging/id-map.js'
import { listRejects } from '../staging/rejects.js'
import { buildUnit, stagedIds } from '../engine/load.js'
import type { LoadResult } from '../engine/load.js'
import { DATASETS, loadInto, stageDataset } from './target-datasets.js'
import { registerCapabilityTests } from './target-conformance-capabilities.js'
import { countsOf, type SuiteContext, type TargetHarness } from './target-suite.js'

export { DATASETS, loadInto, stageDataset, type StagedDataset } from './target-datasets.js'
export { countsOf, type SuiteContext, type TargetHarness } from './target-suite.js'

export interface ConformanceOptions {
  /** Folder of `<dataset>.jsonl` files. */
  readonly datasets: string
  /** Tests the target is known to fail, each with the reason (a gap without one fails the suite). */
  readonly knownGaps?: readonly { readonly test: string; readonly reason: string }[]
  /** The target's registry definition: what it declares without connecting must match the connected target. */
  readonly definition: Pick<TargetDefinition<unknown>, 'id' | 'capabilities' | 'mapping'>
}

export type Batching = AnyTarget & { applyBatch: NonNullable<AnyTarget['applyBatch']> }

export const total = (r: LoadResult) => Object.values(r.counts).reduce((n, c) => n + c.create + c.update + c.unchanged + c.skip + c.rejected, 0)
export const written = (r: LoadResult) => Object.values(r.counts).reduce((n, c) => n + c.create + c.update, 0)
/** Registers the target suite. `factory` gives a fresh, empty target per test (real database for FreeScout). */
export function describeTargetConformance(name: string, factory: () => Promise<TargetHarness>, opts: ConformanceOptions): void {
  const gaps = new Map((opts.knownGaps ?? []).map((g) => [g.test, g.reason]))
  for (const [test, reason] of gaps) if (!reason.trim()) throw new Error(`known gap "${test}" of ${name} has no reason`)
  const open: (() => Promise<void> | void)[] = []
  const harness = async () => {
    const h = await factory()
    open.push(() => h.close())
    return h
  }
  const setup = async (dataset: string) => {
    const h = await harness()
    const ds = await stageDataset(opts.datasets, dataset)
    open.push(() => ds.cleanup())
    return { h, ds }
  }
  const test = (title: string, fn: (ctx: TestContext) => Promise<void>) => (gaps.has(title) ? it.skip(`${title} (known gap, reason: ${gaps.get(title)})`, fn) : it(title, fn))
  const suite: SuiteContext = { datasets: opts.datasets, setup, harness, test }

  describe(`target conformance: ${name}`, () => {
    afterEach(async () => {
      for (const f of open.splice(0).reverse()) await f()
    })

    test('the definition declares what the connected target does (id, capabilities, mapping sections)', async () => {
      const h = await harness()
      expect(h.target.id).toBe(opts.definition.id)
      expect(h.target.capabilities).toEqual(opts.definition.capabilities)
      expect((h.target.mappingSections ?? []).map((m) => m.name)).toEqual((opts.definition.mapping ?? []).map((m) => m.name))
      for (const m of h.target.mappingSections ?? []) expect(m.template.trimStart().startsWith(`"${m.name}"`) || m.template.includes(`\n"${m.name}"`), m.name).toBe(true)
    })

    test('plan is pure: same input gives deep-equal ops, without clock or randomness', async () => {
      const h = await harness()
      for (const dataset of DATASETS) {
        const ds = await stageDataset(opts.datasets, dataset)
        open.push(() => ds.cleanup())
        const lookups = await h.target.prepare(new AbortController().signal)
        const deps: PlanDeps<unknown> = { lookups, config: h.config, staged: () => true, emailOwner: () => undefined }
        const clock = vi.spyOn(Date, 'now')
        const random = vi.spyOn(Math, 'random')
        let planned = 0
        try {
          for (const kind of loadKinds(h.target.capabilities))
            for (const id of stagedIds(ds.store.db, ds.source, kind)) {
              const unit = buildUnit(ds.store, ds.source, kind, id)!
              expect(h.target.plan(unit, deps)).toStrictEqual(h.target.plan(structuredClone(unit), deps))
              planned++
            }
          expect(clock).not.toHaveBeenCalled()
          expect(random).not.toHaveBeenCalled()
        } finally {
          clock.mockRestore()
          random.mockRestore()
        }
        expect(planned, dataset).toBeGreaterThan(0)
      }
    })

    test('minimal loads and locate finds every written op', async () => {
      const { h, ds } = await setup('minimal')
      const res = await loadInto(h, ds, 'run-1')
      expect(res.rejectedTotal).toBe(0)
      expect(countsOf(res, 'ticket').create).toBe(2)
      expect(countsOf(res, 'customer').create).toBe(2)
      const lookups = await h.target.prepare(new AbortController().signal)
      const deps: PlanDeps<unknown> = { lookups, config: h.config, staged: () => true, emailOwner: () => undefined }
      const rows = listIdMap(ds.store.db, { target: h.target.id, kind: 'ticket' })
      expect(rows).toHaveLength(2)
      for (const row of rows) {
        const unit = buildUnit(ds.store, ds.source, 'ticket', row.sourceId)!
        const op = h.target.plan(unit, deps)
        if (isSkip(op)) throw new Error(`minimal ticket ${row.sourceId} skipped: ${op.detail}`)
        const ctx = { runId: 'x', signal: new AbortController().signal, resolve: () => undefined, openBlob: () => Readable.from([]), opHash: row.contentHash!, existingRef: null }
        expect(await h.target.locate(op, ctx)).toEqual({ ref: row.targetRef, sameOp: true })
      }
    })

    test('idempotency: loading the same dataset twice creates nothing new', async () => {
      for (const dataset of ['minimal', 'threads-and-notes', 'attachments-edge', 'duplicate-source-ids', 'organizations'] as const) {
        const { h, ds } = await setup(dataset)
        const first = await loadInto(h, ds, 'run-1')
        expect(written(first), dataset).toBeGreaterThan(0)
        const before = await h.count()
        const again = await loadInto(h, ds, 'run-2')
        expect(written(again), dataset).toBe(0)
        expect(await h.count(), dataset).toEqual(before)
      }
    })

    test('dangling references are skipped with a reason, never thrown', async () => {
      const { h, ds } = await setup('dangling-references')
      const res = await loadInto(h, ds, 'run-1')
      expect(countsOf(res, 'ticket').create).toBe(1)
      expect(res.rejects).toContainEqual(expect.objectContaining({ kind: 'ticket', sourceId: 't1', reason: 'dangling-reference' }))
      expect(listRejects(ds.store.db, { target: h.target.id }).map((r) => r.sourceId)).toContain('t1')
    })

    test('unicode, html and odd attachments round-trip or are rejected with a declared reason', async () => {
      for (const dataset of ['unicode-and-html', 'attachments-edge', 'missing-optional-fields', 'deleted-people'] as const) {
        const { h, ds } = await setup(dataset)
        const res = await loadInto(h, ds, 'run-1')
        expect(res.status).toBe('completed')
        for (const r of res.rejects) expect(r.reason, `${dataset} ${r.kind} ${r.sourceId}`).toMatch(/^[a-z-]+$/)
        const t = countsOf(res, 'ticket')
        expect(t.create + t.skip + t.rejected).toBeGreaterThan(0)
        if (dataset !== 'attachments-edge') continue
        const keepsAttachments = h.target.capabilities.entities.includes('attachment')
        expect(res.rejects).toContainEqual(expect.objectContaining({ kind: 'attachment', sourceId: 'at6', reason: keepsAttachments ? 'missing-blob' : 'unsupported-entity' }))
        const max = h.target.capabilities.maxAttachmentBytes
        if (keepsAttachments && max !== null && max < 2000) expect(res.rejects).toContainEqual(expect.objectContaining({ sourceId: 'at7', reason: 'too-large' }))
      }
    })

    test('load order: each kind is planned only after every kind declared before it', async () => {
      const { h, ds } = await setup('organizations')
      const order = loadKinds(h.target.capabilities)
      expect(order.length).toBeGreaterThan(0)
      for (const step of h.target.capabilities.loadOrder) for (const k of [step.kind, ...(step.with ?? [])]) expect(h.target.capabilities.entities, `declared ${k}`).toContain(k)
      const seen: string[] = []
      const real = h.target.plan.bind(h.target)
      vi.spyOn(h.target, 'plan').mockImplementation((unit: PlanUnit, deps) => {
        seen.push(unit.kind)
        return real(unit, deps)
      })
      const res = await loadInto(h, ds, 'run-1')
      expect(seen.length).toBeGreaterThan(0)
      const rank = seen.map((k) => order.indexOf(k as never))
      expect(rank.every((r) => r >= 0)).toBe(true)
      expect(rank).toEqual([...rank].sort((a, b) => a - b))
      if (order.includes('organization')) expect(countsOf(res, 'organization').create).toBe(2)
      expect(countsOf(res, 'customer').create).toBe(2)
      expect(countsOf(res, 'ticket').create).toBe(2)
    })

    test('capabilities are honoured: a kind the target does not declare is skipped as unsupported-entity', async () => {
      const { h, ds } = await setup('minimal')
      const caps = h.target.capabilities
      const narrowed: AnyTarget = { ...h.target, capabilities: { ...caps, entities: caps.entities.filter((k) => k !== 'ticket') } }
      const plan = vi.spyOn(narrowed, 'plan')
      const res = await loadInto({ target: narrowed, config: h.config }, ds, 'run-1')
      const tickets = [...stagedIds(ds.store.db, ds.source, 'ticket')].length
      expect(tickets).toBe(2)
      expect(countsOf(res, 'ticket').skip).toBe(tickets)
      expect(plan.mock.calls.filter(([u]) => u.kind === 'ticket')).toEqual([])
      expect(res.rejects.filter((r) => r.reason === 'unsupported-entity' && r.kind === 'ticket')).toHaveLength(tickets)
    })

    test('dry run never calls apply and plans every input record', async () => {
      const { h, ds } = await setup('threads-and-notes')
      const spy = vi.spyOn(h.target, 'apply')
      const batch = h.target.applyBatch ? vi.spyOn(h.target as Batching, 'applyBatch') : null
      const before = await h.count()
      const res = await loadInto(h, ds, 'dry', { dryRun: true })
      expect(spy).not.toHaveBeenCalled()
      if (batch) expect(batch).not.toHaveBeenCalled()
      const inputs = loadKinds(h.target.capabilities).reduce((n, k) => n + [...stagedIds(ds.store.db, ds.source, k)].length, 0)
      expect(inputs).toBeGreaterThan(0)
      expect(total(res)).toBe(inputs)
      expect(await h.count()).toEqual(before)
    })

    test('resume after a crash between apply and the id-map commit writes nothing twice', async () => {
      const { h, ds } = await setup('minimal')
      const realApply = h.target.apply.bind(h.target)
      const realBatch = h.target.applyBatch?.bind(h.target)
      // The crash hits right after the target committed the first write of tickets, before the id map.
      let crashed = false
      const crash = () => {
        crashed = true
        throw new Error('simulated SIGKILL after the target commit')
      }
      const spy = h.target.applyBatch
        ? vi.spyOn(h.target as Batching, 'applyBatch').mockImplementation(async (items, applied) => {
            const res = await realBatch!(items, applied)
            if (!crashed && items.some((x) => x.op.ref.kind === 'ticket')) crash()
            return res
          })
        : vi.spyOn(h.target, 'apply').mockImplementation(async (op, ctx) => {
            const ref = await realApply(op, ctx)
            if (!crashed && op.ref.kind === 'ticket') crash()
            return ref
          })
      await expect(loadInto(h, ds, 'run-1')).rejects.toThrow('simulated SIGKILL')
      spy.mockRestore()
      const res = await loadInto(h, ds, 'run-2')
      expect(res.rejectedTotal).toBe(0)
      const after = await h.count()
      const clean = await setup('minimal')
      await loadInto(clean.h, clean.ds, 'run-1')
      expect(after).toEqual(await clean.h.count())
    })

    registerCapabilityTests(suite)
  })
}
