import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startHelpScoutSimulator, type HelpScoutSimulator } from '../../adapters/sources/helpscout/simulator/server.js'
import { runCli } from '../testing/cli-runner.js'

// Issue 8 items 10, 12, 13, 17: what the screen says to an operator at 2 a.m.

const TARGET_ENV = { FREESCOUT_DB_URL: 'mysql://root@127.0.0.1:3306/deskmove_never_used', FREESCOUT_STORAGE_DIR: '/tmp/deskmove-never-used' }

describe('operator messages', () => {
  let sim: HelpScoutSimulator
  beforeAll(async () => {
    sim = await startHelpScoutSimulator({ seed: 9, conversations: 30, rpm: null })
  })
  afterAll(async () => {
    await sim?.close()
  })

  it('migrate without deskmove.json stops before extracting, naming the file it expected (exit 3)', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'deskmove-op-'))
    const r = await runCli(['migrate', 'helpscout', 'freescout'], { cwd, env: { ...sim.env, ...TARGET_ENV, DESKMOVE_CONFIG: '' } })
    expect(r.code, r.stderr).toBe(3)
    expect(r.stderr).toContain(`no mapping: ${join(cwd, 'deskmove.json')} does not exist`)
    expect(r.stderr).toMatch(/deskmove init/)
    expect(existsSync(join(cwd, 'deskmove.db')), 'nothing was extracted').toBe(false)
    expect(sim.stats().total, 'no request reached the vendor').toBe(0)
  })

  it('migrate with a deskmove.json that has no mapping section stops too', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'deskmove-op-'))
    writeFileSync(join(cwd, 'deskmove.json'), '{}')
    const r = await runCli(['migrate', 'helpscout', 'freescout'], { cwd, env: { ...sim.env, ...TARGET_ENV, DESKMOVE_CONFIG: '' } })
    expect(r.code, r.stderr).toBe(3)
    expect(r.stderr).toContain(`no mapping: ${join(cwd, 'deskmove.json')} has no "mapping" section`)
  })

  it('plan without a staging store exits 2 and does not create one', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'deskmove-op-'))
    const r = await runCli(['plan', 'freescout'], { cwd, env: { DESKMOVE_CONFIG: '' } })
    expect(r.code, r.stderr).not.toBe(0)
    expect(r.code).not.toBe(70)
    expect(existsSync(join(cwd, 'deskmove.db'))).toBe(false)
  })

  it('extract counts tickets as tickets; a re-run of a complete extract says so with the table and suggests --since', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'deskmove-op-')), 'staging.db')
    const first = await runCli(['--db', db, 'extract', 'helpscout', '--rpm', '100000'], { env: { ...sim.env, DESKMOVE_PROGRESS_MS: '0' } })
    expect(first.code, first.stderr).toBe(0)
    const tickets = sim.manifest().counts.tickets!
    // The last progress line of the tickets stream shows every ticket, not the page number.
    const ticketLines = first.stderr.split('\n').filter((l) => l.startsWith('tickets: '))
    expect(ticketLines.at(-1)).toMatch(new RegExp(`^tickets: ${tickets} `))
    expect(first.stderr).toMatch(/attachment files: \d+\/\d+ .*MB/)
    expect(first.stdout).toMatch(new RegExp(`staging now holds: .*${tickets} tickets`))

    const again = await runCli(['--db', db, 'extract', 'helpscout', '--rpm', '100000'], { env: sim.env })
    expect(again.code, again.stderr).toBe(0)
    expect(again.stdout).toMatch(/already complete, nothing new was read/)
    expect(again.stdout).toMatch(new RegExp(`ticket\\s.*\\b${tickets}\\b`))
    expect(again.stdout).toMatch(/deskmove extract helpscout --since/)

    const status = await runCli(['--db', db, 'status'], { env: sim.env })
    expect(status.code, status.stderr).toBe(0)
    expect(status.stdout).not.toMatch(/[{}]/)
    expect(status.stdout).toMatch(/attachment files \(helpscout\): \d+ stored \([\d.]+ (B|KB|MB)\)/)
    expect(status.stdout).toMatch(/recent runs:/)
    // Records staged with a gap are counted, per code (the simulator serves drafts, which are never staged as sent).
    expect(status.stdout).toMatch(/records staged with warnings: [1-9]\d* \(.*draft-thread-not-staged [1-9]/)
  })
})
