import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createScratchDatabase, probeDatabases, type ScratchDatabase } from '../../../src/testing/test-databases.js'
import { expectedFolderType, recomputeFolderCounters } from './counters.js'
import { connectFreescoutDb, type FsDb } from './db.js'
import { runImportChecks } from './sql-checks.js'
import { createFreescoutStandIn, type StandInResult } from './standin/create-stand-in.js'
import { insertSampleConversation, insertSampleCustomer } from './standin/sample-data.js'

const probe = await probeDatabases()

describe('expectedFolderType', () => {
  it.each([
    [{ state: 1, status: 3, userId: 5 }, 30],
    [{ state: 3, status: 4, userId: 5 }, 70],
    [{ state: 2, status: 4, userId: 5 }, 80],
    [{ state: 2, status: 3, userId: 5 }, 60],
    [{ state: 2, status: 2, userId: 5 }, 40],
    [{ state: 2, status: 1, userId: null }, 1],
  ])('%o belongs in folder type %i', (c, type) => {
    expect(expectedFolderType(c)).toBe(type)
  })
})

for (const dialect of ['mysql', 'postgres'] as const) {
  const reason = probe.reasons[dialect]
  describe.skipIf(!probe[dialect])(`recomputeFolderCounters on ${dialect}${reason ? ` (skipped: ${reason})` : ''}`, () => {
    let scratch: ScratchDatabase
    let storage: string
    let db: FsDb
    let standIn: StandInResult
    let agentId: number
    let a: number
    let b: number

    /** `{ type or type@user: [active, total] }` for one mailbox. */
    async function counters(mailboxId: number): Promise<Record<string, [number, number]>> {
      const rows = await db.query<{ type: number; user_id: number | null; active_count: number; total_count: number }>(
        'SELECT type, user_id, active_count, total_count FROM folders WHERE mailbox_id = ? ORDER BY id',
        [mailboxId],
      )
      const who = (u: number | null): string => (u === null ? '' : u === standIn.admin.id ? '@admin' : '@agent')
      return Object.fromEntries(rows.map((r) => [`${r.type}${who(r.user_id)}`, [r.active_count, r.total_count]]))
    }

    beforeAll(async () => {
      scratch = await createScratchDatabase(dialect, 'counters')
      storage = await mkdtemp(join(tmpdir(), 'deskmove-counters-'))
      standIn = await createFreescoutStandIn({ dbUrl: scratch.url, storageDir: storage })
      db = await connectFreescoutDb(scratch.url)
      ;[a, b] = standIn.mailboxes.map((m) => m.id) as [number, number]
      const [agent] = await db.query<{ id: number }>('SELECT id FROM users WHERE role = 1')
      agentId = agent?.id as number
      const cust = await insertSampleCustomer(db, 'Jane@Example.test')
      const one = [{ type: 1 as const, createdAt: '2024-05-01 10:00:00' }]
      const add = (mailboxId: number, status: 1 | 2 | 3 | 4, userId: number | null, state: 1 | 2 | 3 = 2): Promise<{ id: number }> =>
        insertSampleConversation(db, storage, { mailboxId, customerId: cust, status, userId, state, threads: one })
      await add(a, 3, null) // closed
      await add(a, 4, null) // spam
      const assigned = await add(a, 1, agentId) // assigned to the agent, active
      await add(a, 1, null) // unassigned, active
      await add(a, 1, null, 3) // deleted
      await add(a, 2, null) // pending, unassigned
      await add(a, 2, standIn.admin.id) // assigned to the admin, pending
      const draft = await add(a, 1, null, 1) // draft: lives in Drafts through conversation_folder
      await add(b, 1, null) // another mailbox: must not be touched when only `a` is recomputed
      const folderId = async (type: number, userId: number | null): Promise<number> => {
        const rows = await db.query<{ id: number }>(
          `SELECT id FROM folders WHERE mailbox_id = ? AND type = ? AND ${userId === null ? 'user_id IS NULL' : 'user_id = ?'}`,
          userId === null ? [a, type] : [a, type, userId],
        )
        return rows[0]?.id as number
      }
      await db.execute('INSERT INTO conversation_folder (folder_id, conversation_id) VALUES (?, ?)', [await folderId(25, standIn.admin.id), assigned.id])
      await db.execute('INSERT INTO conversation_folder (folder_id, conversation_id) VALUES (?, ?)', [await folderId(30, null), draft.id])
    })
    afterAll(async () => {
      await db?.close()
      await scratch?.drop()
      if (storage) await rm(storage, { recursive: true, force: true })
    })

    it('starts with every counter at zero, as raw inserts leave them', async () => {
      expect(Object.values(await counters(a)).every(([x, y]) => x === 0 && y === 0)).toBe(true)
    })

    it('is undone with the transaction it runs in', async () => {
      await db
        .transaction(async (tx) => {
          await recomputeFolderCounters(tx, [a])
          const [row] = await tx.query<{ n: number }>('SELECT SUM(total_count) AS n FROM folders WHERE mailbox_id = ?', [a])
          expect(row?.n).toBeGreaterThan(0)
          throw new Error('undo')
        })
        .catch((e: Error) => expect(e.message).toBe('undo'))
      expect(Object.values(await counters(a)).every(([x, y]) => x === 0 && y === 0)).toBe(true)
    })

    it('applies the update-folder-counters rules to each folder of the mailbox', async () => {
      await recomputeFolderCounters(db, [a])
      expect(await counters(a)).toEqual({
        '1': [1, 2], // unassigned: active + pending published; the deleted one is elsewhere
        '30': [1, 1], // drafts: conversation_folder rows
        '40': [1, 2], // assigned: agent's active + admin's pending
        '60': [0, 1], // closed: published but never active
        '70': [1, 1], // deleted: counted by state
        '80': [0, 1], // spam
        '20@admin': [0, 1], // mine: admin's pending one
        '25@admin': [1, 1], // starred: one conversation_folder row
        '20@agent': [1, 1],
        '25@agent': [0, 0],
      })
    })

    it('leaves other mailboxes alone, and agrees with the independent counter check', async () => {
      expect((await counters(b))['1']).toEqual([0, 0])
      const before = (await runImportChecks(db, storage)).filter((x) => x.check === 'folder-counters')
      expect(before.map((x) => x.detail)).toEqual([expect.stringMatching(/mailbox \d+, type 1\) has active\/total 0\/0, expected 1\/1/)])
      await recomputeFolderCounters(db, [a, b])
      expect((await counters(b))['1']).toEqual([1, 1])
      expect((await runImportChecks(db, storage)).filter((x) => x.check === 'folder-counters')).toEqual([])
    })

    it('does nothing for an empty mailbox list', async () => {
      await expect(recomputeFolderCounters(db, [])).resolves.toBeUndefined()
    })
  })
}
