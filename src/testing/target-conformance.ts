// The shared target conformance suite (architecture §5): every target runs the same datasets.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { Readable } from 'node:stream'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { canonicalRecordSchema } from '../core/model/index.js'
import type { AnyTarget, PlanDeps } from '../core/target.js'
import { isSkip } from '../core/target.js'
import type { MappingConfig } from '../core/mapping-config.js'
import { openStagingStore, type StagingStore } from '../staging/store.js'
import { upsertRecord } from '../staging/records.js'
import { listIdMap } from '../staging/id-map.js'
import { listRejects } from '../staging/rejects.js'
import { buildUnit, LOAD_ORDER, rollbackLoadRun, runLoad, stagedIds } from '../engine/load.js'
import type { LoadResult } from '../engine/load.js'
import { SideEffectGate } from '../engine/side-effects.js'

/** A connected target plus what the suite needs to look inside it. */
export interface TargetHarness {
  readonly target: AnyTarget
  readonly config: MappingConfig
  /** Objects in the target by kind (e.g. conversations, threads, customers): the idempotency yardstick. */
  count(): Promise<Record<string, number>>
  close(): Promise<void>
}

export interface ConformanceOptions {
  /** Folder of `<dataset>.jsonl` files. */
  readonly datasets: string
  /** Tests the target is known to fail, each with the reason (a gap without one fails the suite). */
  readonly knownGaps?: readonly { readonly test: string; readonly reason: string }[]
}

export const DATASETS = [
  'minimal',
  'threads-and-notes',
  'unicode-and-html',
  'attachments-edge',
  'duplicate-source-ids',
  'missing-optional-fields',
  'dangling-references',
  'deleted-people',
] as const

/** A dataset loaded into a temporary staging store (with the blobs its `$blob` lines declare). */
export interface StagedDataset {
  readonly store: StagingStore
  readonly source: string
  cleanup(): void
}

/** Reads `<dir>/<name>.jsonl` into a fresh staging store. Later lines with the same id replace earlier ones. */
export async function stageDataset(dir: string, name: string): Promise<StagedDataset> {
  const tmp = mkdtempSync(join(tmpdir(), `deskmove-ds-${name}-`))
  const store = openStagingStore(join(tmp, 'staging.db'))
  let source = 'fixture'
  const lines = readFileSync(resolve(dir, `${name}.jsonl`), 'utf8').split('\n').filter((l) => l.trim())
  for (const line of lines) {
    const obj = JSON.parse(line) as Record<string, unknown>
    if ('$blob' in obj) {
      await store.blobs.put(Readable.from([Buffer.from((obj.$blob as { text: string }).text)]))
      continue
    }
    const rec = canonicalRecordSchema.parse(obj)
    source = rec.source
    upsertRecord(store.db, rec, obj, 'fixture', 'stage', '2024-01-01T00:00:00.000Z')
  }
  return {
    store,
    source,
    cleanup: () => {
      store.close()
      rmSync(tmp, { recursive: true, force: true })
    },
  }
}

/** Runs one load of a staged dataset into the harness's target. */
export function loadInto(h: TargetHarness, ds: StagedDataset, runId: string, opts: { dryRun?: boolean; retryRejects?: boolean } = {}): Promise<LoadResult> {
  return runLoad({
    store: ds.store,
    source: ds.source,
    target: h.target,
    config: h.config,
    runId,
    now: () => new Date('2025-01-01T00:00:00Z'),
    signal: new AbortController().signal,
    gate: new SideEffectGate(opts.dryRun ? 'dry-run' : 'apply'),
    retryRejects: opts.retryRejects,
  })
}

type Batching = AnyTarget & { applyBatch: NonNullable<AnyTarget['applyBatch']> }

const total = (r: LoadResult) => Object.values(r.counts).reduce((n, c) => n + c.create + c.update + c.unchanged + c.skip + c.rejected, 0)
const written = (r: LoadResult) => Object.values(r.counts).reduce((n, c) => n + c.create + c.update, 0)

