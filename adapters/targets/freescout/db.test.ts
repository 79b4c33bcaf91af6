import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createScratchDatabase, probeDatabases, type ScratchDatabase } from '../../../src/testing/test-databases.js'
import { connectFreescoutDb, redactDbUrl, rewritePlaceholders, toSqlDateTime, type FsDb } from './db.js'
import { createFreescoutStandIn } from './standin/create-stand-in.js'

const probe = await probeDatabases()

describe('redactDbUrl', () => {
  it('hides the password and keeps everything else', () => {
    expect(redactDbUrl('mysql://fs:s3cret@db.example:3306/freescout')).toBe('mysql://fs:***@db.example:3306/freescout')
    expect(redactDbUrl('postgres://u:p%40ss@h/db?sslmode=require')).toBe('postgres://u:***@h/db?sslmode=require')
  })
  it('masks password query parameters and unparseable URLs', () => {
    expect(redactDbUrl('mysql://h/db?user=a&password=hunter22')).toBe('mysql://h/db?user=a&password=***')
    expect(redactDbUrl('mysql://u:pa ss@h:bad/db')).not.toContain('pa ss')
  })
  it('leaves URLs without a password unchanged', () => {
    expect(redactDbUrl('mysql://root@127.0.0.1:3306/x')).toBe('mysql://root@127.0.0.1:3306/x')
    expect(redactDbUrl('mysql://h:3306/db?notify=a@b.test')).toBe('mysql://h:3306/db?notify=a@b.test')
  })
})

describe('rewritePlaceholders', () => {
  const pg = (sql: string): string => rewritePlaceholders(sql, 'postgres', (i) => `$${i + 1}`)
  it('numbers placeholders and skips quoted text and comments', () => {
    expect(pg(`SELECT ? , '?', "a?b", x -- ?\n WHERE y = ?`)).toBe(`SELECT $1 , '?', "a?b", x -- ?\n WHERE y = $2`)
  })
  it('treats backslash as an escape inside MySQL strings only', () => {
    const my = rewritePlaceholders(`SELECT 'a\\' ?' , ?`, 'mysql', () => 'X')
    expect(my).toBe(`SELECT 'a\\' ?' , X`)
    expect(pg(`SELECT 'a\\', ?`)).toBe(`SELECT 'a\\', $1`)
  })
})

describe('toSqlDateTime', () => {
  it('formats in UTC and drops sub-seconds', () => {
    expect(toSqlDateTime(new Date('2024-03-01T23:59:59.999+02:00'))).toBe('2024-03-01 21:59:59')
  })
  it('rejects an invalid Date', () => {
    expect(() => toSqlDateTime(new Date('nope'))).toThrow(/invalid Date/)
  })
})

describe('connectFreescoutDb URL handling', () => {
  it('refuses an unknown scheme without echoing the password', async () => {
    const err = await connectFreescoutDb('sqlite://u:topsecret@x/y').catch((e: Error) => e)
    expect(err).toBeInstanceOf(Error)
    expect((err as Error).message).toMatch(/unsupported database URL scheme/)
    expect((err as Error).message).not.toContain('topsecret')
  })
})

