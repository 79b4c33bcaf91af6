// End to end, as a user runs it: Help Scout simulator → `extract helpscout` → `export` → `extract archive` into a
// fresh staging store, with the vendor left alone: the copy holds what the original held.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createHash } from 'node:crypto'
import Database from 'better-sqlite3'
import { simpleParser } from 'mailparser'
import { startHelpScoutSimulator, type HelpScoutSimulator } from '../../adapters/sources/helpscout/simulator/server.js'
import { runCli, lastJson } from '../testing/cli-runner.js'
import { testSimProfile } from '../testing/sim-profile.js'
import type { AttachmentFileLine, EmlIndexLine } from '../core/archive/format.js'
import { createScratchDatabase, probeDatabases } from '../testing/test-databases.js'
import { initConfigText } from '../core/init-config.js'
import { freescoutTarget } from '../../adapters/targets/freescout/index.js'

const probe = await probeDatabases()

const jsonl = <T>(file: string): T[] => readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as T)
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex')

/** Records (an attachment's `download` as exported: the copy points into the archive and keeps the vendor's ref), warnings, stored blobs. */
function snapshot(path: string) {
  const db = new Database(path, { readonly: true })
  try {
    const records = (db.prepare('SELECT source, kind, source_id, parent_id, canonical, raw FROM staged_record ORDER BY kind, source_id').all() as { canonical: string }[]).map((r) => {
      const c = JSON.parse(r.canonical) as { kind: string; download?: { original?: unknown } }
      if (c.kind === 'attachment' && c.download?.original !== undefined) c.download = c.download.original as never
      return { ...r, canonical: c }
    })
    const warnings = db.prepare('SELECT kind, source_id, code, detail FROM record_warning ORDER BY kind, source_id, code').all()
    const blobs = db.prepare("SELECT source_id, status, sha256, size FROM blob_fetch ORDER BY source_id").all()
    return { records, warnings, blobs }
  } finally {
    db.close()
  }
}

