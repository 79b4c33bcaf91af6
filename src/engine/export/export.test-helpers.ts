// A small staging store holding what an archive must carry: threads with notes and system events, inline
// images, attachments with and without bytes, hostile ids and file names, invalid UTF-8, warnings, rejects.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { createHash } from 'node:crypto'
import type { CanonicalRecord } from '../../core/model/index.js'
import type { Attachment } from '../../core/model/attachment.js'
import { openStagingStore, type StagingStore } from '../../staging/store.js'
import { getRecord, upsertRecord } from '../../staging/records.js'
import { setBlobStatus } from '../../staging/blob-queue.js'
import { addReject } from '../../staging/rejects.js'
import { commitJob, toCommitJob } from '../page-commit.js'
import { makeAgent, makeAttachment, makeCustomer, makeMessage, makeTicket } from '../../testing/canonical-factories.js'

export const HOSTILE_TICKET = '../../x'
export const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex')
export const PDF = Buffer.from('%PDF-1.4\n% not really a pdf, but bytes that must survive\n\u0000\u00ff binary tail', 'latin1')
export const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex')
const T = (m: number): string => `2024-03-01T10:${String(m).padStart(2, '0')}:00Z`

export function sampleRecords(): CanonicalRecord[] {
  return [
    makeAgent('7', { name: 'Ada Agent', email: 'ada@support.example' }),
    makeCustomer('1', { emails: [{ value: 'carol@customer.example', type: 'work' }] }),
    { source: 'helpscout', kind: 'group', sourceId: '1', sourceUpdatedAt: null, sourceUrl: null, name: 'Support', email: 'support@example.test', createdAt: null },
    makeTicket('100', { subject: 'Printer on fire', number: 100, assigneeRef: { kind: 'agent', sourceId: '7' } }),
    makeMessage('m1', '100', 0, { messageId: '<orig-1@mail.customer.example>', bodyHtml: '<p>Help! <img src="cid:img-1@inline.deskmove"></p>', bodyText: 'Help!', from: 'carol@customer.example', createdAt: T(0) }),
    makeMessage('m2', '100', 1, { type: 'agent_reply', author: { role: 'agent', ref: { kind: 'agent', sourceId: '7' }, name: 'Ada Agent', email: 'ada@support.example' }, from: 'ada@support.example', to: ['carol@customer.example'], cc: ['boss@customer.example'], bcc: ['audit@support.example'], bodyHtml: '<p>Water.</p>', bodyText: 'Water.', createdAt: T(1) }),
    makeMessage('m3', '100', 2, { type: 'internal_note', author: { role: 'agent', ref: { kind: 'agent', sourceId: '7' }, name: 'Ada Agent', email: 'ada@support.example' }, from: null, bodyHtml: null, bodyText: 'Customer sounds calm.', createdAt: T(2) }),
    makeMessage('m4', '100', 3, { type: 'system_event', author: { role: 'system', ref: null, name: null, email: null }, from: null, bodyHtml: null, bodyText: null, event: { action: 'closed', text: 'Ticket closed' }, createdAt: T(3) }),
    makeAttachment('a1', '100', 'm1', { fileName: 'fire.png', contentType: 'image/png', inline: true, contentId: 'img-1@inline.deskmove' }),
    makeAttachment('a2', '100', 'm2', { fileName: '../../etc/passwd.pdf', contentType: 'application/pdf' }),
    makeAttachment('a3', '100', 'm2', { fileName: 'same-bytes-again.pdf', contentType: 'application/pdf' }),
    makeAttachment('a4', '100', 'm2', { fileName: 'never-fetched.zip', contentType: 'application/zip', size: 1234 }),
    makeTicket(HOSTILE_TICKET, { subject: 'Hostile id and bad bytes \uFFFD \uD800 tail', number: 101 }),
    makeMessage('../m/5', HOSTILE_TICKET, 0, { author: { role: 'customer', ref: null, name: 'Eve\r\nBcc: evil@attacker.example', email: 'eve@customer.example' }, from: 'eve@customer.example', bodyHtml: null, bodyText: 'invalid UTF-8 became \uFFFD; a lone surrogate \uDC80 too', createdAt: T(5) }),
  ]
}

/** Stages `sampleRecords()` and stores the bytes of a1–a3 (a2 and a3 share theirs); a4 stays without bytes. */
export async function sampleStore(dir = mkdtempSync(join(tmpdir(), 'dm-export-'))): Promise<StagingStore> {
  const store = openStagingStore(join(dir, 'staging.db'))
  const now = '2024-05-01T00:00:00.000Z'
  const records = sampleRecords()
  const job = toCommitJob({ records: records.map((canonical) => ({ canonical, raw: { vendorId: canonical.sourceId, extra: { nested: [1, 2] } }, ...(canonical.sourceId === 'm2' ? { warnings: [{ code: 'missing-field', detail: 'cc was absent' }] } : {}) })), rejects: [{ kind: 'ticket', sourceId: '999', reason: 'schema-mismatch', detail: 'subject: expected string', raw: { id: 999 } }], checkpoint: {} }, { source: 'helpscout', stream: 'conversations', mode: 'full', signpost: null, runId: 'r1', perPage: false }, now)
  commitJob(store.db, job)
  for (const [id, bytes] of [['a1', PNG], ['a2', PDF], ['a3', PDF]] as const) {
    const blob = await store.blobs.put(Readable.from([bytes]))
    const stored = getRecord(store.db, 'helpscout', 'attachment', id)!
    upsertRecord(store.db, { ...(stored.canonical as Attachment), sha256: blob.sha256, size: blob.size }, stored.raw, stored.stream, 'r1', now)
    setBlobStatus(store.db, { source: 'helpscout', sourceId: id, status: 'stored', sha256: blob.sha256, size: blob.size, runId: 'r1', nowIso: now })
  }
  addReject(store.db, { runId: 'r1', phase: 'blob', source: 'helpscout', kind: 'attachment', sourceId: 'a4', reason: 'download-failed', detail: 'never-fetched.zip: 404' }, now)
  return store
}
