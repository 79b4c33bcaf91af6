// Zendesk simulator → staging → Znuny simulator through the real CLI (the second source into the second target):
// archived, deleted and merged tickets, voice comments and users without email all land in the mail-trap queue
// with not one mail_queue row, verify finds 0 differences, and a second apply writes nothing.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startZendeskSimulator, type ZendeskSimulator } from '../../adapters/sources/zendesk/simulator/server.js'
import { startZnunySim, TRAP_QUEUE, type ZnunySim } from '../../adapters/targets/znuny/simulator/index.js'
import { znunyTarget } from '../../adapters/targets/znuny/index.js'
import { initConfigText } from '../core/init-config.js'
import { lastJson, runCli } from '../testing/cli-runner.js'
import { testSimProfile } from '../testing/sim-profile.js'

const TICKETS = 24

describe('Zendesk → Znuny through the CLI (simulators)', () => {
  let zd: ZendeskSimulator
  let zn: ZnunySim
  beforeAll(async () => {
    zd = await startZendeskSimulator({ profile: testSimProfile(import.meta.url), seed: 5, tickets: TICKETS, rpm: null, exportRpm: 100_000 })
    zn = await startZnunySim({ version: '7.1' })
  })
  afterAll(async () => {
    await zd?.close()
    await zn?.close()
  })

  it('plan → apply into the trap queue with 0 mail_queue rows → verify 0 differences → re-apply writes nothing', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'deskmove-zd-znuny-'))
    const text = initConfigText({ displayName: znunyTarget.displayName, sections: znunyTarget.mapping ?? [] }).replace('"*": "Raw"', `"*": "${TRAP_QUEUE}"`)
    writeFileSync(join(cwd, 'deskmove.json'), text)
    const env = { ...zd.env, ...zn.env, ZENDESK_EXPORT_RPM: '100000' }

    const extract = await runCli(['extract', 'zendesk', '--rpm', '100000'], { cwd, env })
    expect(extract.code, extract.stderr).toBe(0)
    const plan = await runCli(['--json', 'plan', 'znuny', '-o', 'plan.json'], { cwd, env })
    expect([0, 8], plan.stderr).toContain(plan.code)
    const planned = (lastJson(plan.stdout).counts as Record<string, { create: number; skip: number }>).ticket!
    // Every ticket the vendor holds (archived, deleted and merged ones included) is planned, none dropped.
    expect(planned.create + planned.skip).toBe(TICKETS)

    // In the terminal the target's warnings stand out: Znuny's mail module is unknown and the database step is off.
    const shown = await runCli(['plan', 'znuny'], { cwd, env })
    expect(shown.stdout + shown.stderr).toMatch(/WARNING: e-mail: Znuny's SendmailModule is unknown/)
    expect(shown.stdout + shown.stderr).toMatch(/WARNING: database step: OFF \(ZNUNY_DB_URL is not set\)/)

    const apply = await runCli(['--json', 'apply', 'znuny', 'plan.json'], { cwd, env })
    expect([0, 5], apply.stderr).toContain(apply.code)
    const m = await zn.manifest()
    expect(m.tickets).toHaveLength(planned.create)
    expect(m.tickets.every((t) => t.Queue === TRAP_QUEUE)).toBe(true)
    expect(m.mailQueue, 'no mail_queue row, even on the trap queue').toEqual([])
    const kinds = new Set(m.tickets.flatMap((t) => t.Article.map((a) => `${String(a.SenderType)}/${String(a.IsVisibleForCustomer)}`)))
    expect(kinds.has('agent/0'), 'internal notes stay internal').toBe(true)
    expect(kinds.has('customer/1')).toBe(true)

    const verify = await runCli(['verify', 'znuny'], { cwd, env })
    expect(verify.code, verify.stdout + verify.stderr).toBe(0)
    expect(verify.stdout).toMatch(/0 missing in target, 0 differ, 0 errors/)

    const again = await runCli(['--json', 'apply', 'znuny'], { cwd, env })
    expect(again.code, again.stderr).toBe(0)
    for (const k of Object.values(lastJson(again.stdout).counts as Record<string, { create: number; update: number }>)) expect(k.create + k.update).toBe(0)
    expect((await zn.manifest()).tickets).toHaveLength(planned.create)
  }, 120_000)
})
