import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { RemoteUnavailableError, UsageError } from '../core/errors.js'
import { makeTicket } from '../testing/canonical-factories.js'
import { formatVerdict, formatVerifyCounts, hasDifferences, inSample, runVerify } from './verify.js'
import { memoryVerifier, verifyFixture, type VerifyFixture } from '../testing/verify-fixture.js'
import type { CheckFinding } from '../staging/verify-results.js'
import { replaceWarnings } from '../staging/warnings.js'
import { verifyText } from '../cli/commands/verify.js'

const open: (() => void)[] = []
afterEach(() => {
  for (const f of open.splice(0)) f()
})

async function setup(n = 3): Promise<VerifyFixture & { tmp: string }> {
  const fx = await verifyFixture(n)
  const tmp = mkdtempSync(join(tmpdir(), 'deskmove-verify-'))
  open.push(() => fx.close(), () => rmSync(tmp, { recursive: true, force: true }))
  return { ...fx, tmp }
}

const run = (fx: VerifyFixture, verifier = memoryVerifier(fx.target), extra: { samplePct?: number; combinedPath?: string; signal?: AbortSignal; batchSize?: number } = {}) =>
  runVerify({ store: fx.store, source: fx.source, target: fx.target, verifier, config: fx.config, signal: extra.signal ?? new AbortController().signal, ...extra })

const lines = (path: string) => readFileSync(path, 'utf8').trim().split('\n')

