// Help Scout simulator → staging → Znuny simulator through the real CLI, into the mail-trap queue: verify finds
// 0 differences and not one mail_queue row appears (in memory, and on a MariaDB stand-in with the database step
// and rollback); a SIGKILLed apply resumes without a duplicate ticket.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startHelpScoutSimulator, type HelpScoutSimulator } from '../../adapters/sources/helpscout/simulator/server.js'
import { initConfigText } from '../core/init-config.js'
import { lastJson, runCli } from '../testing/cli-runner.js'
import { parsePlanFile } from '../engine/plan-file.js'
import { testSimProfile } from '../testing/sim-profile.js'
import { startZnunySim, TRAP_QUEUE, type ZnunySim } from '../../adapters/targets/znuny/simulator/index.js'
import { znunyTarget } from '../../adapters/targets/znuny/index.js'
import { createScratchDatabase, probeDatabases } from '../testing/test-databases.js'

const probe = await probeDatabases()

const CONVERSATIONS = 16

/** deskmove.json: every source mailbox to the trap queue (auto reply linked, agent1 watching it). */
function workdir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'deskmove-znuny-'))
  const text = initConfigText({ displayName: znunyTarget.displayName, sections: znunyTarget.mapping ?? [] }).replace('"*": "Raw"', `"*": "${TRAP_QUEUE}"`)
  writeFileSync(join(dir, 'deskmove.json'), text)
  return dir
}

