import { z } from 'zod'
import { resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createMemoryTarget } from '../testing/memory-target.js'
import { stageDataset, type StagedDataset } from '../testing/target-conformance.js'
import { defaultMappingConfig } from '../core/mapping-config.js'
import { ConfigError, PlanStaleError } from '../core/errors.js'
import { getRecord, upsertRecord } from '../staging/records.js'
import { getRun } from '../staging/runs.js'
import { applyPlan, buildPlan, parsePlanFile } from './plan-file.js'

const datasets = resolve(import.meta.dirname, '../../fixtures/canonical')
const open: StagedDataset[] = []
afterEach(() => open.splice(0).forEach((d) => d.cleanup()))

async function setup(name: string) {
  const ds = await stageDataset(datasets, name)
  open.push(ds)
  const target = createMemoryTarget()
  const args = { store: ds.store, source: ds.source, target, config: defaultMappingConfig(), now: () => new Date('2025-01-01T00:00:00Z'), signal: new AbortController().signal }
  return { ds, target, args }
}

describe('plan file', () => {
  it('counts what would change per kind, lists identity merges, and writes nothing', async () => {
    const { target, args } = await setup('duplicate-source-ids')
    const plan = await buildPlan(args)
    expect(target.state.applyCalls).toBe(0)
    expect(plan.counts.customer).toMatchObject({ create: 2, skip: 0 })
    expect(plan.counts.ticket.create).toBe(1)
    expect(plan.changesPending).toBe(true)
    expect(plan.identity).toEqual([{ sourceId: 'c2', decision: 'merged-into-source', email: 'same@example.test', into: 'c1', why: 'shares an email address with an earlier customer' }])
    expect(parsePlanFile(JSON.stringify(plan))).toEqual(plan)
  })

  it('applies exactly the reviewed plan, then plans nothing pending', async () => {
    const { ds, target, args } = await setup('minimal')
    const plan = await buildPlan(args)
    const res = await applyPlan({ ...args, plan })
    expect(res.counts.ticket.create).toBe(2)
    expect(getRun(ds.store.db, res.runId)).toMatchObject({ status: 'succeeded', command: 'apply' })
    expect(target.state.objects.size).toBe(5)
    const again = await buildPlan(args)
    expect(again.changesPending).toBe(false)
    expect(again.records).toEqual([])
  })

  it('shows field-level before → after for updates', async () => {
    const { ds, args } = await setup('minimal')
    await applyPlan(args)
    const t1 = getRecord(ds.store.db, ds.source, 'ticket', 't1')!
    upsertRecord(ds.store.db, { ...t1.canonical, subject: 'Printer fixed' }, t1.raw, 'fixture', 'stage-2', '2024-02-01T00:00:00.000Z')
    const plan = await buildPlan(args)
    expect(plan.records).toEqual([expect.objectContaining({ kind: 'ticket', sourceId: 't1', action: 'update', changes: [{ field: 'subject', before: 'Printer on fire', after: 'Printer fixed' }] })])
  })

  it('refuses a stale plan and says what moved', async () => {
    const { ds, target, args } = await setup('minimal')
    const plan = await buildPlan(args)
    const c = getRecord(ds.store.db, ds.source, 'customer', 'c1')!
    upsertRecord(ds.store.db, { ...c.canonical, lastName: 'Renamed' }, c.raw, 'fixture', 'stage-2', '2024-02-01T00:00:00.000Z')
    await expect(applyPlan({ ...args, plan })).rejects.toThrow(PlanStaleError)
    await expect(applyPlan({ ...args, plan })).rejects.toThrow(/staging changed/)
    const fresh = await buildPlan(args)
    target.state.objects.set('999', { kind: 'ticket', dedupeKey: 'other', createdByRun: 'x', opHash: 'x', summary: {}, blobs: [] })
    await expect(applyPlan({ ...args, plan: fresh })).rejects.toThrow(/the memory target changed/)
    await expect(applyPlan({ ...args, plan: fresh, config: defaultMappingConfig({ keepNumbers: true }) })).rejects.toThrow(/mapping in deskmove.json changed/)
    expect(target.state.applyCalls).toBe(0)
  })

  it('refuses to plan while an observed value has no mapping', async () => {
    const { args, target } = await setup('minimal')
    const section = (name: string, path: string) => ({ name, description: name, values: z.string(), observe: { kind: 'ticket' as const, path }, template: '' })
    const strict = Object.assign(target, { mappingSections: [section('mailboxes', '$.groupRef.sourceId'), section('statuses', '$.vendorStatus')] })
    const err = await buildPlan({ ...args, target: strict }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ConfigError)
    expect((err as Error).message).toMatch(/mapping\.mailboxes\["g1"\]: used by 2 record/)
    expect((err as Error).message).toMatch(/mapping\.statuses\["closed"\]: used by 1 record/)
  })

  it('re-running the same plan after Ctrl-C resumes it instead of calling it stale (issue 8 item 4)', async () => {
    const { target, args } = await setup('minimal')
    const plan = await buildPlan(args)
    // Ctrl-C after the second applied op: the run stops between ops, as the signal handler does.
    const ctl = new AbortController()
    const real = target.apply.bind(target)
    let n = 0
    target.apply = async (op, ctx) => {
      const ref = await real(op, ctx)
      if (++n === 2) ctl.abort()
      return ref
    }
    const first = await applyPlan({ ...args, plan, signal: ctl.signal })
    expect(first.status).toBe('interrupted')
    expect(target.state.objects.size).toBe(2)
    target.apply = real
    const second = await applyPlan({ ...args, plan })
    expect(second).toMatchObject({ status: 'completed', resumed: true, rejectedTotal: 0 })
    expect(target.state.objects.size).toBe(5)
    // Once finished, the same plan is stale again: it has been applied.
    await expect(applyPlan({ ...args, plan })).rejects.toThrow(PlanStaleError)
  })

  it('does not resume across another run: staging moved after the interruption is still stale', async () => {
    const { ds, target, args } = await setup('minimal')
    const plan = await buildPlan(args)
    const ctl = new AbortController()
    ctl.abort()
    expect((await applyPlan({ ...args, plan, signal: ctl.signal })).status).toBe('interrupted')
    const c = getRecord(ds.store.db, ds.source, 'customer', 'c1')!
    upsertRecord(ds.store.db, { ...c.canonical, lastName: 'Renamed' }, c.raw, 'fixture', 'stage-2', '2024-02-01T00:00:00.000Z')
    await expect(applyPlan({ ...args, plan })).rejects.toThrow(/staging changed/)
    expect(target.state.applyCalls).toBe(0)
  })
})
