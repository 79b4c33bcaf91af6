// The Zendesk-shaped example through the engine's own extract and blob paths, against its simulator on a
// virtual clock shared by the HTTP client and the simulator (waits cost no real time; nothing here is timed):
// expired links refreshed through `refreshAttachment`, the export's own budget, children committed with their
// page's checkpoint.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { silentLogger } from '../../core/log.js'
import { Redactor } from '../../core/redact.js'
import type { AnySourceDefinition, Source, SourcePage } from '../../core/source.js'
import type { Attachment } from '../../core/model/attachment.js'
import { InterruptedError } from '../../core/errors.js'
import { createHttpClient, defaultHostPolicy } from '../../http/client.js'
import type { HttpClient } from '../../core/http.js'
import { openStagingStore, type StagingStore } from '../../staging/store.js'
import { getCheckpoint } from '../../staging/checkpoints.js'
import { listRejects } from '../../staging/rejects.js'
import { runExtract } from '../../engine/extract.js'
import { fetchBlobs, fetchBlobsOf } from '../../engine/fetch-blobs.js'
import { KindStats } from '../../engine/kind-stats.js'
import { testSimProfile } from '../sim-profile.js'
import { zendeskLikeSource } from './zendesk-like-source.js'
import { ATTACHMENT_ROUTE, COMMENTS_ROUTE, EXPORT_ROUTE, startZendeskLikeSimulator, type ZendeskLikeSimOptions, type ZendeskLikeSimulator } from './zendesk-like-simulator.js'

/** A day boundary: links issued in one stretch of virtual time share their expiry bucket. */
const START = Date.parse('2026-01-01T00:00:00Z')
const noProgress = { phase() {}, update() {}, stop() {} }

interface Rig {
  readonly sim: ZendeskLikeSimulator
  readonly http: HttpClient
  readonly source: Source
  readonly clock: { now: () => number; advance: (ms: number) => void }
}

const open: { close(): Promise<void> }[] = []
afterEach(async () => {
  for (const r of open.splice(0)) await r.close()
})

/** The simulator and the engine's client on one virtual clock; `def` decides the client's pacing. */
async function rig(simOptions: ZendeskLikeSimOptions, def: AnySourceDefinition = zendeskLikeSource, rpm = def.http.defaultRpm): Promise<Rig> {
  let t = START
  const now = (): number => t
  const sim = await startZendeskLikeSimulator({ seed: 5, profile: testSimProfile(import.meta.url), rpm: null, ...simOptions, now })
  const http = createHttpClient({
    policy: defaultHostPolicy({
      rpm,
      concurrency: def.http.defaultConcurrency,
      rateLimitHeaders: def.http.rateLimitHeaders,
      ...(def.http.endpointBudgets ? { endpointBudgets: def.http.endpointBudgets } : {}),
      backoffBaseMs: 50,
    }),
    redactor: new Redactor(),
    log: silentLogger,
    sleep: async (ms) => { t += Math.max(0, ms) },
    now,
    random: () => 0.5,
  })
  const source = def.create(def.config.schema.parse({ baseUrl: sim.baseUrl, email: 'agent1@vendor.example', apiToken: 'sim-token' }), { http, log: silentLogger, now: () => new Date(t) })
  open.push({ close: async () => { await http.close(); await sim.close() } })
  return { sim, http, source, clock: { now, advance: (ms) => { t += ms } } }
}

function store(): StagingStore {
  const s = openStagingStore(join(mkdtempSync(join(tmpdir(), 'deskmove-zendesk-like-')), 'staging.db'))
  open.push({ close: async () => s.close() })
  return s
}

const extractOptions = (s: StagingStore, r: Rig, runId: string) => ({
  store: s, definition: zendeskLikeSource, source: r.source, runId, since: null, limit: null, streams: null,
  signal: new AbortController().signal, progress: noProgress, log: silentLogger, now: () => new Date(r.clock.now()),
})

