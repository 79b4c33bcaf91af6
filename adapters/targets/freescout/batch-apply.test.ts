// The batched FreeScout apply: multi-row writes and their one-row-at-a-time fallback.
import { afterEach, describe, expect, it } from 'vitest'
import { resolve } from 'node:path'
import { probeDatabases } from '../../../src/testing/test-databases.js'
import { loadInto, stageDataset } from '../../../src/testing/target-conformance.js'
import { upsertRecord } from '../../../src/staging/records.js'
import { makeMessage, makeTicket } from '../../../src/testing/canonical-factories.js'
import { freescoutHarness } from './harness.test-helpers.js'
import { runImportChecks } from './sql-checks.js'
import { createFreescoutTarget } from './index.js'
import type { FsDb } from './db.js'
import { idStrategy } from './lookups.js'

const probe = await probeDatabases()
const datasets = resolve(import.meta.dirname, '../../../fixtures/canonical')

for (const dialect of ['mysql', 'postgres'] as const) {
  describe.skipIf(!probe[dialect])(`batched apply on ${dialect}${probe[dialect] ? '' : ` (skipped: ${probe.reasons[dialect]})`}`, () => {
    const cleanup: (() => Promise<void> | void)[] = []
    afterEach(async () => {
      for (const f of cleanup.splice(0).reverse()) await f()
    })

    it('gives a Message-ID shared by two conversations of one batch to the first, and the second its own id', async () => {
      const h = await freescoutHarness(dialect)
      const ds = await stageDataset(datasets, 'minimal')
      cleanup.push(() => ds.cleanup(), () => h.close())
      const now = '2024-01-01T00:00:00.000Z'
      const customer = { kind: 'customer' as const, sourceId: 'c1' }
      for (const id of ['x1', 'x2']) {
        upsertRecord(ds.store.db, makeTicket(id, { customerRef: customer, createdByRef: customer, groupRef: { kind: 'group', sourceId: 'g1' } }), null, 's', 'r', now)
        upsertRecord(ds.store.db, makeMessage(`${id}-m`, id, 0, { messageId: '<Shared@Example.test>', author: { role: 'customer', ref: customer, name: null, email: null } }), null, 's', 'r', now)
      }
      const res = await loadInto(h, ds, 'run-a')
      expect(res.rejectedTotal).toBe(0)
      const db = await h.target.database()
      const rows = await db.query<{ message_id: string; meta: string }>("SELECT message_id, meta FROM threads WHERE meta LIKE '%x1-m%' OR meta LIKE '%x2-m%' ORDER BY id")
      expect(rows.map((r) => r.message_id)).toEqual(['<Shared@Example.test>', expect.stringMatching(/^<deskmove\.helpscout\.\d+\.x2-m\.dup@Example\.test>$/)])
      expect(JSON.parse(rows[1]!.meta).deskmove.original_message_id).toBe('<Shared@Example.test>')
      expect(await runImportChecks(db, h.storageDir)).toEqual([])
    })

    it('writes the same rows one at a time when the server gives no consecutive ids', async () => {
      const h = await freescoutHarness(dialect)
      const ds = await stageDataset(datasets, 'attachments-edge')
      cleanup.push(() => ds.cleanup(), () => h.close())
      const real = await h.target.database()
      // A handle that reports innodb_autoinc_lock_mode 2 (interleaved): multi-row ids are not predictable.
      const lying: FsDb = Object.assign(Object.create(real) as FsDb, {
        query: async (sql: string, params?: readonly unknown[]) => (/innodb_autoinc_lock_mode/.test(sql) ? [{ mode: 2, step: 1 }] : real.query(sql, params)),
      })
      expect((await idStrategy(lying)).kind).toBe(dialect === 'mysql' ? 'one-by-one' : 'reserve')
      expect((await idStrategy(real)).kind).toBe(dialect === 'mysql' ? 'consecutive' : 'reserve')
      const target = createFreescoutTarget({ dbUrl: h.dbUrl, storageDir: h.storageDir, appUrl: 'https://help.example.test', appKey: 'base64:dGVzdC1rZXk=' }, undefined, { db: lying })
      const res = await loadInto({ ...h, target }, ds, 'run-a')
      expect(res.rejects.map((r) => r.reason)).toEqual(['missing-blob'])
      expect(await runImportChecks(real, h.storageDir)).toEqual([])
      expect((await h.count()).attachments).toBe(7)
    })
  })
}
