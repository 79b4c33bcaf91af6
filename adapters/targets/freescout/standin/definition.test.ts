import { afterAll, describe, expect, it } from 'vitest'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freescoutStandInSimulator } from './definition.js'
import { connectSqlDb } from '../../../../src/kits/sql/index.js'

const cwd = mkdtempSync(join(tmpdir(), 'deskmove-standin-embedded-'))
afterAll(() => rmSync(cwd, { recursive: true, force: true }))
const info: string[] = []
const ctx = { cwd, addSecret: () => {}, info: (m: string) => info.push(m) }
const options = { dataDir: 'fs-db', storage: 'fs-storage', mailboxes: 2, tagsModule: true, customFieldsModule: true }

async function mailboxesAndKeptCustomer(url: string): Promise<{ mailboxes: number; marked: number }> {
  const db = await connectSqlDb(url, { label: 'the stand-in', hint: '' })
  try {
    const [m] = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM mailboxes')
    const [c] = await db.query<{ n: number }>("SELECT COUNT(*) AS n FROM customers WHERE first_name = 'Kept'")
    return { mailboxes: m?.n ?? -1, marked: c?.n ?? -1 }
  } finally {
    await db.close()
  }
}

describe('simulate freescout without --db-url: the embedded default', () => {
  it('builds the stand-in in an embedded PostgreSQL in --data-dir, serves it, and serves the same one again later', async () => {
    const first = await freescoutStandInSimulator.start(options, ctx)
    try {
      expect(first.serving).toBe(true)
      expect(first.env).toEqual({ FREESCOUT_DB_URL: expect.stringMatching(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/), FREESCOUT_STORAGE_DIR: join(cwd, 'fs-storage'), FREESCOUT_TIMEZONE: 'UTC' })
      expect(existsSync(join(cwd, 'fs-storage', 'attachment'))).toBe(true)
      expect(info.join('\n')).toMatch(/FreeScout stand-in ready: .*mailboxes 1 .*, 2 /)
      const db = await connectSqlDb(first.env.FREESCOUT_DB_URL!, { label: 'the stand-in', hint: '' })
      await db.execute("INSERT INTO customers (first_name, created_at, updated_at) VALUES ('Kept', ?, ?)", [new Date(), new Date()])
      await db.close()
    } finally {
      await first.close()
    }
    const again = await freescoutStandInSimulator.start(options, ctx)
    try {
      expect(info.at(-2)).toMatch(/FreeScout stand-in reopened from .*fs-db/)
      // Not rebuilt: still 2 mailboxes, and what was written before is there.
      expect(await mailboxesAndKeptCustomer(again.env.FREESCOUT_DB_URL!)).toEqual({ mailboxes: 2, marked: 1 })
    } finally {
      await again.close()
    }
  }, 60_000)
})
