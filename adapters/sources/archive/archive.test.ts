// `extract archive` closes the loop: an export read back into a fresh staging store reproduces it (records, raw
// payloads, warnings, rejects, attachment bytes) under the exported source's id, with no vendor in sight.
import { describe, expect, it } from 'vitest'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { archiveSource } from './index.js'
import { exportArchive } from '../../../src/engine/export/index.js'
import { PDF, PNG, sampleStore, sha } from '../../../src/engine/export/export.test-helpers.js'
import { runExtract } from '../../../src/engine/extract.js'
import { commitJob, toCommitJob } from '../../../src/engine/page-commit.js'
import { fetchBlobs } from '../../../src/engine/fetch-blobs.js'
import { KindStats } from '../../../src/engine/kind-stats.js'
import { openStagingStore, type StagingStore } from '../../../src/staging/store.js'
import { captureLog } from '../../../src/testing/test-server.js'
import { ConfigError } from '../../../src/core/errors.js'
import type { ArchiveConfig } from './config.js'
import type { Manifest } from '../../../src/core/archive/format.js'

const { log } = captureLog()
const noProgress = { phase() {}, update() {}, stop() {} }
const dir = (): string => mkdtempSync(join(tmpdir(), 'dm-archive-src-'))

async function exported(): Promise<{ original: StagingStore; out: string }> {
  const original = await sampleStore()
  const out = join(dir(), 'archive')
  await exportArchive({ store: original, out, log })
  return { original, out }
}

/** Extract from the archive into a fresh store, attachment bytes included, the way `deskmove extract archive` does. */
async function extractArchive(config: ArchiveConfig): Promise<StagingStore> {
  const store = openStagingStore(join(dir(), 'copy.db'))
  const source = archiveSource.create(config, { http: null as never, log, now: () => new Date('2024-07-01T00:00:00Z') })
  const definition = { ...archiveSource, id: source.stagesAs! }
  const base = { store, source, runId: 'copy-1', signal: new AbortController().signal, progress: noProgress, log, now: () => new Date('2024-07-01T00:00:00Z'), stats: new KindStats() }
  await runExtract({ ...base, definition, since: null, limit: null, streams: null })
  await fetchBlobs({ ...base, sourceId: definition.id, concurrency: 2, maxBytes: 1 << 30 })
  return store
}

/** What a staging store holds, in a comparable form (the stream that read a record is the reader's business). */
function snapshot(s: StagingStore) {
  const records = (s.db.prepare('SELECT source, kind, source_id, parent_id, canonical, raw FROM staged_record ORDER BY kind, source_id').all() as { canonical: string; raw: string }[]).map((r) => {
    const canonical = JSON.parse(r.canonical) as Record<string, unknown>
    // The bytes now come from the archive: a re-staged attachment's `download` points there, the vendor's ref kept inside.
    if (canonical.kind === 'attachment') canonical.download = (canonical.download as { original?: unknown }).original ?? canonical.download
    return { ...r, canonical, raw: JSON.parse(r.raw) as unknown }
  })
  return {
    records,
    warnings: s.db.prepare('SELECT source, kind, source_id, code, detail FROM record_warning ORDER BY kind, source_id, code').all(),
    readRejects: s.db.prepare("SELECT source, kind, source_id, reason, detail, raw FROM reject WHERE phase = 'extract' AND resolved_at IS NULL ORDER BY source_id").all(),
    blobs: s.db.prepare("SELECT source_id, sha256, size FROM blob_fetch WHERE status = 'stored' ORDER BY source_id").all(),
  }
}

