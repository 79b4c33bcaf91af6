import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startHelpScoutSimulator, type HelpScoutSimulator } from '../../adapters/sources/helpscout/simulator/server.js'
import { connectFreescoutDb, type FsDb } from '../../adapters/targets/freescout/db.js'
import { runImportChecks } from '../../adapters/targets/freescout/sql-checks.js'
import { createScratchDatabase, probeDatabases } from '../testing/test-databases.js'
import { initConfigText } from '../core/init-config.js'
import { freescoutTarget } from '../../adapters/targets/freescout/index.js'
import { runCli, lastJson } from '../testing/cli-runner.js'
import { testSimProfile } from '../testing/sim-profile.js'

// Help Scout simulator → staging → FreeScout stand-in, through the real CLI, on both databases.

const probe = await probeDatabases()
const CONVERSATIONS = 120

function countFiles(dir: string): number {
  let n = 0
  for (const e of readdirSync(dir, { withFileTypes: true })) n += e.isDirectory() ? countFiles(join(dir, e.name)) : statSync(join(dir, e.name)).isFile() ? 1 : 0
  return n
}

/** A working directory with deskmove.json mapping every source mailbox to FreeScout mailbox 1. */
function workdir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'deskmove-migrate-'))
  writeFileSync(join(dir, 'deskmove.json'), initConfigText({ displayName: freescoutTarget.displayName, sections: freescoutTarget.mapping ?? [] }).replace('// "*": 1', '"*": 1'))
  return dir
}

