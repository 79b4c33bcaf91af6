import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startHelpScoutSimulator, type HelpScoutSimulator } from '../../adapters/sources/helpscout/simulator/server.js'
import { CLI, runCli, lastJson } from '../testing/cli-runner.js'

// Issue 8 item 1: a terminal that reports 0 columns (script -c, docker exec -t, some CI) once made the spinner
// loop on cursor codes while nothing was staged. Run the CLI inside a real pseudo-terminal to prove it does not.

const hasScript = spawnSync('script', ['--version']).status === 0
const shq = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`

/** Runs a shell line inside a pseudo-terminal (util-linux `script`), capturing what the terminal shows. */
function inPty(line: string, env: Record<string, string>, timeoutMs: number): Promise<{ code: number | null; output: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    const { CI: _ci, ...rest } = process.env
    const child = spawn('script', ['-q', '-e', '-c', line, '/dev/null'], { env: { ...rest, TERM: 'xterm', ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    let timedOut = false
    const add = (d: Buffer): void => {
      if (output.length < 5_000_000) output += d.toString()
    }
    child.stdout.on('data', add)
    child.stderr.on('data', add)
    const timer = setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
    }, timeoutMs)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, output, timedOut })
    })
  })
}

describe.skipIf(!hasScript)(`progress on a terminal of zero width${hasScript ? '' : ' (skipped: util-linux `script` is not installed)'}`, () => {
  let sim: HelpScoutSimulator
  beforeAll(async () => {
    sim = await startHelpScoutSimulator({ seed: 3, conversations: 120, rpm: null, latencyMs: 5 })
  })
  afterAll(async () => {
    await sim?.close()
  })

  it('extract completes with plain progress lines and stages everything', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'deskmove-tty-')), 'staging.db')
    const cmd = `stty cols 0 rows 0; exec ${shq(process.execPath)} ${shq(CLI)} --db ${shq(db)} extract helpscout --rpm 100000`
    const r = await inPty(cmd, { ...sim.env, DESKMOVE_PROGRESS_MS: '50' }, 30_000)
    expect(r.timedOut, r.output.slice(-2000)).toBe(false)
    expect(r.code, r.output.slice(-2000)).toBe(0)
    // Plain lines: no cursor movement or line erasing, and a small output.
    expect(r.output).not.toMatch(/\u001b\[\d*[AGK]/)
    expect(r.output.length).toBeLessThan(100_000)
    expect(r.output).toMatch(/tickets?: \d+/)
    const status = await runCli(['--db', db, 'status', '--json'], { env: sim.env })
    expect((lastJson(status.stdout).counts as Record<string, number>).tickets).toBe(sim.manifest().counts.tickets)
  }, 60_000)

  it('a terminal of ordinary width gets the spinner, and the work completes the same', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'deskmove-tty-')), 'staging.db')
    const cmd = `stty cols 100 rows 30; exec ${shq(process.execPath)} ${shq(CLI)} --db ${shq(db)} extract helpscout --rpm 100000`
    const r = await inPty(cmd, { ...sim.env }, 30_000)
    expect(r.timedOut, r.output.slice(-2000)).toBe(false)
    expect(r.code, r.output.slice(-2000)).toBe(0)
    expect(r.output.length).toBeLessThan(1_000_000)
    const status = await runCli(['--db', db, 'status', '--json'], { env: sim.env })
    expect((lastJson(status.stdout).counts as Record<string, number>).tickets).toBe(sim.manifest().counts.tickets)
  }, 60_000)
})
