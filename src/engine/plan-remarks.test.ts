// Target remarks: what a target says about a plan as a whole travels from `planRemarks` into plan.json and back.
import { resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createMemoryTarget } from '../testing/memory-target.js'
import { stageDataset, type StagedDataset } from '../testing/target-conformance.js'
import { defaultMappingConfig } from '../core/mapping-config.js'
import type { PlanRemarkSummary } from '../core/target.js'
import { buildPlan, parsePlanFile } from './plan-file.js'

const datasets = resolve(import.meta.dirname, '../../fixtures/canonical')
const open: StagedDataset[] = []
afterEach(() => open.splice(0).forEach((d) => d.cleanup()))

async function planWith(target: ReturnType<typeof createMemoryTarget>) {
  const ds = await stageDataset(datasets, 'minimal')
  open.push(ds)
  return buildPlan({ store: ds.store, source: ds.source, target, config: defaultMappingConfig(), now: () => new Date('2025-01-01T00:00:00Z'), signal: new AbortController().signal })
}

describe('plan remarks', () => {
  it("stores the target's remarks, made from its lookups and the plan's counts, and reads them back", async () => {
    const seen: PlanRemarkSummary[] = []
    const target = {
      ...createMemoryTarget(),
      planRemarks: (lookups: null, summary: PlanRemarkSummary) => {
        seen.push(summary)
        return [
          { level: 'warning' as const, topic: 'e-mail', text: `lookups ${String(lookups)}: the server can send mail` },
          { level: 'info' as const, topic: 'after the load', text: `${summary.counts.ticket?.create ?? 0} ticket(s) get their original times` },
        ]
      },
    }
    const plan = await planWith(target)
    expect(seen).toHaveLength(1)
    expect(seen[0]!.counts.ticket).toMatchObject({ create: 2 })
    expect(seen[0]!.contents.message?.create).toBeGreaterThan(0)
    expect(plan.remarks).toEqual([
      { level: 'warning', topic: 'e-mail', text: 'lookups null: the server can send mail' },
      { level: 'info', topic: 'after the load', text: '2 ticket(s) get their original times' },
    ])
    expect(parsePlanFile(JSON.stringify(plan)).remarks).toEqual(plan.remarks)
  })

  it('a target without planRemarks gives an empty list, and a plan file from before remarks still loads', async () => {
    const plan = await planWith(createMemoryTarget())
    expect(plan.remarks).toEqual([])
    const { remarks: _dropped, ...old } = plan
    expect(Object.keys(old)).not.toContain('remarks')
    expect(parsePlanFile(JSON.stringify(old))).toEqual(plan)
  })

  it('refuses a remark with an unknown level', async () => {
    const plan = await planWith(createMemoryTarget())
    expect(() => parsePlanFile(JSON.stringify({ ...plan, remarks: [{ level: 'fatal', topic: 'x', text: 'y' }] }))).toThrow(/not a deskmove plan file/)
  })
})
