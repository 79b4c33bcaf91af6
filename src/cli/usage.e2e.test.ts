import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startHelpScoutSimulator, type HelpScoutSimulator } from '../../adapters/sources/helpscout/simulator/server.js'
import { runCli } from '../testing/cli-runner.js'

// Issue 8 item 6: a mistyped command line is a usage error (exit 2) that says what would have been valid.

function tmpDb(): string {
  return join(mkdtempSync(join(tmpdir(), 'deskmove-usage-')), 'staging.db')
}

describe('usage errors', () => {
  let sim: HelpScoutSimulator
  beforeAll(async () => {
    sim = await startHelpScoutSimulator({ seed: 2, conversations: 8, rpm: null })
  })
  afterAll(async () => {
    await sim?.close()
  })

  it('--streams with an unknown name exits 2 listing the valid names, and stages nothing', async () => {
    const db = tmpDb()
    const r = await runCli(['--db', db, 'extract', 'helpscout', '--streams', 'tikets'], { env: sim.env })
    expect(r.code, r.stderr).toBe(2)
    expect(r.stderr).toMatch(/unknown stream tikets for helpscout; valid: .*\btickets\b/)
    expect(r.stderr).not.toMatch(/bug in deskmove/)
    expect(existsSync(db)).toBe(false)
  })

  it('--since with a date that is not in the calendar exits 2', async () => {
    for (const since of ['2024-02-30', '2023-02-29', '2024-13-01', '2024-01-01T25:00:00Z', 'yesterday']) {
      const r = await runCli(['--db', tmpDb(), 'extract', 'helpscout', '--since', since], { env: sim.env })
      expect(r.code, `${since}: ${r.stderr}`).toBe(2)
      expect(r.stderr).toMatch(/ISO-8601/)
    }
  })

  it('--since in the future warns and still runs', async () => {
    const r = await runCli(['--db', tmpDb(), 'extract', 'helpscout', '--since', '2999-01-01', '--rpm', '100000'], { env: sim.env })
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toMatch(/warn: --since 2999-01-01T00:00:00Z is in the future/)
  })

  it('show of an id that is not staged exits 2 with a clear message; a staged one still shows', async () => {
    const db = tmpDb()
    const ex = await runCli(['--db', db, 'extract', 'helpscout', '--rpm', '100000', '--no-attachments'], { env: sim.env })
    expect(ex.code, ex.stderr).toBe(0)
    const missing = await runCli(['--db', db, 'show', 'ticket', '99999'], { env: sim.env })
    expect(missing.code, missing.stderr).toBe(2)
    expect(missing.stderr).toMatch(/no ticket with source id 99999 in staging/)
    const id = String(sim.manifest().ids.tickets![0])
    const found = await runCli(['--db', db, 'show', 'ticket', id], { env: sim.env })
    expect(found.code, found.stderr).toBe(0)
  })
})
