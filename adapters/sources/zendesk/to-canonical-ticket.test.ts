import { describe, expect, it } from 'vitest'
import type { CanonicalOf } from '../../../src/core/model/index.js'
import type { EntityKind } from '../../../src/core/model/common.js'
import type { Mapped } from '../../../src/kits/source/mapping-result.js'
import { mapTicket, type Person, type TicketContext } from './to-canonical-ticket.js'

const only = <K extends EntityKind>(m: Mapped, kind: K): CanonicalOf<K>[] =>
  m.records.map((r) => r.canonical).filter((c): c is CanonicalOf<K> => c.kind === kind)

const people = new Map<number, Person>([
  [100, { role: 'end-user', name: 'Carla Customer', email: 'carla@example.com' }],
  [200, { role: 'agent', name: 'Alan Agent', email: 'alan@acme.example' }],
  [300, { role: 'end-user', name: 'Cc Person', email: 'cc@example.com' }],
  [400, 'missing'],
])
const ctx: TicketContext = {
  agentUrl: (id) => `https://acme.zendesk.com/agent/tickets/${id}`,
  people,
  fields: new Map([
    ['50', { name: 'Plan', options: new Map([['plan_gold', 'Gold']]) }],
    ['brand', { name: 'Brand', options: new Map([['9', 'Acme']]) }],
  ]),
  attachmentHosts: ['acme.zendesk.com/attachments/'],
}

const ticket = {
  id: 42, subject: 'Printer on fire', status: 'hold', priority: 'urgent', requester_id: 100, submitter_id: -1, assignee_id: 200,
  group_id: 7, brand_id: 9, collaborator_ids: [300], email_cc_ids: [300], follower_ids: [200], tags: ['fire', 'fire'],
  custom_fields: [{ id: 50, value: 'plan_gold' }, { id: 51, value: null }], via: { channel: 'email', source: { from: { address: 'carla@example.com' }, to: {}, rel: null } },
  created_at: '2024-01-01T10:00:00Z', updated_at: '2024-01-02T10:00:00Z',
}
const att = (id: number, name: string, extra: Record<string, unknown> = {}) => ({
  id, file_name: name, content_url: `https://acme.zendesk.com/attachments/token/t${id}/?name=${name}`, content_type: 'application/x-genesis-rom', size: 10, inline: false,
  thumbnails: [{ id: id + 1, file_name: `thumb_${name}`, content_url: 'https://acme.zendesk.com/attachments/token/th/?name=thumb' }], ...extra,
})
const comments = [
  { id: 1, type: 'Comment', author_id: 100, public: true, body: 'Help', html_body: '<p>Help</p>', plain_body: 'Help', attachments: [att(11, 'README.md')], via: { channel: 'email', source: { from: { address: 'carla@example.com' }, to: { address: 'help@acme.example' } } }, created_at: '2024-01-01T10:00:00Z' },
  { id: 2, type: 'Comment', author_id: 200, public: false, body: 'Internal', html_body: '<p>Internal <img src="https://acme.zendesk.com/attachments/token/abc/?name=shot.png"> <img src="https://static.zdassets.com/classic/images/emojis/fire.png"></p>', attachments: [], created_at: '2024-01-01T11:00:00Z' },
  { id: 3, type: 'Comment', author_id: 100, public: false, html_body: '<p>private from customer</p>', created_at: '2024-01-01T12:00:00Z' },
  { id: 4, type: 'VoiceComment', author_id: 400, public: false, data: { title: 'Call from +1 555', direction: 'inbound', call_duration: 42, recording_url: 'https://acme.zendesk.com/rec/1' }, created_at: '2024-01-01T13:00:00Z' },
  { id: 5, type: 'Comment', author_id: 200, public: true, html_body: '<p>See <img src="https://acme.zendesk.com/attachments/token/inl/?name=diagram.png"></p>', attachments: [att(51, 'diagram.png', { inline: true, content_url: 'https://acme.zendesk.com/attachments/token/inl/?name=diagram.png' })], created_at: '2024-01-01T14:00:00Z' },
]

