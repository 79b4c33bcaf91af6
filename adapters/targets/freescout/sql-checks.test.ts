import { mkdtemp, rename, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createScratchDatabase, probeDatabases, type ScratchDatabase } from '../../../src/testing/test-databases.js'
import { recomputeFolderCounters } from './counters.js'
import { connectFreescoutDb, type FsDb } from './db.js'
import { runImportChecks, type ImportCheckName, type ImportCheckViolation } from './sql-checks.js'
import { createFreescoutStandIn } from './standin/create-stand-in.js'
import { attachmentFileDir, insertSampleConversation, insertSampleCustomer } from './standin/sample-data.js'

const probe = await probeDatabases()

describe('attachmentFileDir', () => {
  it('gives FreeScout\'s verified directory for attachment 1', () => {
    expect(attachmentFileDir(1)).toBe('4/4/1/')
  })
})

const ROLLBACK = new Error('rollback')

for (const dialect of ['mysql', 'postgres'] as const) {
  const reason = probe.reasons[dialect]
  describe.skipIf(!probe[dialect])(`runImportChecks on ${dialect}${reason ? ` (skipped: ${reason})` : ''}`, () => {
    let scratch: ScratchDatabase
    let storage: string
    let db: FsDb
    let mailboxA: number
    let mailboxB: number
    let customer: number
    let closed: { id: number; threadIds: number[]; attachmentIds: number[] }
    let assigned: { id: number; threadIds: number[] }
    let pending: { id: number; threadIds: number[] }

    /** Applies `change` in a transaction, runs the checks inside it, rolls back, returns what they found. */
    async function checksAfter(change: (tx: FsDb) => Promise<unknown>, conversationIds?: number[]): Promise<ImportCheckViolation[]> {
      let found: ImportCheckViolation[] = []
      await db
        .transaction(async (tx) => {
          await change(tx)
          found = await runImportChecks(tx, storage, conversationIds ? { conversationIds } : {})
          throw ROLLBACK
        })
        .catch((e: unknown) => {
          if (e !== ROLLBACK) throw e
        })
      return found
    }
    const of = (found: ImportCheckViolation[], check: ImportCheckName): ImportCheckViolation[] => found.filter((x) => x.check === check)

    beforeAll(async () => {
      scratch = await createScratchDatabase(dialect, 'checks')
      storage = await mkdtemp(join(tmpdir(), 'deskmove-checks-'))
      const standIn = await createFreescoutStandIn({ dbUrl: scratch.url, storageDir: storage })
      ;[mailboxA, mailboxB] = standIn.mailboxes.map((m) => m.id) as [number, number]
      db = await connectFreescoutDb(scratch.url)
      const [agent] = await db.query<{ id: number }>('SELECT id FROM users WHERE role = 1')
      customer = await insertSampleCustomer(db, 'alice@example.test')
      closed = await insertSampleConversation(db, storage, {
        mailboxId: mailboxA, customerId: customer, status: 3,
        threads: [
          { type: 1, createdAt: '2024-05-01 10:00:00', messageId: '<m1@example.test>', attachments: [{ fileName: 'invoice.txt', content: 'total: 42 €' }] },
          { type: 2, createdAt: '2024-05-01 11:00:00' },
          { type: 3, createdAt: '2024-05-01 12:00:00', attachments: [{ fileName: 'inline.png', content: 'png', embedded: true }] },
        ],
      })
      assigned = await insertSampleConversation(db, storage, {
        mailboxId: mailboxA, customerId: customer, status: 1, userId: agent?.id as number,
        threads: [{ type: 1, createdAt: '2024-05-02 09:00:00' }, { type: 2, createdAt: '2024-05-02 09:30:00' }],
      })
      pending = await insertSampleConversation(db, storage, {
        mailboxId: mailboxB, customerId: customer, status: 2,
        threads: [{ type: 1, createdAt: '2024-05-03 08:00:00', messageId: '<m2@example.test>' }],
      })
      await recomputeFolderCounters(db, [mailboxA, mailboxB])
    })
    afterAll(async () => {
      await db?.close()
      await scratch?.drop()
      if (storage) await rm(storage, { recursive: true, force: true })
    })

    it('finds nothing wrong with a consistent import', async () => {
      expect(await runImportChecks(db, storage)).toEqual([])
      expect(await runImportChecks(db, storage, { conversationIds: [closed.id, pending.id] })).toEqual([])
    })

    it('visibility: a conversation left at state 1 (draft)', async () => {
      const found = await checksAfter((tx) => tx.execute('UPDATE conversations SET state = 1 WHERE id = ?', [pending.id]))
      expect(of(found, 'visibility')).toEqual([{ check: 'visibility', conversationId: pending.id, detail: expect.stringMatching(/state is 1 \(draft\)/) }])
    })

    it('folder: a closed conversation left in Unassigned, and one pointing at another mailbox\'s folder', async () => {
      const found = await checksAfter(async (tx) => {
        await tx.execute('UPDATE conversations SET folder_id = (SELECT id FROM folders WHERE mailbox_id = ? AND type = 1) WHERE id = ?', [mailboxA, closed.id])
        await tx.execute('UPDATE conversations SET folder_id = (SELECT id FROM folders WHERE mailbox_id = ? AND type = 40) WHERE id = ?', [mailboxB, assigned.id])
      })
      expect(of(found, 'folder')).toEqual([
        { check: 'folder', conversationId: closed.id, detail: expect.stringMatching(/has type 1, .* needs type 60/) },
        { check: 'folder', conversationId: assigned.id, detail: expect.stringMatching(/belongs to mailbox/) },
      ])
    })

    it('threads-count: a stale count', async () => {
      const found = await checksAfter((tx) => tx.execute('UPDATE conversations SET threads_count = 5 WHERE id = ?', [assigned.id]))
      expect(of(found, 'threads-count')).toEqual([{ check: 'threads-count', conversationId: assigned.id, detail: expect.stringMatching(/is 5, but 2/) }])
    })

    it('last-reply: wrong last_reply_at and last_reply_from', async () => {
      const found = await checksAfter((tx) =>
        tx.execute('UPDATE conversations SET last_reply_at = ?, last_reply_from = 1 WHERE id = ?', [new Date('2020-01-01T00:00:00Z'), assigned.id]),
      )
      expect(of(found, 'last-reply').map((x) => [x.conversationId, x.detail])).toEqual([
        [assigned.id, expect.stringMatching(/last_reply_at is 2020-01-01 00:00:00, latest reply .* at 2024-05-02 09:30:00/)],
        [assigned.id, expect.stringMatching(/last_reply_from is 1, .*source_via 2/)],
      ])
    })

    it('thread-has-attachments: flag cleared on a thread that has a file', async () => {
      const found = await checksAfter((tx) => tx.execute('UPDATE threads SET has_attachments = ? WHERE id = ?', [0, closed.threadIds[0]]))
      expect(of(found, 'thread-has-attachments')).toEqual([
        { check: 'thread-has-attachments', conversationId: closed.id, detail: expect.stringMatching(/has_attachments=0 but 1 non-embedded/) },
      ])
    })

    it('thread-has-attachments: an embedded image alone does not set the flag', async () => {
      const found = await checksAfter((tx) => tx.execute('UPDATE threads SET has_attachments = ? WHERE id = ?', [1, closed.threadIds[2]]))
      expect(of(found, 'thread-has-attachments').map((x) => x.detail)).toEqual([expect.stringMatching(/has_attachments=1 but 0/)])
    })

    it('conversation-has-attachments: flag cleared on the conversation', async () => {
      const found = await checksAfter((tx) => tx.execute('UPDATE conversations SET has_attachments = ? WHERE id = ?', [0, closed.id]))
      expect(of(found, 'conversation-has-attachments')).toEqual([
        { check: 'conversation-has-attachments', conversationId: closed.id, detail: expect.stringMatching(/has_attachments=0 but 1/) },
      ])
    })

    it('attachment-file-dir: a two-segment file_dir', async () => {
      const found = await checksAfter((tx) => tx.execute('UPDATE attachments SET file_dir = ? WHERE id = ?', ['4/4/', closed.attachmentIds[0]]))
      expect(of(found, 'attachment-file-dir')).toEqual([
        { check: 'attachment-file-dir', conversationId: closed.id, detail: expect.stringMatching(/"4\/4\/", not three segments/) },
      ])
    })

    it('attachment-file: size column differs from the bytes on disk (multi-byte content)', async () => {
      const found = await checksAfter((tx) => tx.execute('UPDATE attachments SET size = 11 WHERE id = ?', [closed.attachmentIds[0]]))
      expect(of(found, 'attachment-file').map((x) => x.detail)).toEqual([expect.stringMatching(/file has 13 bytes, size column says 11/)])
    })

    it('attachment-file: the file is missing', async () => {
      const dir = join(storage, 'attachment', attachmentFileDir(closed.attachmentIds[0] as number))
      await rename(join(dir, 'invoice.txt'), join(dir, 'moved.txt'))
      try {
        const found = await runImportChecks(db, storage)
        expect(found).toEqual([{ check: 'attachment-file', conversationId: closed.id, detail: expect.stringMatching(/no file at attachment\/.*invoice\.txt/) }])
      } finally {
        await rename(join(dir, 'moved.txt'), join(dir, 'invoice.txt'))
      }
    })

    it('thread-order: two threads of a conversation share created_at', async () => {
      const found = await checksAfter((tx) => tx.execute('UPDATE threads SET created_at = ? WHERE id = ?', ['2024-05-02 09:00:00', assigned.threadIds[1]]))
      expect(of(found, 'thread-order')).toEqual([{ check: 'thread-order', conversationId: assigned.id, detail: expect.stringMatching(/2 threads share created_at 2024-05-02 09:00:00/) }])
    })

    it('email-lowercase: a mixed-case address (even under MySQL\'s case-insensitive collation)', async () => {
      const found = await checksAfter((tx) => tx.execute('UPDATE emails SET email = ? WHERE customer_id = ?', ['Alice@Example.test', customer]))
      expect(of(found, 'email-lowercase')).toEqual([{ check: 'email-lowercase', detail: expect.stringMatching(/not lowercase: Alice@Example\.test/) }])
    })

    it('customer-email: the conversation customer has no emails row', async () => {
      const found = await checksAfter((tx) => tx.execute('DELETE FROM emails WHERE customer_id = ?', [customer]))
      expect(of(found, 'customer-email').map((x) => x.conversationId)).toEqual([closed.id, assigned.id, pending.id])
    })

    it('folder-counters: a counter that does not match the conversations', async () => {
      const found = await checksAfter((tx) => tx.execute('UPDATE folders SET active_count = 9 WHERE mailbox_id = ? AND type = 1', [mailboxB]))
      expect(of(found, 'folder-counters')).toEqual([{ check: 'folder-counters', detail: expect.stringMatching(/type 1\) has active\/total 9\/1, expected 0\/1/) }])
    })

    it('scopes every check to the given conversations (and their mailboxes), in chunks', async () => {
      const breakB = async (tx: FsDb): Promise<void> => {
        await tx.execute('UPDATE conversations SET threads_count = 7 WHERE id = ?', [pending.id])
        await tx.execute('UPDATE folders SET total_count = 9 WHERE mailbox_id = ? AND type = 1', [mailboxB])
      }
      expect(await checksAfter(breakB, [closed.id, assigned.id])).toEqual([])
      const many = [...Array.from({ length: 1200 }, (_, i) => 100_000 + i), pending.id]
      expect((await checksAfter(breakB, many)).map((x) => x.check)).toEqual(['threads-count', 'folder-counters'])
    })

    // Last: MySQL cannot roll back DDL, so the index stays dropped for the rest of this database's life.
    it('message-id-unique: a duplicate Message-ID once the unique index is gone', async () => {
      await db.execute(dialect === 'mysql' ? 'DROP INDEX threads_message_id_index ON threads' : 'DROP INDEX threads_message_id_index')
      const found = await checksAfter((tx) =>
        tx.execute('INSERT INTO threads (conversation_id, type, state, source_via, source_type, message_id, created_at) VALUES (?, 3, 2, 2, 1, ?, ?)', [
          pending.id, '<m1@example.test>', '2024-05-03 09:00:00',
        ]),
      )
      expect(of(found, 'message-id-unique')).toEqual([{ check: 'message-id-unique', conversationId: closed.id, detail: expect.stringMatching(/<m1@example\.test> is shared by 2 threads/) }])
      expect(found.map((x) => x.check)).toEqual(['message-id-unique'])
    })
  })
}
