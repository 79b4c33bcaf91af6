import { describe, expect, it } from 'vitest'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import type { AnySourceDefinition, Checkpoint, Source, SourcePage } from '../core/source.js'
import { openStagingStore } from '../staging/store.js'
import { countByKind, getRecord } from '../staging/records.js'
import { getCheckpoint } from '../staging/checkpoints.js'
import { listRejects } from '../staging/rejects.js'
import { runExtract } from './extract.js'
import { fetchBlobs } from './fetch-blobs.js'
import { KindStats } from './kind-stats.js'
import { AuthError, RemoteRequestError, InterruptedError } from '../core/errors.js'
import { silentLogger } from '../core/log.js'
import { makeAttachment, makeCustomer, makeMessage, makeTicket } from '../testing/canonical-factories.js'
import { z } from 'zod'

const noProgress = { phase() {}, update() {}, stop() {} }

/** Tickets 1..n, two per page, each with one message and one attachment; customers one page. */
function fakeDefinition(n: number, files: Record<string, Buffer | 404>, reads: string[] = []): AnySourceDefinition {
  const ticketPage = (page: number): SourcePage => {
    const ids = [page * 2 + 1, page * 2 + 2].filter((i) => i <= n).map(String)
    return {
      records: ids.flatMap((id) => [
        { canonical: makeTicket(id), raw: { id } },
        { canonical: makeMessage(`m${id}`, id, 0), raw: { id: `m${id}` } },
        { canonical: makeAttachment(`a${id}`, id, `m${id}`, { download: { id: `a${id}` } }), raw: {} },
      ]),
      rejects: page === 1 ? [{ kind: 'ticket', sourceId: 'bad-1', reason: 'schema-mismatch', detail: 'subject: Required', raw: { id: 'bad-1' } }] : [],
      checkpoint: { page: page + 1 },
    }
  }
  const source: Source = {
    async check() {
      return { ok: true, items: [] }
    },
    async *read(stream: string, from: Checkpoint | null) {
      reads.push(`${stream}@${JSON.stringify(from)}`)
      if (stream === 'customers') {
        yield { records: [{ canonical: makeCustomer('1'), raw: {} }], rejects: [], checkpoint: { page: 1 } }
        return
      }
      const pages = Math.ceil(n / 2)
      for (let p = from ? (from.page as number) : 0; p < pages; p++) yield ticketPage(p)
    },
    async openAttachment(ref) {
      const f = files[ref.id as string]
      if (f === 404 || f === undefined) throw new RemoteRequestError(404, 'http://x/file', 'not found')
      return { body: Readable.from([f]), size: f.length }
    },
    async close() {},
  }
  return {
    id: 'helpscout',
    displayName: 'fake',
    config: { schema: z.object({}), env: {}, sensitive: [] },
    streams: [
      { name: 'customers', entities: ['customer'], dependsOn: [], resume: 'per-page', supportsSince: true },
      { name: 'tickets', entities: ['ticket', 'message', 'attachment'], dependsOn: ['customers'], resume: 'per-page', supportsSince: true },
    ],
    http: { rateLimitHeaders: { retryAfter: [], windowMs: 60000 }, defaultRpm: null, defaultConcurrency: 2 },
    create: () => source,
  }
}

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'deskmove-extract-'))
  return openStagingStore(join(dir, 'test.db'))
}

const base = (store: ReturnType<typeof setup>, def: AnySourceDefinition, signal = new AbortController().signal) => ({
  store, definition: def, source: def.create({}, null as never), runId: 'run-1', since: null, limit: null, streams: null, signal, progress: noProgress, log: silentLogger, now: () => new Date('2024-05-01T00:00:00Z'),
})

