import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { probeDatabases } from '../../../src/testing/test-databases.js'
import { loadInto, stageDataset } from '../../../src/testing/target-conformance.js'
import { upsertRecord, getRecord } from '../../../src/staging/records.js'
import { rollbackLoadRun } from '../../../src/engine/load.js'
import { buildPlan } from '../../../src/engine/plan-file.js'
import { RemoteUnavailableError } from '../../../src/core/errors.js'
import { freescoutHarness } from './harness.test-helpers.js'
import { verifyTarget } from '../../../src/engine/verify-target.js'
import { runImportChecks } from './sql-checks.js'

const probe = await probeDatabases()
const datasets = resolve(import.meta.dirname, '../../../fixtures/canonical')

for (const dialect of ['mysql', 'postgres'] as const) {
  const reason = dialect === 'mysql' ? probe.reasons.mysql : probe.reasons.postgres
  describe.skipIf(reason !== null)(`FreeScout apply end-to-end on ${dialect}${reason ? ` (skipped: ${reason})` : ''}`, () => {
    const cleanup: (() => Promise<void> | void)[] = []
    afterEach(async () => {
      for (const f of cleanup.splice(0).reverse()) await f()
    })
    const setup = async (dataset: string) => {
      const h = await freescoutHarness(dialect)
      const ds = await stageDataset(datasets, dataset)
      cleanup.push(() => ds.cleanup(), () => h.close())
      const db = await h.target.database()
      return { h, ds, db, storage: h.storageDir }
    }

    it('writes threads, notes and line items with every derived column FreeScout needs', async () => {
      const { h, ds, db, storage } = await setup('threads-and-notes')
      const res = await loadInto(h, ds, 'run-a')
      expect(res.rejectedTotal).toBe(0)
      expect(res.notices.map((n) => n.sourceId)).toEqual(['a1', 'a2'])
      expect(await runImportChecks(db, storage)).toEqual([])
      const [c] = await db.query<Record<string, unknown>>('SELECT * FROM conversations')
      expect(c).toMatchObject({ state: 2, status: 2, threads_count: 2, last_reply_from: 2, imported: 1, subject: 'Refund', customer_email: 'carla@example.test', has_attachments: 0 })
      expect(c!.last_reply_at).toBe('2024-01-10 09:30:00')
      const folder = await db.query<{ type: number }>('SELECT type FROM folders WHERE id = ?', [c!.folder_id])
      expect(folder[0]!.type).toBe(40)
      const bob = await db.query<{ id: number; status: number }>('SELECT id, status FROM users WHERE email = ?', ['bob@acme.test'])
      expect(bob[0]).toMatchObject({ status: 2 })
      expect(c!.user_id).toBe(bob[0]!.id)
      const threads = await db.query<Record<string, unknown>>('SELECT type, action_type, first, created_at, message_id, state FROM threads ORDER BY created_at, id')
      expect(threads.map((t) => [t.type, t.action_type, t.first])).toEqual([
        [1, null, 1],
        [3, null, 0],
        [4, 2, 0],
        [2, null, 0],
        [4, 1, 0],
        [3, null, 0],
      ])
      expect(threads.slice(0, 3).map((t) => t.created_at)).toEqual(['2024-01-10 09:00:00', '2024-01-10 09:00:01', '2024-01-10 09:00:02'])
      expect(threads[0]!.message_id).toBe('<refund-1@example.test>')
      expect(threads.every((t) => t.state === 2)).toBe(true)
      const note = await db.query<{ body: string; created_by_user_id: number | null }>('SELECT body, created_by_user_id FROM threads WHERE message_id LIKE ?', ['<deskmove.helpscout.ticket.%'])
      expect(note[0]!.body).toContain('https://secure.helpscout.net/ticket/t1')
      // The import note has an author (the stand-in's admin), so FreeScout does not render a blank header.
      const admin = await db.query<{ id: number }>('SELECT id FROM users WHERE role = 2 ORDER BY id')
      expect(note[0]!.created_by_user_id).toBe(admin[0]!.id)
      const counters = await db.query<{ active_count: number; total_count: number }>('SELECT active_count, total_count FROM folders WHERE id = ?', [c!.folder_id])
      expect(counters[0]).toEqual({ active_count: 0, total_count: 1 })
      // Once applied, a re-run does not announce again that disabled users are created.
      const again = await loadInto(h, ds, 'run-b')
      expect(again.counts.agent).toMatchObject({ create: 0, unchanged: 2 })
      expect(again.notices).toEqual([])
    })

    it('stores attachments as FreeScout files with sanitised names, real sizes and rewritten inline images', async () => {
      const { h, ds, db, storage } = await setup('attachments-edge')
      const res = await loadInto(h, ds, 'run-a')
      expect(res.rejects).toEqual([expect.objectContaining({ kind: 'attachment', sourceId: 'at6', reason: 'missing-blob' })])
      expect(await runImportChecks(db, storage)).toEqual([])
      const rows = await db.query<{ id: number; file_dir: string; file_name: string; size: number; embedded: number; type: number }>(
        'SELECT id, file_dir, file_name, size, embedded, type FROM attachments ORDER BY id',
      )
      expect(rows.map((r) => r.file_name)).toEqual(['_.._etc_passwd', 'empty_file.txt', 'a_b_c.php_', 'doc.pdf_', 'image.png', 'big.bin', 'hello.txt'])
      expect(rows.map((r) => r.size)).toEqual([12, 0, 13, 25, 7, 2000, 12])
      for (const r of rows) {
        expect(r.file_dir).toMatch(/^\d\/\d\/\d+\/$/)
        expect(readFileSync(join(storage, 'attachment', r.file_dir, r.file_name)).length).toBe(r.size)
      }
      const image = rows.find((r) => r.file_name === 'image.png')!
      expect(image).toMatchObject({ embedded: 1, type: 5 })
      const [thread] = await db.query<{ body: string; has_attachments: number }>('SELECT body, has_attachments FROM threads WHERE type = 1')
      const token = createHash('md5').update(`base64:dGVzdC1rZXk=${image.id}${image.size}`).digest('hex')
      expect(thread!.body).toContain(`https://help.example.test/storage/attachment/${image.file_dir}image.png?id=${image.id}&amp;token=${token}`)
      expect(thread!.body).not.toContain('cid:')
      expect(thread!.has_attachments).toBe(1)
    })

    it('keeps unicode and HTML intact, strips NUL and replaces invalid UTF-16 with a note', async () => {
      const { h, ds, db, storage } = await setup('unicode-and-html')
      const res = await loadInto(h, ds, 'run-a')
      expect(res.rejectedTotal).toBe(0)
      expect(await runImportChecks(db, storage)).toEqual([])
      const convs = await db.query<{ subject: string; preview: string }>('SELECT subject, preview FROM conversations ORDER BY id')
      expect(Array.from(convs[0]!.subject)).toHaveLength(300)
      expect(convs[1]!.subject).toBe('日本語の件名 – “quotes”')
      const bodies = await db.query<{ body: string }>('SELECT body FROM threads WHERE type IN (1, 2) ORDER BY id')
      expect(bodies[0]!.body).toBe('<p>Emoji 😀🎉 and NULbyte</p><script>alert(1)</script>')
      expect(bodies[1]!.body).toContain('Broken \uFFFD surrogate')
      const customer = await db.query<{ first_name: string }>('SELECT first_name FROM customers')
      expect(customer[0]!.first_name).toBe('Łukasz 😀')
      const notes = await db.query<{ body: string }>('SELECT body FROM threads WHERE message_id LIKE ? ORDER BY id', ['<deskmove.helpscout.ticket.%'])
      expect(notes[0]!.body).toContain('NUL bytes were removed')
      expect(notes[0]!.body).toContain('invalid Unicode was replaced')
    })

    it('updates a changed ticket in place and rolls a run back completely, files included', async () => {
      const { h, ds, db, storage } = await setup('attachments-edge')
      await loadInto(h, ds, 'run-a')
      const before = await h.count()
      const t1 = getRecord(ds.store.db, ds.source, 'ticket', 't1')!
      upsertRecord(ds.store.db, { ...t1.canonical, subject: 'Files (edited)' }, t1.raw, 'fixture', 'stage-2', '2024-02-01T00:00:00.000Z')
      const plan = await buildPlan({ store: ds.store, source: ds.source, target: h.target, config: h.config, now: () => new Date('2025-01-01T00:00:00Z'), signal: new AbortController().signal })
      expect(plan.records.filter((r) => r.action !== 'skip')).toEqual([expect.objectContaining({ kind: 'ticket', sourceId: 't1', action: 'update', changes: [{ field: 'subject', before: 'Files', after: 'Files (edited)' }] })])
      const second = await loadInto(h, ds, 'run-b')
      expect(second.counts.ticket).toMatchObject({ update: 1, create: 0 })
      expect(await h.count()).toEqual(before)
      expect((await db.query<{ subject: string }>('SELECT subject FROM conversations'))[0]!.subject).toBe('Files (edited)')
      expect(await runImportChecks(db, storage)).toEqual([])

      const preview = await rollbackLoadRun({ store: ds.store, target: h.target, runId: 'run-a', preview: true, signal: new AbortController().signal })
      expect(preview.counts).toMatchObject({ conversations: 1, customers: 1, emails: 1, attachments: 7 })
      expect(await h.count()).toEqual(before)
      await rollbackLoadRun({ store: ds.store, target: h.target, runId: 'run-a', preview: false, signal: new AbortController().signal })
      expect(await h.count()).toMatchObject({ conversations: 0, threads: 0, attachments: 0, customers: 0, emails: 0, files: 0 })
      expect(existsSync(join(storage, 'attachment'))).toBe(true)
      const folders = await db.query<{ n: number }>('SELECT COALESCE(SUM(total_count), 0) AS n FROM folders')
      expect(Number(folders[0]!.n)).toBe(0)
    })

    it('plans an agent matched by email to an existing FreeScout user as "match", not "create", and apply counts it the same', async () => {
      const { h, ds, db } = await setup('minimal')
      await db.execute("INSERT INTO users (first_name, last_name, email, password, role, status, created_at, updated_at) VALUES ('Ada', 'Agent', 'ada@acme.test', 'x', 1, 1, '2024-01-01 00:00:00', '2024-01-01 00:00:00')")
      const plan = await buildPlan({ store: ds.store, source: ds.source, target: h.target, config: h.config, now: () => new Date('2025-01-01T00:00:00Z'), signal: new AbortController().signal })
      expect(plan.counts.agent).toMatchObject({ create: 0, match: 1 })
      const res = await loadInto(h, ds, 'run-a')
      expect(res.counts.agent).toMatchObject({ create: 0, match: 1 })
    })

    it('rollback keeps customers that conversations of later runs still use', async () => {
      const { h, ds, db } = await setup('minimal')
      await loadInto(h, ds, 'run-a')
      expect(await db.query('SELECT name, counter FROM tags')).toEqual([{ name: 'hardware', counter: 1 }])
      const t2 = getRecord(ds.store.db, ds.source, 'ticket', 't2')!
      upsertRecord(ds.store.db, { ...t2.canonical, sourceId: 't3', customerRef: { kind: 'customer', sourceId: 'c1' }, createdByRef: { kind: 'customer', sourceId: 'c1' } }, null, 'fixture', 'stage-2', '2024-02-01T00:00:00.000Z')
      const b = await loadInto(h, ds, 'run-b')
      expect(b.counts.ticket).toMatchObject({ create: 1, unchanged: 2 })
      const res = await rollbackLoadRun({ store: ds.store, target: h.target, runId: 'run-a', preview: false, signal: new AbortController().signal })
      expect(res.counts).toMatchObject({ conversations: 2, customers: 1, customersKept: 1, users: 1 })
      expect((await db.query<{ email: string }>('SELECT email FROM emails')).map((e) => e.email)).toEqual(['carla@example.test'])
      expect(Number((await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM conversations'))[0]!.n)).toBe(1)
      expect(await db.query('SELECT name, counter FROM tags')).toEqual([])
      const again = await loadInto(h, ds, 'run-c')
      expect(again.rejectedTotal).toBe(0)
      expect(again.counts.customer).toMatchObject({ create: 1, unchanged: 1 })
      expect(again.counts.ticket).toMatchObject({ create: 2, unchanged: 1 })
      expect(await runImportChecks(db, h.storageDir)).toEqual([])
    })

    it('rejects only the conversation the database refuses; the rest of its batch commits, and a retry writes it', async () => {
      const { h, ds, db } = await setup('minimal')
      const real = db.transaction.bind(db)
      const spy = vi.spyOn(db, 'transaction').mockImplementation((fn) =>
        real((tx) => {
          const execute = tx.execute.bind(tx)
          tx.execute = async (sql, params) => {
            if (params?.includes('Printer on fire')) throw new Error("Data too long for column 'subject'")
            return execute(sql, params)
          }
          return fn(tx)
        }),
      )
      const res = await loadInto(h, ds, 'run-a')
      expect(res.counts.ticket).toMatchObject({ create: 1, rejected: 1 })
      expect(res.rejects).toEqual([expect.objectContaining({ kind: 'ticket', sourceId: 't1', reason: 'db-error' })])
      expect((await db.query<{ subject: string }>('SELECT subject FROM conversations')).map((c) => c.subject)).toEqual(['Login help'])
      expect(await runImportChecks(db, h.storageDir)).toEqual([])
      spy.mockRestore()
      // verify names the rejection and its reason, not an apply "in flight".
      const combined = join(h.storageDir, 'combined.txt')
      const v = await verifyTarget({ store: ds.store, source: ds.source, target: h.target, config: h.config, combinedPath: combined, signal: new AbortController().signal })
      expect(v).toMatchObject({ matching: 1, missing: 1 })
      expect(readFileSync(combined, 'utf8')).toMatch(/^\+ t1 .*rejected at apply \(db-error\): FreeScout refused ticket t1: Data too long/m)
      const retry = await loadInto(h, ds, 'run-b', { retryRejects: true })
      expect(retry.counts.ticket).toMatchObject({ create: 1, rejected: 0 })
      expect(Number((await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM conversations'))[0]!.n)).toBe(2)
    })

    it('never duplicates a conversation when the same source is applied again from a fresh staging file', async () => {
      const { h, ds, db } = await setup('minimal')
      await loadInto(h, ds, 'run-a')
      const before = await h.count()
      const again = await stageDataset(datasets, 'minimal')
      cleanup.push(() => again.cleanup())
      const res = await loadInto(h, again, 'run-b')
      expect(res.counts.ticket.create).toBe(0)
      expect(res.rejects.map((r) => r.reason)).toContain('duplicate-email')
      expect(await h.count()).toEqual(before)
      expect(await runImportChecks(db, h.storageDir)).toEqual([])
    })

    it('stops with RemoteUnavailableError when the connection is lost, and a re-run completes without duplicates', async () => {
      const { h, ds, db } = await setup('minimal')
      // Customers each take one transaction; the first conversation's transaction finds the connection gone.
      const real = db.transaction.bind(db)
      let calls = 0
      const spy = vi.spyOn(db, 'transaction').mockImplementation(async (fn) => {
        if (++calls > 2) throw Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })
        return real(fn)
      })
      await expect(loadInto(h, ds, 'run-a')).rejects.toBeInstanceOf(RemoteUnavailableError)
      spy.mockRestore()
      const res = await loadInto(h, ds, 'run-b')
      expect(res.counts.ticket.create).toBe(2)
      expect(res.counts.customer.unchanged).toBe(2)
      expect((await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM conversations'))[0]!.n).toBe(2)
    })
  })
}