describe('runVerify', () => {
  it('reports progress for every conversation, and how many are read back and compared (issue 8 item 12)', async () => {
    const fx = await setup()
    const seen: [number, number][] = []
    const r = await runVerify({ store: fx.store, source: fx.source, target: fx.target, verifier: memoryVerifier(fx.target), config: fx.config, signal: new AbortController().signal, batchSize: 2, progress: (t, c) => seen.push([t, c]) })
    expect(seen.map(([t]) => t).filter((t, i, a) => a.indexOf(t) === i)).toEqual([1, 2, 3, 4])
    expect(seen.every(([t, c]) => c <= t)).toBe(true)
    expect(seen.at(-1)).toEqual([r.checked, r.checked])
  })

  it('finds everything matching after a clean apply; tickets the plan skips are reported apart', async () => {
    const fx = await setup()
    const path = join(fx.tmp, 'combined.txt')
    const r = await run(fx, undefined, { combinedPath: path, batchSize: 2 })
    expect(r).toMatchObject({ checked: 4, matching: 3, missing: 0, differ: 0, errors: 0, skipped: 1, checksTotal: 0, interrupted: false })
    expect(hasDifferences(r)).toBe(false)
    expect(formatVerifyCounts(r)).toBe('3 matching, 0 missing in target, 0 differ, 0 errors, 1 skipped by the plan')
    expect(lines(path)).toEqual(['= 1', '= 2', '= 3', '~ orphan skipped by the plan (dangling-reference): ticket orphan refers to customer nobody, which is not staged'])
  })

  it('reports attachments whose bytes disagreed with the declared size, without counting them as differences (issue 12 item 6)', async () => {
    const fx = await setup()
    expect((await run(fx)).sizeMismatches).toEqual({ total: 0, examples: [] })
    replaceWarnings(fx.store.db, { source: fx.source, kind: 'attachment', sourceId: 'a1' }, 'blob', [{ code: 'size-mismatch', detail: 'declared 1000 bytes, received 500; the received bytes are kept' }], { runId: 'r', now: '2024-01-01T00:00:00Z' })
    const r = await run(fx)
    expect(r.sizeMismatches).toEqual({ total: 1, examples: [{ kind: 'attachment', sourceId: 'a1', detail: 'declared 1000 bytes, received 500; the received bytes are kept' }] })
    expect(hasDifferences(r)).toBe(false)
    expect(verifyText(r)).toMatch(/note: 1 attachment\(s\) arrived with a size other than the vendor declared[\s\S]*attachment a1: declared 1000 bytes, received 500/)
  })

  it('marks changed, deleted, never-applied and newer-in-staging tickets with their markers and fields', async () => {
    const fx = await setup()
    fx.target.state.objects.get(fx.refOf('1'))!.summary.subject = 'Edited in the target'
    fx.target.state.objects.delete(fx.refOf('2'))
    fx.stage(makeTicket('3', { subject: 'Changed at the source' }), makeTicket('4'))
    const path = join(fx.tmp, 'combined.txt')
    const r = await run(fx, undefined, { combinedPath: path })
    expect(r).toMatchObject({ matching: 0, differ: 2, missing: 2, skipped: 1 })
    expect(lines(path)).toEqual([
      '* 1 subject: expected "Ticket 1", got "Edited in the target"',
      `+ 2 object ${fx.refOf('2')} is gone`,
      '* 3 applied version: expected "the staged version", got "an older version (run apply)"; subject: expected "Changed at the source", got "Ticket 3"',
      '+ 4 never applied',
      expect.stringMatching(/^~ orphan /),
    ])
    expect(r.examples.map((e) => [e.marker, e.sourceId])).toEqual([
      ['*', '1'],
      ['+', '2'],
      ['*', '3'],
      ['+', '4'],
    ])
  })

  it('turns a read-back failure into errors for the batch, but stops when the target is unreachable', async () => {
    const fx = await setup()
    const v = memoryVerifier(fx.target)
    v.fail = new Error('bad row')
    const r = await run(fx, v)
    expect(r).toMatchObject({ errors: 3, matching: 0 })
    expect(formatVerdict(r.examples[0]!)).toBe('! 1 could not read back: bad row')
    v.fail = new RemoteUnavailableError('database gone')
    await expect(run(fx, v)).rejects.toBeInstanceOf(RemoteUnavailableError)
  })

  it("adds the target's check findings to the conversations they concern, and keeps the rest apart", async () => {
    const fx = await setup()
    const findings: CheckFinding[] = [
      { check: 'threads-count', targetRef: fx.refOf('2'), detail: 'threads_count is 5, but 1 exist' },
      { check: 'folder-counters', targetRef: null, detail: 'folder 3 has 1/1, expected 0/0' },
    ]
    const path = join(fx.tmp, 'combined.txt')
    const r = await run(fx, memoryVerifier(fx.target, findings), { combinedPath: path })
    expect(r).toMatchObject({ matching: 2, differ: 1, checksTotal: 1, checks: [findings[1]] })
    expect(lines(path)[1]).toBe('* 2 check threads-count: threads_count is 5, but 1 exist')
    expect(hasDifferences(r)).toBe(true)
  })

  it('ignores findings about objects it did not verify after a complete pass, but keeps them for a sample', async () => {
    const fx = await setup()
    const foreign: CheckFinding = { check: 'visibility', targetRef: '999', detail: 'state is 1 (draft)' }
    expect(await run(fx, memoryVerifier(fx.target, [foreign]))).toMatchObject({ matching: 3, checksTotal: 0 })
    const sampled = await run(fx, memoryVerifier(fx.target, [foreign]), { samplePct: 99.9999 })
    expect(sampled.checks).toEqual([foreign])
  })

  it('checks a deterministic sample and stops early when the signal fires', async () => {
    const fx = await setup(12)
    const want = Array.from({ length: 12 }, (_, i) => String(i + 1)).filter((id) => inSample(id, 40)).length + (inSample('orphan', 40) ? 1 : 0)
    expect((await run(fx, undefined, { samplePct: 40 })).checked).toBe(want)
    expect((await run(fx, undefined, { samplePct: 0 })).checked).toBe(0)
    await expect(run(fx, undefined, { samplePct: Number.NaN })).rejects.toBeInstanceOf(UsageError)
    await expect(run(fx, undefined, { samplePct: 150 })).rejects.toBeInstanceOf(UsageError)
    const ac = new AbortController()
    ac.abort()
    expect(await run(fx, undefined, { signal: ac.signal })).toMatchObject({ checked: 0, interrupted: true })
  })
})

describe('inSample', () => {
  it('is stable and close to the asked share', () => {
    const ids = Array.from({ length: 2000 }, (_, i) => `conv-${i}`)
    const picked = ids.filter((id) => inSample(id, 25))
    expect(picked.length).toBeGreaterThan(400)
    expect(picked.length).toBeLessThan(600)
    expect(ids.filter((id) => inSample(id, 25))).toEqual(picked)
    // A larger sample contains the smaller one, so raising --sample only adds conversations.
    const larger = new Set(ids.filter((id) => inSample(id, 50)))
    expect(picked.every((id) => larger.has(id))).toBe(true)
    expect(ids.every((id) => inSample(id, 100))).toBe(true)
  })
})
