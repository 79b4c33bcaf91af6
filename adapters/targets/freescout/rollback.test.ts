import { resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { probeDatabases } from '../../../src/testing/test-databases.js'
import { loadInto, stageDataset } from '../../../src/testing/target-conformance.js'
import { rollbackLoadRun } from '../../../src/engine/load.js'
import { freescoutHarness } from './harness.test-helpers.js'
import type { FsDb } from './db.js'

const probe = await probeDatabases()
const datasets = resolve(import.meta.dirname, '../../../fixtures/canonical')

for (const dialect of ['mysql', 'postgres'] as const) {
  const reason = dialect === 'mysql' ? probe.reasons.mysql : probe.reasons.postgres
  describe.skipIf(reason !== null)(`FreeScout rollback keeps what people changed after the import, on ${dialect}${reason ? ` (skipped: ${reason})` : ''}`, () => {
    const cleanup: (() => Promise<void> | void)[] = []
    afterEach(async () => {
      for (const f of cleanup.splice(0).reverse()) await f()
    })
    const setup = async () => {
      const h = await freescoutHarness(dialect)
      const ds = await stageDataset(datasets, 'minimal')
      cleanup.push(() => ds.cleanup(), () => h.close())
      const db = await h.target.database()
      await loadInto(h, ds, 'run-a')
      const rollback = (o: { preview: boolean; force?: boolean }) => rollbackLoadRun({ store: ds.store, target: h.target, runId: 'run-a', ...o, signal: new AbortController().signal })
      return { h, db, rollback }
    }
    const convOf = async (db: FsDb, sourceId: string) =>
      (await db.query<{ id: number; customer_id: number; user_id: number | null }>('SELECT id, customer_id, user_id FROM conversations WHERE meta LIKE ?', [`%"id":"${sourceId}"%`]))[0]!
    const count = async (db: FsDb, sql: string, params: unknown[] = []) => Number((await db.query<{ n: number }>(sql, params))[0]!.n)

    /** What FreeScout writes when an agent replies and closes: a thread with no deskmove provenance. */
    const agentReply = async (db: FsDb, convId: number, customerId: number) =>
      db.execute(
        `INSERT INTO threads (conversation_id, type, status, state, body, source_via, source_type, customer_id, created_by_user_id, created_at, updated_at)
         VALUES (?, 2, 3, 2, '<p>Fixed it for you.</p>', 2, 1, ?, 1, '2025-05-01 10:00:00', '2025-05-01 10:00:00')`,
        [convId, customerId],
      )

    it('after a FreeScout-side reply, keeps that conversation (its reply, customer and users too), lists it first in the preview, and removes the rest', async () => {
      const { db, rollback } = await setup()
      const t1 = await convOf(db, 't1')
      const t2 = await convOf(db, 't2')
      await agentReply(db, t1.id, t1.customer_id)
      const threadsOfT1 = await count(db, 'SELECT COUNT(*) AS n FROM threads WHERE conversation_id = ?', [t1.id])

      const preview = await rollback({ preview: true })
      expect(preview.kept).toEqual([{ kind: 'ticket', ref: String(t1.id), why: expect.stringContaining('1 thread(s) added in FreeScout') }])
      expect(preview.counts).toMatchObject({ conversations: 1, conversationsKept: 1 })
      expect(await count(db, 'SELECT COUNT(*) AS n FROM conversations')).toBe(2)

      const done = await rollback({ preview: false })
      expect(done.counts).toMatchObject({ conversations: 1, conversationsKept: 1 })
      const left = await db.query<{ id: number }>('SELECT id FROM conversations')
      expect(left.map((c) => Number(c.id))).toEqual([t1.id])
      expect(await count(db, 'SELECT COUNT(*) AS n FROM threads WHERE conversation_id = ?', [t1.id])).toBe(threadsOfT1)
      expect(await count(db, 'SELECT COUNT(*) AS n FROM threads WHERE conversation_id = ?', [t2.id])).toBe(0)
      // The kept conversation still has its customer (with address) and its assignee.
      expect(await count(db, 'SELECT COUNT(*) AS n FROM emails WHERE customer_id = ?', [t1.customer_id])).toBe(1)
      expect(await count(db, 'SELECT COUNT(*) AS n FROM users WHERE id = ?', [t1.user_id])).toBe(1)
      expect(await count(db, 'SELECT COUNT(*) AS n FROM customers WHERE id = ?', [t2.customer_id])).toBe(0)
    })

    it('keeps a conversation whose status, assignee or tags changed without a thread; --force removes everything', async () => {
      const { db, rollback } = await setup()
      const t1 = await convOf(db, 't1')
      const t2 = await convOf(db, 't2')
      await db.execute('UPDATE conversations SET status = 1 WHERE id = ?', [t1.id])
      await db.execute('DELETE FROM conversation_tag WHERE conversation_id = ?', [t1.id])
      await db.execute('UPDATE conversations SET user_id = ? WHERE id = ?', [t1.user_id, t2.id])
      const preview = await rollback({ preview: true })
      const why = Object.fromEntries(preview.kept.map((k) => [k.ref, k.why]))
      expect(Object.keys(why).sort()).toEqual([String(t1.id), String(t2.id)].sort())
      expect(why[String(t1.id)]).toContain('status 3 → 1')
      expect(why[String(t1.id)]).toContain('tags hardware → none')
      expect(why[String(t2.id)]).toContain(`assignee none → ${t1.user_id}`)

      const forced = await rollback({ preview: false, force: true })
      expect(forced.kept).toEqual([])
      expect(forced.counts).toMatchObject({ conversations: 2, conversationsKept: 0 })
      expect(await count(db, 'SELECT COUNT(*) AS n FROM conversations')).toBe(0)
      expect(await count(db, 'SELECT COUNT(*) AS n FROM threads')).toBe(0)
    })
  })
}