describe('extract engine', () => {
  it('stages every page with its checkpoint and records rejects without stopping', async () => {
    const store = setup()
    await runExtract(base(store, fakeDefinition(5, {})))
    expect(countByKind(store.db)).toMatchObject({ customer: 1, ticket: 5, message: 5, attachment: 5 })
    expect(getCheckpoint(store.db, 'helpscout', 'tickets', 'full')).toMatchObject({ done: true, pages: 3, records: 15 })
    const rejects = listRejects(store.db)
    expect(rejects).toHaveLength(1)
    expect(rejects[0]).toMatchObject({ kind: 'ticket', sourceId: 'bad-1', reason: 'schema-mismatch', detail: 'subject: Required' })
  })

  it('stops after the current page on the first Ctrl-C and resumes after it with nothing twice', async () => {
    const store = setup()
    const reads: string[] = []
    const def = fakeDefinition(6, {}, reads)
    const ctl = new AbortController()
    let pages = 0
    const progress = { phase() {}, update() { if (++pages === 2) ctl.abort() }, stop() {} }
    await expect(runExtract({ ...base(store, def, ctl.signal), progress })).rejects.toBeInstanceOf(InterruptedError)
    const partial = countByKind(store.db).ticket
    expect(partial).toBeGreaterThan(0)
    expect(partial).toBeLessThan(6)
    await runExtract(base(store, def))
    expect(countByKind(store.db)).toMatchObject({ ticket: 6, message: 6, attachment: 6 })
    expect(reads.at(-1)).toMatch(/^tickets@\{"page":\d\}$/)
  })

  it('a completed extract re-run reads nothing again', async () => {
    const store = setup()
    const reads: string[] = []
    const def = fakeDefinition(2, {}, reads)
    await runExtract(base(store, def))
    const before = reads.length
    const result = await runExtract(base(store, def))
    expect(reads.length).toBe(before)
    expect(result.streams.map((s) => s.status)).toEqual(['already-complete', 'already-complete'])
  })

  it('skips an optional stream the credentials may not read (403) with a warning, and goes on', async () => {
    const store = setup()
    const def = fakeDefinition(2, {})
    const inner = def.create({}, null as never)
    const warnings: string[] = []
    const forbidden: AnySourceDefinition = {
      ...def,
      streams: [{ name: 'organizations', entities: ['organization'], dependsOn: [], resume: 'per-page', supportsSince: false, optional: { onForbidden: 'skip-with-warning' } }, ...def.streams],
      create: () => ({
        ...inner,
        read(stream, from, opts, signal) {
          if (stream !== 'organizations') return inner.read(stream, from, opts, signal)
          return (async function* () {
            throw new AuthError('forbidden', { cause: new RemoteRequestError(403, 'http://x/organizations', 'forbidden') })
          })()
        },
      }),
    }
    const result = await runExtract({ ...base(store, forbidden), log: { ...silentLogger, warn: (m: string) => void warnings.push(m) } })
    expect(result.streams[0]).toMatchObject({ stream: 'organizations', status: 'skipped-forbidden' })
    expect(warnings.join()).toContain('organizations')
    expect(countByKind(store.db).ticket).toBe(2)
  })

  it('--limit counts tickets, not pages: N tickets with their messages and attachments, and a later run completes', async () => {
    const store = setup()
    const def = fakeDefinition(10, {})
    await runExtract({ ...base(store, def), limit: 3 })
    expect(countByKind(store.db)).toMatchObject({ ticket: 3, message: 3, attachment: 3 })
    // The cut page's checkpoint was not taken: the next run reads it again and misses nothing.
    await runExtract(base(store, def))
    expect(countByKind(store.db)).toMatchObject({ ticket: 10, message: 10, attachment: 10 })
  })

  it('fetches attachment bytes into the blob store, hashing them, and rejects the ones the vendor will not serve', async () => {
    const store = setup()
    const files = { a1: Buffer.from('hello'), a2: 404 as const, a3: Buffer.alloc(0), a4: Buffer.alloc(64, 7) }
    const def = fakeDefinition(4, files)
    await runExtract(base(store, def))
    const stats = new KindStats()
    await fetchBlobs({ store, sourceId: 'helpscout', source: def.create({}, null as never), runId: 'run-1', concurrency: 2, maxBytes: 32, signal: new AbortController().signal, progress: noProgress, log: silentLogger, now: () => new Date(), stats })
    const a1 = getRecord(store.db, 'helpscout', 'attachment', 'a1')!.canonical
    expect(a1.sha256).toBe('2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824')
    expect(await store.blobs.read(a1.sha256!)).toEqual(Buffer.from('hello'))
    expect(getRecord(store.db, 'helpscout', 'attachment', 'a3')!.canonical).toMatchObject({ size: 0, sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' })
    const reasons = listRejects(store.db, { phase: 'blob' }).map((r) => [r.sourceId, r.reason])
    expect(reasons).toEqual(expect.arrayContaining([['a2', 'attachment-unavailable'], ['a4', 'too-large']]))
  })
})