describe('deskmove export → deskmove extract archive (Help Scout simulator)', () => {
  let sim: HelpScoutSimulator
  const work = mkdtempSync(join(tmpdir(), 'deskmove-export-e2e-'))
  const original = join(work, 'original.db')
  const copy = join(work, 'copy.db')
  const archive = join(work, 'archive')
  beforeAll(async () => {
    sim = await startHelpScoutSimulator({ profile: testSimProfile(import.meta.url), seed: 5, conversations: 25, rpm: null })
    const run = await runCli(['--db', original, 'extract', 'helpscout', '--rpm', '100000'], { cwd: work, env: { ...sim.env } })
    expect(run.code, run.stderr).toBe(0)
  })
  afterAll(async () => {
    await sim?.close()
  })

  it('exports, and every email parses with its attachments intact and its thread headers right', async () => {
    const run = await runCli(['--db', original, '--json', 'export', '--out', 'archive'], { cwd: work })
    expect(run.code, run.stderr).toBe(0)
    const summary = lastJson(run.stdout) as { counts: { eml: { files: number }; records: Record<string, number> }; formats: string[] }
    expect(summary.formats).toEqual(['jsonl', 'eml'])
    expect(summary.counts.records.ticket).toBe(25)
    const files = new Map(jsonl<AttachmentFileLine>(join(archive, 'attachment-files.jsonl')).map((f) => [f.attachmentId, f]))
    const index = jsonl<EmlIndexLine>(join(archive, 'eml/index.jsonl'))
    expect(index.filter((l) => l.path).length).toBe(summary.counts.eml.files)
    let previous: { ticket: string; id: string } | null = null
    let attachmentsSeen = 0
    for (const line of index) {
      if (!line.path) continue
      const mail = await simpleParser(readFileSync(join(archive, line.path)))
      expect(mail.messageId).toBe(line.headerMessageId)
      if (previous?.ticket === line.ticketId) expect(mail.inReplyTo, line.path).toBe(previous.id)
      else expect(mail.inReplyTo, line.path).toBeUndefined()
      previous = { ticket: line.ticketId, id: line.headerMessageId! }
      for (const a of mail.attachments) {
        const stored = [...files.values()].find((f) => f.sha256 === sha(a.content))
        expect(stored, `${line.path}: ${a.filename} has bytes an attachment of the store has`).toBeDefined()
        attachmentsSeen++
      }
    }
    expect(attachmentsSeen, 'the simulator gives some messages attachments').toBeGreaterThan(0)
  })

  it('reads the archive back into a fresh store without a single request to the vendor: the same records, raw payloads, warnings and blobs', async () => {
    const before = sim.stats().total
    // No vendor settings at all: the archive is all it needs.
    const run = await runCli(['--db', copy, '--json', 'extract', 'archive', '--from', 'archive'], { cwd: work, env: { HELPSCOUT_APP_ID: '', HELPSCOUT_APP_SECRET: '', HELPSCOUT_BASE_URL: '', HELPSCOUT_INLINE_IMAGE_HOSTS: '' } })
    expect(run.code, run.stderr).toBe(0)
    expect(sim.stats().total).toBe(before)
    const a = snapshot(original)
    const b = snapshot(copy)
    expect(b.records.length).toBeGreaterThan(100)
    expect(b.records).toEqual(a.records)
    expect(b.warnings).toEqual(a.warnings)
    expect(b.blobs).toEqual(a.blobs)
  })

  it.skipIf(probe.reasons.mysql !== null)(`plans the same migration into FreeScout from the archive's copy as from the original${probe.reasons.mysql ? ` (skipped: ${probe.reasons.mysql})` : ''}`, async () => {
    const scratch = await createScratchDatabase('mysql', 'archplan')
    try {
      writeFileSync(join(work, 'deskmove.json'), initConfigText({ displayName: freescoutTarget.displayName, sections: freescoutTarget.mapping ?? [] }).replace('// "*": 1', '"*": 1'))
      const made = await runCli(['simulate', 'freescout', '--db-url', scratch.url, '--storage', join(work, 'storage')], { cwd: work })
      expect(made.code, made.stderr).toBe(0)
      const env = (lastJson(made.stdout).env ?? {}) as Record<string, string>
      const plans: unknown[] = []
      for (const db of [original, copy]) {
        const plan = await runCli(['--db', db, '--json', 'plan', 'freescout'], { cwd: work, env })
        expect(plan.code, plan.stderr).toBe(8)
        const { seconds: _s, runId: _r, ...rest } = lastJson(plan.stdout)
        plans.push(rest)
      }
      expect(JSON.stringify(plans[0])).toContain('ticket')
      expect(plans[1]).toEqual(plans[0])
    } finally {
      await scratch.drop()
    }
  })

  it('refuses usage mistakes with exit 2 and the fix: --from for a vendor source, an archive folder again, an unknown format, no staging store', async () => {
    const wrong = await runCli(['--db', copy, 'extract', 'helpscout', '--from', 'archive'], { cwd: work, env: { ...sim.env } })
    expect(wrong.code).toBe(2)
    expect(wrong.stderr).toContain('--from is for `deskmove extract archive`')
    const again = await runCli(['--db', original, 'export', '--out', 'archive'], { cwd: work })
    expect(again.code).toBe(2)
    expect(again.stderr).toContain('already holds a deskmove archive')
    expect(again.stderr).toContain('--force')
    const format = await runCli(['--db', original, 'export', '--out', 'other', '--format', 'pdf'], { cwd: work })
    expect(format.code).toBe(2)
    expect(format.stderr).toContain('unknown --format pdf')
    const nothing = await runCli(['--db', join(work, 'none.db'), 'export', '--out', 'other'], { cwd: work })
    expect(nothing.code).toBe(2)
    expect(nothing.stderr).toContain('there is no staging store')
  })
})
