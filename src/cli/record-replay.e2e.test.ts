// Issue 11 items 1–2, end to end through the CLI: `extract --record DIR` against the Help Scout simulator, then
// `extract --replay DIR` with no credentials and no vendor stages exactly the same content.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHash } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { startHelpScoutSimulator, type HelpScoutSimulator } from '../../adapters/sources/helpscout/simulator/server.js'
import { runCli, lastJson } from '../testing/cli-runner.js'
import { testSimProfile } from '../testing/sim-profile.js'
import { findSecretShapes } from '../http/recording/scrub.js'

/** Everything a run staged that a replay must reproduce, as one hash per table (run ids and times left out). */
function stagedContent(db: string): Record<string, string> {
  const sqlite = new Database(db, { readonly: true })
  const queries: Record<string, string> = {
    records: 'SELECT source, kind, source_id, stream, parent_id, canonical, raw, content_hash, source_updated_at FROM staged_record ORDER BY source, kind, source_id',
    blobs: 'SELECT source, source_id, status, sha256, size, error FROM blob_fetch ORDER BY source, source_id',
    rejects: 'SELECT phase, source, stream, kind, source_id, reason, detail FROM reject ORDER BY phase, kind, source_id, reason',
    warnings: 'SELECT source, kind, source_id, phase, code, detail FROM record_warning ORDER BY source, kind, source_id, phase, code, detail',
  }
  try {
    return Object.fromEntries(Object.entries(queries).map(([name, sql]) => [name, createHash('sha256').update(JSON.stringify(sqlite.prepare(sql).all())).digest('hex')]))
  } finally {
    sqlite.close()
  }
}

function count(db: string, sql: string): number {
  const sqlite = new Database(db, { readonly: true })
  try {
    return (sqlite.prepare(sql).get() as { n: number }).n
  } finally {
    sqlite.close()
  }
}

describe('extract --record / --replay (Help Scout simulator, 6 conversations)', () => {
  let sim: HelpScoutSimulator
  const work = mkdtempSync(join(tmpdir(), 'deskmove-recrep-'))
  // A replay needs nothing from the environment: the vendor's variables are left unset on purpose.
  const offline = { HELPSCOUT_APP_ID: '', HELPSCOUT_APP_SECRET: '', HELPSCOUT_BASE_URL: 'http://127.0.0.1:9/unreachable', HELPSCOUT_INLINE_IMAGE_HOSTS: '' }
  beforeAll(async () => {
    sim = await startHelpScoutSimulator({ profile: testSimProfile(import.meta.url), seed: 5, conversations: 6, rpm: null })
  })
  afterAll(async () => {
    await sim?.close()
    rmSync(work, { recursive: true, force: true })
  })

  it('replays offline into staging content identical to the recorded run, and fails clearly on a request not recorded', async () => {
    const recording = join(work, 'rec')
    const recorded = await runCli(['--db', join(work, 'a.db'), '--json', 'extract', 'helpscout', '--record', recording, '--concurrency', '3', '--rpm', '100000'], { env: sim.env })
    expect(recorded.code, recorded.stderr).toBe(0)
    const files = readdirSync(recording, { recursive: true, encoding: 'utf8' }).map((f) => join(recording, f)).filter((p) => statSync(p).isFile())
    expect(files.some((f) => f.includes('/bodies/'))).toBe(true)
    for (const f of files) {
      const text = readFileSync(f, 'latin1')
      expect(text.includes(sim.env.HELPSCOUT_APP_SECRET!), f).toBe(false)
      expect(findSecretShapes(text), f).toEqual([])
    }

    const replayed = await runCli(['--db', join(work, 'b.db'), '--json', 'extract', 'helpscout', '--replay', recording, '--concurrency', '3'], { env: offline })
    expect(replayed.code, replayed.stderr).toBe(0)
    expect(lastJson(replayed.stdout).requests).toBe(lastJson(recorded.stdout).requests)
    const a = stagedContent(join(work, 'a.db'))
    expect(count(join(work, 'a.db'), "SELECT count(*) AS n FROM blob_fetch WHERE status = 'stored'")).toBeGreaterThan(2)
    expect(stagedContent(join(work, 'b.db'))).toEqual(a)

    // The adapter now asks for a page the recording lacks: exit 3, the request named, the fix given.
    const listing = readdirSync(join(recording, 'exchanges')).find((f) => f.startsWith('get-v2-conversations-embed-threads-page-1-'))!
    unlinkSync(join(recording, 'exchanges', listing))
    const missing = await runCli(['--db', join(work, 'c.db'), 'extract', 'helpscout', '--replay', recording], { env: offline })
    expect(missing.code, missing.stderr).toBe(3)
    expect(missing.stderr).toMatch(/not in the recording .*GET \/v2\/conversations\?embed=threads&page=1&/)
    expect(missing.stderr).toContain(`re-record with \`deskmove extract helpscout --record ${recording}\``)
  }, 60_000)

  it('an anonymized recording holds no name or email of the vendor data and replays to the same shape', async () => {
    const recording = join(work, 'anon')
    const recorded = await runCli(['--db', join(work, 'd.db'), 'extract', 'helpscout', '--record', recording, '--anonymize', '--rpm', '100000'], { env: sim.env })
    expect(recorded.code, recorded.stderr).toBe(0)
    const real = new Database(join(work, 'd.db'), { readonly: true })
    const emails = (real.prepare("SELECT DISTINCT json_extract(canonical, '$.emails[0].value') AS e FROM staged_record WHERE kind = 'customer'").all() as { e: string | null }[]).map((r) => r.e).filter((e): e is string => !!e)
    real.close()
    expect(emails.length).toBeGreaterThan(2)
    const text = readdirSync(join(recording, 'exchanges')).map((f) => readFileSync(join(recording, 'exchanges', f), 'utf8')).join('\n')
    for (const e of emails) expect(text.includes(e), e).toBe(false)

    const replayed = await runCli(['--db', join(work, 'e.db'), 'extract', 'helpscout', '--replay', recording], { env: offline })
    expect(replayed.code, replayed.stderr).toBe(0)
    const perKind = "SELECT count(*) AS n FROM staged_record WHERE kind IN ('ticket','message','attachment','customer')"
    expect(count(join(work, 'e.db'), perKind)).toBe(count(join(work, 'd.db'), perKind))
  }, 60_000)

  it('refuses --anonymize without --record and --record with --replay (exit 2); warns when recording a resumed store', async () => {
    const a = await runCli(['--db', join(work, 'f.db'), 'extract', 'helpscout', '--anonymize'], { env: sim.env })
    expect(a.code).toBe(2)
    expect(a.stderr).toContain('--anonymize only applies to --record')
    const b = await runCli(['--db', join(work, 'f.db'), 'extract', 'helpscout', '--record', join(work, 'x'), '--replay', join(work, 'rec')], { env: sim.env })
    expect(b.code).toBe(2)
    // Recording into a store that already holds progress records only the rest: said before it starts.
    const again = await runCli(['--db', join(work, 'a.db'), 'extract', 'helpscout', '--record', join(work, 'again'), '--no-attachments', '--rpm', '100000'], { env: sim.env })
    expect(again.code, again.stderr).toBe(0)
    expect(again.stderr).toContain('staging already holds progress for helpscout: the recording will hold only what this run reads')
  }, 30_000)
})
