// The source conformance suite against a live simulator instead of recorded exchanges: for a source whose
// simulator is the fixture (a new vendor before any real account was recorded, the test-tree examples). The
// same test names as the recorded suite (`SOURCE_TESTS`, so known gaps read alike); what only recordings can
// show (every exchange used once, drifted payloads, 5xx scripts) stays with the recorded suite, and the
// golden file's place is taken by the simulator's ground truth.
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { canonicalRecordSchema } from '../core/model/index.js'
import type { CanonicalRecord } from '../core/model/index.js'
import type { Attachment } from '../core/model/attachment.js'
import type { EntityKind } from '../core/model/common.js'
import type { AnySourceDefinition, Source, SourcePage, StreamSpec } from '../core/source.js'
import { createHttpClient, defaultHostPolicy } from '../http/client.js'
import type { HttpClient } from '../core/http.js'
import { SOURCE_TESTS, describeDefinitionChecks, errorText, keyOf, recordsOf, streamOrder } from './source-conformance.js'
import { CANARY, FIXED_NOW, canaryStage } from './source-harness.js'
import type { KnownGap, TestFn } from './source-conformance.js'

/** A simulator started for one harness; its time-dependent behaviour follows the suite's virtual clock. */
export interface LiveSimulator {
  /** Where it listens (`http://127.0.0.1:port`): a random port, so records are compared without it. */
  readonly origin: string
  /** Raw config pointing at the simulator; sensitive fields are replaced by canaries. */
  readonly config: Readonly<Record<string, unknown>>
  /** Distinct records per kind the simulator holds (ground truth of a complete read). */
  readonly counts: Readonly<Partial<Record<EntityKind, number>>>
  /** The sha256 of an attachment's bytes, by the attachment's source id (ground truth). */
  sha256Of(attachmentSourceId: string): string | undefined
  /** 429 answers the simulator sent. */
  throttled(): number
  close(): Promise<void>
}

export interface LiveSourceConformanceOptions {
  /** Starts a fresh simulator; `now` is the suite's clock (rate windows and link expiry must use it). */
  readonly start: (clock: { readonly now: () => number }) => Promise<LiveSimulator>
  readonly knownGaps?: readonly KnownGap[]
}

interface LiveHarness {
  readonly sim: LiveSimulator
  readonly source: Source
  readonly http: HttpClient
  readonly output: string[]
  close(): Promise<void>
}

/** Like the recorded harness: the engine's client with the definition's pacing, virtual time, canary secrets. */
async function liveHarness(def: AnySourceDefinition, o: LiveSourceConformanceOptions): Promise<LiveHarness> {
  let clock = FIXED_NOW.getTime()
  const now = (): number => clock
  const sim = await o.start({ now })
  const { config, redactor, output, log } = canaryStage(def, sim.config)
  const http = createHttpClient({
    policy: defaultHostPolicy({
      rpm: def.http.defaultRpm,
      concurrency: def.http.defaultConcurrency,
      rateLimitHeaders: def.http.rateLimitHeaders,
      ...(def.http.endpointBudgets ? { endpointBudgets: def.http.endpointBudgets } : {}),
      backoffBaseMs: 100,
    }),
    redactor,
    log,
    sleep: async (ms) => { clock += Math.max(0, ms) },
    now,
    random: () => 0.5,
  })
  const source = def.create(def.config.schema.parse(config), { http, log, now: () => new Date(clock), addSecret: (s) => redactor.add(s) })
  return { sim, source, http, output, close: async () => { await source.close(); await http.close(); await sim.close() } }
}

async function readAll(source: Source, streams: readonly StreamSpec[]): Promise<Map<string, SourcePage[]>> {
  const pages = new Map<string, SourcePage[]>()
  for (const s of streams) {
    const list: SourcePage[] = []
    pages.set(s.name, list)
    for await (const p of source.read(s.name, null, { since: null }, new AbortController().signal)) list.push(p)
  }
  return pages
}

