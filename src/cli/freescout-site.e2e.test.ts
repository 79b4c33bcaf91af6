import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { startHelpScoutSimulator, type HelpScoutSimulator } from '../../adapters/sources/helpscout/simulator/server.js'
import { connectFreescoutDb, type FsDb } from '../../adapters/targets/freescout/db.js'
import { createScratchDatabase, probeDatabases } from '../testing/test-databases.js'
import { initConfigText } from '../core/init-config.js'
import { freescoutTarget } from '../../adapters/targets/freescout/index.js'
import { runCli, lastJson } from '../testing/cli-runner.js'
import { testSimProfile } from '../testing/sim-profile.js'

// Help Scout simulator → staging → FreeScout stand-in as real sites run it: a site zone other than UTC, people
// working in FreeScout after the import, attachments that never arrived.

const probe = await probeDatabases()
const CONVERSATIONS = 12

function workdir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'deskmove-fs-site-'))
  writeFileSync(join(dir, 'deskmove.json'), initConfigText({ displayName: freescoutTarget.displayName, sections: freescoutTarget.mapping ?? [] }).replace('// "*": 1', '"*": 1'))
  return dir
}

/** Wall-clock time in Berlin, formatted by Intl independently of deskmove's own conversion. */
const berlin = (iso: string) =>
  new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
    .format(new Date(Math.floor(Date.parse(iso) / 1000) * 1000))

for (const dialect of ['mysql', 'postgres'] as const) {
  const reason = dialect === 'mysql' ? probe.reasons.mysql : probe.reasons.postgres
  describe.skipIf(reason !== null)(`FreeScout as real sites run it, through the CLI on ${dialect}${reason ? ` (skipped: ${reason})` : ''}`, () => {
    let sim: HelpScoutSimulator
    const dropAll: (() => Promise<void>)[] = []
    beforeAll(async () => {
      sim = await startHelpScoutSimulator({ profile: testSimProfile(import.meta.url), seed: 5, conversations: CONVERSATIONS, rpm: null })
    })
    afterAll(async () => {
      await sim?.close()
      for (const drop of dropAll) await drop().catch(() => undefined)
    })

    async function freshTarget(cwd: string): Promise<{ env: Record<string, string>; db: FsDb }> {
      const scratch = await createScratchDatabase(dialect, 'site')
      dropAll.push(scratch.drop)
      const made = await runCli(['simulate', 'freescout', '--db-url', scratch.url, '--storage', join(cwd, 'storage')], { cwd })
      expect(made.code, made.stderr).toBe(0)
      const env = (lastJson(made.stdout).env ?? {}) as Record<string, string>
      const db = await connectFreescoutDb(scratch.url)
      dropAll.unshift(() => db.close())
      return { env, db }
    }

    it('FREESCOUT_TIMEZONE=Europe/Berlin: times are Berlin wall-clock times, verify compares instants, and a wrong zone is caught', async () => {
      const cwd = workdir()
      const { env: fsEnv, db } = await freshTarget(cwd)
      const unknownZone = { ...sim.env, ...fsEnv }
      const env = { ...unknownZone, FREESCOUT_TIMEZONE: 'Europe/Berlin' }
      expect((await runCli(['extract', 'helpscout', '--rpm', '100000'], { cwd, env })).code).toBe(0)

      const blind = await runCli(['plan', 'freescout'], { cwd, env: unknownZone })
      expect(blind.stderr).toMatch(/time zone is unknown/)
      const plan = await runCli(['plan', 'freescout'], { cwd, env })
      expect(plan.stderr).not.toMatch(/time zone is unknown/)

      const apply = await runCli(['--json', 'apply', 'freescout'], { cwd, env })
      expect(apply.code, apply.stderr).toBe(0)
      // The first message of each ticket keeps its own second: compare with the source instant in Berlin.
      const staging = new Database(join(cwd, 'deskmove.db'), { readonly: true })
      const firsts = (staging.prepare("SELECT canonical FROM staged_record WHERE kind = 'message'").all() as { canonical: string }[])
        .map((r) => JSON.parse(r.canonical) as { sourceId: string; createdAt: string; position: number })
        .filter((m) => m.position === 0)
      staging.close()
      expect(firsts.length).toBeGreaterThan(3)
      for (const m of firsts.slice(0, 5)) {
        const rows = await db.query<{ created_at: string }>('SELECT created_at FROM threads WHERE meta LIKE ?', [`%"id":"${m.sourceId}"%`])
        expect(rows[0]?.created_at, m.sourceId).toBe(berlin(m.createdAt))
      }

      const verify = await runCli(['verify', 'freescout'], { cwd, env })
      expect(verify.code, verify.stdout + verify.stderr).toBe(0)
      const wrong = await runCli(['verify', 'freescout', '--combined', 'wrong.txt'], { cwd, env: { ...env, FREESCOUT_TIMEZONE: 'UTC' } })
      expect(wrong.code, wrong.stdout + wrong.stderr).toBe(6)
      expect(wrong.stdout).toContain(`0 matching`)
      // Told the wrong zone, the stored Berlin times read as other instants than the source's.
      expect(readFileSync(join(cwd, 'wrong.txt'), 'utf8')).toMatch(/created_at: expected "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", got "[^"]+ read in UTC\)"/)
    })

    it('verify exits 6 after extract --no-attachments: conversations whose attachments have no bytes do not match', async () => {
      const cwd = workdir()
      const { env: fsEnv, db } = await freshTarget(cwd)
      const env = { ...sim.env, ...fsEnv, FREESCOUT_TIMEZONE: 'UTC' }
      const extracted = await runCli(['extract', 'helpscout', '--rpm', '100000', '--no-attachments'], { cwd, env })
      expect(extracted.code).toBe(0)
      // The summary does not pass attachments without bytes off as staged whole.
      expect(extracted.stdout).toMatch(/of the attachments, 0 with their bytes and [1-9]\d* without \(--no-attachments\)/)
      await runCli(['apply', 'freescout'], { cwd, env })
      const [{ n }] = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM conversations')
      expect(Number(n)).toBe(CONVERSATIONS)
      const verify = await runCli(['verify', 'freescout', '--combined', 'combined.txt'], { cwd, env })
      expect(verify.code, verify.stdout + verify.stderr).toBe(6)
      expect(readFileSync(join(cwd, 'combined.txt'), 'utf8')).toMatch(/attachment \S+: expected "imported", got "left out \(missing-blob\)/)
    })
  })
}
