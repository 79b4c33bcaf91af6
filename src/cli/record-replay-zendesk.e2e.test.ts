// Issue 11 items 1–2 for Zendesk, through the CLI: its attachments are fetched through a 302 to a signed link
// (the adapter follows it itself and drops the redirect's body unread). Recorded, then replayed offline, the
// run stages the same records and the same attachment bytes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { startZendeskSimulator, type ZendeskSimulator } from '../../adapters/sources/zendesk/simulator/server.js'
import { runCli } from '../testing/cli-runner.js'
import { testSimProfile } from '../testing/sim-profile.js'

type Row = { kind: string; source_id: string; stream: string | null; parent_id: string | null; canonical: string; raw: string }

/** What a replay must reproduce: staged records (run ids and times left out), rejects, and the fetched blobs. */
function staged(db: string) {
  const sqlite = new Database(db, { readonly: true })
  try {
    return {
      records: sqlite.prepare('SELECT kind, source_id, stream, parent_id, canonical, raw FROM staged_record ORDER BY kind, source_id').all() as Row[],
      rejects: sqlite.prepare('SELECT phase, kind, source_id, reason FROM reject ORDER BY phase, kind, source_id, reason').all(),
      blobs: sqlite.prepare('SELECT source_id, status, sha256 FROM blob_fetch ORDER BY source_id').all() as { source_id: string; status: string; sha256: string | null }[],
    }
  } finally {
    sqlite.close()
  }
}

/** Where two JSON values differ, as `path: recorded → replayed`. */
function differences(a: unknown, b: unknown, path = ''): string[] {
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)])
    return [...keys].flatMap((k) => differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`))
  }
  return a === b ? [] : [`${path}: ${JSON.stringify(a)} → ${JSON.stringify(b)}`]
}

describe('extract zendesk --record / --replay (simulator, 6 tickets; attachments behind 302 redirects)', () => {
  let sim: ZendeskSimulator | null = null
  const work = mkdtempSync(join(tmpdir(), 'deskmove-zdrec-'))
  beforeAll(async () => {
    sim = await startZendeskSimulator({ profile: testSimProfile(import.meta.url), seed: 3, tickets: 6, rpm: null, exportRpm: 100_000 })
  })
  afterAll(async () => {
    await sim?.close().catch(() => undefined)
    rmSync(work, { recursive: true, force: true })
  })

  it('replays offline to the same staged records and attachment bytes, the redirects recorded with their dropped bodies', async () => {
    const dir = join(work, 'rec')
    const env = { ...sim!.env, ZENDESK_EXPORT_RPM: '100000' }
    const recorded = await runCli(['--db', join(work, 'a.db'), '--quiet', 'extract', 'zendesk', '--record', dir, '--rpm', '100000'], { env })
    expect(recorded.code, recorded.stderr).toBe(0)
    await sim!.close()
    sim = null

    const exchanges = readdirSync(join(dir, 'exchanges')).map((f) => JSON.parse(readFileSync(join(dir, 'exchanges', f), 'utf8')) as { response?: { status: number; complete?: boolean } })
    const redirects = exchanges.filter((e) => e.response?.status === 302)
    expect(redirects.length).toBeGreaterThan(0)
    expect(redirects.every((e) => e.response?.complete === false)).toBe(true)
    expect(readdirSync(join(dir, 'bodies')).filter((f) => f.endsWith('.tmp'))).toEqual([])

    // The vendor is gone and the environment holds nothing of it: the recording is all the replay has.
    const offline = { ZENDESK_SUBDOMAIN: '', ZENDESK_BASE_URL: 'http://127.0.0.1:9/unreachable', ZENDESK_EMAIL: '', ZENDESK_API_TOKEN: '' }
    const replayed = await runCli(['--db', join(work, 'b.db'), '--quiet', 'extract', 'zendesk', '--replay', dir], { env: offline })
    expect(replayed.code, replayed.stderr).toBe(0)

    const a = staged(join(work, 'a.db'))
    const b = staged(join(work, 'b.db'))
    expect(a.blobs.filter((x) => x.status === 'stored').length).toBeGreaterThan(0)
    expect(b.blobs).toEqual(a.blobs)
    expect(b.rejects).toEqual(a.rejects)
    expect(b.records.map((r) => `${r.kind} ${r.source_id}`)).toEqual(a.records.map((r) => `${r.kind} ${r.source_id}`))
    // The same content, except what the scrubber masks by key name in any payload — here an organization custom
    // field the account named `api_key` (the simulator plants one): the recording never held its value.
    const changed = a.records.flatMap((r, i) => differences({ ...r, canonical: JSON.parse(r.canonical), raw: JSON.parse(r.raw) }, { ...b.records[i]!, canonical: JSON.parse(b.records[i]!.canonical), raw: JSON.parse(b.records[i]!.raw) }))
    for (const d of changed) expect(d).toMatch(/^\.(raw|canonical)\.[\w.]*(api_key|notes): .*\[REDACTED\]/)
  }, 60_000)
})
