import { describe, expect, it } from 'vitest'
import { mapCustomers, mapFields, mapMailboxes, mapOrganizations, mapTags, mapUsers } from './to-canonical.js'
import { mapConversation } from './to-canonical-ticket.js'
import type { CanonicalOf } from '../../../src/core/model/index.js'
import type { EntityKind } from '../../../src/core/model/common.js'
import type { Mapped } from '../../../src/kits/source/mapping-result.js'

const only = <K extends EntityKind>(m: Mapped, kind: K): CanonicalOf<K>[] =>
  m.records.map((r) => r.canonical).filter((c): c is CanonicalOf<K> => c.kind === kind)

const user = { id: 1001, firstName: 'Ada', lastName: 'Owner', email: 'ada@acme.example', role: 'owner', timezone: 'Europe/Berlin', type: 'user', jobTitle: 'Head', phone: '+49 1', alternateEmails: ['a@acme.example'], createdAt: '2018-01-01T00:00:00Z', updatedAt: '2019-01-01T00:00:00Z' }

describe('users → agents', () => {
  it('maps names, role, emails and timestamps', () => {
    const [agent] = only(mapUsers([user], 'p1'), 'agent')
    expect(agent).toMatchObject({
      source: 'helpscout', sourceId: '1001', name: 'Ada Owner', email: 'ada@acme.example', alternateEmails: ['a@acme.example'],
      role: 'owner', active: true, timezone: 'Europe/Berlin', sourceUpdatedAt: '2019-01-01T00:00:00Z', createdAt: '2018-01-01T00:00:00Z',
    })
  })
  it('treats the plain `user` role as an agent and falls back to the email for a nameless user', () => {
    const [agent] = only(mapUsers([{ id: 5, email: 'x@acme.example', role: 'user', firstName: '', lastName: null }], 'p1'), 'agent')
    expect(agent).toMatchObject({ role: 'agent', name: 'x@acme.example', firstName: null, lastName: null })
  })
  it('rejects a user without an id with the zod path, keeping the others', () => {
    const m = mapUsers([{ firstName: 'No id' }, user], 'https://api/users?page=1')
    expect(m.records).toHaveLength(1)
    expect(m.rejects).toEqual([expect.objectContaining({ kind: 'agent', sourceId: 'https://api/users?page=1', reason: 'schema-mismatch', detail: expect.stringContaining('id') })])
  })
})

describe('mailboxes, fields, tags, organizations', () => {
  it('maps a mailbox to a group', () => {
    const [group] = only(mapMailboxes([{ id: 11, name: 'Support', email: 'help@acme.example', createdAt: '2018-01-01T00:00:00Z', updatedAt: '2018-02-01T00:00:00Z' }], 'p'), 'group')
    expect(group).toEqual({ source: 'helpscout', kind: 'group', sourceId: '11', sourceUpdatedAt: '2018-02-01T00:00:00Z', sourceUrl: null, name: 'Support', email: 'help@acme.example', createdAt: '2018-01-01T00:00:00Z' })
  })
  it('maps field definitions scoped to their mailbox, options in display order', () => {
    const m = mapFields([
      { id: 91, name: 'Plan', type: 'dropdown', required: true, order: 1, options: [{ id: 2, order: 2, label: 'Pro' }, { id: 1, order: 1, label: 'Free' }] },
      { id: 92, name: 'Order number', type: 'singleline', required: false, order: 2, options: [] },
      { id: 93, name: 'Odd', type: 'rating' },
    ], '11', 'p')
    const defs = only(m, 'custom_field')
    expect(defs.map((d) => [d.sourceId, d.type, d.required])).toEqual([['91', 'dropdown', true], ['92', 'text', false], ['93', 'other', false]])
    expect(defs[0]?.groupRef).toEqual({ kind: 'group', sourceId: '11' })
    expect(defs[0]?.options).toEqual([{ id: '1', label: 'Free' }, { id: '2', label: 'Pro' }])
  })
  it('maps tags with their colour', () => {
    expect(only(mapTags([{ id: 5, name: 'vip', slug: 'vip', color: '#ff0000' }], 'p'), 'tag')).toEqual([
      { source: 'helpscout', kind: 'tag', sourceId: '5', sourceUpdatedAt: null, sourceUrl: null, name: 'vip', color: '#ff0000' },
    ])
  })
  it('maps organisations with domains and notes', () => {
    const [org] = only(mapOrganizations([{ id: 7001, name: 'Globex', domains: ['globex.example'], description: 'Big', note: 'Pays late', createdAt: '2020-01-01T00:00:00Z' }], 'p'), 'organization')
    expect(org).toMatchObject({ sourceId: '7001', name: 'Globex', domains: ['globex.example'], notes: 'Big\n\nPays late', createdAt: '2020-01-01T00:00:00Z' })
  })
})

