// Reused ids (issue 12 item 5): a record seen again under another parent is kept twice and reported, never
// moved; the same id listed twice keeps the latest copy with a warning; re-reading changes nothing.
import { describe, expect, it } from 'vitest'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { SourcePage } from '../core/source.js'
import type { CanonicalRecord } from '../core/model/index.js'
import { openStagingStore, type StagingStore } from '../staging/store.js'
import { getRecord } from '../staging/records.js'
import type { Db } from '../staging/store.js'

/** The staged children (messages or attachments) of one ticket, read straight from staging. */
function childrenOf(db: Db, source: string, kind: 'message' | 'attachment', ticketSourceId: string): { canonical: Record<string, unknown> & { sourceId: string; bodyText?: string } }[] {
  const rows = db.prepare('SELECT canonical FROM staged_record WHERE source = ? AND kind = ? AND parent_id = ? ORDER BY source_id').all(source, kind, ticketSourceId) as { canonical: string }[]
  return rows.map((r) => ({ canonical: JSON.parse(r.canonical) as Record<string, unknown> & { sourceId: string; bodyText?: string } }))
}
import { warningsOf } from '../staging/warnings.js'
import { commitJob, packJob, toCommitJob, unpackJob } from './page-commit.js'
import { makeAttachment, makeMessage, makeTicket } from '../testing/canonical-factories.js'

const page = (records: CanonicalRecord[]): SourcePage => ({ records: records.map((canonical) => ({ canonical, raw: { id: canonical.sourceId } })), rejects: [], checkpoint: null })

function commit(store: StagingStore, records: CanonicalRecord[], runId: string): void {
  const job = toCommitJob(page(records), { source: 'helpscout', stream: 'tickets', mode: 'full', signpost: null, runId, perPage: false }, '2024-05-01T00:00:00.000Z')
  commitJob(store.db, unpackJob(packJob(job)))
}

function snapshot(store: StagingStore): unknown {
  return {
    records: store.db.prepare('SELECT kind, source_id, parent_id, canonical FROM staged_record ORDER BY kind, source_id').all(),
    warnings: store.db.prepare('SELECT kind, source_id, phase, code, detail FROM record_warning ORDER BY kind, source_id, id').all(),
  }
}

const open = () => openStagingStore(join(mkdtempSync(join(tmpdir(), 'dm-ids-')), 'staging.db'))

describe('a thread id reused by a second conversation', () => {
  const pages: CanonicalRecord[][] = [
    [makeTicket('1'), makeMessage('500', '1', 0, { bodyText: 'first' }), makeAttachment('900', '1', '500', { fileName: 'one.txt' })],
    [makeTicket('2'), makeMessage('500', '2', 0, { bodyText: 'second' }), makeAttachment('900', '2', '500', { fileName: 'two.txt' })],
  ]

  it('keeps both messages and attachments, each under its own ticket, and warns on both', () => {
    const store = open()
    for (const p of pages) commit(store, p, 'r1')
    expect(childrenOf(store.db, 'helpscout', 'message', '1').map((m) => [m.canonical.sourceId, m.canonical.bodyText])).toEqual([['500', 'first']])
    expect(childrenOf(store.db, 'helpscout', 'message', '2').map((m) => [m.canonical.sourceId, m.canonical.bodyText])).toEqual([['500~2', 'second']])
    const att2 = childrenOf(store.db, 'helpscout', 'attachment', '2')
    expect(att2.map((a) => [a.canonical.sourceId, a.canonical.messageRef.sourceId, a.canonical.fileName])).toEqual([['900~2', '500~2', 'two.txt']])
    expect(getRecord(store.db, 'helpscout', 'attachment', '900')?.canonical.fileName).toBe('one.txt')
    const first = warningsOf(store.db, { source: 'helpscout', kind: 'message', sourceId: '500' })
    const second = warningsOf(store.db, { source: 'helpscout', kind: 'message', sourceId: '500~2' })
    expect(first.map((w) => w.code)).toEqual(['reused-id'])
    expect(first[0]!.detail).toContain('ticket 2')
    expect(second[0]!.detail).toContain('ticket 1')
    expect(warningsOf(store.db, { source: 'helpscout', kind: 'attachment', sourceId: '900~2' }).map((w) => w.code)).toEqual(['reused-id'])
  })

  it('stages the same thing again on a re-run, in either order of reading', () => {
    const store = open()
    for (const p of pages) commit(store, p, 'r1')
    const once = snapshot(store)
    for (const p of pages) commit(store, p, 'r2')
    commit(store, pages[1]!, 'r3')
    expect(snapshot(store)).toEqual(once)
  })
})

describe('the same id listed twice under one ticket', () => {
  const older = makeMessage('7', '1', 0, { bodyText: 'old', sourceUpdatedAt: '2024-01-01T00:00:00.000Z' })
  const newer = makeMessage('7', '1', 0, { bodyText: 'new', sourceUpdatedAt: '2024-02-01T00:00:00.000Z' })

  it.each([
    ['newer last', [older, newer]],
    ['newer first', [newer, older]],
  ])('keeps the latest copy (%s) with a duplicate-id warning', (_name, copies) => {
    const store = open()
    commit(store, [makeTicket('1'), copies[0]!], 'r1')
    commit(store, [copies[1]!], 'r1')
    expect(getRecord(store.db, 'helpscout', 'message', '7')?.canonical.bodyText).toBe('new')
    const w = warningsOf(store.db, { source: 'helpscout', kind: 'message', sourceId: '7' })
    expect(w.map((x) => x.code)).toEqual(['duplicate-id'])
    expect(w[0]!.detail).toContain('2024-02-01')
    const once = snapshot(store)
    commit(store, [makeTicket('1'), copies[0]!], 'r2')
    commit(store, [copies[1]!], 'r2')
    expect(snapshot(store)).toEqual(once)
  })

  it('says nothing when a later run reads a record the vendor changed', () => {
    const store = open()
    commit(store, [makeTicket('1'), older], 'r1')
    commit(store, [newer], 'r2')
    expect(getRecord(store.db, 'helpscout', 'message', '7')?.canonical.bodyText).toBe('new')
    expect(warningsOf(store.db, { source: 'helpscout', kind: 'message', sourceId: '7' })).toEqual([])
  })
})
