// The shared source conformance suite (architecture.md §5 "Source suite", items 1–10). An adapter's
// `<id>.conformance.test.ts` is one call to `describeSourceConformance`; it replays that adapter's recorded
// scenarios (fixtures/http/<id>/<scenario>/) through the real HTTP client over a strict MockAgent.
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { canonicalRecordSchema } from '../core/model/index.js'
import type { AnySourceDefinition, CheckReport, SourcePage, StreamSpec } from '../core/source.js'
import { orderStreams } from '../engine/order.js'
import { loadExchanges, type RecordedExchange } from './http-replay.js'
import { CANARY, harness, readStreams, type Harness, type ReadRun } from './source-harness.js'

/** A suite test an adapter cannot pass yet, with the written reason (a gap without one fails the suite). */
export interface KnownGap {
  readonly test: string
  readonly reason: string
}

export interface SourceConformanceOptions {
  /** Folder with one sub-folder per scenario, e.g. `fixtures/http/helpscout`. */
  readonly scenarios: string
  /** Origin the fixtures were recorded against (the config's base URL must point there). */
  readonly origin: string
  /** Raw config input; sensitive fields are replaced by canary values the suite hunts for in all output. */
  readonly config: Readonly<Record<string, unknown>>
  /** Golden files folder; default `fixtures/expected/<id>`. Set DESKMOVE_UPDATE_GOLDEN=1 to rewrite them. */
  readonly expected?: string
  readonly knownGaps?: readonly KnownGap[]
}

/** `scenario.json` beside the exchanges: what the scenario must produce. */
const scenarioSchema = z.object({
  description: z.string(),
  /** Streams read, in DAG order; default all. */
  streams: z.array(z.string()).optional(),
  read: z.union([z.object({ outcome: z.literal('ok') }), z.object({ outcome: z.literal('error'), error: z.string(), stream: z.string() })]),
  check: z.object({ ok: z.boolean(), everyItem: z.string().optional() }).optional(),
  rejects: z.array(z.object({ kind: z.string(), sourceId: z.string(), reason: z.string(), detailIncludes: z.string().optional() })).default([]),
  attachments: z.array(z.object({ ref: z.record(z.unknown()), sha256: z.string().optional(), error: z.string().optional() })).default([]),
  policy: z.object({ maxAttempts: z.number().int().positive().optional(), max429: z.number().int().positive().optional() }).default({}),
})
type Scenario = z.infer<typeof scenarioSchema>

/** The tests, by the names `knownGaps` refer to. */
export const SOURCE_TESTS = {
  config: '1 config: an empty config is refused',
  secrets: '1 config: sensitive values never appear in logs, errors or records',
  dag: '2 streams: a DAG of declared streams',
  hygiene: 'fixtures: no Authorization header or token-shaped string',
  check: '3 check: reports per stream without throwing',
  read: '4 read: records parse canonically; one record per (kind, sourceId) in the staged result',
  pagination: '5 pagination: every recorded exchange is used exactly once',
  checkpoints: '6 resume: checkpoints per page, restart streams only when done',
  resume: '6 resume: abort after the first page and resume gives the same records',
  rateLimits: '7 rate limits: 429 is waited out, never surfaced',
  serverErrors: '8 errors: 5xx retried then RemoteUnavailableError, other 4xx not retried',
  outcome: '8 errors: the read ends as the scenario expects',
  drift: '9 drift: unknown fields tolerated, bad records rejected with their zod path',
  golden: '10 golden: canonical output equals the expected file',
} as const

/**
 * Streams in the order the engine reads them (its own orderer, so the suite cannot disagree with a run);
 * null when the engine refuses the declared DAG (a cycle or an unknown name).
 */
export function streamOrder(streams: readonly StreamSpec[]): StreamSpec[] | null {
  try {
    return orderStreams(streams)
  } catch {
    return null
  }
}

/** Declares one suite test; `suffix` qualifies the display name (a stream) without changing the gap key. */
export type TestFn = (name: string, fn: () => Promise<void> | void, suffix?: string) => void

/** Everything an error says, through its cause chain. */
export function errorText(e: unknown): string {
  const parts: string[] = []
  for (let cur = e, depth = 0; cur && depth < 8; cur = (cur as { cause?: unknown }).cause, depth++) {
    parts.push(String(cur), (cur as { hint?: string }).hint ?? '')
  }
  return parts.join('\n')
}

export const recordsOf = (pages: readonly SourcePage[]) => pages.flatMap((p) => p.records.map((r) => r.canonical))
export const keyOf = (r: { kind: string; sourceId: string }) => `${r.kind}:${r.sourceId}`