/**
 * Registers the target suite. `factory` gives a fresh, empty target per test (real database for FreeScout).
 */
export function describeTargetConformance(name: string, factory: () => Promise<TargetHarness>, opts: ConformanceOptions): void {
  const gaps = new Map((opts.knownGaps ?? []).map((g) => [g.test, g.reason]))
  for (const [test, reason] of gaps) if (!reason.trim()) throw new Error(`known gap "${test}" of ${name} has no reason`)
  const open: (() => Promise<void> | void)[] = []
  const setup = async (dataset: string) => {
    const h = await factory()
    const ds = await stageDataset(opts.datasets, dataset)
    open.push(() => ds.cleanup(), () => h.close())
    return { h, ds }
  }
  const test = (title: string, fn: () => Promise<void>) => (gaps.has(title) ? it.skip(`${title} (known gap, reason: ${gaps.get(title)})`, fn) : it(title, fn))

  describe(`target conformance: ${name}`, () => {
    afterEach(async () => {
      for (const f of open.splice(0).reverse()) await f()
    })

    test('plan is pure: same input gives deep-equal ops, without clock or randomness', async () => {
      const h = await factory()
      open.push(() => h.close())
      for (const dataset of DATASETS) {
        const ds = await stageDataset(opts.datasets, dataset)
        open.push(() => ds.cleanup())
        const lookups = await h.target.prepare(new AbortController().signal)
        const deps: PlanDeps<unknown> = { lookups, config: h.config, staged: () => true, emailOwner: () => undefined }
        const clock = vi.spyOn(Date, 'now')
        const random = vi.spyOn(Math, 'random')
        try {
          for (const kind of LOAD_ORDER)
            for (const id of stagedIds(ds.store.db, ds.source, kind)) {
              const unit = buildUnit(ds.store, ds.source, kind, id)!
              expect(h.target.plan(unit, deps)).toStrictEqual(h.target.plan(structuredClone(unit), deps))
            }
          expect(clock).not.toHaveBeenCalled()
          expect(random).not.toHaveBeenCalled()
        } finally {
          clock.mockRestore()
          random.mockRestore()
        }
      }
    })

    test('minimal loads and locate finds every written op', async () => {
      const { h, ds } = await setup('minimal')
      const res = await loadInto(h, ds, 'run-1')
      expect(res.rejectedTotal).toBe(0)
      expect(res.counts.ticket.create).toBe(2)
      expect(res.counts.customer.create).toBe(2)
      const lookups = await h.target.prepare(new AbortController().signal)
      const deps: PlanDeps<unknown> = { lookups, config: h.config, staged: () => true, emailOwner: () => undefined }
      for (const row of listIdMap(ds.store.db, { target: h.target.id, kind: 'ticket' })) {
        const unit = buildUnit(ds.store, ds.source, 'ticket', row.sourceId)!
        const op = h.target.plan(unit, deps)
        if (isSkip(op)) throw new Error(`minimal ticket ${row.sourceId} skipped: ${op.detail}`)
        const ctx = { runId: 'x', signal: new AbortController().signal, resolve: () => undefined, openBlob: () => Readable.from([]), opHash: row.contentHash!, existingRef: null }
        expect(await h.target.locate(op, ctx)).toEqual({ ref: row.targetRef, sameOp: true })
      }
    })

    test('idempotency: loading the same dataset twice creates nothing new', async () => {
      for (const dataset of ['minimal', 'threads-and-notes', 'attachments-edge', 'duplicate-source-ids'] as const) {
        const { h, ds } = await setup(dataset)
        await loadInto(h, ds, 'run-1')
        const before = await h.count()
        const again = await loadInto(h, ds, 'run-2')
        expect(written(again), dataset).toBe(0)
        expect(await h.count(), dataset).toEqual(before)
      }
    })

    test('dangling references are skipped with a reason, never thrown', async () => {
      const { h, ds } = await setup('dangling-references')
      const res = await loadInto(h, ds, 'run-1')
      expect(res.counts.ticket.create).toBe(1)
      expect(res.rejects).toContainEqual(expect.objectContaining({ kind: 'ticket', sourceId: 't1', reason: 'dangling-reference' }))
      expect(listRejects(ds.store.db, { target: h.target.id }).map((r) => r.sourceId)).toContain('t1')
    })

    test('unicode, html and odd attachments round-trip or are rejected with a declared reason', async () => {
      for (const dataset of ['unicode-and-html', 'attachments-edge', 'missing-optional-fields', 'deleted-people'] as const) {
        const { h, ds } = await setup(dataset)
        const res = await loadInto(h, ds, 'run-1')
        expect(res.status).toBe('completed')
        for (const r of res.rejects) expect(r.reason, `${dataset} ${r.kind} ${r.sourceId}`).toMatch(/^[a-z-]+$/)
        expect(res.counts.ticket.create + res.counts.ticket.skip + res.counts.ticket.rejected).toBeGreaterThan(0)
        if (dataset !== 'attachments-edge') continue
        expect(res.rejects).toContainEqual(expect.objectContaining({ kind: 'attachment', sourceId: 'at6', reason: 'missing-blob' }))
        const max = h.target.capabilities.maxAttachmentBytes
        if (max !== null && max < 2000) expect(res.rejects).toContainEqual(expect.objectContaining({ sourceId: 'at7', reason: 'too-large' }))
      }
    })

    test('capabilities are honoured: undeclared kinds are skipped as unsupported-entity', async () => {
      const { h, ds } = await setup('minimal')
      const res = await loadInto(h, ds, 'run-1')
      for (const kind of LOAD_ORDER) {
        if (h.target.capabilities.entities.includes(kind)) continue
        const n = [...stagedIds(ds.store.db, ds.source, kind)].length
        expect(res.counts[kind].skip).toBe(n)
      }
      expect(res.rejects.filter((r) => r.reason === 'unsupported-entity').every((r) => !h.target.capabilities.entities.includes(r.kind as never))).toBe(true)
    })

    test('dry run never calls apply and plans every input record', async () => {
      const { h, ds } = await setup('threads-and-notes')
      const spy = vi.spyOn(h.target, 'apply')
      const batch = h.target.applyBatch ? vi.spyOn(h.target as Batching, 'applyBatch') : null
      const before = await h.count()
      const res = await loadInto(h, ds, 'dry', { dryRun: true })
      expect(spy).not.toHaveBeenCalled()
      if (batch) expect(batch).not.toHaveBeenCalled()
      const inputs = LOAD_ORDER.reduce((n, k) => n + [...stagedIds(ds.store.db, ds.source, k)].length, 0)
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

    test('rollback removes exactly what the run created', async () => {
      const { h, ds } = await setup('minimal')
      const empty = await h.count()
      await loadInto(h, ds, 'run-1')
      const preview = await rollbackLoadRun({ store: ds.store, target: h.target, runId: 'run-1', preview: true, signal: new AbortController().signal })
      expect(Object.values(preview.counts).reduce((a, b) => a + b, 0)).toBeGreaterThan(0)
      await rollbackLoadRun({ store: ds.store, target: h.target, runId: 'run-1', preview: false, signal: new AbortController().signal })
      expect(await h.count()).toEqual(empty)
      expect(listIdMap(ds.store.db, { target: h.target.id, runId: 'run-1' })).toEqual([])
      const again = await loadInto(h, ds, 'run-2')
      expect(again.counts.ticket.create).toBe(2)
    })
  })
}

/** Dataset names present in a folder (for suites that want to assert coverage). */
export function listDatasets(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .map((f) => f.slice(0, -'.jsonl'.length))
    .sort()
}