describe('customers', () => {
  const customer = {
    id: 200001, firstName: 'Zoë', lastName: 'García', organization: 'Globex', organizationId: 7001, jobTitle: 'CTO', location: 'Berlin',
    background: 'Prefers <b>phone</b>', createdAt: '2020-01-01T00:00:00Z', updatedAt: '2020-03-01T00:00:00Z',
    _embedded: {
      emails: [{ id: 1, value: 'Zoe@Globex.example', type: 'work' }, { id: 2, value: 'zoe@home.example', type: 'home' }, { id: 3, value: 'z@x.example', type: 'weird' }],
      phones: [{ id: 4, value: '+1 555', type: 'mobile' }],
      websites: [{ id: 5, value: 'https://zoe.example' }],
    },
  }
  it('keeps every email (as given, first is main) and phone, company and organisation reference', () => {
    const [c] = only(mapCustomers([customer], 'p'), 'customer')
    expect(c).toMatchObject({
      sourceId: '200001', firstName: 'Zoë', lastName: 'García', company: 'Globex', organizationRef: { kind: 'organization', sourceId: '7001' },
      emails: [{ value: 'Zoe@Globex.example', type: 'work' }, { value: 'zoe@home.example', type: 'home' }, { value: 'z@x.example', type: 'other' }],
      phones: [{ value: '+1 555', type: 'mobile' }], websites: ['https://zoe.example'], notes: 'Prefers <b>phone</b>', location: 'Berlin', jobTitle: 'CTO',
    })
  })
  it('maps a customer without any email or organisation', () => {
    const [c] = only(mapCustomers([{ id: 9, firstName: 'Anon' }], 'p'), 'customer')
    expect(c).toMatchObject({ emails: [], phones: [], organizationRef: null, company: null, createdAt: null })
  })
})

const thread = (over: Record<string, unknown>) => ({ status: 'nochange', state: 'published', to: [], cc: [], bcc: [], ...over })
const conversation = (over: Record<string, unknown> = {}) => ({
  id: 5001, number: 101, type: 'email', status: 'active', state: 'published', subject: 'Order arrived damaged', mailboxId: 11,
  assignee: { id: 1002, type: 'user', first: 'Zoë', last: 'Å', email: 'zoe@acme.example' },
  createdBy: { id: 200001, type: 'customer', email: 'c@x.example' },
  primaryCustomer: { id: 200001, type: 'customer' },
  createdAt: '2024-01-01T10:00:00Z', closedBy: 0, userUpdatedAt: '2024-01-02T10:00:00Z',
  customerWaitingSince: { time: '2024-01-03T09:00:00Z', friendly: 'a while ago' },
  tags: [{ id: 1, tag: 'vip', color: '#f00' }, { id: 2, tag: 'billing' }],
  cc: ['cc@x.example'], bcc: [],
  customFields: [{ id: 91, name: 'Plan', value: '2', text: 'Pro' }, { id: 92, name: 'Order', value: 42, text: '42' }],
  _embedded: {
    threads: [
      // Newest first, as the API sends them.
      thread({ id: 3, type: 'note', createdAt: '2024-01-02T10:00:00Z', body: '<p>internal &amp; secret</p>', createdBy: { id: 1002, type: 'user', first: 'Zoë', last: 'Å', email: 'zoe@acme.example' } }),
      thread({ id: 2, type: 'message', status: 'pending', createdAt: '2024-01-01T11:00:00Z', body: '<p>Sorry!</p><img src="cid:img-1@x">', to: ['c@x.example'],
        createdBy: { id: 1002, type: 'user', first: 'Zoë', last: 'Å', email: 'zoe@acme.example' }, assignedTo: { id: 1002, type: 'user' },
        _embedded: { attachments: [{ id: 77, filename: 'image001.png', mimeType: 'image/png', size: 640, contentId: 'img-1@x' }, { id: 78, filename: '../x.pdf', mimeType: 'application/pdf', size: 0 }] } }),
      thread({ id: 1, type: 'customer', status: 'active', createdAt: '2024-01-01T10:00:00Z', body: 'It broke', createdBy: { id: 200001, type: 'customer', first: 'Zoë', last: 'G', email: 'c@x.example' } }),
    ],
  },
  ...over,
})

