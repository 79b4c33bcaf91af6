// Bench of the Znuny target: a generated canonical dataset applied into the Znuny simulator (in memory), once per
// request shape — Znuny 7.1 (one TicketCreate carries every article) and 7.0 (articles follow by TicketUpdate).
// Prints tickets per second and requests per ticket, side by side.
import { performance } from 'node:perf_hooks'
import { loadInto } from '../src/testing/target-datasets.js'
import { generatedDataset } from '../adapters/targets/znuny/dataset.test-helpers.js'
import { znunyHarness } from '../adapters/targets/znuny/harness.test-helpers.js'

export type BenchFigures = Record<string, number | string>

/** One apply of `tickets` tickets with `messages` articles each (one attachment per ticket) into a fresh simulator. */
async function applyOnce(version: '7.1' | '7.0', tickets: number, messages: number) {
  const h = await znunyHarness({ sim: { version } })
  const ds = await generatedDataset(tickets, { messages })
  try {
    const t0 = performance.now()
    const res = await loadInto(h, ds, 'bench')
    const seconds = (performance.now() - t0) / 1000
    const calls = h.target.rest.calls
    const writes = (calls.TicketCreate ?? 0) + (calls.TicketUpdate ?? 0)
    return { created: res.counts.ticket?.create ?? 0, seconds, calls, writes, total: h.target.rest.totalCalls(), mail: (await h.sim.manifest()).mailQueue.length }
  } finally {
    ds.cleanup()
    await h.close()
  }
}

/** Both request shapes on the same dataset. */
export async function benchZnuny(o: { tickets: number; messages: number }): Promise<BenchFigures> {
  const out: BenchFigures = { tickets: o.tickets, 'articles per ticket': o.messages }
  for (const version of ['7.1', '7.0'] as const) {
    const r = await applyOnce(version, o.tickets, o.messages)
    out[`${version}: tickets/s`] = (r.created / r.seconds).toFixed(1)
    out[`${version}: requests per ticket`] = (r.total / Math.max(1, r.created)).toFixed(2)
    out[`${version}: writes per ticket`] = (r.writes / Math.max(1, r.created)).toFixed(2)
    out[`${version}: requests by operation`] = Object.entries(r.calls).map(([k, v]) => `${k} ${v}`).join(', ')
    out[`${version}: mail_queue rows`] = r.mail
  }
  return out
}
