import { mkdtempSync, readFileSync, rmSync, writeFileSync, unlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { probeDatabases } from '../../../src/testing/test-databases.js'
import { DATASETS, loadInto, stageDataset, type StagedDataset } from '../../../src/testing/target-conformance.js'
import { hasDifferences, inSample, type VerifyResult } from '../../../src/engine/verify.js'
import { traceRecord } from '../../../src/engine/trace.js'
import type { FsDb } from './db.js'
import { freescoutHarness } from './harness.test-helpers.js'
import { traceTargetFor, verifyTarget } from '../../../src/engine/verify-target.js'

const probe = await probeDatabases()
const datasets = resolve(import.meta.dirname, '../../../fixtures/canonical')

for (const dialect of ['mysql', 'postgres'] as const) {
  const reason = dialect === 'mysql' ? probe.reasons.mysql : probe.reasons.postgres
  describe.skipIf(reason !== null)(`FreeScout verify on ${dialect}${reason ? ` (skipped: ${reason})` : ''}`, () => {
    const tmp = mkdtempSync(join(tmpdir(), 'deskmove-verify-'))
    afterAll(() => rmSync(tmp, { recursive: true, force: true }))

    const scenario = (dataset: string) => {
      const s = {} as { h: Awaited<ReturnType<typeof freescoutHarness>>; ds: StagedDataset; db: FsDb }
      beforeAll(async () => {
        s.h = await freescoutHarness(dialect)
        s.ds = await stageDataset(datasets, dataset)
        s.db = await s.h.target.database()
        await loadInto(s.h, s.ds, 'run-a')
      })
      afterAll(async () => {
        s.ds?.cleanup()
        await s.h?.close()
      })
      const verify = async (opts: { samplePct?: number; combined?: string } = {}): Promise<{ r: VerifyResult; lines: string[] }> => {
        const combinedPath = opts.combined ? join(tmp, `${dialect}-${dataset}-${opts.combined}.txt`) : null
        const r = await verifyTarget({
          store: s.ds.store,
          source: s.ds.source,
          target: s.h.target,
          config: s.h.config,
          samplePct: opts.samplePct,
          combinedPath,
          signal: new AbortController().signal,
        })
        return { r, lines: combinedPath ? readFileSync(combinedPath, 'utf8').trim().split('\n') : [] }
      }
      const convId = async (sourceId: string) =>
        Number((await s.db.query<{ id: number }>('SELECT id FROM conversations WHERE meta LIKE ?', [`%"id":"${sourceId}"%`]))[0]!.id)
      return { s, verify, convId }
    }

    describe('conversations, threads and tags (minimal)', () => {
      const { s, verify, convId } = scenario('minimal')

      it('reports 0 differences right after a clean apply', async () => {
        const { r, lines } = await verify({ combined: 'clean' })
        expect(r).toMatchObject({ checked: 2, matching: 2, missing: 0, differ: 0, errors: 0, checksTotal: 0 })
        expect(hasDifferences(r)).toBe(false)
        expect(lines).toEqual(['= t1', '= t2'])
      })

      it('checks a deterministic sample chosen by the hash of the source id', async () => {
        const picked = ['t1', 't2'].filter((id) => inSample(id, 50))
        const a = await verify({ samplePct: 50, combined: 'sample-a' })
        const b = await verify({ samplePct: 50, combined: 'sample-b' })
        expect(a.r).toMatchObject({ checked: picked.length, matching: picked.length, checksTotal: 0 })
        expect(a.lines).toEqual(picked.map((id) => `= ${id}`))
        expect(b.lines).toEqual(a.lines)
        expect((await verify({ samplePct: 0 })).r.checked).toBe(0)
      })

      it('marks a deleted thread and a changed status as differences, naming the fields', async () => {
        await s.db.execute('DELETE FROM threads WHERE meta LIKE ?', ['%"id":"m2"%'])
        await s.db.execute('UPDATE conversations SET status = ? WHERE id = ?', [3, await convId('t2')])
        const { r, lines } = await verify({ combined: 'tampered' })
        expect(r).toMatchObject({ matching: 0, differ: 2, missing: 0 })
        expect(hasDifferences(r)).toBe(true)
        expect(lines[0]).toMatch(/^\* t1 /)
        expect(lines[0]).toContain('thread m2: expected "present", got "missing"')
        expect(lines[0]).toContain('threads: expected 3, got 2')
        expect(lines[1]).toMatch(/^\* t2 .*status: expected 1, got 3/)
        // The SQL consistency checks see the stale threads_count and the wrong folder too.
        expect(lines[0]).toContain('check threads-count')
        expect(r.examples.map((e) => e.sourceId)).toEqual(['t1', 't2'])
      })

      it('marks a deleted conversation as missing in target', async () => {
        await s.db.execute('DELETE FROM conversations WHERE id = ?', [await convId('t2')])
        const { r, lines } = await verify({ combined: 'deleted' })
        expect(r).toMatchObject({ missing: 1, differ: 1 })
        expect(lines[1]).toMatch(/^\+ t2 conversation \d+ is not in FreeScout/)
      })

      it('marks a ticket it cannot plan as an error', async () => {
        s.ds.store.db.prepare("UPDATE staged_record SET canonical = '{' WHERE source = ? AND kind = 'message' AND source_id = 'm1'").run(s.ds.source)
        const { r, lines } = await verify({ combined: 'error' })
        expect(r.errors).toBe(1)
        expect(lines[0]).toMatch(/^! t1 could not plan/)
      })
    })

    describe('attachments read back from storage (attachments-edge)', () => {
      const { s, verify } = scenario('attachments-edge')
      const files = async () =>
        s.db.query<{ file_dir: string; file_name: string; size: number }>('SELECT file_dir, file_name, size FROM attachments WHERE size > 0 ORDER BY id')

      it('does not match after apply while an attachment\'s bytes were never stored (issue 7 item 13), and names it', async () => {
        const { r, lines } = await verify({ combined: 'clean' })
        expect(r).toMatchObject({ matching: 0, differ: 1, checksTotal: 0 })
        expect(lines).toHaveLength(1)
        expect(lines[0]).toMatch(/^\* t1 attachment at6: expected "imported", got "left out \(missing-blob\): /)
      })

      it('finds a corrupted file by its sha256 and a deleted file as missing', async () => {
        const [first, second] = await files()
        const path = (f: { file_dir: string; file_name: string }) => join(s.h.storageDir, 'attachment', f.file_dir, f.file_name)
        writeFileSync(path(first!), Buffer.alloc(first!.size, 0x78))
        unlinkSync(path(second!))
        const { r, lines } = await verify({ combined: 'corrupt' })
        expect(r.differ).toBe(1)
        expect(lines[0]).toMatch(/^\* t1 /)
        expect(lines[0]).toMatch(/attachment at\d sha256: expected "[0-9a-f]{64}", got "[0-9a-f]{64}"/)
        expect(lines[0]).toMatch(/attachment at\d file: expected "present", got ".* does not exist"/)
      })

      it('traces the ticket through every stage', async () => {
        const target = await traceTargetFor(s.h.target, s.h.config, new AbortController().signal)
        const t = await traceRecord({ store: s.ds.store, kind: 'ticket', sourceId: 't1', target, signal: new AbortController().signal })
        expect(t.staged?.canonical).toMatchObject({ kind: 'ticket', sourceId: 't1' })
        expect(t.staged?.raw).toBeTruthy()
        expect(t.planned).toMatchObject({ action: 'write' })
        expect(t.applied[0]).toMatchObject({ target: 'freescout', state: 'loaded', runId: 'run-a', upToDate: true })
        expect(t.verified).toMatchObject({ marker: '*' })
        expect(t.rejects.map((r) => [r.kind, r.sourceId, r.reason])).toContainEqual(['attachment', 'at6', 'missing-blob'])
      })
    })
  })
}

// One dialect is enough here: the per-dialect suites above already cover both databases.
const anyDialect = probe.mysql ? 'mysql' : probe.postgres ? 'postgres' : null
describe.skipIf(anyDialect === null)(`FreeScout verify after a clean apply of every conformance dataset${anyDialect ? ` (${anyDialect})` : ' (skipped: neither MariaDB nor PostgreSQL is reachable)'}`, () => {
  // minimal and attachments-edge are verified clean above.
  for (const dataset of DATASETS.filter((d) => d !== 'minimal' && d !== 'attachments-edge')) {
    it(`finds 0 differences for ${dataset}`, async () => {
      const h = await freescoutHarness(anyDialect!)
      const ds = await stageDataset(datasets, dataset)
      try {
        const load = await loadInto(h, ds, 'run-a')
        const r = await verifyTarget({ store: ds.store, source: ds.source, target: h.target, config: h.config, signal: new AbortController().signal })
        expect(hasDifferences(r)).toBe(false)
        expect(r.matching + (r.altered ?? 0)).toBe(load.counts.ticket.create)
        expect(r.skipped).toBe(load.counts.ticket.skip)
      } finally {
        ds.cleanup()
        await h.close()
      }
    })
  }
})
