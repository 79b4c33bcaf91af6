import { describe, expect, it } from 'vitest'
import { packJob, toCommitJob, unpackJob } from './page-commit.js'
import { makeAttachment, makeMessage, makeTicket } from '../testing/canonical-factories.js'

describe('packing a page for the writer thread', () => {
  it('round-trips records whose text holds newlines, quotes and unicode', () => {
    const page = {
      records: [
        { canonical: makeTicket('1', { subject: 'line 1\nline "2" ✓' }), raw: { id: 1, body: 'a\nb' }, warnings: [{ code: 'missing-field', detail: 'primaryCustomer.id\nabsent' }] },
        { canonical: makeMessage('m\n1', '1', 0, { bodyText: '\u2028\u0000x' }), raw: null },
        { canonical: makeAttachment('a1', '1', 'm\n1', { size: 12 }), raw: { fileName: '../x' } },
      ],
      rejects: [{ kind: 'ticket' as const, sourceId: 'bad', reason: 'schema-mismatch', detail: 'x: Required', raw: { id: 'bad' } }],
      checkpoint: { page: 3 },
    }
    const job = toCommitJob(page, { source: 'helpscout', stream: 'tickets', mode: 'full', signpost: null, runId: 'r', perPage: true }, '2024-01-01T00:00:00Z')
    expect(unpackJob(packJob(job))).toEqual(job)
    expect(job.type === 'page' && job.records[0]?.warnings).toEqual([{ code: 'missing-field', detail: 'primaryCustomer.id\nabsent' }])
  })

  it('round-trips the end-of-stream marker with the last checkpoint', () => {
    const done = { type: 'done' as const, at: { source: 'helpscout', stream: 'tags', mode: 'full' as const, signpost: null, runId: 'r', perPage: false }, nowIso: 'now', pages: 1, records: 12, checkpoint: { cursor: 'c9' } }
    expect(unpackJob(packJob(done))).toEqual(done)
  })
})
