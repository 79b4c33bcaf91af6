// The mapping against payloads shaped like the real API sends them (modelled on the vendor samples, written
// here): sparse people, untyped assignees, thread states, ratings, snoozes, merges and customer details.
import { describe, expect, it } from 'vitest'
import { mapConversation, mergedIdsOf } from './to-canonical-ticket.js'
import { mapCustomer, needsCustomerParts } from './to-canonical-customer.js'
import { remoteImageSources } from '../../../src/kits/source/body-images.js'
import { threadSchema } from './wire.js'
import type { Mapped } from '../../../src/kits/source/mapping-result.js'
import type { CanonicalOf } from '../../../src/core/model/index.js'
import type { EntityKind } from '../../../src/core/model/common.js'

const only = <K extends EntityKind>(m: Mapped, kind: K): CanonicalOf<K>[] =>
  m.records.map((r) => r.canonical).filter((c): c is CanonicalOf<K> => c.kind === kind)
const codesOf = (m: Mapped, sourceId: string): string[] => (m.records.find((r) => r.canonical.sourceId === sourceId)?.warnings ?? []).map((w) => w.code)

const conv = (over: Record<string, unknown>, threads: unknown[]) => ({
  id: 42, number: 7, type: 'email', status: 'closed', state: 'published', mailboxId: 3, createdAt: '2024-05-01T08:00:00Z', ...over, _embedded: { threads },
})
const th = (id: number, over: Record<string, unknown>) => ({ id, type: 'customer', state: 'published', createdAt: `2024-05-01T0${Math.min(9, id)}:00:00Z`, ...over })

describe('people without ids or types', () => {
  const m = mapConversation(
    conv(
      { primaryCustomer: { first: 'Rob', email: 'Rob@Acme.example' }, assignee: { id: 256, first: 'Mr', last: 'Robot', email: 'robot@desk.example' }, closedBy: 0, closedByUser: { first: 'Clo', email: 'closer@desk.example' } },
      [th(2, { type: 'message', createdBy: { first: 'Mr', email: 'robot@desk.example' } }), th(1, { customer: { id: 9001, email: 'rob@acme.example' }, createdBy: { type: 'customer', email: 'rob@acme.example' } })],
    ),
    { where: 'p', people: { userIds: new Set(['256', '300']), userIdByEmail: new Map([['robot@desk.example', '256'], ['closer@desk.example', '300']]) } },
  )
  const [ticket] = only(m, 'ticket')
  it('stages the conversation and its threads; nothing is rejected', () => {
    expect(m.rejects).toEqual([])
    expect(only(m, 'message')).toHaveLength(2)
  })
  it('matches the id-less primary customer by email to the thread customer that has an id', () => {
    expect(ticket?.customerRef).toEqual({ kind: 'customer', sourceId: '9001' })
    expect(codesOf(m, '42')).toContain('person-id-missing')
  })
  it('takes an untyped assignee as a user when the directory knows it, and the closer by email', () => {
    expect(ticket?.assigneeRef).toEqual({ kind: 'agent', sourceId: '256' })
    expect(ticket?.closedByRef).toEqual({ kind: 'agent', sourceId: '300' })
  })
  it('resolves an untyped, id-less thread author by email', () => {
    const reply = only(m, 'message').find((x) => x.sourceId === '2')
    expect(reply?.author).toMatchObject({ role: 'agent', ref: { kind: 'agent', sourceId: '256' }, email: 'robot@desk.example' })
  })
  it('an untyped assignee the directory does not know (a team) gets no reference and a warning', () => {
    const t = mapConversation(conv({ assignee: { id: 77, first: 'Tier 2' } }, [th(1, {})]), { where: 'p', people: { userIds: new Set(['256']), userIdByEmail: new Map() } })
    expect(only(t, 'ticket')[0]?.assigneeRef).toBeNull()
    expect(codesOf(t, '42')).toContain('assignee-unresolved')
  })
  it('reads an untyped assignee\'s kind from the conversation\'s HAL link when no directory is given', () => {
    const user = mapConversation({ ...conv({ assignee: { id: 256, first: 'Mr' } }, [th(1, {})]), _links: { assignee: { href: 'https://api.helpscout.net/v2/users/256' } } }, { where: 'p' })
    expect(only(user, 'ticket')[0]?.assigneeRef).toEqual({ kind: 'agent', sourceId: '256' })
    expect(codesOf(user, '42')).not.toContain('assignee-type-missing')
    const team = mapConversation({ ...conv({ assignee: { id: 9, first: 'Tier 2' } }, [th(1, {})]), _links: { assignee: { href: 'https://api.helpscout.net/v2/teams/9' } } }, { where: 'p' })
    expect(only(team, 'ticket')[0]?.assigneeRef).toBeNull()
  })
  it('keeps the email of a primary customer that matches nobody, for the target to find or create', () => {
    const t = mapConversation(conv({ primaryCustomer: { email: 'new@x.example' } }, [th(1, {})]), { where: 'p' })
    expect(only(t, 'ticket')[0]).toMatchObject({ customerRef: null, customerEmail: 'new@x.example' })
    expect(codesOf(t, '42')).toContain('person-unresolved')
  })
})