const blobOptions = (s: StagingStore, r: Rig, runId: string) => ({
  store: s, sourceId: 'zendesk', source: r.source, runId, concurrency: 2, maxBytes: 1 << 24,
  signal: new AbortController().signal, progress: noProgress, log: silentLogger, now: () => new Date(r.clock.now()), stats: new KindStats(),
})

const staged = (s: StagingStore): { kind: string; source_id: string; canonical: string }[] =>
  s.db.prepare('SELECT kind, source_id, canonical FROM staged_record ORDER BY kind, source_id').all() as { kind: string; source_id: string; canonical: string }[]

/** Comment pages one ticket's comments take (the simulator serves 3 per page). */
const commentPages = (comments: number): number => Math.max(1, Math.ceil(comments / 3))

/** Every staged attachment's bytes are in the blob store, with the sha256 the simulator's manifest gives. */
function expectBytesAsManifest(s: StagingStore, sim: ZendeskLikeSimulator): number {
  const truth = new Map(sim.manifest().tickets.flatMap((t) => t.attachments.map((a) => [String(a.id), a.sha256] as const)))
  const files = staged(s).filter((r) => r.kind === 'attachment').map((r) => JSON.parse(r.canonical) as Attachment)
  expect(files.length).toBe(truth.size)
  for (const f of files) {
    expect(f.sha256, f.sourceId).toBe(truth.get(f.sourceId))
    expect(s.blobs.has(f.sha256!), `blob of ${f.sourceId}`).toBe(true)
  }
  return files.length
}

