import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { startHelpScoutSimulator, type HelpScoutSimulator } from '../../adapters/sources/helpscout/simulator/server.js'
import { runCli, lastJson } from '../testing/cli-runner.js'
import { testSimProfile } from '../testing/sim-profile.js'

// End to end, as a user runs it: simulator → `deskmove extract helpscout` → `deskmove status --json`.

const KINDS = ['agents', 'customers', 'organizations', 'groups', 'tickets', 'messages', 'attachments'] as const
const SINGULAR: Record<string, string> = { agents: 'agent', customers: 'customer', organizations: 'organization', groups: 'group', tickets: 'ticket', messages: 'message', attachments: 'attachment' }

function tmpDb(): string {
  return join(mkdtempSync(join(tmpdir(), 'deskmove-e2e-')), 'staging.db')
}

/** Deterministic pseudo-random kill points, so a failure can be replayed. */
function* killPoints(seed: number): Generator<number> {
  let x = seed
  for (;;) {
    x = (x * 1103515245 + 12345) % 2147483648
    yield 150 + (x % 1200)
  }
}

async function expectStagedEqualsManifest(sim: HelpScoutSimulator, db: string, env: Record<string, string>): Promise<void> {
  const manifest = sim.manifest() as unknown as { counts: Record<string, number>; ids: Record<string, string[]>; attachments: Record<string, { sha256: string; size: number }>; inlineImages: Record<string, { sha256: string }> }
  const status = await runCli(['--db', db, 'status', '--json'], { env })
  expect(status.code, status.stderr).toBe(0)
  const counts = (lastJson(status.stdout).counts ?? {}) as Record<string, number>
  // The vendor's CDN images are staged as inline attachments beside the vendor's attachments (ids `inline-…`).
  const inlineImages = Object.keys(manifest.inlineImages).length
  for (const k of KINDS) expect(counts[k], `count of ${k}`).toBe(manifest.counts[k]! + (k === 'attachments' ? inlineImages : 0))
  const sqlite = new Database(db, { readonly: true })
  try {
    for (const k of KINDS) {
      const ids = (sqlite.prepare("SELECT source_id FROM staged_record WHERE kind = ? AND source_id NOT LIKE 'inline-%' ORDER BY source_id").all(SINGULAR[k]) as { source_id: string }[]).map((r) => r.source_id)
      expect(ids, `ids of ${k}`).toEqual([...(manifest.ids[k] ?? [])].map(String).sort())
    }
    const rows = sqlite.prepare("SELECT source_id, json_extract(canonical, '$.sha256') AS sha, json_extract(canonical, '$.download.inlineImageUrl') AS url FROM staged_record WHERE kind = 'attachment'").all() as { source_id: string; sha: string | null; url: string | null }[]
    for (const r of rows) expect(r.sha, `sha256 of attachment ${r.source_id}`).toBe(r.url ? manifest.inlineImages[new URL(r.url).pathname]?.sha256 : manifest.attachments[r.source_id]?.sha256)
  } finally {
    sqlite.close()
  }
}

