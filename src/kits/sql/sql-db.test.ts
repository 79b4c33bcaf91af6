import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConfigError } from '../../core/errors.js'
import { createScratchDatabase, probeDatabases, type ScratchDatabase } from '../../testing/test-databases.js'
import {
  classifySqlError,
  connectSqlDb,
  dialectOfUrl,
  idStrategy,
  insertRows,
  missingTables,
  redactDbUrl,
  rewritePlaceholders,
  toSqlDateTime,
  type SqlDb,
} from './index.js'

const probe = await probeDatabases()
const opts = { label: 'the test database', hint: 'check TEST_DB_URL' }

describe('redactDbUrl', () => {
  it('hides the password and keeps everything else', () => {
    expect(redactDbUrl('mysql://fs:s3cret@db.example:3306/app')).toBe('mysql://fs:***@db.example:3306/app')
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

describe('classifySqlError', () => {
  it('tells lost connections, unique violations and other refusals apart in both drivers', () => {
    expect(classifySqlError(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBe('connection')
    expect(classifySqlError(Object.assign(new Error('terminating connection'), { code: '57P01' }))).toBe('connection')
    expect(classifySqlError(new Error('Connection terminated unexpectedly'))).toBe('connection')
    expect(classifySqlError(Object.assign(new Error("Duplicate entry 'a' for key 'u'"), { code: 'ER_DUP_ENTRY' }))).toBe('duplicate')
    expect(classifySqlError(Object.assign(new Error('duplicate key value violates unique constraint "u"'), { code: '23505' }))).toBe('duplicate')
    expect(classifySqlError(Object.assign(new Error('Data too long for column'), { code: 'ER_DATA_TOO_LONG' }))).toBe('refused')
  })
})

describe('connectSqlDb URL handling', () => {
  it('names the dialect of each scheme', () => {
    expect([dialectOfUrl('mariadb://h/d'), dialectOfUrl('postgresql://h/d'), dialectOfUrl('sqlite://x'), dialectOfUrl('::')]).toEqual(['mysql', 'postgres', null, null])
  })
  it('refuses an unknown scheme without echoing the password', async () => {
    const err = await connectSqlDb('sqlite://u:topsecret@x/y', opts).catch((e: Error) => e)
    expect(err).toBeInstanceOf(ConfigError)
    expect((err as Error).message).toMatch(/unsupported database URL scheme/)
    expect((err as Error).message).not.toContain('topsecret')
  })
})

const DDL = {
  mysql: [
    'CREATE TABLE items (id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY, name VARCHAR(191) NULL, "from" VARCHAR(191) NULL, created_at TIMESTAMP NULL, n INT NULL, flag TINYINT(1) NOT NULL DEFAULT 0, UNIQUE KEY items_name (name)) ENGINE=InnoDB',
    'CREATE TABLE links (a INT NOT NULL, b INT NOT NULL)',
  ],
  postgres: [
    'CREATE TABLE items (id SERIAL PRIMARY KEY, name VARCHAR(191) NULL UNIQUE, "from" VARCHAR(191) NULL, created_at TIMESTAMP(0) NULL, n INT NULL, flag BOOLEAN NOT NULL DEFAULT false)',
    'CREATE TABLE links (a INT NOT NULL, b INT NOT NULL)',
  ],
}

for (const dialect of ['mysql', 'postgres'] as const) {
  const reason = probe.reasons[dialect]
  describe.skipIf(!probe[dialect])(`SqlDb on ${dialect}${reason ? ` (skipped: ${reason})` : ''}`, () => {
    let scratch: ScratchDatabase
    let db: SqlDb

    beforeAll(async () => {
      scratch = await createScratchDatabase(dialect, 'sqlkit')
      db = await connectSqlDb(scratch.url, opts)
      for (const ddl of DDL[dialect]) await db.execute(ddl)
    })
    afterAll(async () => {
      await db?.close()
      await scratch?.drop()
    })

    const insertItem = (h: SqlDb, name: string) => h.execute('INSERT INTO items (name, created_at) VALUES (?, ?)', [name, new Date('2024-01-02T03:04:05Z')])

    it('knows where it points', () => {
      expect(db.dialect).toBe(dialect)
      expect(db.location).toEqual({ host: '127.0.0.1', database: scratch.name })
    })

    it('binds ? params, leaving a quoted ? alone', async () => {
      const r = await insertItem(db, "O'Brien ? \\ 😀")
      const rows = await db.query<{ name: string; q: string }>("SELECT name, '?' AS q FROM items WHERE id = ?", [r.insertId])
      expect(rows).toEqual([{ name: "O'Brien ? \\ 😀", q: '?' }])
    })

    it('reports insertId and affectedRows the same way, and none for tables without id', async () => {
      const a = await insertItem(db, 'A')
      const b = await insertItem(db, 'B')
      expect(a).toEqual({ insertId: expect.any(Number), affectedRows: 1 })
      expect(b.insertId).toBe((a.insertId as number) + 1)
      const u = await db.execute('UPDATE items SET n = ? WHERE id IN (?, ?)', [5, a.insertId, b.insertId])
      expect(u).toEqual({ insertId: null, affectedRows: 2 })
      expect(await db.execute('INSERT INTO links (a, b) VALUES (?, ?), (?, ?)', [1, 2, 3, 4])).toEqual({ insertId: null, affectedRows: 2 })
    })

    it('runs the session in UTC and returns timestamps as UTC strings', async () => {
      const r = await db.execute('INSERT INTO items (name, created_at) VALUES (?, ?)', ['T', '2038-01-19 03:14:07'])
      const [row] = await db.query<{ created_at: string; now: string }>('SELECT created_at, CURRENT_TIMESTAMP AS now FROM items WHERE id = ?', [r.insertId])
      expect(row?.created_at).toBe('2038-01-19 03:14:07')
      // The server's own clock read back must equal the JS clock in UTC: proves the session zone, not just formatting.
      const drift = Math.abs(Date.parse(`${String(row?.now).slice(0, 19).replace(' ', 'T')}Z`) - Date.now())
      expect(drift).toBeLessThan(5_000)
      const byDate = await db.query<{ id: number }>('SELECT id FROM items WHERE created_at = ?', [new Date('2038-01-19T03:14:07Z')])
      expect(byDate.map((x) => x.id)).toContain(r.insertId)
    })

    it('returns numbers for COUNT/SUM and 0/1 for boolean columns (portable CASE aggregate)', async () => {
      await db.execute('INSERT INTO items (name, n, flag) VALUES (?, ?, ?)', ['counted', 7, 1])
      const [row] = await db.query('SELECT COUNT(*) AS c, SUM(n) AS s, MAX(CASE WHEN flag THEN 1 ELSE 0 END) AS f FROM items WHERE n = ?', [7])
      const [flag] = await db.query<{ flag: number }>('SELECT flag FROM items WHERE n = ?', [7])
      expect(row).toEqual({ c: 1, s: 7, f: 1 })
      expect(flag?.flag).toBe(1)
    })

    it('accepts double-quoted identifiers such as "from"', async () => {
      await db.execute('INSERT INTO items (name, "from") VALUES (?, ?)', ['quoted', 'jane@example.test'])
      expect(await db.query('SELECT "from" FROM items WHERE name = ?', ['quoted'])).toEqual([{ from: 'jane@example.test' }])
    })

    it('commits a transaction on one connection', async () => {
      const id = await db.transaction(async (tx) => {
        const r = await insertItem(tx, 'committed')
        expect(await tx.query('SELECT id FROM items WHERE id = ?', [r.insertId])).toHaveLength(1)
        return r.insertId
      })
      expect(await db.query('SELECT id FROM items WHERE id = ?', [id])).toHaveLength(1)
    })

    it('rolls back when the function throws, and rethrows', async () => {
      let id: number | null = null
      await expect(
        db.transaction(async (tx) => {
          id = (await insertItem(tx, 'rolled back')).insertId
          throw new Error('boom')
        }),
      ).rejects.toThrow('boom')
      expect(id).not.toBeNull()
      expect(await db.query('SELECT id FROM items WHERE id = ?', [id])).toEqual([])
    })

    it('rolls back only the nested part through a savepoint, and classifies the unique violation', async () => {
      let failure: unknown = null
      const [outer, inner] = await db.transaction(async (tx) => {
        const o = await insertItem(tx, 'outer')
        let i: number | null = null
        await tx
          .transaction(async (t2) => {
            i = (await insertItem(t2, 'inner')).insertId
            await insertItem(t2, 'outer')
          })
          .catch((e: unknown) => (failure = e))
        return [o.insertId, i]
      })
      expect(classifySqlError(failure)).toBe('duplicate')
      expect(await db.query('SELECT id FROM items WHERE id = ?', [outer])).toHaveLength(1)
      expect(await db.query('SELECT id FROM items WHERE id = ?', [inner])).toEqual([])
    })

    it('inserts many rows in multi-row statements and returns their ids in row order', async () => {
      const strategy = await idStrategy(db, ['items'])
      expect(strategy.kind).toBe(dialect === 'postgres' ? 'reserve' : 'consecutive')
      const rows = Array.from({ length: 1203 }, (_, i) => [`bulk-${i}`, i])
      const ids = await db.transaction((tx) => insertRows(tx, strategy, 'items', 'name, n', rows))
      expect(ids).toHaveLength(1203)
      const back = await db.query<{ id: number; name: string }>("SELECT id, name FROM items WHERE name LIKE 'bulk-%'")
      const byId = new Map(back.map((r) => [r.id, r.name]))
      expect(ids.map((id) => byId.get(id))).toEqual(rows.map((r) => r[0]))
    })

    it('names the tables a schema lacks', async () => {
      expect(await missingTables(db, ['items', 'conversations', 'links'])).toEqual(['conversations'])
    })

    it('refuses a mismatched param count and unsupported param types', async () => {
      await expect(db.query('SELECT ? AS a, ? AS b', [1])).rejects.toThrow(/2 placeholders but 1 params/)
      await expect(db.query('SELECT id FROM items WHERE id = ?', [{ id: 1 }])).rejects.toThrow(/unsupported SQL parameter/)
    })

    it('reports a failed connection with the label and the password redacted', async () => {
      const u = new URL(scratch.url)
      u.password = 'Sup3rS3cretPw'
      u.pathname = '/deskmove_no_such_db'
      const err = await connectSqlDb(u.href, opts).catch((e: Error) => e)
      expect(err).toBeInstanceOf(ConfigError)
      expect((err as Error).message).toMatch(/cannot connect to the test database/)
      expect((err as Error).message).not.toContain('Sup3rS3cretPw')
      expect(String((err as Error).cause)).not.toContain('Sup3rS3cretPw')
    })
  })
}
