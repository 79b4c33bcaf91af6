// The inline-image step through the engine: staged with the page, downloaded by URL, rejected by URL, resumed.
import { describe, expect, it } from 'vitest'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { createHash } from 'node:crypto'
import { z } from 'zod'
import type { AnySourceDefinition, AttachmentBody, SourcePage } from '../core/source.js'
import { RemoteRequestError } from '../core/errors.js'
import { silentLogger } from '../core/log.js'
import { openStagingStore } from '../staging/store.js'
import { getRecord } from '../staging/records.js'
import { listRejects } from '../staging/rejects.js'
import { runExtract } from './extract.js'
import { fetchBlobs } from './fetch-blobs.js'
import { KindStats } from './kind-stats.js'
import { inlineImageId } from './inline-images.js'
import { makeMessage, makeTicket } from '../testing/canonical-factories.js'

const noProgress = { phase() {}, update() {}, stop() {} }
const A = 'https://cdn.vendor.example/i/a.png'
const B = 'https://cdn.vendor.example/i/b.png'
const PIXEL = 'https://tracker.example/p.gif'

function definition(pages: SourcePage[]): AnySourceDefinition {
  return {
    id: 'helpscout', displayName: 'fake', config: { schema: z.object({}), env: {}, sensitive: [] },
    streams: [{ name: 'tickets', entities: ['ticket', 'message', 'attachment'], dependsOn: [], resume: 'per-page', supportsSince: true }],
    http: { rateLimitHeaders: { retryAfter: [], windowMs: 60000 }, defaultRpm: null, defaultConcurrency: 2 },
    inlineImages: { hosts: ['vendor.example'] },
    create: () => ({
      async check() {
        return { ok: true, items: [] }
      },
      async *read() {
        for (const p of pages) yield p
      },
      async close() {},
    }),
  }
}

describe('inline images through extract and the blob fetch', () => {
  it('downloads vendor images by URL, rejects a failed one by URL, never fetches the pixel, and a re-run neither duplicates nor re-downloads', async () => {
    const store = openStagingStore(join(mkdtempSync(join(tmpdir(), 'deskmove-inline-')), 'test.db'))
    const body = `<p>x</p><img src="${A}"><img src="${B}"><img src="${PIXEL}">`
    const pages: SourcePage[] = [{ records: [{ canonical: makeTicket('1'), raw: {} }, { canonical: makeMessage('m1', '1', 0, { bodyHtml: body }), raw: { body } }], rejects: [], checkpoint: { page: 1 } }]
    const def = definition(pages)
    const run = (runId: string) => ({ store, definition: def, source: def.create({}, null as never), runId, since: null, limit: null, streams: null, signal: new AbortController().signal, progress: noProgress, log: silentLogger, now: () => new Date('2024-05-01T00:00:00Z') })
    const first = await runExtract(run('r1'))
    expect(first.inlineImages).toEqual({ vendor: 2, external: 1 })
    const asked: string[] = []
    let bFails = true
    const open = async (url: string): Promise<AttachmentBody> => {
      asked.push(url)
      if (url === B && bFails) throw new RemoteRequestError(404, url, `inline image ${url} could not be fetched (HTTP 404)`)
      return { body: Readable.from([Buffer.from(`bytes of ${url}`)]), size: null }
    }
    const blobs = (runId: string) => ({ store, sourceId: 'helpscout', source: def.create({}, null as never), runId, concurrency: 2, maxBytes: 1 << 20, signal: new AbortController().signal, progress: noProgress, log: silentLogger, now: () => new Date(), stats: new KindStats(), openInlineImage: open })
    await fetchBlobs(blobs('r1'))
    expect(asked.sort()).toEqual([A, B])
    const a = getRecord(store.db, 'helpscout', 'attachment', inlineImageId('m1', A))!.canonical as { sha256: string; inline: boolean }
    expect(a.sha256).toBe(createHash('sha256').update(`bytes of ${A}`).digest('hex'))
    const [reject] = listRejects(store.db)
    expect(reject).toMatchObject({ kind: 'attachment', sourceId: inlineImageId('m1', B), reason: 'download-failed' })
    expect(reject!.detail).toContain(B)

    // Re-read (a delta) and retried: nothing doubled, A not fetched again, B fetched now and its reject resolved.
    const again = await runExtract({ ...run('r2'), since: '2000-01-01T00:00:00Z' })
    expect(again.stats.of('attachment')).toMatchObject({ staged: 0, unchanged: 2 })
    expect(again.stats.of('message')).toMatchObject({ staged: 0, unchanged: 1 })
    bFails = false
    asked.length = 0
    await fetchBlobs(blobs('r2'))
    expect(asked).toEqual([B])
    expect(listRejects(store.db)).toEqual([])
    expect(store.db.prepare("SELECT COUNT(*) AS n FROM staged_record WHERE kind = 'attachment'").get()).toEqual({ n: 2 })
    store.close()
  })

  it('without a downloader for inline images they are rejected, not skipped', async () => {
    const store = openStagingStore(join(mkdtempSync(join(tmpdir(), 'deskmove-inline-')), 'test.db'))
    const body = `<img src="${A}">`
    const def = definition([{ records: [{ canonical: makeTicket('1'), raw: {} }, { canonical: makeMessage('m1', '1', 0, { bodyHtml: body }), raw: {} }], rejects: [], checkpoint: { page: 1 } }])
    await runExtract({ store, definition: def, source: def.create({}, null as never), runId: 'r1', since: null, limit: null, streams: null, signal: new AbortController().signal, progress: noProgress, log: silentLogger, now: () => new Date() })
    const source = { ...def.create({}, null as never), openAttachment: async () => ({ body: Readable.from([]), size: 0 }) }
    await fetchBlobs({ store, sourceId: 'helpscout', source, runId: 'r1', concurrency: 1, maxBytes: 1 << 20, signal: new AbortController().signal, progress: noProgress, log: silentLogger, now: () => new Date(), stats: new KindStats() })
    expect(listRejects(store.db)).toMatchObject([{ sourceId: inlineImageId('m1', A), reason: 'download-failed' }])
    store.close()
  })
})