describe('conversation → ticket', () => {
  it('maps status, refs, tags, custom fields and the synthesised updatedAt', () => {
    const [t] = only(mapConversation(conversation(), { where: 'p' }), 'ticket')
    expect(t).toMatchObject({
      sourceId: '5001', number: 101, subject: 'Order arrived damaged', status: 'open', vendorStatus: 'active', deleted: false, channel: 'email',
      groupRef: { kind: 'group', sourceId: '11' }, assigneeRef: { kind: 'agent', sourceId: '1002' }, customerRef: { kind: 'customer', sourceId: '200001' },
      createdByRef: { kind: 'customer', sourceId: '200001' }, tags: ['vip', 'billing'], cc: ['cc@x.example'],
      customFields: [{ fieldId: '91', name: 'Plan', value: '2', text: 'Pro' }, { fieldId: '92', name: 'Order', value: '42', text: '42' }],
      createdAt: '2024-01-01T10:00:00Z', updatedAt: '2024-01-03T09:00:00Z', sourceUpdatedAt: '2024-01-03T09:00:00Z',
      closedAt: null, closedByRef: null, mergedFrom: [], sourceUrl: 'https://secure.helpscout.net/conversation/5001/101',
    })
  })
  it.each([['active', 'open'], ['pending', 'pending'], ['closed', 'closed'], ['spam', 'spam']])('maps status %s to %s', (wire, canonical) => {
    const [t] = only(mapConversation(conversation({ status: wire }), { where: 'p' }), 'ticket')
    expect(t?.status).toBe(canonical)
    expect(t?.vendorStatus).toBe(wire)
  })
  it('marks deleted conversations, keeps closer, maps a team assignee to none and chat type to the chat channel', () => {
    const [t] = only(mapConversation(conversation({ state: 'deleted', type: 'chat', status: 'closed', closedBy: 1003, closedAt: '2024-01-04T00:00:00Z', assignee: { id: 2001, type: 'team', first: 'Tier 2' } }), { where: 'p' }), 'ticket')
    expect(t).toMatchObject({ deleted: true, channel: 'chat', assigneeRef: null, closedByRef: { kind: 'agent', sourceId: '1003' }, closedAt: '2024-01-04T00:00:00Z' })
  })
  it('collects merged ids from merge line items and redirect aliases', () => {
    const merge = thread({ id: 9, type: 'lineitem', createdAt: '2024-01-01T10:30:00Z', action: { type: 'merged', text: 'Merged', associatedEntities: { conversation: { id: 900001, number: 5 } } } })
    const c = conversation()
    const [t] = only(mapConversation({ ...c, _embedded: { threads: [...c._embedded.threads, merge] } }, { where: 'p', aliases: ['900002'] }), 'ticket')
    expect(t?.mergedFrom).toEqual(['900001', '900002'])
  })
  it('rejects only a conversation that cannot be identified (no id), and stages none of its threads', () => {
    const { id: _drop, ...broken } = conversation()
    const m = mapConversation(broken, { where: 'p' })
    expect(m.records).toEqual([])
    expect(m.rejects).toEqual([expect.objectContaining({ kind: 'ticket', sourceId: 'p', reason: 'schema-mismatch', detail: expect.stringContaining('id'), raw: broken })])
  })
  it('stages a conversation without createdAt, taking its oldest thread time, and says so in a warning', () => {
    const { createdAt: _drop, ...sparse } = conversation()
    const m = mapConversation(sparse, { where: 'p' })
    expect(m.rejects).toEqual([])
    const t = m.records.find((r) => r.canonical.kind === 'ticket')
    expect(t?.canonical).toMatchObject({ createdAt: '2024-01-01T10:00:00Z' })
    expect(t?.warnings?.map((w) => w.code)).toEqual(['created-at-missing'])
  })
  it('stages an unknown status as open, keeping the vendor value and a warning', () => {
    const m = mapConversation(conversation({ status: 'archived' }), { where: 'p' })
    expect(m.rejects).toEqual([])
    const t = m.records.find((r) => r.canonical.kind === 'ticket')
    expect(t?.canonical).toMatchObject({ status: 'open', vendorStatus: 'archived' })
    expect(t?.warnings).toEqual([expect.objectContaining({ code: 'status-unknown', detail: expect.stringContaining('archived') })])
  })
})