describe('extract archive', async () => {
  const { original, out } = await exported()
  const copy = await extractArchive({ dir: out })

  it('reproduces the staging store: canonical records, raw payloads, warnings, read rejects, stored blobs', () => {
    const a = snapshot(original)
    const b = snapshot(copy)
    expect(b.records.length).toBe(14)
    expect(b.records).toEqual(a.records)
    expect(b.warnings).toEqual(a.warnings)
    expect(b.readRejects).toEqual(a.readRejects)
    expect(b.blobs).toEqual(a.blobs)
  })

  it('stages under the exported source, with the attachment bytes from the archive (hash-checked)', async () => {
    expect((copy.db.prepare('SELECT DISTINCT source FROM staged_record').all() as { source: string }[]).map((r) => r.source)).toEqual(['helpscout'])
    expect(sha(await copy.blobs.read(sha(PNG)))).toBe(sha(PNG))
    expect(sha(await copy.blobs.read(sha(PDF)))).toBe(sha(PDF))
  })

  it('reports the attachment the archive has no bytes for, never drops it', () => {
    const r = copy.db.prepare("SELECT reason, detail FROM reject WHERE phase = 'blob' AND source_id = 'a4' AND resolved_at IS NULL").get() as { reason: string; detail: string }
    expect(r.detail).toContain('never-fetched.zip')
    expect(r.detail).toContain('the archive holds no bytes for this attachment (pending')
    expect(copy.db.prepare("SELECT status FROM blob_fetch WHERE source_id = 'a4'").get()).toEqual({ status: 'failed' })
  })

  it('resumes a stream after the line its checkpoint names', async () => {
    const source = archiveSource.create({ dir: out }, { http: null as never, log, now: () => new Date() })
    const read = async (from: { line: number } | null) => {
      const pages = []
      for await (const p of source.read('archive.messages', from, { since: null }, new AbortController().signal)) pages.push(p)
      return pages
    }
    const whole = await read(null)
    expect(whole.map((p) => p.checkpoint)).toEqual([{ line: 5 }])
    const rest = await read({ line: 2 })
    expect(rest.flatMap((p) => p.records.map((r) => r.canonical.sourceId))).toEqual(whole[0]!.records.slice(2).map((r) => r.canonical.sourceId))
  })

  it('a second read of the same archive changes nothing', async () => {
    const before = snapshot(copy)
    const source = archiveSource.create({ dir: out }, { http: null as never, log, now: () => new Date() })
    await runExtract({ store: copy, definition: { ...archiveSource, id: 'helpscout' }, source, runId: 'copy-2', since: null, limit: null, streams: null, signal: new AbortController().signal, progress: noProgress, log, now: () => new Date() })
    expect(snapshot(copy)).toEqual(before)
  })
})

describe('extract archive of a store that held two sources', async () => {
  const original = await sampleStore()
  commitJob(original.db, toCommitJob({ records: [{ canonical: { source: 'zendesk', kind: 'tag', sourceId: 't1', sourceUpdatedAt: null, sourceUrl: null, name: 'vip', color: null }, raw: { id: 't1' } }], rejects: [], checkpoint: {} }, { source: 'zendesk', stream: 'tags', mode: 'full', signpost: null, runId: 'r2', perPage: false }, '2024-05-01T00:00:00.000Z'))
  const out = join(dir(), 'archive')
  await exportArchive({ store: original, out, log })
  const create = (config: ArchiveConfig) => archiveSource.create(config, { http: null as never, log, now: () => new Date() })

  it('asks which source to stage, and stages only that one', async () => {
    expect(() => create({ dir: out })).toThrow(/several sources \(helpscout, zendesk\)/)
    expect(() => create({ dir: out, source: 'kayako' })).toThrow(/no records of source "kayako"/)
    expect(create({ dir: out, source: 'zendesk' }).stagesAs).toBe('zendesk')
    const copy = await extractArchive({ dir: out, source: 'zendesk' })
    expect(copy.db.prepare('SELECT source, kind, source_id FROM staged_record').all()).toEqual([{ source: 'zendesk', kind: 'tag', source_id: 't1' }])
  })
})

