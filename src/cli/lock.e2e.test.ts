import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startHelpScoutSimulator, type HelpScoutSimulator } from '../../adapters/sources/helpscout/simulator/server.js'
import { runCli, lastJson } from '../testing/cli-runner.js'

// One writer at a time on a staging store (issue 8 item 2), and what a killed writer leaves is tidied (issue 12 item 9).

function tmpDb(): string {
  return join(mkdtempSync(join(tmpdir(), 'deskmove-lock-e2e-')), 'staging.db')
}

/** Waits until a writer recorded its run (it holds the lock from before that moment). */
async function untilRunRecorded(db: string, env: Record<string, string>): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const s = await runCli(['--db', db, 'status', '--json'], { env })
    if (s.code === 0 && ((lastJson(s.stdout).runs as unknown[] | undefined)?.length ?? 0) > 0) return
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error('the writer never recorded its run')
}

describe('staging store writer lock through the CLI', () => {
  let sim: HelpScoutSimulator
  beforeAll(async () => {
    sim = await startHelpScoutSimulator({ seed: 5, conversations: 150, rpm: null, latencyMs: 80 })
  })
  afterAll(async () => {
    await sim?.close()
  })

  it('a second concurrent extract exits 7 naming the holder; status still reads; the first completes', async () => {
    const db = tmpDb()
    const env = { ...sim.env }
    const first = runCli(['--db', db, 'extract', 'helpscout', '--rpm', '100000', '--no-attachments'], { env })
    await untilRunRecorded(db, env)
    const second = await runCli(['--db', db, 'extract', 'helpscout', '--rpm', '100000', '--no-attachments'], { env })
    expect(second.code, second.stderr).toBe(7)
    expect(second.stderr).toMatch(new RegExp(`staging store locked by pid ${first.child.pid} \\(\`extract\`\\) since \\d{4}-\\d\\d-\\d\\dT`))
    const status = await runCli(['--db', db, 'status'], { env })
    expect(status.code, status.stderr).toBe(0)
    const done = await first
    expect(done.code, done.stderr).toBe(0)
    // Released: the same command now runs (and finds everything staged).
    const again = await runCli(['--db', db, 'extract', 'helpscout', '--rpm', '100000', '--no-attachments'], { env })
    expect(again.code, again.stderr).toBe(0)
  })

  it('after a SIGKILL the next writer takes the lock over, marks the killed run interrupted and removes partial files', async () => {
    const db = tmpDb()
    const env = { ...sim.env }
    const running = runCli(['--db', db, 'extract', 'helpscout', '--rpm', '100000'], { env })
    await untilRunRecorded(db, env)
    running.child.kill('SIGKILL')
    const killed = await running
    expect(killed.signal).toBe('SIGKILL')
    const before = await runCli(['--db', db, 'status', '--json'], { env })
    const killedRun = (lastJson(before.stdout).runs as { id: string; status: string }[])[0]!
    expect(killedRun.status).toBe('running')
    const tmp = join(db.replace(/\.db$/, '.blobs'), 'tmp')
    mkdirSync(tmp, { recursive: true })
    writeFileSync(join(tmp, '999999-partial'), 'half an attachment')
    const resumed = await runCli(['--db', db, 'extract', 'helpscout', '--rpm', '100000'], { env })
    expect(resumed.code, resumed.stderr).toBe(0)
    expect(resumed.stderr).toMatch(/took over the staging lock of pid \d+/)
    const after = await runCli(['--db', db, 'status', '--json'], { env })
    const runs = lastJson(after.stdout).runs as { id: string; status: string }[]
    expect(runs.find((r) => r.id === killedRun.id)?.status).toBe('interrupted')
    expect(runs.filter((r) => r.status === 'running')).toEqual([])
    expect(readdirSync(tmp)).toEqual([])
  })
})