describe('threads → messages and attachments', () => {
  const mapped = mapConversation(conversation(), { where: 'p' })
  const messages = only(mapped, 'message')
  it('orders messages oldest first with positions 0..n-1', () => {
    expect(messages.map((m) => [m.sourceId, m.position])).toEqual([['1', 0], ['2', 1], ['3', 2]])
  })
  it('maps types, authors, bodies, recipients, status and assignee', () => {
    const [customer, reply, note] = messages
    expect(customer).toMatchObject({ type: 'customer_message', author: { role: 'customer', ref: { kind: 'customer', sourceId: '200001' }, name: 'Zoë G', email: 'c@x.example' }, from: 'c@x.example', statusAfter: 'open', bodyText: 'It broke', channel: 'email' })
    expect(reply).toMatchObject({ type: 'agent_reply', author: { role: 'agent', ref: { kind: 'agent', sourceId: '1002' } }, to: ['c@x.example'], statusAfter: 'pending', assigneeRef: { kind: 'agent', sourceId: '1002' }, bodyText: 'Sorry!', from: null })
    expect(note).toMatchObject({ type: 'internal_note', statusAfter: null, bodyHtml: '<p>internal &amp; secret</p>', bodyText: 'internal & secret', ticketRef: { kind: 'ticket', sourceId: '5001' } })
  })
  it('keeps equal-timestamp threads in id order whatever order the API used', () => {
    const same = '2024-01-01T10:00:00Z'
    const c = conversation({ _embedded: { threads: [thread({ id: 20, type: 'customer', createdAt: same }), thread({ id: 10, type: 'customer', createdAt: same })] } })
    const reversed = conversation({ _embedded: { threads: [thread({ id: 10, type: 'customer', createdAt: same }), thread({ id: 20, type: 'customer', createdAt: same })] } })
    const positions = (x: unknown) => only(mapConversation(x, { where: 'p' }), 'message').map((m) => [m.sourceId, m.position])
    expect(positions(c)).toEqual([['10', 0], ['20', 1]])
    expect(positions(reversed)).toEqual(positions(c))
  })
  it.each([
    ['lineitem', 'user', 'system_event', null],
    ['chat', 'customer', 'customer_message', 'chat'],
    ['chat', 'user', 'agent_reply', 'chat'],
    ['phone', 'user', 'agent_reply', 'phone'],
    ['phone', 'customer', 'customer_message', 'phone'],
    ['forwardparent', 'user', 'agent_reply', 'forward'],
    ['forwardchild', 'user', 'agent_reply', 'forward'],
  ])('maps a %s thread by a %s to %s (subtype %s)', (type, by, messageType, subtype) => {
    const t = thread({ id: 1, type, createdAt: '2024-01-01T10:00:00Z', createdBy: { id: 1, type: by }, action: { type: 'manual-workflow', text: 'Ran workflow' } })
    const [m] = only(mapConversation(conversation({ _embedded: { threads: [t] } }), { where: 'p' }), 'message')
    expect(m).toMatchObject({ type: messageType, subtype })
    if (type === 'lineitem') expect(m?.event).toEqual({ action: 'manual-workflow', text: 'Ran workflow' })
    if (type === 'chat') expect(m?.channel).toBe('chat')
  })
  it('stages an unknown thread type as an internal note with a warning, never dropping it', () => {
    const m = mapConversation(conversation({ _embedded: { threads: [thread({ id: 1, type: 'hologram', createdAt: '2024-01-01T10:00:00Z' }), thread({ id: 2, type: 'customer', createdAt: '2024-01-01T11:00:00Z' })] } }), { where: 'p' })
    expect(only(m, 'message').map((x) => [x.sourceId, x.position, x.type])).toEqual([['1', 0, 'internal_note'], ['2', 1, 'customer_message']])
    expect(m.rejects).toEqual([])
    expect(m.records.find((r) => r.canonical.sourceId === '1')?.warnings).toEqual([expect.objectContaining({ code: 'thread-type-unknown' })])
  })
  it('uses the separately listed threads instead of the truncated embed when given', () => {
    const full = [thread({ id: 1, type: 'chat', createdAt: '2024-01-01T10:00:00Z', body: 'the whole chat line', createdBy: { id: 9, type: 'customer' } })]
    const [m] = only(mapConversation(conversation({ _embedded: { threads: [{ ...full[0], body: 'the who…' }] } }), { where: 'p', threads: full }), 'message')
    expect(m?.bodyText).toBe('the whole chat line')
  })
  it('maps attachments with their download reference, inline only when the body cites their cid', () => {
    expect(only(mapped, 'attachment')).toEqual([
      expect.objectContaining({ sourceId: '77', fileName: 'image001.png', contentType: 'image/png', size: 640, inline: true, contentId: 'img-1@x', sha256: null, messageRef: { kind: 'message', sourceId: '2' }, ticketRef: { kind: 'ticket', sourceId: '5001' }, download: { conversationId: '5001', attachmentId: '77' } }),
      expect.objectContaining({ sourceId: '78', fileName: '../x.pdf', size: 0, inline: false, contentId: null }),
    ])
  })
  it('stores the ticket raw payload without the threads, which carry their own', () => {
    const ticket = mapped.records.find((r) => r.canonical.kind === 'ticket')
    expect((ticket?.raw as { _embedded?: object })._embedded).toEqual({})
    expect(mapped.records.find((r) => r.canonical.sourceId === '3')?.raw).toMatchObject({ id: 3, type: 'note' })
  })
})
