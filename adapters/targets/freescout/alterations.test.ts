// Issue 12 item 7: values FreeScout cannot hold as they are (a 1 MB subject, a 300-character tag, a 300-character
// first name, NUL bytes) are altered by a stated rule and never cost the conversation: the full values go into
// the import note (the customer's notes), `plan` lists the alterations with counts, `verify` says `a`.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { probeDatabases } from '../../../src/testing/test-databases.js'
import { loadInto, stageDataset, type StagedDataset } from '../../../src/testing/target-conformance.js'
import { buildPlan } from '../../../src/engine/plan-file.js'
import { verifyTarget } from '../../../src/engine/verify-target.js'
import { hasDifferences } from '../../../src/engine/verify.js'
import { renderPlanMarkdown } from '../../../src/cli/render/plan-report.js'
import type { FsDb } from './db.js'
import { freescoutHarness } from './harness.test-helpers.js'

const probe = await probeDatabases()
const minimal = readFileSync(resolve(import.meta.dirname, '../../../fixtures/canonical/minimal.jsonl'), 'utf8')

const SUBJECT = `Printer on fire ${'x'.repeat(1024 * 1024)} end`
const TAG = `t${'g'.repeat(299)}`
const FIRST = `C${'a'.repeat(299)}`

/** The minimal dataset with t1's subject 1 MB long, a 300-character tag, c1's first name 300 characters and a NUL in m1. */
function hostileDataset(dir: string): void {
  const lines = minimal.split('\n').filter((l) => l.trim()).map((l) => {
    const o = JSON.parse(l) as Record<string, unknown>
    if (o.kind === 'ticket' && o.sourceId === 't1') Object.assign(o, { subject: SUBJECT, tags: ['ok', TAG] })
    if (o.kind === 'customer' && o.sourceId === 'c1') o.firstName = FIRST
    if (o.kind === 'message' && o.sourceId === 'm1') o.bodyHtml = '<p>It is\u0000 on fire.</p>'
    return JSON.stringify(o)
  })
  writeFileSync(join(dir, 'hostile.jsonl'), lines.join('\n') + '\n')
}

for (const dialect of ['mysql', 'postgres'] as const) {
  const reason = dialect === 'mysql' ? probe.reasons.mysql : probe.reasons.postgres
  describe.skipIf(reason !== null)(`FreeScout alterations by rule on ${dialect}${reason ? ` (skipped: ${reason})` : ''}`, () => {
    const tmp = mkdtempSync(join(tmpdir(), 'deskmove-alter-'))
    const s = {} as { h: Awaited<ReturnType<typeof freescoutHarness>>; ds: StagedDataset; db: FsDb }
    beforeAll(async () => {
      hostileDataset(tmp)
      s.h = await freescoutHarness(dialect)
      s.ds = await stageDataset(tmp, 'hostile')
      s.db = await s.h.target.database()
    })
    afterAll(async () => {
      s.ds?.cleanup()
      await s.h?.close()
      rmSync(tmp, { recursive: true, force: true })
    })
    const plan = () => buildPlan({ store: s.ds.store, source: s.ds.source, target: s.h.target, config: s.h.config, now: () => new Date('2025-01-01T00:00:00Z'), signal: new AbortController().signal })

    it('plan lists every alteration with counts before anything is written', async () => {
      const p = await plan()
      expect(p.alterations?.byRule).toEqual({ 'truncated: subject': 1, 'truncated: tag': 1, 'truncated: first_name': 1, 'nul-removed: message body': 1 })
      expect(p.alterations?.records).toBe(2)
      expect(p.alterations?.list.find((a) => a.field === 'subject')).toMatchObject({ kind: 'ticket', sourceId: 't1', rule: 'truncated' })
      expect(renderPlanMarkdown(p)).toContain('## Alterations')
      expect(Number((await s.db.query<{ n: number }>('SELECT COUNT(*) AS n FROM conversations'))[0]!.n)).toBe(0)
    })

    it('writes the conversation with the altered values and keeps the full ones in the import note', async () => {
      const r = await loadInto(s.h, s.ds, 'run-a')
      expect(r.counts.ticket).toMatchObject({ create: 2, rejected: 0 })
      const conv = (await s.db.query<{ id: number; subject: string }>('SELECT id, subject FROM conversations WHERE meta LIKE ?', ['%"id":"t1"%']))[0]!
      expect(Array.from(conv.subject)).toHaveLength(998)
      expect(conv.subject.startsWith('Printer on fire xxx')).toBe(true)
      expect(conv.subject.endsWith('x…')).toBe(true)
      const tags = (await s.db.query<{ name: string }>('SELECT t.name FROM tags t JOIN conversation_tag ct ON ct.tag_id = t.id WHERE ct.conversation_id = ? ORDER BY t.name', [conv.id])).map((x) => x.name)
      expect(tags).toEqual(['ok', `${TAG.slice(0, 190)}…`])
      const bodies = (await s.db.query<{ body: string }>('SELECT body FROM threads WHERE conversation_id = ?', [conv.id])).map((x) => x.body)
      const note = bodies.find((b) => b.includes('Imported by deskmove'))!
      expect(note).toContain(`The full subject (cut to 998 characters): ${SUBJECT}`)
      expect(note).toContain(`The full tag (cut to 191 characters): ${TAG}`)
      const customer = (await s.db.query<{ first_name: string; notes: string }>('SELECT first_name, notes FROM customers WHERE first_name LIKE ?', ['Caaa%']))[0]!
      expect(Array.from(customer.first_name)).toHaveLength(255)
      expect(customer.notes).toContain(`The full first_name (cut to 255 characters): ${FIRST}`)
    })

    it('verify reports the altered conversation as altered-by-rule (a), not as =', async () => {
      const combinedPath = join(tmp, `${dialect}-combined.txt`)
      const r = await verifyTarget({ store: s.ds.store, source: s.ds.source, target: s.h.target, config: s.h.config, combinedPath, signal: new AbortController().signal })
      expect(hasDifferences(r)).toBe(false)
      expect(r).toMatchObject({ checked: 2, matching: 1, altered: 1 })
      const lines = readFileSync(combinedPath, 'utf8').trim().split('\n')
      expect(lines[0]).toMatch(/^a t1 altered by rule: .*subject truncated/)
      expect(lines[1]).toBe('= t2')
    })
  })
}
