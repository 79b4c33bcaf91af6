// The pure planner: articles as Znuny needs them, and every value Znuny would mangle or refuse stated up front.
import { describe, expect, it } from 'vitest'
import { defaultMappingConfig, type MappingConfig } from '../../../src/core/mapping-config.js'
import { isSkip, type PlanDeps, type PlanUnit } from '../../../src/core/target.js'
import { makeAttachment, makeCustomer, makeMessage, makeTicket } from '../../../src/testing/canonical-factories.js'
import type { ZnLookups } from './lookups.js'
import { unknownValues, ZNUNY_MAPPING } from './mapping.js'
import { planZnuny } from './plan.js'
import type { ZnCustomerOp, ZnTicketOp } from './plan-ops.js'

const lookups = (over: Partial<ZnLookups> = {}): ZnLookups => ({
  queues: ['Raw', 'Support'],
  states: ['new', 'open', 'closed successful', 'closed unsuccessful', 'pending reminder'],
  priorities: ['1 very low', '2 low', '3 normal', '4 high', '5 very high'],
  types: ['Unclassified', 'Incident'],
  agents: ['root@localhost', 'agent1'],
  dynamicFields: ['DeskmoveSourceId', 'DeskmoveTags', 'OrderNumber'],
  provenanceField: 'DeskmoveSourceId',
  provenanceFilter: 'honoured',
  sendmailModule: 'Kernel::System::Email::DoNotSendEmail',
  dbDialect: 'mysql',
  importUser: 'root@localhost',
  version: 'auto',
  autoRemoveQueues: [],
  ...over,
})
const config = (over: Record<string, unknown> = {}) => defaultMappingConfig({ queues: { '*': 'Raw' }, states: { '*': 'from-status' }, owners: { a1: 'agent1', '*': null }, ...over }, [...ZNUNY_MAPPING])
const deps = (l: ZnLookups = lookups(), c: MappingConfig = config()): PlanDeps<ZnLookups, MappingConfig> => ({ lookups: l, config: c, staged: () => true, emailOwner: () => undefined })

const ticketUnit = (over: Partial<Extract<PlanUnit, { kind: 'ticket' }>> = {}, t = makeTicket('7')): Extract<PlanUnit, { kind: 'ticket' }> => ({
  kind: 'ticket',
  record: t,
  messages: [makeMessage('m1', '7', 0)],
  attachments: [],
  ...over,
})
const planTicket = (u: PlanUnit, d = deps()) => {
  const op = planZnuny(u, d)
  if (isSkip(op) || op.type !== 'ticket') throw new Error(`expected a ticket op, got ${JSON.stringify(op)}`)
  return op as ZnTicketOp
}

