// Issue 11 item 4: `deskmove demo`. The run on the embedded default, exactly as the README's quick start writes
// it, is src/cli/readme-walkthrough.e2e.test.ts; here: its folder rule, and --db-url with --json.
import { afterAll, describe, expect, it } from 'vitest'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { lastJson, runCli } from '../testing/cli-runner.js'
import { createScratchDatabase, probeDatabases } from '../testing/test-databases.js'
import { connectSqlDb } from '../kits/sql/index.js'

const dirs: string[] = []
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'deskmove-demo-'))
  dirs.push(d)
  return d
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))

/** Environment a user might have from a real migration: the demo must not use any of it. */
const HOSTILE_ENV = { HELPSCOUT_APP_ID: 'real-id', HELPSCOUT_APP_SECRET: 'real-secret', HELPSCOUT_BASE_URL: 'http://127.0.0.1:9/v2', FREESCOUT_DB_URL: 'mysql://root@127.0.0.1:9/prod', FREESCOUT_STORAGE_DIR: '/nonexistent/storage' }

interface DemoSummary {
  command: string
  sources: { source: string; staging: string; report: string; plan: string; verifyFile: string; archive: string; rows: { kind: string; staged?: number; created?: number }[]; verify: { checked: number; matching: number; altered: number; missing: number; differ: number; errors: number } }[]
  standIn: { embedded: boolean; dataDir: string | null; storage: string }
}

describe('deskmove demo', () => {
  it('refuses a folder with files it did not make (exit 2), touching nothing', async () => {
    const cwd = tempDir()
    mkdirSync(join(cwd, 'mine'))
    writeFileSync(join(cwd, 'mine', 'notes.txt'), 'keep me')
    const r = await runCli(['demo', '--dir', 'mine'], { cwd })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/mine is not empty and was not made by `deskmove demo` \(notes\.txt\)/)
    expect(readFileSync(join(cwd, 'mine', 'notes.txt'), 'utf8')).toBe('keep me')
    expect(existsSync(join(cwd, 'mine', 'helpscout'))).toBe(false)
  })
})

const probe = await probeDatabases()
describe.skipIf(!probe.postgres)(`deskmove demo --db-url (a real PostgreSQL)${probe.postgres ? '' : ` (skipped: ${probe.reasons.postgres})`}`, () => {
  it('builds the stand-in in the given empty database instead of the embedded one', async () => {
    const cwd = tempDir()
    const scratch = await createScratchDatabase('postgres', 'demo')
    try {
      const r = await runCli(['demo', '--tickets', '3', '--db-url', scratch.url, '--dir', 'out', '--json'], { cwd, env: HOSTILE_ENV })
      expect(r.code, r.stderr).toBe(0)
      const summary = lastJson(r.stdout) as unknown as DemoSummary
      expect(summary.standIn).toMatchObject({ embedded: false, dataDir: null })
      const hs = summary.sources.find((x) => x.source === 'helpscout')!
      expect(hs.rows.find((x) => x.kind === 'helpscout ticket')).toMatchObject({ staged: 3, created: 3 })
      expect(hs.verify).toMatchObject({ checked: 3, missing: 0, differ: 0, errors: 0 })
      expect(hs.verify.matching + hs.verify.altered).toBe(3)
      for (const file of [hs.staging, hs.report, hs.plan, hs.verifyFile, join(hs.archive, 'manifest.json')]) expect(existsSync(file), file).toBe(true)
      expect(readFileSync(hs.report, 'utf8')).toMatch(/<html/i)
      expect(summary.standIn.storage).toBe(join(cwd, 'out', 'freescout-storage'))
      expect(existsSync(join(cwd, 'out', 'freescout-db'))).toBe(false)
      const db = await connectSqlDb(scratch.url, { label: 'the scratch database', hint: '' })
      const [row] = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM conversations')
      await db.close()
      expect(row?.n).toBe(3 * summary.sources.length)
    } finally {
      await scratch.drop()
    }
  }, 60_000)
})