describe('thread states and extras', () => {
  const m = mapConversation(
    conv({ snooze: { snoozedBy: 4, snoozedUntil: '2024-06-03T12:00:00Z', unsnoozeOnCustomerReply: true } }, [
      th(6, { type: 'message', state: 'draft', body: 'scheduled answer', scheduled: { scheduledFor: '2034-06-10T10:20:30Z', scheduledBy: 4 } }),
      th(5, { type: 'message', state: 'draft', body: 'half written' }),
      th(4, { type: 'message', state: 'underreview', body: 'held by collision detection' }),
      th(3, { type: 'message', state: 'hidden', body: 'hidden reply' }),
      th(2, { type: 'message', body: '<p>Hi</p><img src="https://d33v4339jhl8k0.cloudfront.net/inline/1/a.png"><img src="https://t.example/pixel.gif?x=1&amp;y=2" width="1">', openedAt: '2024-05-02T10:00:00Z', rating: { customerId: 9, rating: 'great', comments: 'Great job!' } }),
      th(1, {}),
    ]),
    { where: 'p' },
  )
  const messages = only(m, 'message')
  it('does not stage drafts or scheduled replies, keeps them in the ticket raw and reports them', () => {
    expect(messages.map((x) => x.sourceId)).toEqual(['1', '2', '3', '4'])
    const ticket = m.records.find((r) => r.canonical.kind === 'ticket')
    expect((ticket?.raw as { _embedded: { threads: { id: number }[] } })._embedded.threads.map((t) => t.id).sort()).toEqual([5, 6])
    expect(codesOf(m, '42')).toEqual(expect.arrayContaining(['draft-thread-not-staged', 'scheduled-thread-not-staged']))
  })
  it('stages hidden and under-review threads as internal notes, with a warning', () => {
    expect(messages.filter((x) => x.sourceId === '3' || x.sourceId === '4').map((x) => x.type)).toEqual(['internal_note', 'internal_note'])
    expect(codesOf(m, '3')).toEqual(['thread-hidden'])
    expect(codesOf(m, '4')).toEqual(['thread-under-review'])
  })
  it('carries rating, openedAt, snooze and the body image URLs to the canonical records', () => {
    const reply = messages.find((x) => x.sourceId === '2')
    expect(reply).toMatchObject({ type: 'agent_reply', openedAt: '2024-05-02T10:00:00Z', rating: { value: 'great', comment: 'Great job!' } })
    expect(reply?.inlineImageUrls).toEqual(['https://d33v4339jhl8k0.cloudfront.net/inline/1/a.png', 'https://t.example/pixel.gif?x=1&y=2'])
    expect(only(m, 'ticket')[0]?.snooze).toEqual({ until: '2024-06-03T12:00:00Z', byRef: { kind: 'agent', sourceId: '4' } })
  })
  it('reads a thread whose createdAt is missing or empty and whose associatedEntities is a list', () => {
    const t = mapConversation(conv({}, [th(1, { createdAt: '', action: { type: 'default', associatedEntities: [] } })]), { where: 'p' })
    expect(t.rejects).toEqual([])
    expect(only(t, 'message')[0]?.createdAt).toBe('2024-05-01T08:00:00Z')
    expect(codesOf(t, '1')).toEqual(['created-at-missing'])
  })
})

