// Issue 8 item 3: `deskmove check freescout` says "not a FreeScout database" (exit 3) before anything else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCli } from '../testing/cli-runner.js'
import { createScratchDatabase, probeDatabases, type ScratchDatabase } from '../testing/test-databases.js'

const probe = await probeDatabases()

for (const dialect of ['mysql', 'postgres'] as const) {
  const reason = probe.reasons[dialect]
  describe.skipIf(reason !== null)(`check freescout on an empty ${dialect} database${reason ? ` (skipped: ${reason})` : ''}`, () => {
    let empty: ScratchDatabase
    beforeAll(async () => {
      empty = await createScratchDatabase(dialect, 'nc_check')
    })
    afterAll(async () => {
      await empty?.drop()
    })

    it('exits 3 naming the missing table, the database and the host', async () => {
      const cwd = mkdtempSync(join(tmpdir(), 'deskmove-check-'))
      const env = { FREESCOUT_DB_URL: empty.url, FREESCOUT_STORAGE_DIR: join(cwd, 'storage'), DESKMOVE_CONFIG: '' }
      const r = await runCli(['check', 'freescout'], { cwd, env })
      expect(r.code, r.stderr).toBe(3)
      expect(r.stdout).toMatch(/FAIL\s+database/)
      expect(r.stdout).toMatch(/ok\s+storage/)
      expect(r.stderr).toContain(`not a FreeScout database: table \`conversations\` missing in \`${empty.name}\` on 127.0.0.1`)
      expect(r.stderr).not.toMatch(/bug in deskmove/)
    })
  })
}

describe('check with a name that is neither a source nor a target', () => {
  it('is a usage error listing both', async () => {
    const r = await runCli(['check', 'freescoot'], { env: { DESKMOVE_CONFIG: '' } })
    expect(r.code, r.stderr).toBe(2)
    expect(r.stderr).toMatch(/sources: helpscout, zendesk, archive; targets: freescout, znuny/)
  })
})