describe('Znuny plan: articles', () => {
  it('orders articles by position and gives each its channel, sender type and visibility (notes internal)', () => {
    const op = planTicket(
      ticketUnit({
        messages: [
          makeMessage('m3', '7', 2, { type: 'internal_note', author: { role: 'agent', ref: null, name: 'Ada', email: 'ada@acme.test' }, from: null, bodyHtml: null, bodyText: 'checked the logs' }),
          makeMessage('m1', '7', 0),
          makeMessage('m2', '7', 1, { type: 'agent_reply', subtype: 'phone', author: { role: 'agent', ref: null, name: 'Ada', email: 'ada@acme.test' }, from: 'ada@acme.test', to: ['c1@acme.test'], cc: ['boss@acme.test'] }),
        ],
      }),
    )
    expect(op.articles.map((a) => [a.key, a.CommunicationChannel, a.SenderType, a.IsVisibleForCustomer])).toEqual([
      ['m1', 'Email', 'customer', 1],
      ['m2', 'Phone', 'agent', 1],
      ['m3', 'Internal', 'agent', 0],
    ])
    expect(op.articles[0]!.ContentType).toBe('text/html; charset=utf-8')
    expect(op.articles[2]).toMatchObject({ Body: 'checked the logs', ContentType: 'text/plain; charset=utf-8' })
    expect(op.articles[1]).toMatchObject({ From: '"Ada" <ada@acme.test>', To: 'c1@acme.test', Cc: 'boss@acme.test' })
    expect(op.provenance).toBe('helpscout:ticket:7')
  })

  it('drops addresses Znuny refuses (example.<2–3 letters>) and says so, keeping the article', () => {
    const op = planTicket(ticketUnit({ messages: [makeMessage('m1', '7', 0, { from: 'jane@example.com', to: ['x@example.org', 'ok@acme.test'] })] }))
    expect(op.articles[0]!.From).toBeNull()
    expect(op.articles[0]!.To).toBe('ok@acme.test')
    expect(op.alterations?.filter((a) => a.rule === 'address-dropped').map((a) => a.field)).toEqual(['message m1 from', 'message m1 to'])
  })

  it('replaces 4-byte UTF-8 on MySQL (as Znuny would) with a counted alteration, and keeps it on PostgreSQL', () => {
    const t = makeTicket('7', { subject: 'Grüße 😀 日本' })
    const mysql = planTicket(ticketUnit({ messages: [makeMessage('m1', '7', 0, { bodyHtml: '<p>🎉🎉</p>' })] }, t))
    expect(mysql.Title).toBe('Grüße \uFFFD 日本')
    expect(mysql.articles[0]!.Body).toBe('<p>\uFFFD\uFFFD</p>')
    expect(mysql.alterations?.filter((a) => a.rule === '4-byte-utf8-replaced').map((a) => a.detail.split(' ')[0])).toEqual(['1', '2'])
    const pg = planTicket(ticketUnit({}, t), deps(lookups({ dbDialect: 'postgres' })))
    expect(pg.Title).toBe('Grüße 😀 日本')
  })

  it('checks attachments before sending: no bytes → reject, no file name → a fallback, bad content type → octet-stream', () => {
    const ok = makeAttachment('a1', '7', 'm1', { fileName: '../../etc/photo.png', contentType: 'IMAGE/PNG', sha256: 'a'.repeat(64) })
    const noName = makeAttachment('a2', '7', 'm1', { fileName: '', contentType: 'bogus', sha256: 'b'.repeat(64) })
    const missing = makeAttachment('a3', '7', 'm1', { sha256: null })
    const op = planTicket(ticketUnit({ attachments: [{ record: ok, blobSize: 10 }, { record: noName, blobSize: 3 }, { record: missing, blobSize: null }] }))
    expect(op.articles[0]!.attachments.map((a) => [a.Filename, a.ContentType])).toEqual([
      ['photo.png', 'image/png'],
      ['attachment-a2', 'application/octet-stream'],
    ])
    expect(op.partialRejects).toEqual([expect.objectContaining({ kind: 'attachment', sourceId: 'a3', reason: 'missing-blob' })])
    expect(op.alterations?.map((a) => a.rule)).toEqual(expect.arrayContaining(['file-name-cleaned', 'content-type-replaced']))
  })

  it('keeps tags and custom fields in dynamic fields that exist, and says which were dropped', () => {
    const t = makeTicket('7', { tags: ['vip', 'billing'], customFields: [{ fieldId: 'f1', name: 'Order Number', value: '42', text: '42' }, { fieldId: 'f2', name: 'Plan', value: 'gold', text: 'Gold' }] })
    const op = planTicket(ticketUnit({}, t))
    expect(op.dynamicFields).toEqual([{ Name: 'DeskmoveTags', Value: ['vip', 'billing'] }, { Name: 'OrderNumber', Value: '42' }])
    expect(op.alterations).toContainEqual(expect.objectContaining({ field: 'custom field Plan', rule: 'dropped' }))
  })
})

describe('Znuny plan: ticket fields and customers', () => {
  it('maps states from the canonical status, priorities, and sets no owner without the database (it would e-mail)', () => {
    const t = makeTicket('7', { status: 'closed', priority: 'high', assigneeRef: { kind: 'agent', sourceId: 'a1' } })
    const withDb = planTicket(ticketUnit({}, t))
    expect(withDb).toMatchObject({ State: 'closed successful', Priority: '4 high', owner: 'agent1', Queue: 'Raw' })
    const noDb = planTicket(ticketUnit({}, t), deps(lookups({ dbDialect: null })))
    expect(noDb.owner).toBeNull()
    expect(noDb.notice).toMatch(/owner agent1 not set.*ZNUNY_DB_URL/)
  })

  it('skips a ticket whose group has no queue, naming the section', () => {
    const op = planZnuny(ticketUnit(), deps(lookups(), config({ queues: { other: 'Raw' } })))
    expect(op).toMatchObject({ skip: true, reason: 'unmapped' })
    expect(JSON.stringify(op)).toContain('mapping.queues')
  })

  it('gives a customer whose only address Znuny refuses the placeholder, and records the decision', () => {
    const op = planZnuny({ kind: 'customer', record: makeCustomer('9', { emails: [{ value: 'bob@example.com', type: 'work' }] }), organization: null }, deps()) as ZnCustomerOp
    expect(op.login).toBe('noemail+9@noemail.invalid')
    expect(op.identity?.decision).toBe('placeholder-email')
    expect(op.alterations?.[0]?.rule).toBe('address-dropped')
  })

  it('lists every mapped value the target lacks, with what exists', () => {
    const bad = unknownValues(config({ queues: { g1: 'Sales', '*': 'Raw' }, priorities: { high: 'urgent!' }, owners: { a1: 'ghost' } }), lookups())
    expect(bad.map((b) => `${b.section}:${b.key}=${b.value}`)).toEqual(['queues:g1=Sales', 'priorities:high=urgent!', 'owners:a1=ghost'])
    expect(bad[0]!.available).toEqual(['Raw', 'Support'])
    expect(unknownValues(config({ queues: { g1: 'Sales' } }), lookups({ queues: null }))).toEqual([])
  })
})