for (const dialect of ['mysql', 'postgres'] as const) {
  const reason = probe.reasons[dialect]
  describe.skipIf(!probe[dialect])(`FsDb on ${dialect}${reason ? ` (skipped: ${reason})` : ''}`, () => {
    let scratch: ScratchDatabase
    let storage: string
    let db: FsDb
    let mailboxId: number

    beforeAll(async () => {
      scratch = await createScratchDatabase(dialect, 'db')
      storage = await mkdtemp(join(tmpdir(), 'deskmove-db-'))
      const standIn = await createFreescoutStandIn({ dbUrl: scratch.url, storageDir: storage, mailboxes: 1 })
      mailboxId = standIn.mailboxes[0]?.id as number
      db = await connectFreescoutDb(scratch.url)
    })
    afterAll(async () => {
      await db?.close()
      await scratch?.drop()
      if (storage) await rm(storage, { recursive: true, force: true })
    })

    const insertCustomer = (h: FsDb, first: string): Promise<{ insertId: number | null; affectedRows: number }> =>
      h.execute('INSERT INTO customers (first_name, created_at) VALUES (?, ?)', [first, new Date('2024-01-02T03:04:05Z')])

    it('binds ? params, leaving a quoted ? alone', async () => {
      const r = await insertCustomer(db, "O'Brien ? \\ 😀")
      const rows = await db.query<{ first_name: string; q: string }>("SELECT first_name, '?' AS q FROM customers WHERE id = ?", [r.insertId])
      expect(rows).toEqual([{ first_name: "O'Brien ? \\ 😀", q: '?' }])
    })

    it('reports insertId and affectedRows the same way', async () => {
      const a = await insertCustomer(db, 'A')
      const b = await insertCustomer(db, 'B')
      expect(a).toEqual({ insertId: expect.any(Number), affectedRows: 1 })
      expect(b.insertId).toBe((a.insertId as number) + 1)
      const u = await db.execute('UPDATE customers SET last_name = ? WHERE id IN (?, ?)', ['Z', a.insertId, b.insertId])
      expect(u).toEqual({ insertId: null, affectedRows: 2 })
    })

    it('runs the session in UTC and returns timestamps as UTC strings', async () => {
      const r = await db.execute('INSERT INTO customers (first_name, created_at, updated_at) VALUES (?, ?, CURRENT_TIMESTAMP)', [
        'T',
        '2038-01-19 03:14:07',
      ])
      const [row] = await db.query<{ created_at: string; updated_at: string }>('SELECT created_at, updated_at FROM customers WHERE id = ?', [
        r.insertId,
      ])
      expect(row?.created_at).toBe('2038-01-19 03:14:07')
      // The server's own clock read back must equal the JS clock in UTC: proves the session zone, not just formatting.
      const drift = Math.abs(Date.parse(`${row?.updated_at.replace(' ', 'T')}Z`) - Date.now())
      expect(drift).toBeLessThan(5_000)
      const byDate = await db.query<{ id: number }>('SELECT id FROM customers WHERE created_at = ?', [new Date('2038-01-19T03:14:07Z')])
      expect(byDate.map((x) => x.id)).toContain(r.insertId)
    })

    it('returns numbers for COUNT/SUM and 0/1 for boolean columns (portable CASE aggregate)', async () => {
      await db.execute(
        'INSERT INTO conversations (number, type, folder_id, preview, mailbox_id, source_via, source_type, state, has_attachments) VALUES (?, 1, 1, ?, ?, 1, 1, 2, ?)',
        [7, '', mailboxId, 1],
      )
      const [row] = await db.query<{ n: number; s: number; flag: number }>(
        'SELECT COUNT(*) AS n, SUM(number) AS s, MAX(CASE WHEN has_attachments THEN 1 ELSE 0 END) AS flag FROM conversations WHERE number = ?',
        [7],
      )
      const [flag] = await db.query<{ has_attachments: number }>('SELECT has_attachments FROM conversations WHERE number = ?', [7])
      expect(row).toEqual({ n: 1, s: 7, flag: 1 })
      expect(flag?.has_attachments).toBe(1)
    })

    it('accepts double-quoted identifiers such as threads."from"', async () => {
      await db.execute('INSERT INTO threads (conversation_id, type, source_via, source_type, "from", "to") VALUES (?, 1, 1, 1, ?, ?)', [
        99,
        'jane@example.test',
        '["support@example.test"]',
      ])
      const rows = await db.query<{ from: string }>('SELECT "from" FROM threads WHERE conversation_id = ?', [99])
      expect(rows).toEqual([{ from: 'jane@example.test' }])
    })

    it('commits a transaction on one connection', async () => {
      const id = await db.transaction(async (tx) => {
        const r = await insertCustomer(tx, 'committed')
        // Visible inside the transaction through the same handle.
        expect(await tx.query('SELECT id FROM customers WHERE id = ?', [r.insertId])).toHaveLength(1)
        return r.insertId
      })
      expect(await db.query('SELECT id FROM customers WHERE id = ?', [id])).toHaveLength(1)
    })

    it('rolls back when the function throws, and rethrows', async () => {
      let id: number | null = null
      await expect(
        db.transaction(async (tx) => {
          id = (await insertCustomer(tx, 'rolled back')).insertId
          throw new Error('boom')
        }),
      ).rejects.toThrow('boom')
      expect(id).not.toBeNull()
      expect(await db.query('SELECT id FROM customers WHERE id = ?', [id])).toEqual([])
    })

    it('rolls back only the nested part through a savepoint', async () => {
      const [outer, inner] = await db.transaction(async (tx) => {
        const o = await insertCustomer(tx, 'outer')
        let i: number | null = null
        await tx
          .transaction(async (t2) => {
            i = (await insertCustomer(t2, 'inner')).insertId
            throw new Error('inner fails')
          })
          .catch(() => undefined)
        return [o.insertId, i]
      })
      expect(await db.query('SELECT id FROM customers WHERE id = ?', [outer])).toHaveLength(1)
      expect(await db.query('SELECT id FROM customers WHERE id = ?', [inner])).toEqual([])
    })

    it('refuses a mismatched param count and unsupported param types', async () => {
      await expect(db.query('SELECT ? AS a, ? AS b', [1])).rejects.toThrow(/2 placeholders but 1 params/)
      await expect(db.query('SELECT id FROM customers WHERE id = ?', [{ id: 1 }])).rejects.toThrow(/unsupported SQL parameter/)
    })

    it('reports a failed connection with the password redacted', async () => {
      const u = new URL(scratch.url)
      u.password = 'Sup3rS3cretPw'
      u.pathname = '/deskmove_no_such_db'
      const err = await connectFreescoutDb(u.href).catch((e: Error) => e)
      expect(err).toBeInstanceOf(Error)
      expect((err as Error).message).toMatch(/cannot connect to the FreeScout database/)
      expect((err as Error).message).not.toContain('Sup3rS3cretPw')
      expect(String((err as Error).cause)).not.toContain('Sup3rS3cretPw')
    })
  })
}