for (const dialect of ['mysql', 'postgres'] as const) {
  const reason = dialect === 'mysql' ? probe.reasons.mysql : probe.reasons.postgres
  describe.skipIf(reason !== null)(`Help Scout → FreeScout through the CLI on ${dialect}${reason ? ` (skipped: ${reason})` : ''}`, () => {
    let sim: HelpScoutSimulator
    const dropAll: (() => Promise<void>)[] = []
    beforeAll(async () => {
      sim = await startHelpScoutSimulator({ profile: testSimProfile(import.meta.url), seed: 21, conversations: CONVERSATIONS, rpm: null })
    })
    afterAll(async () => {
      await sim?.close()
      for (const drop of dropAll) await drop().catch(() => undefined)
    })

    async function freshTarget(cwd: string): Promise<{ env: Record<string, string>; db: FsDb; storage: string }> {
      const scratch = await createScratchDatabase(dialect, 'cli')
      dropAll.push(scratch.drop)
      const storage = join(cwd, 'storage')
      const made = await runCli(['simulate', 'freescout', '--db-url', scratch.url, '--storage', storage], { cwd })
      expect(made.code, made.stderr).toBe(0)
      const env = (lastJson(made.stdout).env ?? {}) as Record<string, string>
      const db = await connectFreescoutDb(scratch.url)
      dropAll.unshift(() => db.close())
      return { env, db, storage }
    }

    it('plan → apply the reviewed plan → every derived column and counter checks out → verify 0 differences → re-apply creates nothing → rollback removes it all', async () => {
      const cwd = workdir()
      const { env: fsEnv, db, storage } = await freshTarget(cwd)
      const env = { ...sim.env, ...fsEnv }
      const extract = await runCli(['extract', 'helpscout', '--rpm', '100000'], { cwd, env })
      expect(extract.code, extract.stderr).toBe(0)

      const plan = await runCli(['--json', 'plan', 'freescout', '-o', 'plan.json', '--report', 'plan.md'], { cwd, env })
      expect(plan.code, plan.stderr).toBe(8)
      expect((lastJson(plan.stdout).counts as Record<string, { create: number }>).ticket.create).toBe(CONVERSATIONS)
      // What extract decided on the way in is in the plan too: drafts/scheduled kept in raw, hidden threads as notes.
      expect(Object.keys(lastJson(plan.stdout).warnings as Record<string, number>).filter((c) => /thread-(not-staged|hidden|under-review)/.test(c)).length).toBeGreaterThan(0)
      const untouched = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM conversations')
      expect(untouched[0]!.n, 'plan writes nothing').toBe(0)

      const apply = await runCli(['--json', 'apply', 'freescout', 'plan.json'], { cwd, env })
      expect(apply.code, apply.stderr).toBe(0)
      const runId = lastJson(apply.stdout).runId as string
      expect(await runImportChecks(db, storage)).toEqual([])
      const [{ n }] = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM conversations')
      expect(n).toBe(CONVERSATIONS)
      const [{ n: fromEmail }] = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM conversations WHERE imported = ? AND state IN (2, 3)', [1])
      expect(fromEmail).toBe(CONVERSATIONS)

      const verify = await runCli(['verify', 'freescout', '--combined', 'combined.txt'], { cwd, env })
      expect(verify.code, verify.stdout + verify.stderr).toBe(0)
      // Conversations whose values were altered by rule to fit FreeScout (e.g. an over-long file name) count as `a`, not `=`.
      const counts = /(\d+) matching, 0 missing in target, 0 differ, 0 errors(?:, (\d+) altered by rule)?/.exec(verify.stdout)
      expect(counts, verify.stdout).not.toBeNull()
      expect(Number(counts![1]) + Number(counts![2] ?? 0)).toBe(CONVERSATIONS)

      const again = await runCli(['--json', 'apply', 'freescout'], { cwd, env })
      expect(again.code, again.stderr).toBe(0)
      for (const c of Object.values(lastJson(again.stdout).counts as Record<string, { create: number; update: number }>)) {
        expect(c.create + c.update).toBe(0)
      }

      const stale = await runCli(['apply', 'freescout', 'plan.json'], { cwd, env })
      expect(stale.code, 'a plan made before the apply is stale now').toBe(9)

      const rollback = await runCli(['rollback', 'freescout', '--run', runId], { cwd, env })
      expect(rollback.code, rollback.stderr).toBe(0)
      const [{ n: left }] = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM conversations')
      expect(left).toBe(0)
      const [{ n: threads }] = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM threads')
      expect(threads).toBe(0)
      expect(countFiles(join(storage, 'attachment'))).toBe(0)
    })

    it('migrate in one go ends with the apply run id and the rollback command, and that command undoes it', async () => {
      const cwd = workdir()
      const { env: fsEnv, db } = await freshTarget(cwd)
      const env = { ...sim.env, ...fsEnv }
      const r = await runCli(['migrate', 'helpscout', 'freescout', '--rpm', '100000'], { cwd, env })
      expect(r.code, r.stderr).toBe(0)
      const m = /to undo it: `(deskmove rollback freescout --run (\S+))`/.exec(r.stdout)
      expect(m, r.stdout).not.toBeNull()
      expect(r.stdout).toContain(`apply run ${m![2]}`)
      const rollback = await runCli(m![1]!.split(' ').slice(1), { cwd, env })
      expect(rollback.code, rollback.stderr).toBe(0)
      const [{ n }] = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM conversations')
      expect(n).toBe(0)
    })

    it('killed with SIGKILL at random points of apply and resumed: each conversation once, verify reports 0 differences', async () => {
      const cwd = workdir()
      const { env: fsEnv, db, storage } = await freshTarget(cwd)
      const env = { ...sim.env, ...fsEnv }
      expect((await runCli(['extract', 'helpscout', '--rpm', '100000'], { cwd, env })).code).toBe(0)
      let killed = 0
      for (const ms of [350, 600, 850, 1100]) {
        const r = await runCli(['apply', 'freescout'], { cwd, env, killAfterMs: ms })
        if (r.signal === 'SIGKILL') killed++
      }
      const done = await runCli(['apply', 'freescout'], { cwd, env })
      expect(done.code, done.stderr).toBe(0)
      const [{ n }] = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM conversations')
      expect(n).toBe(CONVERSATIONS)
      expect(await runImportChecks(db, storage)).toEqual([])
      const verify = await runCli(['verify', 'freescout'], { cwd, env })
      expect(verify.code, verify.stdout + verify.stderr).toBe(0)
      expect(killed, 'at least one run was really killed mid-way').toBeGreaterThan(0)
    })
  })
}
