// A database that is not FreeScout's is a configuration error (exit 3) from check, prepare and apply alike.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConfigError } from '../../../src/core/errors.js'
import { EXIT } from '../../../src/core/exit-codes.js'
import { createScratchDatabase, probeDatabases, type ScratchDatabase } from '../../../src/testing/test-databases.js'
import { connectFreescoutDb } from './db.js'
import { createFreescoutTarget } from './index.js'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const probe = await probeDatabases()

for (const dialect of ['mysql', 'postgres'] as const) {
  const reason = probe.reasons[dialect]
  describe.skipIf(reason !== null)(`not a FreeScout database on ${dialect}${reason ? ` (skipped: ${reason})` : ''}`, () => {
    let empty: ScratchDatabase
    let other: ScratchDatabase
    let storage: string
    beforeAll(async () => {
      empty = await createScratchDatabase(dialect, 'nc_empty')
      other = await createScratchDatabase(dialect, 'nc_other')
      // Another application's database: tables, but not FreeScout's (and some with FreeScout's names).
      const db = await connectFreescoutDb(other.url)
      await db.execute('CREATE TABLE users (id INT PRIMARY KEY, email VARCHAR(100))')
      await db.execute('CREATE TABLE wp_posts (id INT PRIMARY KEY)')
      await db.close()
      storage = mkdtempSync(join(tmpdir(), 'deskmove-nc-'))
    })
    afterAll(async () => {
      await empty?.drop()
      await other?.drop()
      if (storage) rmSync(storage, { recursive: true, force: true })
    })

    const expectNotFreescout = (e: unknown, db: ScratchDatabase) => {
      expect(e).toBeInstanceOf(ConfigError)
      expect((e as ConfigError).exitCode).toBe(EXIT.config)
      expect((e as ConfigError).message).toBe(`not a FreeScout database: table \`conversations\` missing in \`${db.name}\` on 127.0.0.1`)
    }

    it('says so from prepare and apply, before anything is read or written', async () => {
      for (const db of [empty, other]) {
        const target = createFreescoutTarget({ dbUrl: db.url, storageDir: storage, appUrl: null, appKey: null })
        try {
          expectNotFreescout(await target.prepare().catch((e: unknown) => e), db)
          const op = { type: 'user', action: 'match', userId: 1 } as never
          expectNotFreescout(await target.applyBatch!([{ op, ctx: {} as never }], () => {}).catch((e: unknown) => e), db)
        } finally {
          await target.close().catch(() => {})
        }
      }
    })

    it('says so from check, naming the database and the host', async () => {
      const target = createFreescoutTarget({ dbUrl: empty.url, storageDir: storage, appUrl: null, appKey: null })
      try {
        const report = await target.check()
        expect(report.ok).toBe(false)
        expect(report.items.find((i) => i.name === 'database')).toEqual({
          name: 'database',
          status: 'error',
          detail: `not a FreeScout database: table \`conversations\` missing in \`${empty.name}\` on 127.0.0.1`,
        })
      } finally {
        await target.close().catch(() => {})
      }
    })
  })
}
