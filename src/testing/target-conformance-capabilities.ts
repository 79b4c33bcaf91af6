// The target suite's tests of `check`, verify, error classification and the optional capabilities. Each
// branches on what the target declares: a missing capability must be reported as missing, never faked.
import { expect, vi } from 'vitest'
import { RemoteUnavailableError, UsageError } from '../core/errors.js'
import { listIdMap } from '../staging/id-map.js'
import { rollbackLoadRun } from '../engine/load.js'
import { verifyTarget } from '../engine/verify-target.js'
import { loadInto } from './target-datasets.js'
import { countsOf, type SuiteContext } from './target-suite.js'

const signal = () => new AbortController().signal

export function registerCapabilityTests(s: SuiteContext): void {
  s.test('check reports a reachable target as ok and an unreachable one as not, without throwing', async () => {
    const h = await s.harness()
    const good = await h.target.check(signal())
    expect(good.ok).toBe(true)
    expect(good.items.length).toBeGreaterThan(0)
    expect(good.items.every((i) => i.status === 'ok')).toBe(true)
    const down = await h.unreachable()
    try {
      const bad = await down.check(signal())
      expect(bad.ok).toBe(false)
      expect(bad.items.some((i) => i.status !== 'ok')).toBe(true)
    } finally {
      await down.close()
    }
  })

  s.test('error classification: an unreachable target throws RemoteUnavailableError, and a load stops resumable', async () => {
    const { h, ds } = await s.setup('minimal')
    const down = await h.unreachable()
    try {
      await expect(down.prepare(signal())).rejects.toBeInstanceOf(RemoteUnavailableError)
      await expect(down.fingerprint(signal())).rejects.toBeInstanceOf(RemoteUnavailableError)
      await expect(loadInto({ target: down, config: h.config }, ds, 'run-down')).rejects.toBeInstanceOf(RemoteUnavailableError)
    } finally {
      await down.close()
    }
    // Nothing was recorded as loaded, and the healthy target loads everything afterwards.
    expect(listIdMap(ds.store.db, { target: h.target.id }).filter((r) => r.state === 'loaded')).toEqual([])
    const res = await loadInto(h, ds, 'run-1')
    expect(res.rejectedTotal).toBe(0)
    expect(countsOf(res, 'ticket').create).toBe(2)
  })

  s.test('verify: a fresh load matches, and a change behind deskmove\'s back is a difference', async () => {
    const { h, ds } = await s.setup('minimal')
    await loadInto(h, ds, 'run-1')
    const run = () => verifyTarget({ store: ds.store, source: ds.source, target: h.target, config: h.config, signal: signal() })
    const clean = await run()
    expect({ checked: clean.checked, matching: clean.matching, missing: clean.missing, differ: clean.differ, errors: clean.errors }).toEqual({ checked: 2, matching: 2, missing: 0, differ: 0, errors: 0 })
    expect(clean.method).toBe(h.target.verifier ? 'target' : 'snapshot')
    const [first] = listIdMap(ds.store.db, { target: h.target.id, kind: 'ticket' })
    await h.tamper(first!.targetRef!)
    const after = await run()
    expect(after.differ).toBe(1)
    expect(after.matching).toBe(1)
    expect(after.examples.map((e) => e.targetRef)).toContain(first!.targetRef)
  })

  s.test('rollback removes exactly what the run created, or is refused when the target has none', async () => {
    const { h, ds } = await s.setup('minimal')
    const empty = await h.count()
    await loadInto(h, ds, 'run-1')
    const args = (preview: boolean) => ({ store: ds.store, target: h.target, runId: 'run-1', preview, signal: signal() })
    if (!h.target.rollback) {
      await expect(rollbackLoadRun(args(false))).rejects.toBeInstanceOf(UsageError)
      await expect(rollbackLoadRun(args(false))).rejects.toThrow(/rollback capability/)
      expect(listIdMap(ds.store.db, { target: h.target.id, runId: 'run-1' }).length).toBeGreaterThan(0)
      return
    }
    const preview = await rollbackLoadRun(args(true))
    expect(Object.values(preview.counts).reduce((a, b) => a + b, 0)).toBeGreaterThan(0)
    await rollbackLoadRun(args(false))
    expect(await h.count()).toEqual(empty)
    expect(listIdMap(ds.store.db, { target: h.target.id, runId: 'run-1' })).toEqual([])
    const again = await loadInto(h, ds, 'run-2')
    expect(countsOf(again, 'ticket').create).toBe(2)
  })

  s.test('finish runs once after an applying load and never on a dry run (when the target has it)', async (ctx) => {
    const { h, ds } = await s.setup('minimal')
    if (!h.target.finish) return ctx.skip()
    const finish = vi.spyOn(h.target, 'finish')
    await loadInto(h, ds, 'dry', { dryRun: true })
    expect(finish).not.toHaveBeenCalled()
    await loadInto(h, ds, 'run-1')
    expect(finish).toHaveBeenCalledTimes(1)
  })

  s.test('a unit cut off mid-write is completed on resume, never duplicated (non-transactional targets)', async (ctx) => {
    const { h, ds } = await s.setup('minimal')
    if (h.target.capabilities.atomicUnit === 'transaction') return ctx.skip()
    expect(h.injectFault, 'a target with atomicUnit "none" must let the suite cut its connection mid-unit').toBeTypeOf('function')
    const heal = h.injectFault!()
    await expect(loadInto(h, ds, 'run-1')).rejects.toBeInstanceOf(RemoteUnavailableError)
    // The cut ticket stays in flight: the id map does not claim it loaded.
    expect(listIdMap(ds.store.db, { target: h.target.id, kind: 'ticket' }).map((r) => r.state)).toContain('in-flight')
    heal()
    const res = await loadInto(h, ds, 'run-2')
    expect(res.rejectedTotal).toBe(0)
    const clean = await s.setup('minimal')
    await loadInto(clean.h, clean.ds, 'run-1')
    expect(await h.count()).toEqual(await clean.h.count())
  })
}
