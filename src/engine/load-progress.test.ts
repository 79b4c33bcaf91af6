// Issue 8 items 12 and 14: the load engine reports progress during the run, and a plan lists what tickets carry.
import { resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createMemoryTarget } from '../testing/memory-target.js'
import { stageDataset, type StagedDataset } from '../testing/target-conformance.js'
import { defaultMappingConfig } from '../core/mapping-config.js'
import { runLoad, type LoadProgress } from './load.js'
import { buildPlan } from './plan-file.js'
import { SideEffectGate } from './side-effects.js'

const datasets = resolve(import.meta.dirname, '../../fixtures/canonical')
const open: StagedDataset[] = []
afterEach(() => open.splice(0).forEach((d) => d.cleanup()))

describe('load progress', () => {
  it('reports each decision and each committed write, per kind, with the staged total', async () => {
    const ds = await stageDataset(datasets, 'minimal')
    open.push(ds)
    const seen: LoadProgress[] = []
    const res = await runLoad({
      store: ds.store, source: ds.source, target: createMemoryTarget(), config: defaultMappingConfig(), runId: 'run-1',
      now: () => new Date('2025-01-01T00:00:00Z'), signal: new AbortController().signal, gate: new SideEffectGate('apply'),
      onProgress: (p) => seen.push(p),
    })
    expect(res.counts.ticket!.create).toBe(2)
    const tickets = seen.filter((p) => p.kind === 'ticket')
    expect(tickets[0]).toEqual({ kind: 'ticket', decided: 0, written: 0, total: 2 })
    expect(tickets.map((p) => p.decided)).toContain(1)
    expect(tickets.at(-1)).toEqual({ kind: 'ticket', decided: 2, written: 2, total: 2 })
    expect(seen.filter((p) => p.kind === 'customer').at(-1)).toMatchObject({ decided: 2, written: 2, total: 2 })
  })

  it('a plan counts what the tickets it creates carry (messages, tags), and moves its spinner without writing', async () => {
    const ds = await stageDataset(datasets, 'minimal')
    open.push(ds)
    const target = createMemoryTarget()
    const seen: LoadProgress[] = []
    const plan = await buildPlan({ store: ds.store, source: ds.source, target, config: defaultMappingConfig(), now: () => new Date('2025-01-01T00:00:00Z'), signal: new AbortController().signal, onProgress: (p) => seen.push(p) })
    expect(plan.contents).toMatchObject({ message: { create: 3, update: 0 }, tag: { create: 1, update: 0 }, attachment: { create: 0, update: 0 } })
    expect(seen.filter((p) => p.kind === 'ticket').at(-1)).toEqual({ kind: 'ticket', decided: 2, written: 0, total: 2 })
    expect(target.state.objects.size).toBe(0)
  })
})
