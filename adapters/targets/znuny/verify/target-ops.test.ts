// The Znuny target with zn-ops's members wired in (database step, verifier, rollback) through the engine on the
// simulator kept in a stand-in database: datasets load and verify at 0 differences, a change behind deskmove's
// back is found, and rollback leaves the target and the run's id map as before the load.
import { resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { rollbackLoadRun } from '../../../../src/engine/load.js'
import { verifyTarget } from '../../../../src/engine/verify-target.js'
import { listIdMap } from '../../../../src/staging/id-map.js'
import { loadInto, stageDataset, type StagedDataset } from '../../../../src/testing/target-conformance.js'
import { probeDatabases } from '../../../../src/testing/test-databases.js'
import { silentLogger } from '../../../../src/core/log.js'
import { znunyHarness, type ZnunyHarness } from '../harness.test-helpers.js'
import { DEFAULT_PROVENANCE_FIELD } from '../ids.js'
import type { ZnOp } from '../plan-ops.js'
import { znunyOps } from '../db-step/index.js'
import { isSkip } from '../../../../src/core/target.js'
import { parseTicketRef } from '../ids.js'

const probe = await probeDatabases()
const dialect = probe.mysql ? 'mysql' : 'postgres'
const datasets = resolve(import.meta.dirname, '../../../../fixtures/canonical')
const signal = () => new AbortController().signal

/**
 * The harness's target with the database step queued after every apply, run by finish, and zn-ops's verifier and
 * rollback. With `times`, ticket ops carry the source instants the step needs (`createdAt`, `changedAt`, `closedAt`,
 * and `createdAt` per article) — what the planner adds — and the first article has a To and Cc (the fixtures have
 * none), which TicketCreate would replace by the queue name and the target stores through the database.
 */
async function wired(times: boolean): Promise<ZnunyHarness> {
  const h = await znunyHarness({ dialect })
  const t = h.target
  const plan = t.plan.bind(t)
  if (times)
    t.plan = (unit, deps) => {
      const op = plan(unit, deps)
      if (unit.kind !== 'ticket' || isSkip(op) || op.type !== 'ticket') return op
      const at = new Map(unit.messages.map((m) => [m.sourceId, m.createdAt]))
      const r = unit.record
      return { ...op, createdAt: r.createdAt, changedAt: r.updatedAt, closedAt: r.status === 'closed' ? r.closedAt : null, articles: op.articles.map((a, i) => ({ ...a, createdAt: at.get(a.key) ?? null, ...(i === 0 ? { To: 'Support <support@acme.test>', Cc: 'boss@acme.test' } : {}) })) } as ZnOp
    }
  const ops = znunyOps({ rest: t.rest, database: () => t.database(), hasDatabase: true, provenanceField: DEFAULT_PROVENANCE_FIELD, znunyHome: null, log: silentLogger })
  const apply = t.apply.bind(t)
  const finish = t.finish?.bind(t)
  Object.assign(t, {
    apply: async (op: ZnOp, ctx: Parameters<typeof apply>[1]) => {
      const ref = await apply(op, ctx)
      await ops.afterApply(op, ref, ctx)
      return ref
    },
    finish: async (s: AbortSignal) => {
      await finish?.(s)
      await ops.finish(s)
    },
    verifier: ops.verifier,
    rollback: ops.rollback,
  })
  return h
}

describe.skipIf(!probe.mysql && !probe.postgres)(`Znuny target with the ops members (${dialect})${probe.mysql || probe.postgres ? '' : ': skipped, no database'}`, () => {
  const open: { h?: ZnunyHarness; ds?: StagedDataset } = {}
  afterEach(async () => {
    open.ds?.cleanup()
    await open.h?.close()
  })

  for (const name of ['attachments-edge', 'unicode-and-html'] as const) {
    it(`${name}: verify at 0 differences after the load, then finds a change made behind deskmove's back`, async () => {
      const h = (open.h = await wired(true))
      const ds = (open.ds = await stageDataset(datasets, name))
      await loadInto(h, ds, 'run-1')
      const run = () => verifyTarget({ store: ds.store, source: ds.source, target: h.target, config: h.config, signal: signal() })
      const first = await run()
      expect(first.examples, JSON.stringify(first.examples, null, 1)).toEqual([])
      expect(first.method).toBe('target')
      expect(first.matching + (first.altered ?? 0)).toBe(first.checked - first.skipped)
      const refs = listIdMap(ds.store.db, { target: 'znuny', kind: 'ticket' }).flatMap((r) => (r.targetRef ? [parseTicketRef(r.targetRef)] : []))
      // The database step gave every imported article its source time (no import-time stamp is left).
      const db = (await h.target.database())!
      const ids = refs.map((r) => Number(r.ticketId))
      const stamped = await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM article WHERE ticket_id IN (${ids.map(() => '?').join(', ')}) AND create_time > '2025-06-01 00:00:00'`, ids)
      expect(Number(stamped[0]!.n)).toBe(0)
      await h.tamper(`${refs[0]!.ticketId}`)
      const lastArticle = refs.flatMap((r) => r.articleIds).at(-1)!
      await db.execute("UPDATE article SET create_time = '2001-01-01 00:00:00' WHERE id = ?", [Number(lastArticle)])
      const after = await run()
      expect(after.differ).toBe(refs[0]!.articleIds.includes(lastArticle) ? 1 : 2)
      expect(JSON.stringify(after.examples)).toContain('2001-01-01T00:00:00Z')
    })
  }

  it('rollback leaves the target as before the load and forgets the run\'s id map', async () => {
    // Ops without source times: no step for the tickets, but they are still the run's to roll back.
    const h = (open.h = await wired(false))
    const ds = (open.ds = await stageDataset(datasets, 'organizations'))
    const empty = await h.count()
    await loadInto(h, ds, 'run-1')
    const args = (preview: boolean) => ({ store: ds.store, target: h.target, runId: 'run-1', preview, signal: signal() })
    const preview = await rollbackLoadRun(args(true))
    expect(preview.counts.tickets).toBeGreaterThan(0)
    await rollbackLoadRun(args(false))
    expect(await h.count()).toEqual(empty)
    expect(listIdMap(ds.store.db, { target: 'znuny', runId: 'run-1' })).toEqual([])
  })
})