/** Walks a fixture for credentials: Authorization keys, bearer values, JWTs, long opaque tokens. */
export function findCredentials(value: unknown, path = ''): string[] {
  if (typeof value === 'string') {
    const tokenShaped = /bearer\s+\S{8,}/i.test(value) || /eyJ[\w-]{8,}\.[\w-]{8,}/.test(value) || /^[A-Za-z0-9_-]{32,}$/.test(value)
    return tokenShaped ? [`${path}: token-shaped value`] : []
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => findCredentials(v, `${path}[${i}]`))
  if (value === null || typeof value !== 'object') return []
  return Object.entries(value).flatMap(([k, v]) => {
    if (/^(authorization|proxy-authorization|cookie|set-cookie)$/i.test(k)) return [`${path}.${k}: credential header`]
    if (/^(access_token|refresh_token|client_secret|api_key|password)$/i.test(k) && typeof v === 'string' && !/^fixture-/.test(v)) return [`${path}.${k}: credential not marked fixture-`]
    // Attachment bytes and content digests are content, not credentials.
    return k === 'bodyBase64' || k === 'sha256' ? [] : findCredentials(v, `${path}.${k}`)
  })
}

/** The checks of the definition alone (config, stream DAG), shared with the live suite. */
export function describeDefinitionChecks(definition: AnySourceDefinition, test: TestFn): void {
  test(SOURCE_TESTS.config, () => {
    expect(definition.config.schema.safeParse({}).success).toBe(false)
    for (const field of definition.config.sensitive) expect(definition.config.env[field], `env var for ${field}`).toBeTruthy()
  })
  test(SOURCE_TESTS.dag, () => {
    expect(streamOrder(definition.streams)).not.toBeNull()
    expect(new Set(definition.streams.map((s) => s.name)).size).toBe(definition.streams.length)
    for (const s of definition.streams) {
      // Child records (per-parent endpoints) arrive in the parent stream's pages: it must declare their kinds.
      for (const kind of s.children?.entities ?? []) expect(s.entities, `${s.name} declares its child kind ${kind}`).toContain(kind)
    }
  })
}