describe('ticket', () => {
  const m = mapTicket(ticket, comments, 'p', ctx)
  const [t] = only(m, 'ticket')

  it('maps status, priority, refs, CCs, tags and custom fields with their labels (brand included)', () => {
    expect(m.rejects).toEqual([])
    expect(t).toMatchObject({
      sourceId: '42', number: 42, subject: 'Printer on fire', status: 'pending', vendorStatus: 'hold', deleted: false, priority: 'urgent', channel: 'email',
      groupRef: { kind: 'group', sourceId: '7' }, assigneeRef: { kind: 'agent', sourceId: '200' }, customerRef: { kind: 'customer', sourceId: '100' },
      cc: ['cc@example.com'], tags: ['fire'], sourceUrl: 'https://acme.zendesk.com/agent/tickets/42',
      customFields: [{ fieldId: '50', name: 'Plan', value: 'plan_gold', text: 'Gold' }, { fieldId: 'brand', name: 'Brand', value: '9', text: 'Acme' }],
    })
  })

  it('reads submitter_id -1 as "opened by the requester"', () => {
    expect(t?.createdByRef).toEqual({ kind: 'customer', sourceId: '100' })
  })

  it('tells replies from notes by `public` and the sender by the author\'s role', () => {
    const msgs = only(m, 'message')
    expect(msgs.map((x) => [x.sourceId, x.type, x.author.role, x.position])).toEqual([
      ['1', 'customer_message', 'customer', 0], ['2', 'internal_note', 'agent', 1], ['3', 'internal_note', 'customer', 2], ['4', 'internal_note', 'agent', 3], ['5', 'agent_reply', 'agent', 4],
    ])
    expect(msgs[0]).toMatchObject({ from: 'carla@example.com', to: ['help@acme.example'], bodyText: 'Help', bodyHtml: '<p>Help</p>', channel: 'email' })
  })

  it('stages a voice comment with a note body from its call data, its deleted author as a placeholder name', () => {
    const voice = only(m, 'message').find((x) => x.sourceId === '4')
    expect(voice).toMatchObject({ subtype: 'phone', author: { ref: null, name: 'Deleted Zendesk user 400' } })
    expect(voice?.bodyText).toContain('Call from +1 555')
    expect(voice?.bodyText).toContain('Duration (s): 42')
    expect(voice?.bodyText).toContain('Recording: https://acme.zendesk.com/rec/1')
    expect(m.records.find((r) => r.canonical.sourceId === '4')?.warnings).toEqual([{ code: 'missing-user', detail: 'author 400 no longer exists in Zendesk' }])
  })

  it('keeps files with a re-derived type, never thumbnails as separate attachments', () => {
    const files = only(m, 'attachment')
    const readme = files.find((f) => f.sourceId === '11')
    expect(readme).toMatchObject({ fileName: 'README.md', contentType: 'text/markdown', inline: false, download: { ticketId: '42', commentId: '1', attachmentId: '11' } })
    expect(files.some((f) => f.sourceId === '12' || f.sourceId === '52')).toBe(false)
  })

  it('makes images on the account\'s attachment host inline attachments; emoji on the static host stay links', () => {
    const note = only(m, 'message').find((x) => x.sourceId === '2')
    const images = only(m, 'attachment').filter((f) => f.messageRef.sourceId === '2')
    expect(images).toHaveLength(1)
    expect(images[0]).toMatchObject({ fileName: 'shot.png', contentType: 'image/png', inline: true, download: { bodyImage: true, url: 'https://acme.zendesk.com/attachments/token/abc/?name=shot.png' } })
    expect(note?.bodyHtml).toContain(`cid:${images[0]?.contentId}`)
    expect(note?.bodyHtml).toContain('https://static.zdassets.com/classic/images/emojis/fire.png')
  })

  it('points an inline attachment listed by Zendesk at its body image without doubling it', () => {
    const files = only(m, 'attachment').filter((f) => f.messageRef.sourceId === '5')
    expect(files).toHaveLength(1)
    expect(files[0]).toMatchObject({ sourceId: '51', inline: true, contentId: 'zd-51@inline.deskmove' })
    expect(only(m, 'message').find((x) => x.sourceId === '5')?.bodyHtml).toContain('cid:zd-51@inline.deskmove')
  })
})

