import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startHelpScoutSimulator, type HelpScoutSimulator } from '../../adapters/sources/helpscout/simulator/server.js'
import { runCli } from '../testing/cli-runner.js'
import { dnsExplanation } from './source-session.js'

// Issue 8 items 15–16: a refused secret names where it was read from; a host that does not resolve is
// reported the same way (and with the same exit code) by `extract` and `check`.

const NO_OVERRIDE = { HELPSCOUT_BASE_URL: '' }

describe('remote failures the operator must act on', () => {
  let sim: HelpScoutSimulator
  beforeAll(async () => {
    sim = await startHelpScoutSimulator({ seed: 4, conversations: 3, rpm: null })
  })
  afterAll(async () => {
    await sim?.close()
  })

  it('a refused secret from deskmove.json names its key and file; from the environment, the variable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deskmove-auth-'))
    const config = join(dir, 'deskmove.json')
    writeFileSync(config, JSON.stringify({ sources: { helpscout: { appId: sim.env.HELPSCOUT_APP_ID, appSecret: 'wrong-secret-canary-456', baseUrl: sim.env.HELPSCOUT_BASE_URL } } }))
    const env = { HELPSCOUT_APP_ID: '', HELPSCOUT_APP_SECRET: '', ...NO_OVERRIDE }
    const fromFile = await runCli(['--db', join(dir, 's.db'), '--config', config, 'extract', 'helpscout'], { env, cwd: dir })
    expect(fromFile.code, fromFile.stderr).toBe(3)
    expect(fromFile.stderr).toContain(`the secret was read from "sources.helpscout.appSecret" in ${config}`)
    expect(fromFile.stdout + fromFile.stderr).not.toContain('wrong-secret-canary-456')
    const fromEnv = await runCli(['--db', join(dir, 's2.db'), 'extract', 'helpscout'], { env: { ...sim.env, HELPSCOUT_APP_SECRET: 'wrong-secret-canary-789' }, cwd: dir })
    expect(fromEnv.code, fromEnv.stderr).toBe(3)
    expect(fromEnv.stderr).toContain('the secret was read from the environment variable HELPSCOUT_APP_SECRET')
  })

  it('an unresolvable base URL: extract and check both exit 4 and name the host and the variable', async () => {
    const env = { ...sim.env, HELPSCOUT_BASE_URL: 'http://deskmove-no-such-host.invalid/v2' }
    const dir = mkdtempSync(join(tmpdir(), 'deskmove-dns-'))
    const [extract, check] = await Promise.all([runCli(['--db', join(dir, 's.db'), 'extract', 'helpscout'], { env, cwd: dir }), runCli(['check', 'helpscout'], { env, cwd: dir })])
    for (const r of [extract, check]) {
      expect(r.code, r.stderr).toBe(4)
      expect(r.stderr).toContain('the host deskmove-no-such-host.invalid could not be resolved (DNS)')
      expect(r.stderr).toContain('HELPSCOUT_BASE_URL')
    }
  }, 60_000)
})

describe('dnsExplanation', () => {
  it('with no override, says the vendor host could not be resolved instead of "re-run to resume"', () => {
    const e = dnsExplanation('oauth2.token: POST https://api.helpscout.net/v2/oauth2/token failed after 5 attempts; last failure: host not found (ENOTFOUND)', { appId: 'x', baseUrl: 'https://api.helpscout.net/v2' })
    expect(e?.message).toBe('the vendor host api.helpscout.net could not be resolved (DNS): this machine cannot look up the real API host')
    expect(e?.hint).not.toMatch(/re-run/)
  })
  it('leaves other failures alone', () => {
    expect(dnsExplanation('list conversations failed after 5 attempts; last failure: connection reset (ECONNRESET)', {})).toBeNull()
  })
})