/** Declares the conformance suite for `definition` against a simulator `o.start` serves. */
export function describeLiveSourceConformance(definition: AnySourceDefinition, o: LiveSourceConformanceOptions): void {
  const gaps = new Map((o.knownGaps ?? []).map((g) => [g.test, g.reason]))
  const test: TestFn = (name, fn, suffix = '') => {
    const reason = gaps.get(name)
    if (reason) it.skip(`${name}${suffix} (known gap: ${reason})`, fn)
    else it(`${name}${suffix}`, fn)
  }
  const order = streamOrder(definition.streams) ?? []

  describe(`${definition.id} source conformance (live simulator)`, () => {
    it('known gaps name a suite test and give a reason', () => {
      for (const g of o.knownGaps ?? []) {
        expect(g.reason.trim(), `gap "${g.test}" needs a reason`).not.toBe('')
        expect(Object.values(SOURCE_TESTS) as string[]).toContain(g.test)
      }
    })
    describeDefinitionChecks(definition, test)

    let h: LiveHarness
    let pages: Map<string, SourcePage[]>
    let readError: unknown = null
    beforeAll(async () => {
      h = await liveHarness(definition, o)
      pages = await readAll(h.source, order).catch((e: unknown) => {
        readError = e
        return new Map()
      })
    })
    afterAll(async () => { await h.close() })
    const all = (): CanonicalRecord[] => [...pages.values()].flatMap(recordsOf)

    test(SOURCE_TESTS.outcome, () => expect(readError).toBeNull())
    test(SOURCE_TESTS.read, () => {
      const staged = new Map<string, string>()
      for (const [stream, list] of pages) {
        const spec = definition.streams.find((s) => s.name === stream)
        for (const p of list) {
          const keys = p.records.map((r) => keyOf(r.canonical))
          expect(new Set(keys).size, `${stream}: (kind, sourceId) unique within a page`).toBe(keys.length)
          // The simulator sends what the vendor documents (in its sparse profile too): nothing to reject.
          expect(p.rejects, `${stream}: rejects`).toEqual([])
        }
        for (const r of recordsOf(list)) {
          expect(canonicalRecordSchema.safeParse(r).success, `${stream} ${keyOf(r)}`).toBe(true)
          expect(spec?.entities, `${stream} declares ${r.kind}`).toContain(r.kind)
          const before = staged.get(keyOf(r))
          if (before !== undefined) expect(JSON.stringify(r), `${keyOf(r)} yielded twice with different content`).toBe(before)
          staged.set(keyOf(r), JSON.stringify(r))
        }
      }
      expect(staged.size, 'a successful read stages records').toBeGreaterThan(0)
    })
    test(SOURCE_TESTS.golden, () => {
      const counts: Partial<Record<EntityKind, number>> = {}
      for (const key of new Set(all().map(keyOf))) {
        const kind = key.split(':')[0] as EntityKind
        counts[kind] = (counts[kind] ?? 0) + 1
      }
      expect(counts).toEqual(h.sim.counts)
    }, ' (the simulator\'s ground truth)')
    test(SOURCE_TESTS.checkpoints, () => {
      for (const [stream, list] of pages) {
        const spec = definition.streams.find((s) => s.name === stream)
        const cps = list.map((p) => JSON.stringify(p.checkpoint))
        expect(cps.length, `${stream}: a complete stream yields a page`).toBeGreaterThan(0)
        if (spec?.resume === 'restart') {
          for (const cp of cps.slice(0, -1)) expect(cp, `${stream}: no checkpoint before the end`).toBe('{}')
          expect(cps.at(-1), `${stream}: the last page carries the completion checkpoint`).not.toBe('{}')
        } else {
          expect(new Set(cps).size, `${stream}: every page has its own checkpoint`).toBe(cps.length)
        }
      }
    })
    test(SOURCE_TESTS.rateLimits, () => {
      // Whatever the simulator refused was waited out by the client, and the read completed.
      expect(h.http.stats().throttled).toBe(h.sim.throttled())
      expect(readError).toBeNull()
    })
    test(SOURCE_TESTS.secrets, () => {
      const text = [...h.output, errorText(readError), JSON.stringify([...pages.values()])].join('\n')
      for (const field of definition.config.sensitive) expect(text).not.toContain(CANARY(field))
    })
    it('attachments: openAttachment streams the bytes the simulator holds', async () => {
      const files = all().filter((r): r is Attachment => r.kind === 'attachment')
      expect(files.length).toBe(h.sim.counts.attachment ?? 0)
      for (const f of files) {
        const { body } = await h.source.openAttachment!(f.download, new AbortController().signal)
        const bytes = Buffer.concat(await body.toArray())
        expect(createHash('sha256').update(bytes).digest('hex'), f.sourceId).toBe(h.sim.sha256Of(f.sourceId))
      }
    })
    test(SOURCE_TESTS.check, async () => {
      const c = await liveHarness(definition, o)
      try {
        const report = await c.source.check(new AbortController().signal)
        expect(report.ok).toBe(true)
        expect(report.items.map((i) => i.name).sort(), 'one row per stream').toEqual(definition.streams.map((s) => s.name).sort())
        for (const i of report.items) expect(i.status, i.name).toBe('ok')
      } finally {
        await c.close()
      }
    })
    for (const spec of order.filter((s) => s.resume === 'per-page')) {
      test(SOURCE_TESTS.resume, async () => {
        const whole = pages.get(spec.name) ?? []
        expect(whole.length, `${spec.name} has several pages in the simulator`).toBeGreaterThanOrEqual(2)
        // Separate simulators and clocks: the interrupted run and the resumed one are separate processes.
        const parted = await liveHarness(definition, o)
        let first: SourcePage | undefined
        try {
          for await (const p of parted.source.read(spec.name, null, { since: null }, new AbortController().signal)) {
            first = p
            break
          }
        } finally {
          await parted.close()
        }
        const resumed = await liveHarness(definition, o)
        try {
          const rest: SourcePage[] = []
          for await (const p of resumed.source.read(spec.name, first!.checkpoint, { since: null }, new AbortController().signal)) rest.push(p)
          // Each simulator listens on its own port: records are compared with the origin left out.
          const at = (run: LiveHarness, list: readonly SourcePage[]): unknown[] => JSON.parse(JSON.stringify(recordsOf(list)).replaceAll(run.sim.origin, 'http://simulator')) as unknown[]
          expect([...at(parted, [first!]), ...at(resumed, rest)]).toEqual(at(h, whole))
          expect(rest.length, 'the resumed read did not start over').toBe(whole.length - 1)
        } finally {
          await resumed.close()
        }
      }, ` [${spec.name}]`)
    }
  })
}