describe('extract helpscout end to end (2,000 conversations)', () => {
  let sim: HelpScoutSimulator
  let env: Record<string, string>
  beforeAll(async () => {
    sim = await startHelpScoutSimulator({ profile: testSimProfile(import.meta.url), seed: 7, conversations: 2000, rpm: null })
    env = { ...sim.env }
  })
  afterAll(async () => {
    await sim?.close()
  })

  it('stages exactly what the simulator manifest says exists', async () => {
    const db = tmpDb()
    const run = await runCli(['--db', db, 'extract', 'helpscout', '--rpm', '100000', '--concurrency', '4'], { env })
    expect(run.code, run.stderr).toBe(0)
    await expectStagedEqualsManifest(sim, db, env)
    expect(run.stdout + run.stderr).not.toContain(env.HELPSCOUT_APP_SECRET)

    // A delta from before everything re-reads it all and finds nothing changed; nothing is staged twice.
    const delta = await runCli(['--db', db, '--json', 'extract', 'helpscout', '--since', '2000-01-01T00:00:00Z', '--rpm', '100000', '--no-attachments'], { env })
    expect(delta.code, delta.stderr).toBe(0)
    const kinds = lastJson(delta.stdout).kinds as Record<string, { staged: number; unchanged: number }>
    expect(kinds.ticket).toMatchObject({ staged: 0, unchanged: sim.manifest().counts.tickets })
    await expectStagedEqualsManifest(sim, db, env)
    // Two full extracts (the first also downloads ~400 inline CDN images): room for a loaded CI machine.
  }, 120_000)

  it('Ctrl-C finishes the page in flight, saves, exits 130; the same command then completes the extract', async () => {
    const db = tmpDb()
    const stopped = await runCli(['--db', db, 'extract', 'helpscout', '--rpm', '300'], { env, killAfterMs: 1500, signal: 'SIGINT' })
    expect(stopped.code, stopped.stderr).toBe(130)
    expect(stopped.stderr).toMatch(/progress saved/)
    expect(stopped.stderr).toMatch(/re-run/)
    const resumed = await runCli(['--db', db, 'extract', 'helpscout', '--rpm', '100000', '--concurrency', '4'], { env })
    expect(resumed.code, resumed.stderr).toBe(0)
    await expectStagedEqualsManifest(sim, db, env)
  })

  it('killed with SIGKILL at random points and resumed, ends with exactly the records of an uninterrupted run', async () => {
    const db = tmpDb()
    const points = killPoints(42)
    let killed = 0
    for (let i = 0; i < 4; i++) {
      const r = await runCli(['--db', db, 'extract', 'helpscout', '--rpm', '100000', '--concurrency', '4'], { env, killAfterMs: points.next().value as number })
      if (r.signal === 'SIGKILL') killed++
    }
    expect(killed).toBeGreaterThan(0)
    const final = await runCli(['--db', db, 'extract', 'helpscout', '--rpm', '100000', '--concurrency', '4'], { env })
    expect(final.code, final.stderr).toBe(0)
    await expectStagedEqualsManifest(sim, db, env)
  })
})

describe('extract helpscout under faults', () => {
  let sim: HelpScoutSimulator
  beforeAll(async () => {
    sim = await startHelpScoutSimulator({ profile: testSimProfile(import.meta.url), seed: 11, conversations: 300, rpm: null, faults: '5xx=0.05,reset=0.03,truncate=0.03' })
  })
  afterAll(async () => {
    await sim?.close()
  })

  it('survives 5xx bursts, resets and truncated bodies and still stages everything', async () => {
    const db = tmpDb()
    const env = { ...sim.env }
    const run = await runCli(['--db', db, 'extract', 'helpscout', '--rpm', '100000'], { env })
    expect(run.code, run.stderr).toBe(0)
    await expectStagedEqualsManifest(sim, db, env)
    const stats = sim.stats() as unknown as { faults: Record<string, number> }
    expect(Object.values(stats.faults).reduce((a, b) => a + b, 0)).toBeGreaterThan(0)
  })
})

describe('extract helpscout with wrong credentials', () => {
  it('exits 3 naming the variable to fix, without printing the secret', async () => {
    const sim = await startHelpScoutSimulator({ profile: testSimProfile(import.meta.url), seed: 1, conversations: 5, rpm: null })
    try {
      const env = { ...sim.env, HELPSCOUT_APP_SECRET: 'wrong-secret-canary-123' }
      const run = await runCli(['--db', tmpDb(), 'extract', 'helpscout'], { env })
      expect(run.code).toBe(3)
      expect(run.stderr).toMatch(/HELPSCOUT_APP_(ID|SECRET)/)
      expect(run.stdout + run.stderr).not.toContain('wrong-secret-canary-123')
    } finally {
      await sim.close()
    }
  })
})