describe('deleted, scrubbed and odd tickets', () => {
  it('stages a scrubbed deleted ticket as deleted and closed', () => {
    const m = mapTicket({ id: 73, subject: 'SCRUBBED', description: 'X', status: 'deleted', requester_id: 100, submitter_id: -1, created_at: '2015-07-28T11:33:06Z', updated_at: '2020-03-19T13:40:28Z' }, [], 'p', ctx)
    expect(only(m, 'ticket')[0]).toMatchObject({ status: 'closed', deleted: true, vendorStatus: 'deleted', subject: 'SCRUBBED' })
  })

  it('falls back to the description for a null subject, with a warning', () => {
    const m = mapTicket({ id: 5, subject: null, description: 'First line\nsecond', status: 'new', created_at: '2015-07-28T11:33:06Z' }, [], 'p', ctx)
    expect(only(m, 'ticket')[0]?.subject).toBe('First line')
    expect(m.records[0]?.warnings).toEqual([{ code: 'missing-field', detail: 'subject (taken from the description)' }])
  })

  it('rejects a ticket without any readable time, and a comment without an id alone', () => {
    expect(mapTicket({ id: 6, status: 'open' }, [], 'p', ctx).rejects[0]).toMatchObject({ sourceId: '6', reason: 'schema-mismatch' })
    const m = mapTicket(ticket, [{ body: 'no id' }, comments[0]], 'p', ctx)
    expect(only(m, 'message')).toHaveLength(1)
    expect(m.rejects).toEqual([expect.objectContaining({ kind: 'message', reason: 'schema-mismatch' })])
  })

  it('points a requester Zendesk no longer has at its placeholder, and leaves a removed assignee unassigned', () => {
    const m = mapTicket({ ...ticket, requester_id: 400, submitter_id: 400, assignee_id: 400 }, [], 'p', ctx)
    expect(only(m, 'ticket')[0]).toMatchObject({ customerRef: { kind: 'customer', sourceId: 'deleted-user-400' }, createdByRef: { kind: 'customer', sourceId: 'deleted-user-400' }, assigneeRef: null })
    expect(m.records[0]?.warnings).toContainEqual({ code: 'missing-user', detail: 'assignee 400 no longer exists in Zendesk: staged unassigned' })
  })

  it('lists the tickets merged into this one from its merge notes', () => {
    const note = { id: 9, author_id: 200, public: false, plain_body: 'Request #17 "Printer" was closed and merged into this request.', via: { channel: 'web', source: { rel: 'merge' } }, created_at: '2024-01-03T00:00:00Z' }
    const away = { ...note, id: 10, plain_body: 'This request was closed and merged into request #42.' }
    expect(only(mapTicket(ticket, [note], 'p', ctx), 'ticket')[0]?.mergedFrom).toEqual(['17'])
    expect(only(mapTicket({ ...ticket, id: 17 }, [away], 'p', ctx), 'ticket')[0]?.mergedFrom).toEqual([])
  })

  it('reads an unknown status as open with a warning instead of rejecting', () => {
    const m = mapTicket({ ...ticket, status: 'escalated' }, [], 'p', ctx)
    expect(only(m, 'ticket')[0]?.status).toBe('open')
    expect(m.records[0]?.warnings).toContainEqual({ code: 'unknown-value', detail: 'status "escalated" read as open' })
  })
})
