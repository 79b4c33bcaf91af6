import { describe, expect, it } from 'vitest'
import { createScratchDatabase, probeDatabases } from './test-databases.js'

const probe = await probeDatabases()

describe('probeDatabases', () => {
  it('answers for both servers, with a reason exactly when one is unavailable', async () => {
    for (const dialect of ['mysql', 'postgres'] as const) {
      expect(typeof probe[dialect]).toBe('boolean')
      expect(probe.reasons[dialect] === null).toBe(probe[dialect])
    }
    // Probed once per process: a second call is the same answer, not a second round of connections.
    expect(await probeDatabases()).toBe(probe)
  })
})

for (const dialect of ['mysql', 'postgres'] as const) {
  const reason = probe.reasons[dialect]
  describe.skipIf(!probe[dialect])(`createScratchDatabase on ${dialect}${reason ? ` (skipped: ${reason})` : ''}`, () => {
    it('creates uniquely named databases and drops them', async () => {
      const [a, b] = await Promise.all([createScratchDatabase(dialect, 'Same Prefix!'), createScratchDatabase(dialect, 'Same Prefix!')])
      try {
        expect(a.name).toMatch(/^deskmove_test_same_prefix__[0-9a-f]{8}$/)
        expect(a.name).not.toBe(b.name)
        expect(new URL(a.url).pathname).toBe(`/${a.name}`)
        expect(await listScratch(dialect)).toEqual(expect.arrayContaining([a.name, b.name]))
      } finally {
        await a.drop()
        await b.drop()
      }
      const left = await listScratch(dialect)
      expect(left).not.toContain(a.name)
      expect(left).not.toContain(b.name)
    })
  })
}

async function listScratch(dialect: 'mysql' | 'postgres'): Promise<string[]> {
  const { connectSqlDb } = await import('../kits/sql/index.js')
  const url = dialect === 'mysql' ? 'mysql://root@127.0.0.1:3306' : 'postgres://postgres@127.0.0.1:5432/postgres'
  const db = await connectSqlDb(url, { label: 'the test database server', hint: 'is it running?', schemeHint: 'mysql:// or postgres://' })
  try {
    const sql = dialect === 'mysql' ? 'SELECT schema_name AS n FROM information_schema.schemata' : 'SELECT datname AS n FROM pg_database'
    return (await db.query<{ n: string }>(sql)).map((r) => r.n)
  } finally {
    await db.close()
  }
}
