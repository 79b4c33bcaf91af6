// End to end, as a user runs it: Zendesk simulator → `deskmove extract zendesk` → `deskmove status --json`,
// then killed and resumed, and on into the FreeScout stand-in (plan → apply → verify at 0 differences).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { runCli, lastJson } from '../../../src/testing/cli-runner.js'
import { testSimProfile } from '../../../src/testing/sim-profile.js'
import { createScratchDatabase, probeDatabases } from '../../../src/testing/test-databases.js'
import { initConfigText } from '../../../src/core/init-config.js'
import { findTarget } from '../../index.js'
import { startZendeskSimulator, type ZendeskSimulator } from './simulator/server.js'

const profile = testSimProfile(import.meta.url)
const tmpDb = (): string => join(mkdtempSync(join(tmpdir(), 'deskmove-zd-')), 'staging.db')
/** The export's real budget is 10 requests a minute; the simulator's and ours are raised so a test need not wait. */
const FAST = { ZENDESK_EXPORT_RPM: '100000' }
const RUN = ['--rpm', '100000', '--concurrency', '4']

/** Staged ids of a kind, from the staging database. */
function stagedIds(db: string, kind: string): string[] {
  const sqlite = new Database(db, { readonly: true })
  try {
    return (sqlite.prepare('SELECT source_id FROM staged_record WHERE kind = ? ORDER BY source_id').all(kind) as { source_id: string }[]).map((r) => r.source_id)
  } finally {
    sqlite.close()
  }
}

async function expectStagedEqualsManifest(sim: ZendeskSimulator, db: string, env: Record<string, string>): Promise<void> {
  const m = sim.manifest()
  const status = await runCli(['--db', db, 'status', '--json'], { env })
  expect(status.code, status.stderr).toBe(0)
  const counts = (lastJson(status.stdout).counts ?? {}) as Record<string, number>
  expect(counts.tickets).toBe(m.counts.tickets)
  expect(counts.messages).toBe(m.counts.comments)
  expect(counts.attachments).toBe(m.counts.attachments! + m.counts.inlineImages!)
  expect(counts.organizations).toBe(m.counts.organizations)
  expect(counts.groups).toBe(m.counts.groups)
  expect(counts.agents).toBe(m.counts.agents)
  expect(stagedIds(db, 'ticket')).toEqual(m.tickets.map((t) => String(t.id)).sort())
  // Archived and deleted tickets are staged like the others (the plain ticket list would have missed them).
  expect(m.counts.archivedTickets! * m.counts.deletedTickets!).toBeGreaterThan(0)
}

describe(`extract zendesk end to end (2,000 tickets, ${profile} profile)`, () => {
  let sim: ZendeskSimulator
  let env: Record<string, string>
  beforeAll(async () => {
    sim = await startZendeskSimulator({ profile, seed: 7, tickets: 2000, rpm: null, exportRpm: 100_000 })
    env = { ...sim.env, ...FAST }
  })
  afterAll(async () => {
    await sim?.close()
  })

  // Bytes are left out at this size (7,000+ downloads): the next test fetches and checks them on a smaller account.
  it('stages exactly what the simulator manifest says exists; a delta from the kept cursors stages nothing again', async () => {
    const db = tmpDb()
    const run = await runCli(['--db', db, 'extract', 'zendesk', ...RUN, '--no-attachments'], { env })
    expect(run.code, run.stderr).toBe(0)
    await expectStagedEqualsManifest(sim, db, env)
    expect(run.stdout + run.stderr).not.toContain(env.ZENDESK_API_TOKEN)
    const before = sim.stats() as unknown as { requests: Record<string, number> }
    const commentsBefore = before.requests['GET /api/v2/tickets/{id}/comments'] ?? 0
    const delta = await runCli(['--db', db, '--json', 'extract', 'zendesk', '--since', '2000-01-01T00:00:00Z', ...RUN, '--no-attachments'], { env })
    expect(delta.code, delta.stderr).toBe(0)
    const kinds = lastJson(delta.stdout).kinds as Record<string, { staged: number }>
    expect(kinds.ticket?.staged ?? 0).toBe(0)
    const after = sim.stats() as unknown as { requests: Record<string, number> }
    expect(after.requests['GET /api/v2/tickets/{id}/comments'] ?? 0, 'no comment re-read: nothing changed').toBe(commentsBefore)
    await expectStagedEqualsManifest(sim, db, env)
  }, 120_000)

})

describe(`extract zendesk killed and resumed (${profile} profile)`, () => {
  it('killed with SIGKILL at several points and resumed, ends with exactly the records of an uninterrupted run', async () => {
    const sim = await startZendeskSimulator({ profile, seed: 8, tickets: 1200, rpm: null, exportRpm: 100_000 })
    try {
      const env = { ...sim.env, ...FAST }
      const db = tmpDb()
      let killed = 0
      // An export page is 250 tickets with their comments: the kills land before, between and inside page commits.
      for (const at of [1200, 2500, 4000]) {
        const r = await runCli(['--db', db, 'extract', 'zendesk', ...RUN, '--no-attachments'], { env, killAfterMs: at })
        if (r.signal === 'SIGKILL') killed++
      }
      expect(killed).toBeGreaterThan(0)
      const final = await runCli(['--db', db, 'extract', 'zendesk', ...RUN, '--no-attachments'], { env })
      expect(final.code, final.stderr).toBe(0)
      await expectStagedEqualsManifest(sim, db, env)
    } finally {
      await sim.close()
    }
  }, 120_000)
})