describe('merge line items', () => {
  const line = (action: Record<string, unknown>, extra: Record<string, unknown> = {}) => threadSchema.parse({ id: 1, type: 'lineitem', createdAt: '2024-01-01T00:00:00Z', action, ...extra })
  it('reads the other conversation from an object, a list, and the legacy actionSourceId', () => {
    expect(mergedIdsOf(line({ type: 'merged', associatedEntities: { conversation: { id: 91, number: 5 } } }))).toEqual(['91'])
    expect(mergedIdsOf(line({ type: 'merged', associatedEntities: { mergedConversations: [92, 93] } }))).toEqual(['92', '93'])
    expect(mergedIdsOf(line({ type: 'merged' }, { actionSourceId: 94 }))).toEqual(['94'])
    expect(mergedIdsOf(line({ type: 'manual-workflow', associatedEntities: { conversation: 95 } }))).toEqual([])
  })
})

describe('customers whole', () => {
  it('maps social profiles, chats, address and properties from _embedded', () => {
    const [c] = only(mapCustomer({
      id: 5, firstName: 'V', createdAt: '2020-01-01T00:00:00Z',
      _embedded: {
        emails: [{ id: 1, value: 'v@x.example', type: 'work' }, { id: 2, value: '', type: 'home' }],
        chats: [{ id: 3, value: 'vchat', type: 'AIM' }], social_profiles: [{ id: 4, value: '@v', type: 'twitter' }],
        address: { lines: ['1 Main St', null], city: 'Dallas', state: 'TX', postalCode: '75001', country: 'US' },
        properties: [{ slug: 'plan', name: 'Plan', value: 3, text: 'Gold' }, { slug: 'vip', value: true }],
      },
    }, 'p'), 'customer')
    expect(c).toMatchObject({
      emails: [{ value: 'v@x.example', type: 'work' }], chatHandles: [{ value: 'vchat', type: 'aim' }], socialProfiles: [{ value: '@v', type: 'twitter' }],
      address: { lines: ['1 Main St'], city: 'Dallas', state: 'TX', postalCode: '75001', country: 'US' },
      properties: [{ name: 'Plan', value: '3', text: 'Gold' }, { name: 'vip', value: 'true', text: null }],
    })
  })
  it('a customer without _embedded needs its sub-resources, is staged with a warning, and is whole once they are folded in', () => {
    const bare = { id: 6, firstName: 'B', createdAt: 'last tuesday' }
    expect(needsCustomerParts(bare)).toBe(true)
    const alone = mapCustomer(bare, 'p')
    expect(alone.records[0]?.warnings?.map((w) => w.code).sort()).toEqual(['customer-details-missing', 'timestamp-unreadable'])
    const whole = mapCustomer(bare, 'p', { emails: [{ id: 1, value: 'b@x.example', type: 'work' }], socialProfiles: [{ id: 2, value: 'b', type: 'linkedin' }], address: { city: 'Oslo', lines: [] } })
    expect(only(whole, 'customer')[0]).toMatchObject({ emails: [{ value: 'b@x.example' }], socialProfiles: [{ value: 'b', type: 'linkedin' }], address: { city: 'Oslo' } })
    expect(whole.records[0]?.warnings?.map((w) => w.code)).toEqual(['timestamp-unreadable'])
  })
})

describe('body images', () => {
  it('lists remote http(s) image sources only, once each', () => {
    expect(remoteImageSources('<img src="cid:x"><IMG SRC=\'https://a.example/1.png\'><img alt=1 src=https://a.example/1.png><img src="data:image/png;base64,AA">')).toEqual(['https://a.example/1.png'])
    expect(remoteImageSources(null)).toEqual([])
  })
})