/** Declares the conformance suite for `definition` over its recorded scenarios. */
export function describeSourceConformance(definition: AnySourceDefinition, o: SourceConformanceOptions): void {
  const gaps = new Map((o.knownGaps ?? []).map((g) => [g.test, g.reason]))
  const test: TestFn = (name, fn, suffix = '') => {
    const reason = gaps.get(name)
    if (reason) it.skip(`${name}${suffix} (known gap: ${reason})`, fn)
    else it(`${name}${suffix}`, fn)
  }
  const scenarioNames = readdirSync(o.scenarios, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()
  const expectedDir = o.expected ?? join('fixtures', 'expected', definition.id)

  describe(`${definition.id} source conformance`, () => {
    it('known gaps name a suite test and give a reason', () => {
      for (const g of o.knownGaps ?? []) {
        expect(g.reason.trim(), `gap "${g.test}" needs a reason`).not.toBe('')
        expect(Object.values(SOURCE_TESTS) as string[]).toContain(g.test)
      }
    })
    describeDefinitionChecks(definition, test)
    test(SOURCE_TESTS.hygiene, () => {
      for (const name of scenarioNames) {
        for (const file of readdirSync(join(o.scenarios, name)).filter((f) => f.endsWith('.json'))) {
          expect(findCredentials(JSON.parse(readFileSync(join(o.scenarios, name, file), 'utf8'))), `${name}/${file}`).toEqual([])
        }
      }
    })
    for (const name of scenarioNames) describeScenario(definition, o, name, join(o.scenarios, name), join(expectedDir, `${name}.canonical.jsonl`), test)
  })
}

function describeScenario(
  def: AnySourceDefinition,
  o: SourceConformanceOptions,
  name: string,
  dir: string,
  goldenFile: string,
  test: TestFn,
): void {
  const scenario = scenarioSchema.parse(JSON.parse(readFileSync(join(dir, 'scenario.json'), 'utf8')))
  const exchanges = loadExchanges(dir)
  const flow = (f: string) => exchanges.filter((e) => e.flow === f)
  const order = (streamOrder(def.streams) ?? []).filter((s) => !scenario.streams || scenario.streams.includes(s.name))

  describe(`scenario ${name}: ${scenario.description}`, () => {
    let h: Harness
    let run: ReadRun
    beforeAll(async () => {
      h = harness(def, o, flow('read'), scenario.policy)
      run = await readStreams(h.source, order)
    })
    afterAll(async () => { await h.close() })

    test(SOURCE_TESTS.outcome, () => {
      if (scenario.read.outcome === 'ok') {
        expect(run.error?.error).toBeUndefined()
        return
      }
      expect(run.error?.stream).toBe(scenario.read.stream)
      expect((run.error?.error as Error | undefined)?.constructor.name).toBe(scenario.read.error)
    })
    test(SOURCE_TESTS.read, () => {
      // The staged result holds one record per (kind, sourceId): a record may be yielded again on a later
      // page (side-loaded people repeat), but every time it must be the same record, or staging would keep
      // whichever page came last. Within one page (one commit) a key appears once.
      const staged = new Map<string, string>()
      let total = 0
      for (const [stream, pages] of run.pages) {
        const spec = def.streams.find((s) => s.name === stream)
        for (const p of pages) {
          const keys = p.records.map((r) => keyOf(r.canonical))
          expect(new Set(keys).size, `${stream}: (kind, sourceId) unique within a page`).toBe(keys.length)
        }
        for (const r of recordsOf(pages)) {
          total += 1
          expect(canonicalRecordSchema.safeParse(r).success, `${stream} ${keyOf(r)}`).toBe(true)
          expect(spec?.entities, `${stream} declares ${r.kind}`).toContain(r.kind)
          const json = JSON.stringify(r)
          const before = staged.get(keyOf(r))
          if (before !== undefined) expect(json, `${keyOf(r)} yielded twice with different content`).toBe(before)
          staged.set(keyOf(r), json)
        }
      }
      if (scenario.read.outcome === 'ok') expect(total, 'a successful read stages records').toBeGreaterThan(0)
    })
    test(SOURCE_TESTS.pagination, () => {
      h.replay.assertAllConsumed()
      // Order is free (adapters may read concurrently); each recorded exchange answers once.
      expect([...h.replay.served].sort()).toEqual(flow('read').map((e) => e.file).sort())
    })
    test(SOURCE_TESTS.checkpoints, () => {
      for (const [stream, pages] of run.pages) {
        const spec = def.streams.find((s) => s.name === stream)
        const cps = pages.map((p) => JSON.stringify(p.checkpoint))
        if (spec?.resume === 'restart') {
          for (const cp of cps.slice(0, -1)) expect(cp, `${stream}: no checkpoint before the end`).toBe('{}')
          // The stream's end is a checkpoint like any other: it is kept as where the next read starts.
          if (scenario.read.outcome === 'ok' || run.error?.stream !== stream) {
            expect(cps.length, `${stream}: a complete restart stream yields a page`).toBeGreaterThan(0)
            expect(cps.at(-1), `${stream}: the last page carries the completion checkpoint`).not.toBe('{}')
          }
        } else {
          expect(new Set(cps).size, `${stream}: every page has its own checkpoint`).toBe(cps.length)
        }
      }
    })
    test(SOURCE_TESTS.drift, () => {
      const rejects = [...run.pages.values()].flatMap((pages) => pages.flatMap((p) => p.rejects))
      expect(rejects.map((r) => ({ kind: r.kind, sourceId: r.sourceId, reason: r.reason }))).toEqual(
        scenario.rejects.map((r) => ({ kind: r.kind, sourceId: r.sourceId, reason: r.reason })),
      )
      scenario.rejects.forEach((r, i) => {
        if (r.detailIncludes) expect(rejects[i]?.detail).toContain(r.detailIncludes)
        expect(rejects[i]?.raw, 'a reject keeps its raw payload').toBeDefined()
      })
    })
    test(SOURCE_TESTS.secrets, () => {
      const text = [...h.output, errorText(run.error?.error), JSON.stringify([...run.pages.values()])].join('\n')
      for (const field of def.config.sensitive) expect(text).not.toContain(CANARY(field))
    })
    test(SOURCE_TESTS.golden, () => {
      const actual = [...run.pages.values()].flatMap(recordsOf).map((r) => `${JSON.stringify(r)}\n`).join('')
      if (process.env.DESKMOVE_UPDATE_GOLDEN === '1') {
        mkdirSync(dirname(goldenFile), { recursive: true })
        writeFileSync(goldenFile, actual)
      }
      expect(existsSync(goldenFile), `${goldenFile} exists (DESKMOVE_UPDATE_GOLDEN=1 writes it)`).toBe(true)
      expect(actual).toBe(readFileSync(goldenFile, 'utf8'))
    })
    const throttles = flow('read').filter((e) => e.response.status === 429).length
    if (throttles > 0) {
      test(SOURCE_TESTS.rateLimits, () => {
        expect(h.http.stats().throttled).toBe(throttles)
        expect(run.error === null || !String(run.error.error).includes('429')).toBe(true)
      })
    }
    const failures = flow('read').filter((e) => e.response.status >= 500).length
    if (failures > 0 || scenario.attachments.some((a) => a.error)) {
      test(SOURCE_TESTS.serverErrors, async () => {
        // Every recorded 5xx was answered by a retry, except the last when attempts ran out.
        if (failures > 0) expect(h.http.stats().retries).toBeGreaterThanOrEqual(scenario.read.outcome === 'ok' ? failures : 1)
        if (scenario.attachments.length > 0) await checkAttachments(def, o, scenario, flow('attachments'))
      })
    } else if (scenario.attachments.length > 0) {
      it('attachments: openAttachment streams the recorded bytes', () => checkAttachments(def, o, scenario, flow('attachments')))
    }
    if (scenario.check) {
      const expected = scenario.check
      test(SOURCE_TESTS.check, async () => {
        const c = harness(def, o, flow('check'), scenario.policy)
        let report: CheckReport
        try {
          report = await c.source.check(new AbortController().signal)
          c.replay.assertAllConsumed()
        } finally {
          await c.close()
        }
        expect(report.ok).toBe(expected.ok)
        for (const s of def.streams) expect(report.items.map((i) => i.name), 'one row per stream').toContain(s.name)
        if (expected.everyItem) for (const i of report.items) expect(i.status, i.name).toBe(expected.everyItem)
        else if (expected.ok) for (const i of report.items) expect(i.status, i.name).toBe('ok')
        for (const field of def.config.sensitive) expect(JSON.stringify(report) + c.output.join('\n')).not.toContain(CANARY(field))
      })
    }
    if (scenario.read.outcome === 'ok') describeResume(def, o, order, flow('read'), scenario, test)
  })
}

async function checkAttachments(def: AnySourceDefinition, o: SourceConformanceOptions, scenario: Scenario, exchanges: RecordedExchange[]): Promise<void> {
  const h = harness(def, o, exchanges, scenario.policy)
  try {
    for (const a of scenario.attachments) {
      const opened = h.source.openAttachment!(a.ref, new AbortController().signal)
      if (a.error) {
        const err = await opened.then(() => null, (e: unknown) => e)
        expect((err as Error | null)?.constructor.name, JSON.stringify(a.ref)).toBe(a.error)
        continue
      }
      const { body } = await opened
      const bytes = Buffer.concat(await body.toArray())
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(a.sha256)
    }
    // A non-429 4xx is answered once: a retry would have found no exchange left and failed differently.
    h.replay.assertAllConsumed()
  } finally {
    await h.close()
  }
}

function describeResume(
  def: AnySourceDefinition,
  o: SourceConformanceOptions,
  order: readonly StreamSpec[],
  exchanges: readonly RecordedExchange[],
  scenario: Scenario,
  test: TestFn,
): void {
  const session = exchanges.filter((e) => e.stream === null)
  for (const spec of order.filter((s) => s.resume === 'per-page')) {
    const own = exchanges.filter((e) => e.stream === spec.name)
    // Only streams recorded with two or more pages of their list endpoint can be cut after the first.
    const listPath = own[0]?.request.path
    if (own.filter((e) => e.request.path === listPath && e.response.status < 300).length < 2) continue
    test(SOURCE_TESTS.resume, async () => {
      const signal = new AbortController().signal
      const full = harness(def, o, [...session, ...own], scenario.policy)
      const whole = await readStreams(full.source, [spec]).finally(() => full.close())
      const pages = whole.pages.get(spec.name) ?? []
      expect(pages.length, 'recorded with several pages').toBeGreaterThanOrEqual(2)
      // The interrupted run and the resumed one are separate processes in real life: separate replays, since
      // a source may have requested pages ahead of the one it was stopped after.
      const parted = harness(def, o, [...session, ...own], scenario.policy)
      const first: SourcePage[] = []
      try {
        for await (const p of parted.source.read(spec.name, null, { since: null }, signal)) {
          first.push(p)
          break
        }
      } finally {
        await parted.close()
      }
      const resumed = harness(def, o, [...session, ...own], scenario.policy)
      try {
        const rest: SourcePage[] = []
        for await (const p of resumed.source.read(spec.name, first[0]!.checkpoint, { since: null }, signal)) rest.push(p)
        // Resuming reads on from the checkpoint: the stream's first recorded page is not requested again.
        const firstPage = own.find((e) => e.request.path === listPath)!.file
        expect(resumed.replay.served, 'the resumed read requested later pages').not.toEqual([])
        expect(resumed.replay.served, 'the resumed read did not start over').not.toContain(firstPage)
        expect(recordsOf([...first, ...rest])).toEqual(recordsOf(pages))
      } finally {
        await resumed.close()
      }
    }, ` [${spec.name}]`)
  }
}
