// The Znuny target under the failures znuny.md O3 observed: HTTP 500 and empty replies mid-ticket, the crash
// page that leaves a half-made ticket, a session lost mid-run, and errors inside HTTP 200. Every run ends with
// each ticket exactly once and complete, or with the failing record rejected and named.
import { resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { RemoteUnavailableError } from '../../../src/core/errors.js'
import { listRejects } from '../../../src/staging/rejects.js'
import { loadInto, stageDataset, type StagedDataset } from '../../../src/testing/target-conformance.js'
import { snapshotVerifier } from '../../../src/engine/verify-target.js'
import { runVerify } from '../../../src/engine/verify.js'
import { znunyHarness, type ZnunyHarness } from './harness.test-helpers.js'
import { generatedDataset } from './dataset.test-helpers.js'

const datasets = resolve(import.meta.dirname, '../../../fixtures/canonical')
const open: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const f of open.splice(0).reverse()) await f()
})
const harness = async (o: Parameters<typeof znunyHarness>[0]) => {
  const h = await znunyHarness(o)
  open.push(() => h.close())
  return h
}
const generated = async (n: number) => {
  const ds = await generatedDataset(n)
  open.push(async () => ds.cleanup())
  return ds
}
const staged = async (name: string) => {
  const ds = await stageDataset(datasets, name)
  open.push(async () => ds.cleanup())
  return ds
}

/** Loads until a run ends without the target becoming unreachable (each failed run is resumed by the next). */
async function loadToEnd(h: ZnunyHarness, ds: StagedDataset): Promise<number> {
  for (let run = 1; run <= 12; run++) {
    try {
      await loadInto(h, ds, `run-${run}`)
      return run
    } catch (e) {
      if (!(e instanceof RemoteUnavailableError)) throw e
    }
  }
  throw new Error('the load never completed')
}

/** Each ticket by its source id, with its article count and attachment names: what must not differ. */
async function shape(h: ZnunyHarness) {
  const m = await h.sim.manifest()
  return m.tickets
    .map((t) => ({ source: String(t.DynamicField.find((d) => d.Name === 'DeskmoveSourceId')?.Value), articles: t.Article.map((a) => `${String(a.SenderType)}:${a.Attachment.map((f) => f.Filename).join('+')}`) }))
    .sort((a, b) => a.source.localeCompare(b.source))
}

describe('Znuny target under faults', () => {
  for (const version of ['7.1', '7.0'] as const) {
    it(`Znuny ${version}: HTTP 500, resets, crash pages and lost sessions mid-run end with every ticket once and complete`, async () => {
      const clean = await harness({ sim: { version } })
      const cleanDs = await generated(12)
      await loadInto(clean, cleanDs, 'run-1')

      // 7.0 also takes the stricter reading of TicketSearch: a bare DynamicField_<Name>=value filter is ignored.
      const h = await harness({ sim: { version, seed: 7, faults: '5xx=0.1,reset=0.05,crash=0.1,authfail=0.1', ...(version === '7.0' ? { scalarFieldFilter: 'ignored' as const } : {}) } })
      const ds = await generated(12)
      await loadToEnd(h, ds)
      // The faults really struck: server errors were sent, sessions were lost (logins again), replies were ambiguous.
      expect(h.sim.stats().faults['5xx'] ?? 0).toBeGreaterThan(0)
      expect(h.target.rest.calls.SessionCreate ?? 0).toBeGreaterThan(1)
      expect(h.target.recoveries(), 'lost replies were settled by reading Znuny back').toBeGreaterThan(0)
      expect(await shape(h)).toEqual(await shape(clean))
      expect(listRejects(ds.store.db, { target: 'znuny' }), 'nothing was given up').toEqual([])
      const verified = await runVerify({ store: ds.store, source: ds.source, target: h.target, config: h.config, signal: new AbortController().signal, verifier: snapshotVerifier(h.target) })
      expect({ missing: verified.missing, differ: verified.differ, errors: verified.errors }).toEqual({ missing: 0, differ: 0, errors: 0 })
      expect((await h.sim.manifest()).mailQueue).toEqual([])
    })
  }

  it('an error inside HTTP 200 (a state Znuny does not have) rejects that ticket with Znuny\'s message; the other loads', async () => {
    const h = await harness({ mapping: { states: { closed: 'archived forever', '*': 'from-status' } } })
    const ds = await staged('minimal')
    const res = await loadInto(h, ds, 'run-1')
    const rejects = listRejects(ds.store.db, { target: 'znuny' })
    expect(rejects.map((r) => [r.kind, r.reason])).toEqual([['ticket', 'invalid']])
    expect(rejects[0]!.detail).toContain('TicketCreate.InvalidParameter')
    expect(rejects[0]!.detail).toContain('State')
    expect(res.counts.ticket!.create).toBe(1)
  })
})