describe('extract archive: the archive is checked at the boundary', async () => {
  const fresh = async (): Promise<string> => (await exported()).out
  const manifestOf = (out: string): Manifest => JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest
  const writeManifest = (out: string, m: Manifest): void => writeFileSync(join(out, 'manifest.json'), JSON.stringify(m))
  const create = (config: ArchiveConfig) => archiveSource.create(config, { http: null as never, log, now: () => new Date() })

  it('refuses a folder without a manifest, naming an interrupted export as such', async () => {
    const out = await fresh()
    rmSync(join(out, 'manifest.json'))
    expect(() => create({ dir: out })).toThrow(/not a deskmove archive/)
    writeFileSync(join(out, '.deskmove-export-incomplete'), '')
    expect(() => create({ dir: out })).toThrow(/did not finish/)
    expect(() => create({ dir: join(out, 'nope') })).toThrow(ConfigError)
  })

  it('refuses a newer format version and a manifest that breaks the schema', async () => {
    const out = await fresh()
    writeManifest(out, { ...manifestOf(out), formatVersion: 2 })
    expect(() => create({ dir: out })).toThrow(/format version 2; this deskmove reads up to version 1/)
    writeManifest(out, { ...manifestOf(out), formatVersion: 1, counts: 'many' as never })
    expect(() => create({ dir: out })).toThrow(/counts/)
  })

  it('refuses a file changed since the export (sha256 in the manifest)', async () => {
    const out = await fresh()
    writeFileSync(join(out, 'records/tickets.jsonl'), readFileSync(join(out, 'records/tickets.jsonl'), 'utf8').replace('Printer on fire', 'Printer is fine'))
    const check = await create({ dir: out }).check(new AbortController().signal)
    expect(check.ok).toBe(false)
    expect(check.items[0]!.detail).toMatch(/records\/tickets\.jsonl has changed since the export/)
  })

  it('a line that breaks the record schema becomes a reject with the path, the rest is staged', async () => {
    const out = await fresh()
    const file = join(out, 'records/tickets.jsonl')
    const text = readFileSync(file, 'utf8').split('\n')
    const at = text.findIndex((l) => l.includes('"sourceId":"100"'))
    text[at] = text[at]!.replace('"status":"open"', '"status":"on fire"')
    writeFileSync(file, text.join('\n'))
    const m = manifestOf(out)
    m.files['records/tickets.jsonl']!.sha256 = createHash('sha256').update(readFileSync(file)).digest('hex')
    writeManifest(out, m)
    const copy = await extractArchive({ dir: out })
    // Ticket 100's line is broken (ticket 999 is the export's own read reject, replayed).
    const rejects = copy.db.prepare("SELECT kind, source_id, reason, detail FROM reject WHERE phase = 'extract' AND reason = 'schema-mismatch' ORDER BY source_id").all() as { source_id: string; detail: string }[]
    expect(rejects.map((r) => r.source_id)).toEqual(['100', '999'])
    expect(rejects[0]!.detail).toBe(`records/tickets.jsonl line ${at + 1}: status: Invalid enum value. Expected 'open' | 'pending' | 'closed' | 'spam', received 'on fire'`)
    expect(copy.db.prepare("SELECT COUNT(*) AS n FROM staged_record WHERE kind = 'ticket'").get()).toEqual({ n: 1 })
    expect(copy.db.prepare("SELECT COUNT(*) AS n FROM staged_record WHERE kind = 'message'").get()).toEqual({ n: 5 })
  })

  it('a blob whose bytes no longer match its name is rejected, not staged', async () => {
    const out = await fresh()
    const blob = join(out, 'blobs', sha(PNG))
    writeFileSync(`${blob}.bad`, Buffer.concat([PNG, Buffer.from('x')]))
    renameSync(`${blob}.bad`, blob)
    const copy = await extractArchive({ dir: out })
    const r = copy.db.prepare("SELECT detail FROM reject WHERE phase = 'blob' AND source_id = 'a1'").get() as { detail: string }
    expect(r.detail).toContain('is corrupt')
    expect(copy.blobs.has(sha(PNG))).toBe(false)
  })
})
