import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createScratchDatabase, probeDatabases, type ScratchDatabase } from '../../../../src/testing/test-databases.js'
import { connectFreescoutDb, type FsDb } from '../db.js'
import { bcryptShapedHash, createFreescoutStandIn, type StandInResult } from './create-stand-in.js'

const probe = await probeDatabases()

describe('bcryptShapedHash', () => {
  it('has bcrypt $2y$10$ shape and differs every time', () => {
    const a = bcryptShapedHash()
    expect(a).toMatch(/^\$2y\$10\$[./A-Za-z0-9]{53}$/)
    expect(bcryptShapedHash()).not.toBe(a)
  })
})

for (const dialect of ['mysql', 'postgres'] as const) {
  const reason = probe.reasons[dialect]
  describe.skipIf(!probe[dialect])(`stand-in on ${dialect}${reason ? ` (skipped: ${reason})` : ''}`, () => {
    let scratch: ScratchDatabase
    let storage: string
    let result: StandInResult
    let db: FsDb

    beforeAll(async () => {
      scratch = await createScratchDatabase(dialect, 'standin')
      storage = await mkdtemp(join(tmpdir(), 'deskmove-standin-'))
      result = await createFreescoutStandIn({ dbUrl: scratch.url, storageDir: join(storage, 'app'), mailboxes: 3 })
      db = await connectFreescoutDb(scratch.url)
    })
    afterAll(async () => {
      await db?.close()
      await scratch?.drop()
      if (storage) await rm(storage, { recursive: true, force: true })
    })

    it('creates every core and module table', async () => {
      const schema = dialect === 'mysql' ? 'DATABASE()' : 'current_schema()'
      const rows = await db.query<{ name: string }>(
        `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ${schema} ORDER BY table_name`,
      )
      expect(rows.map((r) => r.name).sort()).toEqual(
        [
          'attachments', 'conversation_custom_field', 'conversation_folder', 'conversation_tag', 'conversations',
          'custom_fields', 'customer_channel', 'customers', 'emails', 'folders', 'followers', 'mailbox_user', 'mailboxes',
          'options', 'tags', 'threads', 'users',
        ].sort(),
      )
    })

    it('reports env, the admin and the mailboxes, and creates storage/app/attachment', async () => {
      expect(result.env.FREESCOUT_DB_URL).toBe(scratch.url)
      expect(result.env.FREESCOUT_STORAGE_DIR).toBe(join(storage, 'app'))
      expect((await stat(join(storage, 'app', 'attachment'))).isDirectory()).toBe(true)
      expect(result.mailboxes).toHaveLength(3)
      const admin = await db.query<{ role: number; status: number; password: string }>(
        'SELECT role, status, password FROM users WHERE id = ?',
        [result.admin.id],
      )
      expect(admin[0]).toMatchObject({ role: 2, status: 1 })
      expect(admin[0]?.password).toMatch(/^\$2y\$10\$.{53}$/)
      const boxes = await db.query<{ id: number; in_server: string | null }>('SELECT id, in_server FROM mailboxes ORDER BY id')
      expect(boxes.map((b) => b.id)).toEqual(result.mailboxes.map((m) => m.id))
      expect(boxes.every((b) => b.in_server === null)).toBe(true)
    })

    it('gives the non-admin agent mailbox_user rows in every mailbox', async () => {
      const rows = await db.query<{ mailbox_id: number; role: number }>(
        'SELECT mu.mailbox_id, u.role FROM mailbox_user mu JOIN users u ON u.id = mu.user_id ORDER BY mu.mailbox_id',
      )
      expect(rows.map((r) => r.mailbox_id)).toEqual(result.mailboxes.map((m) => m.id))
      expect(rows.every((r) => r.role === 1)).toBe(true)
    })

    it('creates 6 public folders and Mine+Starred for admin and agent in each mailbox', async () => {
      for (const m of result.mailboxes) {
        const rows = await db.query<{ type: number; user_id: number | null }>(
          'SELECT type, user_id FROM folders WHERE mailbox_id = ? ORDER BY type, user_id',
          [m.id],
        )
        expect(rows.filter((r) => r.user_id === null).map((r) => r.type)).toEqual([1, 30, 40, 60, 70, 80])
        const personal = rows.filter((r) => r.user_id !== null)
        expect(personal.filter((r) => r.user_id === result.admin.id).map((r) => r.type)).toEqual([20, 25])
        expect(personal).toHaveLength(4)
      }
    })

    it('keeps the state default 1 (draft) trap on conversations and threads', async () => {
      await db.transaction(async (tx) => {
        const c = await tx.execute(
          'INSERT INTO conversations (number, type, folder_id, preview, mailbox_id, source_via, source_type) VALUES (1, 1, 1, ?, ?, 1, 1)',
          ['', result.mailboxes[0]?.id],
        )
        await tx.execute('INSERT INTO threads (conversation_id, type, source_via, source_type) VALUES (?, 1, 1, 1)', [c.insertId])
        const [conv] = await tx.query<{ state: number; status: number; threads_count: number; has_attachments: number }>(
          'SELECT state, status, threads_count, has_attachments FROM conversations WHERE id = ?',
          [c.insertId],
        )
        expect(conv).toEqual({ state: 1, status: 1, threads_count: 0, has_attachments: 0 })
        const [thread] = await tx.query<{ state: number }>('SELECT state FROM threads WHERE conversation_id = ?', [c.insertId])
        expect(thread?.state).toBe(1)
        throw new Error('roll back')
      }).catch((e: Error) => expect(e.message).toBe('roll back'))
    })

    it('rejects a NOT NULL column without default (conversations.preview)', async () => {
      await expect(
        db.execute('INSERT INTO conversations (number, type, folder_id, mailbox_id, source_via, source_type) VALUES (1, 1, 1, 1, 1, 1)'),
      ).rejects.toThrow()
    })

    it('rejects a duplicate email through the unique index', async () => {
      await db.execute('INSERT INTO emails (customer_id, email) VALUES (?, ?)', [1, 'dup@example.test'])
      await expect(db.execute('INSERT INTO emails (customer_id, email) VALUES (?, ?)', [2, 'dup@example.test'])).rejects.toThrow(
        /duplicate|unique/i,
      )
    })

    it('rejects message_ids sharing their first 191 characters', async () => {
      const long = `<${'x'.repeat(200)}`
      await db.execute('INSERT INTO threads (conversation_id, type, source_via, source_type, message_id) VALUES (1, 1, 1, 1, ?)', [`${long}a>`])
      await expect(
        db.execute('INSERT INTO threads (conversation_id, type, source_via, source_type, message_id) VALUES (1, 1, 1, 1, ?)', [`${long}b>`]),
      ).rejects.toThrow(/duplicate|unique/i)
    })

    it('refuses to build into a database that already has tables', async () => {
      await expect(createFreescoutStandIn({ dbUrl: scratch.url, storageDir: storage })).rejects.toThrow(/already has 17 table/)
    })
  })
}