describe('Help Scout → Znuny through the CLI (simulators)', () => {
  let hs: HelpScoutSimulator
  const sims: ZnunySim[] = []
  beforeAll(async () => {
    hs = await startHelpScoutSimulator({ profile: testSimProfile(import.meta.url), seed: 33, conversations: CONVERSATIONS, rpm: null })
  })
  afterAll(async () => {
    await hs?.close()
    for (const s of sims) await s.close()
    for (const d of drops) await d().catch(() => undefined)
  })
  const drops: (() => Promise<void>)[] = []
  const znuny = async (version: '7.1' | '7.0', dbUrl?: string) => {
    const s = await startZnunySim({ version, ...(dbUrl ? { dbUrl } : {}) })
    sims.push(s)
    return s
  }

  const cases = [
    { name: 'Znuny 7.1 in memory (no ZNUNY_DB_URL)', version: '7.1' as const, dialect: null },
    { name: 'Znuny 7.0 on a MariaDB stand-in (ZNUNY_DB_URL: database step, rollback)', version: '7.0' as const, dialect: 'mysql' as const },
  ]
  for (const c of cases) {
    const skip = c.dialect === 'mysql' && !probe.mysql
    it.skipIf(skip)(`${c.name}${skip ? ` (skipped: ${probe.reasons.mysql})` : ''}: plan states the mail module, apply fills the trap queue with 0 mail_queue rows, verify 0 differences, re-apply writes nothing`, async () => {
      const cwd = workdir()
      const scratch = c.dialect ? await createScratchDatabase(c.dialect, 'zne2e') : null
      if (scratch) drops.push(scratch.drop)
      const zn = await znuny(c.version, scratch?.url)
      const env = { ...hs.env, ...zn.env }
      const extract = await runCli(['extract', 'helpscout', '--rpm', '100000'], { cwd, env })
      expect(extract.code, extract.stderr).toBe(0)

      const plan = await runCli(['--json', 'plan', 'znuny', '-o', 'plan.json'], { cwd, env })
      expect(plan.code, plan.stderr).toBe(8)
      const planned = (lastJson(plan.stdout).counts as Record<string, { create: number; skip: number }>).ticket!
      expect(planned.create + planned.skip).toBe(CONVERSATIONS)
      // Without the database the mail module cannot be read, and plan says so; with it, plan names it.
      expect(plan.stderr + plan.stdout).toMatch(scratch ? /SendmailModule is Kernel::System::Email::Sendmail, not Kernel::System::Email::DoNotSendEmail/ : /SendmailModule is unknown/)
      // The same two statements are target remarks in plan.json (and its report): the mail module, and the database step.
      const remarks = lastJson(plan.stdout).remarks as { level: string; topic: string; text: string }[]
      expect(remarks).toContainEqual({ level: 'warning', topic: 'e-mail', text: expect.stringMatching(scratch ? /SendmailModule is Kernel::System::Email::Sendmail/ : /SendmailModule is unknown/) })
      expect(remarks).toContainEqual(scratch ? { level: 'info', topic: 'database step', text: expect.stringMatching(/^ON \(ZNUNY_DB_URL\), run LAST.*original times of \d+ ticket/) } : { level: 'warning', topic: 'database step', text: expect.stringMatching(/^OFF .*will carry the IMPORT time.*will NOT be created/) })
      expect(parsePlanFile(readFileSync(join(cwd, 'plan.json'), 'utf8')).remarks).toEqual(remarks)
      expect((await zn.manifest()).tickets, 'plan writes nothing').toHaveLength(0)

      const apply = await runCli(['--json', 'apply', 'otrs', 'plan.json'], { cwd, env })
      expect([0, 5], apply.stderr).toContain(apply.code)
      const runId = lastJson(apply.stdout).runId as string
      const m = await zn.manifest()
      expect(m.tickets).toHaveLength(planned.create)
      expect(m.tickets.every((t) => t.Queue === TRAP_QUEUE)).toBe(true)
      expect(m.mailQueue, 'no mail_queue row, even on the trap queue').toEqual([])
      const kinds = new Set(m.tickets.flatMap((t) => t.Article.map((a) => `${String(a.SenderType)}/${String(a.IsVisibleForCustomer)}`)))
      expect(kinds.has('agent/0'), 'internal notes stay internal').toBe(true)
      expect(kinds.has('customer/1')).toBe(true)
      if (scratch) {
        // The database step ran last: tickets carry their source creation time, customer users exist.
        expect(m.tickets.every((t) => t.Created < '2026-01-01'), 'historical create times').toBe(true)
        expect(m.customerUsers.length).toBeGreaterThan(1)
      }

      const verify = await runCli(['verify', 'znuny'], { cwd, env })
      expect(verify.code, verify.stdout + verify.stderr).toBe(0)
      expect(verify.stdout).toMatch(/0 missing in target, 0 differ, 0 errors/)

      const again = await runCli(['--json', 'apply', 'znuny'], { cwd, env })
      expect(again.code, again.stderr).toBe(0)
      for (const k of Object.values(lastJson(again.stdout).counts as Record<string, { create: number; update: number }>)) expect(k.create + k.update).toBe(0)
      expect((await zn.manifest()).tickets).toHaveLength(planned.create)

      if (scratch) {
        const rollback = await runCli(['rollback', 'znuny', '--run', runId], { cwd, env })
        expect(rollback.code, rollback.stdout + rollback.stderr).toBe(0)
        expect((await zn.manifest()).tickets).toHaveLength(0)
      }
    })
  }

  it('killed with SIGKILL at several points of apply and resumed: each ticket once with all its articles, verify 0 differences', async () => {
    const cwd = workdir()
    const zn = await znuny('7.0')
    const env = { ...hs.env, ...zn.env }
    expect((await runCli(['extract', 'helpscout', '--rpm', '100000'], { cwd, env })).code).toBe(0)
    const clean = await znuny('7.0')
    const cleanCwd = workdir()
    const cleanEnv = { ...hs.env, ...clean.env }
    expect((await runCli(['extract', 'helpscout', '--rpm', '100000'], { cwd: cleanCwd, env: cleanEnv })).code).toBe(0)
    const started = performance.now()
    expect((await runCli(['apply', 'znuny'], { cwd: cleanCwd, env: cleanEnv })).code).toBeLessThanOrEqual(5)
    // Kill points as fractions of an uninterrupted apply on this machine, so they land mid-apply however fast it is.
    const full = performance.now() - started

    let killed = 0
    for (const ms of [0.3, 0.5, 0.7].map((f) => Math.round(f * full))) {
      const r = await runCli(['apply', 'znuny'], { cwd, env, killAfterMs: ms })
      if (r.signal === 'SIGKILL') killed++
    }
    const done = await runCli(['apply', 'znuny'], { cwd, env })
    expect([0, 5], done.stderr).toContain(done.code)
    const shape = (m: Awaited<ReturnType<ZnunySim['manifest']>>) =>
      m.tickets.map((t) => `${String(t.DynamicField.find((d) => d.Name === 'DeskmoveSourceId')?.Value)}:${t.Article.length}`).sort()
    expect(shape(await zn.manifest()), 'same tickets and article counts as an uninterrupted run').toEqual(shape(await clean.manifest()))
    const verify = await runCli(['verify', 'znuny'], { cwd, env })
    expect(verify.code, verify.stdout + verify.stderr).toBe(0)
    expect(killed, 'at least one run was really killed mid-way').toBeGreaterThan(0)
  })
})