describe('Zendesk-shaped example source through the engine', () => {
  it('fetches the bytes of each page while its links are fresh (no refresh needed)', async () => {
    const r = await rig({ tickets: 20, linkTtlMs: 120_000 })
    const s = store()
    await runExtract({ ...extractOptions(s, r, 'run-1'), fetchPageBlobs: (ids) => fetchBlobsOf(blobOptions(s, r, 'run-1'), ids) })
    const files = expectBytesAsManifest(s, r.sim)
    expect(files).toBeGreaterThan(0)
    const stats = r.sim.stats()
    expect(stats.requests[ATTACHMENT_ROUTE]).toBe(files)
    // Comments were read once per ticket page: no ticket was re-read for a fresh link.
    expect(stats.requests[COMMENTS_ROUTE]).toBe(r.sim.manifest().tickets.reduce((n, t) => n + commentPages(t.comments), 0))
    expect(listRejects(s.db)).toEqual([])
  })

  it('an expired link (403, as a signed S3 URL answers) is refreshed through refreshAttachment and the bytes are stored', async () => {
    const r = await rig({ tickets: 20, linkTtlMs: 1_000 })
    const s = store()
    await runExtract(extractOptions(s, r, 'run-1'))
    const before = r.sim.stats()
    r.clock.advance(10_000)
    await fetchBlobs(blobOptions(s, r, 'run-1'))
    const files = expectBytesAsManifest(s, r.sim)
    expect(files).toBeGreaterThan(0)
    const after = r.sim.stats()
    // Each file: one refused (expired) request, one re-read of its ticket's comments, one fresh request.
    expect(after.requests[ATTACHMENT_ROUTE]! - (before.requests[ATTACHMENT_ROUTE] ?? 0)).toBe(2 * files)
    const rereads = r.sim.manifest().tickets.reduce((n, t) => n + t.attachments.length * commentPages(t.comments), 0)
    expect(after.requests[COMMENTS_ROUTE]! - before.requests[COMMENTS_ROUTE]!).toBe(rereads)
    expect(listRejects(s.db)).toEqual([])
  })

  it('paces the export by its own budget, apart from the host: no 429 on either limit, and 429s on the export without it', async () => {
    const read = async (source: Source): Promise<number> => {
      let records = 0
      for await (const p of source.read('tickets', null, { since: null }, new AbortController().signal) as AsyncIterable<SourcePage>) records += p.records.length
      return records
    }
    // The simulator enforces both: 60 requests/minute for the host, 10 for the export.
    const paced = await rig({ tickets: 60, pageSize: 5, rpm: 60, exportRpm: 10 }, zendeskLikeSource, 60)
    const withBudget = await read(paced.source)
    const a = paced.sim.stats()
    expect(a.requests[EXPORT_ROUTE]).toBe(12)
    expect(a.requests[COMMENTS_ROUTE]).toBe(paced.sim.manifest().tickets.reduce((n, t) => n + commentPages(t.comments), 0))
    expect(a.requests[COMMENTS_ROUTE]).toBeGreaterThan(60)
    expect(a.throttled).toBe(0)
    expect(paced.http.stats().throttled).toBe(0)

    // Without the endpoint budget the client knows only the host's pace: the export's own limit answers 429.
    const noBudget: AnySourceDefinition = { ...zendeskLikeSource, http: { ...zendeskLikeSource.http, endpointBudgets: [] } }
    const unpaced = await rig({ tickets: 60, pageSize: 5, exportRpm: 10 }, noBudget, null)
    expect(await read(unpaced.source)).toBe(withBudget)
    const b = unpaced.sim.stats()
    expect(b.throttledByRoute[EXPORT_ROUTE]).toBeGreaterThan(0)
    expect(Object.keys(b.throttledByRoute)).toEqual([EXPORT_ROUTE])
    // Waited out (Retry-After), never surfaced.
    expect(unpaced.http.stats().throttled).toBe(b.throttled)
  })

  it('commits a ticket page with all its comments under that page\'s checkpoint; resuming after an abort gives the uninterrupted result', async () => {
    const sim = { tickets: 30, pageSize: 10, linkTtlMs: 86_400_000 }
    const whole = store()
    const first = await rig(sim)
    await runExtract(extractOptions(whole, first, 'run-1'))

    const r = await rig(sim)
    const s = store()
    const stop = new AbortController()
    const err = await runExtract({
      ...extractOptions(s, r, 'run-1'),
      signal: stop.signal,
      progress: { ...noProgress, phase: (name: string) => { if (name === 'tickets') stop.abort() } },
    }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(InterruptedError)
    const cp = getCheckpoint(s.db, 'zendesk', 'tickets', 'full')
    expect(cp).toMatchObject({ done: false })
    // Exactly the first page's tickets, each with every comment and file it has, nothing of later pages.
    const truth = r.sim.manifest().tickets
    const rows = staged(s)
    const tickets = rows.filter((x) => x.kind === 'ticket').map((x) => Number(x.source_id)).sort((p, q) => p - q)
    const firstPage = truth.slice(0, 10)
    expect(tickets).toEqual(firstPage.map((t) => t.id))
    expect(rows.filter((x) => x.kind === 'message').length).toBe(firstPage.reduce((n, t) => n + t.comments, 0))
    expect(rows.filter((x) => x.kind === 'attachment').length).toBe(firstPage.reduce((n, t) => n + t.attachments.length, 0))

    const exportBefore = r.sim.stats().requests[EXPORT_ROUTE]!
    await runExtract(extractOptions(s, r, 'run-2'))
    // The resumed read went on from the checkpoint's cursor: pages 2 and 3 only.
    expect(r.sim.stats().requests[EXPORT_ROUTE]! - exportBefore).toBe(2)
    // Two simulators, two ports: the rows are compared with the origin left out.
    const at = (x: StagingStore, origin: string) => staged(x).map((row) => ({ ...row, canonical: row.canonical.replaceAll(origin, 'http://simulator') }))
    expect(at(s, r.sim.origin)).toEqual(at(whole, first.sim.origin))
    expect(getCheckpoint(s.db, 'zendesk', 'tickets', 'full')).toMatchObject({ done: true })
  })
})
