import { resolve } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createMemoryTarget } from '../testing/memory-target.js'
import { loadInto, stageDataset, type StagedDataset } from '../testing/target-conformance.js'
import { defaultMappingConfig } from '../core/mapping-config.js'
import { RecordRejectedError } from '../core/errors.js'
import { getRecord, upsertRecord } from '../staging/records.js'
import { addReject, listRejects } from '../staging/rejects.js'
import { getIdMap } from '../staging/id-map.js'
import { makeCustomer } from '../testing/canonical-factories.js'
import { runLoad, stagedIds } from './load.js'
import { SideEffectGate } from './side-effects.js'

const datasets = resolve(import.meta.dirname, '../../fixtures/canonical')
const open: StagedDataset[] = []
afterEach(() => open.splice(0).forEach((d) => d.cleanup()))

async function setup(name: string) {
  const ds = await stageDataset(datasets, name)
  open.push(ds)
  const target = createMemoryTarget()
  const h = { target, config: defaultMappingConfig(), count: async () => ({ n: target.state.objects.size }), close: async () => {} }
  return { ds, target, h }
}

describe('load engine', () => {
  it('re-applies a changed record as an update of the same target object', async () => {
    const { ds, target, h } = await setup('minimal')
    await loadInto(h, ds, 'run-1')
    const ref = getIdMap(ds.store.db, { source: ds.source, kind: 'ticket', sourceId: 't2', target: 'memory' })!.targetRef
    const t2 = getRecord(ds.store.db, ds.source, 'ticket', 't2')!
    upsertRecord(ds.store.db, { ...t2.canonical, subject: 'Changed' }, t2.raw, 'fixture', 'stage-2', '2024-02-01T00:00:00.000Z')
    const spy = vi.spyOn(target, 'apply')
    const res = await loadInto(h, ds, 'run-2')
    expect(res.counts.ticket).toMatchObject({ update: 1, unchanged: 1, create: 0 })
    expect(spy).toHaveBeenCalledTimes(1)
    expect(spy.mock.calls[0]![1].existingRef).toBe(ref)
    expect(target.state.objects.get(ref!)!.summary.subject).toBe('Changed')
    expect(target.state.objects.get(ref!)!.createdByRun).toBe('run-1')
  })

  it('records a rejected apply and goes on; --retry-rejects re-attempts only those records', async () => {
    const { ds, target, h } = await setup('minimal')
    const real = target.apply.bind(target)
    const spy = vi.spyOn(target, 'apply').mockImplementation(async (op, ctx) => {
      if (op.ref.sourceId === 't1') throw new RecordRejectedError('db-error', 'refused t1')
      return real(op, ctx)
    })
    const first = await loadInto(h, ds, 'run-1')
    expect(first.counts.ticket).toMatchObject({ create: 1, rejected: 1 })
    expect(listRejects(ds.store.db, { phase: 'apply', target: 'memory' }).map((r) => [r.sourceId, r.reason])).toEqual([['t1', 'db-error']])
    spy.mockClear()
    spy.mockImplementation(real)
    const retry = await loadInto(h, ds, 'run-2', { retryRejects: true })
    expect(spy.mock.calls.map(([op]) => op.ref.sourceId)).toEqual(['t1'])
    expect(retry.counts.ticket.create).toBe(1)
    expect(listRejects(ds.store.db, { phase: 'apply', target: 'memory' })).toEqual([])
  })

  it('finishes the current op on Ctrl-C, then stops; a re-run completes the rest', async () => {
    const { ds, target, h } = await setup('minimal')
    const ac = new AbortController()
    const real = target.apply.bind(target)
    vi.spyOn(target, 'apply').mockImplementation(async (op, ctx) => {
      const ref = await real(op, ctx)
      if (op.ref.kind === 'customer') ac.abort()
      return ref
    })
    const gate = new SideEffectGate('apply')
    const res = await runLoad({ store: ds.store, source: ds.source, target, config: h.config, runId: 'run-1', now: () => new Date(0), signal: ac.signal, gate })
    expect(res.status).toBe('interrupted')
    expect(gate.writes).toBe(2)
    expect(getIdMap(ds.store.db, { source: ds.source, kind: 'customer', sourceId: 'c1', target: 'memory' })!.state).toBe('loaded')
    const rest = await loadInto(h, ds, 'run-2')
    expect(rest.status).toBe('completed')
    expect(rest.counts.customer).toMatchObject({ unchanged: 1, create: 1 })
    expect(rest.counts.ticket.create).toBe(2)
  })

  it('writes batches for targets with applyBatch and, on Ctrl-C, finishes the batch in flight and starts no other', async () => {
    const { ds, target, h } = await setup('duplicate-source-ids')
    const ac = new AbortController()
    const batches: string[][] = []
    const batching = Object.assign(target, {
      async applyBatch(items: readonly { op: Parameters<typeof target.apply>[0]; ctx: Parameters<typeof target.apply>[1] }[], applied: (i: number, ref: string) => void) {
        batches.push(items.map((x) => x.op.ref.sourceId))
        const out: string[] = []
        for (const [i, x] of items.entries()) {
          out.push(await target.apply(x.op, x.ctx))
          applied(i, out[i]!)
        }
        if (batches.length === 1 && ac.signal.aborted === false && items[0]!.op.ref.kind === 'customer') ac.abort()
        return out
      },
    })
    const res = await runLoad({ store: ds.store, source: ds.source, target: batching, config: h.config, runId: 'run-1', now: () => new Date(0), signal: ac.signal, gate: new SideEffectGate('apply'), batchSize: 10 })
    // c2 merges into c1 inside the same batch: it resolves c1 before the batch committed.
    expect(batches).toEqual([['c1', 'c2']])
    expect(res.status).toBe('interrupted')
    expect(res.counts.customer.create).toBe(2)
    expect(getIdMap(ds.store.db, { source: ds.source, kind: 'customer', sourceId: 'c2', target: 'memory' })!.targetRef).toBe(getIdMap(ds.store.db, { source: ds.source, kind: 'customer', sourceId: 'c1', target: 'memory' })!.targetRef)
    const rest = await runLoad({ store: ds.store, source: ds.source, target: batching, config: h.config, runId: 'run-2', now: () => new Date(0), signal: new AbortController().signal, gate: new SideEffectGate('apply'), batchSize: 10 })
    expect(batches).toEqual([['c1', 'c2'], ['t1']])
    expect(rest.counts.ticket.create).toBe(1)
  })

  it('pages through staging instead of loading every record at once', async () => {
    const { ds } = await setup('minimal')
    for (let i = 0; i < 450; i++) upsertRecord(ds.store.db, makeCustomer(`bulk-${String(i).padStart(3, '0')}`), null, 'fixture', 'bulk', '2024-01-01T00:00:00.000Z')
    const ids = [...stagedIds(ds.store.db, 'helpscout', 'customer')]
    expect(ids).toHaveLength(452)
    expect(new Set(ids).size).toBe(452)
    expect([...ids].sort()).toEqual(ids)
  })

  it('never lets a write through a closed gate', async () => {
    const gate = new SideEffectGate('dry-run')
    await expect(gate.write('apply ticket 1', async () => 1)).rejects.toThrow(/dry run: refused to apply ticket 1/)
    expect(gate.writes).toBe(0)
  })

  it('resolves an open reject when its record is found unchanged in the target, with or without --retry-rejects (issue 12 item 10)', async () => {
    for (const retryRejects of [false, true]) {
      const { ds, h } = await setup('minimal')
      await loadInto(h, ds, 'run-1')
      // An earlier run left rejects for t1 and its message behind (e.g. it failed, and another run wrote it since).
      for (const [kind, sourceId] of [['ticket', 't1'], ['message', 'm1']] as const)
        addReject(ds.store.db, { runId: 'run-0', phase: 'apply', source: ds.source, target: 'memory', kind, sourceId, reason: 'invalid', detail: 'earlier failure' }, '2024-12-01T00:00:00.000Z')
      expect(listRejects(ds.store.db, { phase: 'apply', target: 'memory' }).map((r) => r.sourceId).sort()).toEqual(['m1', 't1'])
      const res = await loadInto(h, ds, 'run-2', { retryRejects })
      expect(res.counts.ticket, `retryRejects=${retryRejects}`).toMatchObject({ unchanged: retryRejects ? 1 : 2, create: 0, update: 0 })
      expect(listRejects(ds.store.db, { phase: 'apply', target: 'memory' }), `retryRejects=${retryRejects}`).toEqual([])
      const resolved = listRejects(ds.store.db, { phase: 'apply', target: 'memory', includeResolved: true })
      expect(resolved.map((r) => r.resolvedByRun)).toEqual(['run-2', 'run-2'])
    }
  })
})