describe(`extract zendesk with attachment bytes and faults (${profile} profile)`, () => {
  it('fetches every file through its signed link, each stored blob matching the digest', async () => {
    const sim = await startZendeskSimulator({ profile, seed: 9, tickets: 120, rpm: null, exportRpm: 100_000, linkTtlSeconds: 2, faults: '5xx=0.03,truncate=0.02' })
    try {
      const env = { ...sim.env, ...FAST }
      const db = tmpDb()
      const run = await runCli(['--db', db, 'extract', 'zendesk', ...RUN], { env })
      expect(run.code, run.stderr).toBe(0)
      await expectStagedEqualsManifest(sim, db, env)
      const m = sim.manifest()
      const sqlite = new Database(db, { readonly: true })
      try {
        const rows = sqlite.prepare("SELECT source_id, json_extract(canonical, '$.sha256') AS sha FROM staged_record WHERE kind = 'attachment'").all() as { source_id: string; sha: string | null }[]
        expect(rows.length).toBeGreaterThan(0)
        for (const r of rows) expect(r.sha, `sha256 of ${r.source_id}`).toBe((m.attachments[r.source_id] ?? m.inlineImages[r.source_id])?.sha256)
      } finally {
        sqlite.close()
      }
    } finally {
      await sim.close()
    }
  }, 120_000)

  it('exits 3 on wrong credentials, naming the variables to fix, without printing the secret', async () => {
    const sim = await startZendeskSimulator({ profile, seed: 1, tickets: 5, rpm: null })
    try {
      const env = { ...sim.env, ...FAST, ZENDESK_API_TOKEN: 'wrong-token-canary-123' }
      const run = await runCli(['--db', tmpDb(), 'extract', 'zendesk'], { env })
      expect(run.code).toBe(3)
      expect(run.stderr).toMatch(/ZENDESK_API_TOKEN/)
      expect(run.stdout + run.stderr).not.toContain('wrong-token-canary-123')
    } finally {
      await sim.close()
    }
  })
})

const probe = await probeDatabases()
const TICKETS = 60

for (const dialect of ['mysql', 'postgres'] as const) {
  const reason = dialect === 'mysql' ? probe.reasons.mysql : probe.reasons.postgres
  describe.skipIf(reason !== null)(`Zendesk → FreeScout through the CLI on ${dialect}${reason ? ` (skipped: ${reason})` : ''}`, () => {
    const cleanup: (() => Promise<void>)[] = []
    afterAll(async () => {
      for (const c of cleanup) await c().catch(() => undefined)
    })

    it('extract → plan → apply → verify at 0 differences', async () => {
      const sim = await startZendeskSimulator({ profile, seed: 21, tickets: TICKETS, rpm: null, exportRpm: 100_000 })
      cleanup.push(() => sim.close())
      const cwd = mkdtempSync(join(tmpdir(), 'deskmove-zd-migrate-'))
      // Every Zendesk group goes to FreeScout mailbox 1.
      const freescout = findTarget('freescout')
      writeFileSync(join(cwd, 'deskmove.json'), initConfigText({ displayName: freescout.displayName, sections: freescout.mapping ?? [] }).replace('// "*": 1', '"*": 1'))
      const scratch = await createScratchDatabase(dialect, 'zdcli')
      cleanup.unshift(scratch.drop)
      const made = await runCli(['simulate', 'freescout', '--db-url', scratch.url, '--storage', join(cwd, 'storage')], { cwd })
      expect(made.code, made.stderr).toBe(0)
      const env = { ...sim.env, ...FAST, ...((lastJson(made.stdout).env ?? {}) as Record<string, string>) }
      const extract = await runCli(['extract', 'zendesk', ...RUN], { cwd, env })
      expect(extract.code, extract.stderr).toBe(0)
      const plan = await runCli(['--json', 'plan', 'freescout', '-o', 'plan.json'], { cwd, env })
      expect([0, 8], plan.stderr).toContain(plan.code)
      const apply = await runCli(['--json', 'apply', 'freescout', 'plan.json'], { cwd, env })
      expect(apply.code, apply.stderr).toBe(0)
      const verify = await runCli(['verify', 'freescout'], { cwd, env })
      expect(verify.code, verify.stdout + verify.stderr).toBe(0)
      const counts = /(\d+) matching, 0 missing in target, 0 differ, 0 errors(?:, (\d+) altered by rule)?/.exec(verify.stdout)
      expect(counts, verify.stdout).not.toBeNull()
      expect(Number(counts![1]) + Number(counts![2] ?? 0)).toBe(TICKETS)
    }, 180_000)
  })
}
