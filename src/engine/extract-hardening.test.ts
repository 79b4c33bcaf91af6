// The extract path against hostile input: records too deep to serialise, attachments that never arrive
// whole, expiring links, and the cursor a completed stream ends on.
import { describe, expect, it } from 'vitest'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { z } from 'zod'
import type { AnySourceDefinition, Checkpoint, ReadOptions, Source, SourcePage } from '../core/source.js'
import type { AttachmentRef } from '../core/model/attachment.js'
import { RemoteRequestError, RemoteUnavailableError, TransientError } from '../core/errors.js'
import { silentLogger } from '../core/log.js'
import { openStagingStore } from '../staging/store.js'
import { countByKind, getRecord } from '../staging/records.js'
import { getCheckpoint } from '../staging/checkpoints.js'
import { listRejects } from '../staging/rejects.js'
import { countWarnings, warningsOf } from '../staging/warnings.js'
import { runExtract } from './extract.js'
import { fetchBlobs, fetchBlobsOf } from './fetch-blobs.js'
import { KindStats } from './kind-stats.js'
import { makeAttachment, makeMessage, makeTicket } from '../testing/canonical-factories.js'

const noProgress = { phase() {}, update() {}, stop() {} }

const nested = (depth: number): unknown => {
  const root: Record<string, unknown> = {}
  let cur = root
  for (let i = 0; i < depth; i++) cur = (cur.a = {}) as Record<string, unknown>
  return root
}

type Opener = (ref: AttachmentRef) => Promise<{ body: Readable; size: number | null }>

function definition(pages: SourcePage[], o: { open?: Opener; refresh?: (ref: AttachmentRef) => Promise<AttachmentRef | null>; reads?: ReadOptions[] } = {}): AnySourceDefinition {
  const source: Source = {
    async check() {
      return { ok: true, items: [] }
    },
    async *read(_stream: string, from: Checkpoint | null, options: ReadOptions) {
      o.reads?.push(options)
      for (let i = from ? (from.page as number) : 0; i < pages.length; i++) yield pages[i]!
    },
    ...(o.open ? { openAttachment: (ref: AttachmentRef) => o.open!(ref) } : {}),
    ...(o.refresh ? { refreshAttachment: (ref: AttachmentRef) => o.refresh!(ref) } : {}),
    async close() {},
  }
  return {
    id: 'helpscout',
    displayName: 'fake',
    config: { schema: z.object({}), env: {}, sensitive: [] },
    streams: [{ name: 'tickets', entities: ['ticket', 'message', 'attachment'], dependsOn: [], resume: 'per-page', supportsSince: true }],
    http: { rateLimitHeaders: { retryAfter: [], windowMs: 60000 }, defaultRpm: null, defaultConcurrency: 2 },
    create: () => source,
  }
}

const ticketWith = (id: string, size: number | null = 5) => [
  { canonical: makeTicket(id), raw: { id } },
  { canonical: makeMessage(`m${id}`, id, 0), raw: { id: `m${id}` } },
  { canonical: makeAttachment(`a${id}`, id, `m${id}`, { size, download: { id: `a${id}` } }), raw: {} },
]

function setup() {
  return openStagingStore(join(mkdtempSync(join(tmpdir(), 'deskmove-hardening-')), 'test.db'))
}

const base = (store: ReturnType<typeof setup>, def: AnySourceDefinition) => ({
  store, definition: def, source: def.create({}, null as never), runId: 'run-1', since: null, limit: null, streams: null,
  signal: new AbortController().signal, progress: noProgress, log: silentLogger, now: () => new Date('2024-05-01T00:00:00Z'),
})

const blobOptions = (store: ReturnType<typeof setup>, def: AnySourceDefinition, runId = 'run-1') => ({
  store, sourceId: 'helpscout', source: def.create({}, null as never), runId, concurrency: 2, maxBytes: 1 << 20,
  signal: new AbortController().signal, progress: noProgress, log: silentLogger, now: () => new Date(), stats: new KindStats(),
})

