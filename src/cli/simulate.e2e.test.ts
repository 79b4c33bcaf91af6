import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { CLI, lastJson, runCli } from '../testing/cli-runner.js'
import { createScratchDatabase, probeDatabases } from '../testing/test-databases.js'
import { testSimProfile } from '../testing/sim-profile.js'

const exec = promisify(execFile)
const profile = testSimProfile(import.meta.url)
const pids: number[] = []
const dirs: string[] = []

function stop(pid: number): void {
  try {
    process.kill(pid, 'SIGTERM')
  } catch {
    // already gone
  }
}

afterAll(() => {
  for (const pid of pids) stop(pid)
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

/** Parses `export NAME='value'` lines the way a POSIX shell would for these simple values. */
function parseExports(text: string): Record<string, string> {
  const env: Record<string, string> = {}
  for (const line of text.trim().split('\n')) {
    const m = /^export ([A-Z_][A-Z0-9_]*)='([^']*)'$/.exec(line)
    expect(m, line).not.toBeNull()
    env[m![1]!] = m![2]!
  }
  return env
}

describe('deskmove simulate', () => {
  it('lists the simulators the registry carries', async () => {
    const r = await runCli(['simulate'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^ {2}helpscout {2}serve the Help Scout/m)
    expect(r.stdout).toMatch(/^ {2}freescout {2}create a FreeScout/m)
    expect(r.stdout).toMatch(/^ {2}zendesk {4}serve the Zendesk/m)
    const unknown = await runCli(['simulate', 'zendeskk'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toMatch(/unknown simulator "zendeskk"; available: helpscout, zendesk, freescout/)
  })

  it('shows a simulator’s options from its definition', async () => {
    const r = await runCli(['simulate', 'helpscout', '--help'])
    expect(r.code).toBe(0)
    for (const flag of ['--conversations <n>', '--profile <name>', '--print-env', '--detach', '--save-env <path>']) expect(r.stdout).toContain(flag)
    const bad = await runCli(['simulate', 'helpscout', '--profile', 'thin'])
    expect(bad.code).toBe(2)
  })

  it('the README recipe works: eval "$(deskmove simulate helpscout --print-env --detach …)" then the variables reach the running server', async () => {
    const script = [
      `eval "$("${process.execPath}" "${CLI}" simulate helpscout --conversations 7 --seed 4 --profile ${profile} --print-env --detach)"`,
      'echo "pid=$DESKMOVE_SIM_PID"',
      `"${process.execPath}" -e 'const b = process.env.HELPSCOUT_BASE_URL.replace(/\\/v2$/, ""); fetch(b + "/_sim/info").then((r) => r.json()).then((j) => console.log("info=" + JSON.stringify(j)))'`,
      `"${process.execPath}" -e 'const e = process.env; fetch(e.HELPSCOUT_BASE_URL + "/oauth2/token", { method: "POST", body: new URLSearchParams({ grant_type: "client_credentials", client_id: e.HELPSCOUT_APP_ID, client_secret: e.HELPSCOUT_APP_SECRET }) }).then((r) => console.log("token=" + r.status))'`,
    ].join('\n')
    const { stdout } = await exec('sh', ['-c', script], { timeout: 30_000 })
    const pid = Number(/pid=(\d+)/.exec(stdout)?.[1])
    expect(pid).toBeGreaterThan(0)
    pids.push(pid)
    expect(stdout).toContain(`info={"seed":4,"profile":"${profile}"}`)
    expect(stdout).toContain('token=200')
    stop(pid)
  })

  it('writes --save-env whole while it keeps serving, and stops on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deskmove-sim-'))
    dirs.push(dir)
    const run = runCli(['simulate', 'helpscout', '--conversations', '3', '--save-env', 'sim.env'], { cwd: dir })
    const file = join(dir, 'sim.env')
    for (let i = 0; i < 200 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 50))
    const env = parseExports(readFileSync(file, 'utf8'))
    expect(Object.keys(env).sort()).toEqual(['HELPSCOUT_APP_ID', 'HELPSCOUT_APP_SECRET', 'HELPSCOUT_BASE_URL', 'HELPSCOUT_INLINE_IMAGE_HOSTS'])
    const stats = await fetch(env.HELPSCOUT_BASE_URL!.replace(/\/v2$/, '/_sim/stats'))
    expect(stats.status).toBe(200)
    run.child.kill('SIGTERM')
    const done = await run
    expect(done.code).toBe(0)
    expect(lastJson(done.stdout).env).toEqual(env)
  })

  it('simulate freescout goes through the same command: a one-shot setup that prints its env and exits', async (t) => {
    const probe = await probeDatabases()
    if (!probe.postgres) return t.skip(probe.reasons.postgres ?? 'PostgreSQL not reachable')
    const scratch = await createScratchDatabase('postgres', 'simcli')
    const dir = mkdtempSync(join(tmpdir(), 'deskmove-sim-'))
    dirs.push(dir)
    try {
      const r = await runCli(['simulate', 'freescout', '--db-url', scratch.url, '--storage', 'fs', '--mailboxes', '1', '--print-env'], { cwd: dir })
      expect(r.code, r.stderr).toBe(0)
      expect(parseExports(r.stdout)).toEqual({ FREESCOUT_DB_URL: scratch.url, FREESCOUT_STORAGE_DIR: join(dir, 'fs') })
      expect(r.stderr).toMatch(/FreeScout stand-in ready/)
      expect(existsSync(join(dir, 'fs', 'attachment'))).toBe(true)
    } finally {
      await scratch.drop()
    }
  })
})
