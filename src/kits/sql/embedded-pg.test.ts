import { afterAll, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { connectSqlDb } from './connect.js'
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-pg.js'
import { ConfigError } from '../../core/errors.js'

const dir = mkdtempSync(join(tmpdir(), 'deskmove-embedded-pg-'))
const opts = { label: 'the embedded database', hint: 'is it running?' }

describe('embedded PostgreSQL (PGlite served to pg)', () => {
  let server: EmbeddedPostgres | null = null
  afterAll(async () => {
    await server?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  it('creates the database in the folder and serves it to the SQL kit through a pg Pool, transactions isolated', async () => {
    server = await startEmbeddedPostgres({ dataDir: dir, holder: 'test' })
    expect(server.created).toBe(true)
    expect(server.url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/)
    const db = await connectSqlDb(server.url, opts)
    try {
      await db.execute('CREATE TABLE items (id SERIAL PRIMARY KEY, worker INT NOT NULL, label TEXT NOT NULL)')
      // Four transactions at once over the kit's pool (4 connections): the two that roll back leave nothing,
      // and every statement returns its own connection's result (no cross-talk between the multiplexed sockets).
      await Promise.all(
        [0, 1, 2, 3].map((w) =>
          db
            .transaction(async (tx) => {
              for (let i = 0; i < 10; i++) {
                const r = await tx.execute('INSERT INTO items (worker, label) VALUES (?, ?)', [w, `w${w}-${i}`])
                expect(r.insertId).toBeGreaterThan(0)
                const [row] = await tx.query<{ label: string }>('SELECT label FROM items WHERE id = ?', [r.insertId])
                expect(row?.label).toBe(`w${w}-${i}`)
              }
              if (w % 2 === 1) throw new Error('roll back')
            })
            .catch((e: Error) => expect(e.message).toBe('roll back')),
        ),
      )
      const rows = await db.query<{ worker: number; n: number }>('SELECT worker, COUNT(*) AS n FROM items GROUP BY worker ORDER BY worker')
      expect(rows).toEqual([
        { worker: 0, n: 10 },
        { worker: 2, n: 10 },
      ])
      // Different statements with different parameter counts at once, outside transactions.
      const answers = await Promise.all(Array.from({ length: 24 }, (_, i) => db.query<{ s: string }>(`SELECT ${Array.from({ length: (i % 4) + 1 }, () => '?::text').join(" || '-' || ")} AS s`, Array.from({ length: (i % 4) + 1 }, (_, k) => `${i}.${k}`))))
      answers.forEach(([row], i) => expect(row?.s).toBe(Array.from({ length: (i % 4) + 1 }, (_, k) => `${i}.${k}`).join('-')))
      const [tz] = await db.query<{ tz: string }>("SELECT current_setting('TimeZone') AS tz")
      expect(tz?.tz).toBe('UTC')
    } finally {
      await db.close()
    }
  }, 60_000)

  it('refuses a second process on the same folder while the first holds it, naming the holder', async () => {
    // A lock naming another live process (the test runner's parent) on a folder of its own.
    const other = mkdtempSync(join(tmpdir(), 'deskmove-embedded-pg-other-'))
    try {
      writeFileSync(join(other, 'deskmove-embedded.lock'), JSON.stringify({ pid: process.ppid, holder: 'deskmove simulate freescout', since: '2026-01-01T00:00:00Z' }))
      const err = await startEmbeddedPostgres({ dataDir: other }).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(ConfigError)
      expect((err as Error).message).toMatch(new RegExp(`in use by pid ${process.ppid} \\(\`deskmove simulate freescout\`\\)`))
    } finally {
      rmSync(other, { recursive: true, force: true })
    }
  })

  it('keeps the data in the folder: stopped and reopened (a stale lock taken over), the rows are there', async () => {
    await server!.stop()
    server = null
    // A lock left by a process that no longer exists (pid far beyond pid_max) does not block the next start.
    writeFileSync(join(dir, 'deskmove-embedded.lock'), JSON.stringify({ pid: 2 ** 30, holder: 'killed', since: '2026-01-01T00:00:00Z' }))
    server = await startEmbeddedPostgres({ dataDir: dir })
    expect(server.created).toBe(false)
    const client = new pg.Client({ connectionString: server.url })
    await client.connect()
    try {
      const r = await client.query<{ n: string }>('SELECT COUNT(*) AS n FROM items')
      expect(Number(r.rows[0]?.n)).toBe(20)
    } finally {
      await client.end()
    }
  }, 60_000)
})