describe('extract hardening', () => {
  it('one record too deep to serialise is a reject with its raw kept; the page and the stream go on', async () => {
    const store = setup()
    const deep = nested(6_000)
    const tooDeep = { ...makeTicket('2'), customFields: deep } as unknown as ReturnType<typeof makeTicket>
    const pages: SourcePage[] = [
      { records: [...ticketWith('1'), { canonical: tooDeep, raw: deep }, { canonical: makeTicket('3'), raw: deep }], rejects: [], checkpoint: { page: 1 } },
      { records: ticketWith('4'), rejects: [], checkpoint: { page: 2 } },
    ]
    await runExtract(base(store, definition(pages)))
    expect(countByKind(store.db).ticket).toBe(3)
    const [reject] = listRejects(store.db)
    expect(reject).toMatchObject({ kind: 'ticket', sourceId: '2', reason: 'unserialisable' })
    expect(reject!.raw!.startsWith('{"a":{"a":{"a":')).toBe(true)
    expect(reject!.raw!.length).toBeGreaterThan(6_000 * 6)
    // Only its raw payload too deep: the record itself is staged, with the payload written whole.
    const three = store.db.prepare("SELECT raw FROM staged_record WHERE kind = 'ticket' AND source_id = '3'").get() as { raw: string }
    expect(three.raw.length).toBeGreaterThan(6_000 * 6)
    expect(warningsOf(store.db, { source: 'helpscout', kind: 'ticket', sourceId: '3' }).map((w) => w.code)).toContain('raw-too-deep')
    expect(getCheckpoint(store.db, 'helpscout', 'tickets', 'full')).toMatchObject({ done: true })
  })

  it('names a record whose text holds U+FFFD (what invalid UTF-8 decodes to) with a warning, and stages it', async () => {
    const store = setup()
    const bad = { ...makeTicket('7'), subject: 'Bad\uFFFD\uFFFD(' }
    await runExtract(base(store, definition([{ records: [{ canonical: bad, raw: { id: '7' } }, ...ticketWith('8')], rejects: [], checkpoint: { page: 1 } }])))
    expect(countByKind(store.db).ticket).toBe(2)
    expect(warningsOf(store.db, { source: 'helpscout', kind: 'ticket', sourceId: '7' }).map((w) => w.code)).toEqual(['replacement-character'])
    expect(warningsOf(store.db, { source: 'helpscout', kind: 'ticket', sourceId: '8' })).toEqual([])
  })

  it('keeps the final cursor of a completed stream and hands it to the next read', async () => {
    const store = setup()
    const reads: ReadOptions[] = []
    const pages: SourcePage[] = [
      { records: ticketWith('1'), rejects: [], checkpoint: { page: 1, cursor: 'c1' } },
      { records: ticketWith('2'), rejects: [], checkpoint: { page: 2, cursor: 'c2' } },
    ]
    const def = definition(pages, { reads })
    await runExtract(base(store, def))
    expect(getCheckpoint(store.db, 'helpscout', 'tickets', 'full')).toMatchObject({ done: true, state: { page: 2, cursor: 'c2' } })
    await runExtract({ ...base(store, def), since: '2024-04-01T00:00:00Z' })
    expect(reads.at(-1)?.lastComplete).toEqual({ page: 2, cursor: 'c2' })
  })

  it('stages record warnings and counts them for status', async () => {
    const store = setup()
    const [t, m, a] = ticketWith('1')
    const pages: SourcePage[] = [{ records: [{ ...t!, warnings: [{ code: 'missing-field', detail: 'primaryCustomer.id' }] }, m!, a!], rejects: [], checkpoint: { page: 1 } }]
    await runExtract(base(store, definition(pages)))
    expect(countWarnings(store.db, 'helpscout')).toEqual({ total: 1, records: 1, byCode: { 'missing-field': 1 } })
    // Re-read without the gap: the warning goes with it.
    await runExtract({ ...base(store, definition([{ records: ticketWith('1'), rejects: [], checkpoint: { page: 1 } }])), since: '2024-01-01T00:00:00Z' })
    expect(countWarnings(store.db).total).toBe(0)
  })

  it('an attachment URL that always resets is a download-failed reject naming host and error; the others are fetched; a later run retries it', async () => {
    const store = setup()
    let broken = true
    const open: Opener = async (ref) => {
      if (ref.id === 'a1' && broken) {
        throw new RemoteUnavailableError('attachments.file: GET https://files.vendor.test/a1 failed after 3 attempts; last failure: connection reset (ECONNRESET)', {
          cause: new TransientError('connection reset (ECONNRESET) waiting for the response'),
        })
      }
      return { body: Readable.from([Buffer.from('hello')]), size: null }
    }
    const def = definition([{ records: [...ticketWith('1'), ...ticketWith('2')], rejects: [], checkpoint: { page: 1 } }], { open })
    await runExtract(base(store, def))
    await fetchBlobs(blobOptions(store, def))
    const [reject] = listRejects(store.db, { phase: 'blob' })
    expect(reject).toMatchObject({ sourceId: 'a1', reason: 'download-failed' })
    expect(reject!.detail).toContain('files.vendor.test')
    expect(reject!.detail).toContain('ECONNRESET')
    expect(getRecord(store.db, 'helpscout', 'attachment', 'a2')!.canonical.sha256).not.toBeNull()
    broken = false
    await fetchBlobs(blobOptions(store, def, 'run-2'))
    expect(getRecord(store.db, 'helpscout', 'attachment', 'a1')!.canonical.sha256).not.toBeNull()
    expect(listRejects(store.db, { phase: 'blob' })).toEqual([])
  })

  it('a body that breaks off on every attempt is a download-failed reject naming the host and the last error', async () => {
    const store = setup()
    const open: Opener = async () => {
      const body = new Readable({ read() {} })
      body.push(Buffer.from('par'))
      setImmediate(() => body.destroy(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })))
      return { body, size: 10, url: 'https://cdn.vendor.test/files/a1?sig=secret' }
    }
    const def = definition([{ records: ticketWith('1'), rejects: [], checkpoint: { page: 1 } }], { open })
    await runExtract(base(store, def))
    await fetchBlobs(blobOptions(store, def))
    const [reject] = listRejects(store.db, { phase: 'blob' })
    expect(reject).toMatchObject({ sourceId: 'a1', reason: 'download-failed' })
    expect(reject!.detail).toContain('cdn.vendor.test: transfer kept failing after 3 attempts: socket hang up')
    expect(reject!.detail).not.toContain('sig=secret')
  })

  it('many attachments in a row unavailable means the vendor is down: the run stops, resumable', async () => {
    const store = setup()
    const open: Opener = async () => {
      throw new RemoteUnavailableError('GET https://files.vendor.test/x failed')
    }
    const def = definition([{ records: ['1', '2', '3', '4', '5', '6'].flatMap((id) => ticketWith(id)), rejects: [], checkpoint: { page: 1 } }], { open })
    await runExtract(base(store, def))
    await expect(fetchBlobs({ ...blobOptions(store, def), concurrency: 1 })).rejects.toBeInstanceOf(RemoteUnavailableError)
  })

  it('trusts the bytes over the declared size: a warning when they differ, a reject when the body was cut short', async () => {
    const store = setup()
    const bodies: Record<string, { bytes: Buffer; size: number | null }> = {
      a1: { bytes: Buffer.alloc(500, 1), size: null }, // declared 1000, 500 arrive, no Content-Length: fine, warned
      a2: { bytes: Buffer.alloc(5000, 2), size: 5000 }, // declared 10, 5000 arrive: kept, warned
      a3: { bytes: Buffer.alloc(500, 3), size: 1000 }, // Content-Length 1000, 500 arrive: cut short
    }
    const open: Opener = async (ref) => ({ body: Readable.from([bodies[ref.id as string]!.bytes]), size: bodies[ref.id as string]!.size })
    const def = definition([{ records: [...ticketWith('1', 1000), ...ticketWith('2', 10), ...ticketWith('3', 1000)], rejects: [], checkpoint: { page: 1 } }], { open })
    await runExtract(base(store, def))
    await fetchBlobs(blobOptions(store, def))
    expect(getRecord(store.db, 'helpscout', 'attachment', 'a1')!.canonical).toMatchObject({ size: 500 })
    expect(getRecord(store.db, 'helpscout', 'attachment', 'a2')!.canonical).toMatchObject({ size: 5000 })
    expect(warningsOf(store.db, { source: 'helpscout', kind: 'attachment', sourceId: 'a1' })).toEqual([
      { phase: 'blob', code: 'size-mismatch', detail: 'declared 1000 bytes, received 500; the received bytes are kept' },
    ])
    expect(countWarnings(store.db).byCode).toEqual({ 'size-mismatch': 2 })
    expect(listRejects(store.db, { phase: 'blob' }).map((r) => [r.sourceId, r.reason])).toEqual([['a3', 'size-mismatch']])
    // Re-read with the same (wrong) declaration: the bytes already kept stay, nothing is fetched again.
    await runExtract({ ...base(store, def), runId: 'run-2', since: '2024-01-01T00:00:00Z' })
    expect(getRecord(store.db, 'helpscout', 'attachment', 'a1')!.canonical).toMatchObject({ size: 500, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) })
    expect(store.db.prepare("SELECT status FROM blob_fetch WHERE source_id = 'a1'").get()).toEqual({ status: 'stored' })
  })

  it('an expired link makes the source re-read the record for a fresh one instead of failing', async () => {
    const store = setup()
    const refreshed: AttachmentRef[] = []
    const open: Opener = async (ref) => {
      if (!ref.fresh) throw new RemoteRequestError(410, 'https://signed.vendor.test/a1?sig=x', 'gone')
      return { body: Readable.from([Buffer.from('hello')]), size: 5 }
    }
    const refresh = async (ref: AttachmentRef) => {
      refreshed.push(ref)
      return { ...ref, fresh: true }
    }
    const def = definition([{ records: ticketWith('1'), rejects: [], checkpoint: { page: 1 } }], { open, refresh })
    await runExtract(base(store, def))
    await fetchBlobs(blobOptions(store, def))
    expect(refreshed).toEqual([{ id: 'a1' }])
    expect(getRecord(store.db, 'helpscout', 'attachment', 'a1')!.canonical).toMatchObject({ sha256: expect.stringMatching(/^[0-9a-f]{64}$/), download: { id: 'a1', fresh: true } })
    expect(listRejects(store.db)).toEqual([])
  })

  it('fetches a page\'s attachments right after the page is committed when links expire', async () => {
    const store = setup()
    const order: string[] = []
    const pages: SourcePage[] = [
      { records: ticketWith('1'), rejects: [], checkpoint: { page: 1 } },
      { records: ticketWith('2'), rejects: [], checkpoint: { page: 2 } },
    ]
    const open: Opener = async (ref) => {
      order.push(`fetch ${String(ref.id)}`)
      return { body: Readable.from([Buffer.from('hello')]), size: 5 }
    }
    const def = definition(pages, { open })
    const opts = blobOptions(store, def)
    await runExtract({
      ...base(store, def),
      progress: { phase() {}, update(done: number) { order.push(`committed page ${done}`) }, stop() {} },
      fetchPageBlobs: (ids) => fetchBlobsOf(opts, ids),
    })
    expect(order).toEqual(['committed page 1', 'fetch a1', 'committed page 2', 'fetch a2'])
    expect(getRecord(store.db, 'helpscout', 'attachment', 'a2')!.canonical.sha256).not.toBeNull()
  })
})
