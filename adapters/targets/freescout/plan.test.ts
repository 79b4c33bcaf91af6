import { describe, expect, it } from 'vitest'
import { makeAgent, makeAttachment, makeCustomer, makeMessage, makeTicket } from '../../../src/testing/canonical-factories.js'
import { defaultMappingConfig } from '../../../src/core/mapping-config.js'
import type { MappingConfig } from '../../../src/core/mapping-config.js'
import type { PlanDeps, Skip } from '../../../src/core/target.js'
import { isSkip } from '../../../src/core/target.js'
import type { FsConversationOp, FsCustomerLinkOp, FsCustomerOp, FsLookups, FsUserOp } from './plan-ops.js'
import { planFreescout } from './plan.js'

const lookups: FsLookups = {
  mailboxes: [{ id: 7, email: 'support@acme.test', name: 'Support' }],
  folders: { '7': { '1': 101, '30': 130, '40': 140, '60': 160, '70': 170, '80': 180 } },
  users: { 'ada@acme.test': { id: 3, status: 1 }, 'admin@acme.test': { id: 1, status: 1 } },
  userIds: [1, 3],
  existingEmails: { 'old@example.test': 55 },
  modules: { tags: true, customFields: true },
  customFields: { '7': { priority: 9 } },
  settings: { rewriteCids: false, maxAttachmentBytes: 100, messageIdHost: 'import.deskmove.invalid' },
}

function deps(over: { config?: Partial<MappingConfig>; lookups?: Partial<FsLookups>; staged?: (k: string) => boolean; owners?: Record<string, string> } = {}): PlanDeps<FsLookups> {
  return {
    lookups: { ...lookups, ...over.lookups },
    config: defaultMappingConfig({ mailboxes: { '*': 7 }, statuses: { '*': 'from-canonical' }, ...over.config }),
    staged: (ref) => (over.staged ? over.staged(`${ref.kind}:${ref.sourceId}`) : true),
    emailOwner: (e) => over.owners?.[e],
  }
}

const conv = (r: ReturnType<typeof planFreescout>) => {
  if (isSkip(r)) throw new Error(`skipped: ${r.detail}`)
  return r as FsConversationOp
}

const ticketUnit = (t = makeTicket('1'), messages = [makeMessage('m1', '1', 0)], attachments: { record: ReturnType<typeof makeAttachment>; blobSize: number | null }[] = []) =>
  ({ kind: 'ticket', record: t, messages, attachments }) as const

describe('folder rule', () => {
  const folderOf = (over: Parameters<typeof makeTicket>[1]) => conv(planFreescout(ticketUnit(makeTicket('1', over)), deps())).folderId
  it('puts closed conversations in Closed, spam in Spam, deleted in Deleted', () => {
    expect(folderOf({ status: 'closed', assigneeRef: { kind: 'agent', sourceId: 'a' } })).toBe(160)
    expect(folderOf({ status: 'spam' })).toBe(180)
    expect(folderOf({ deleted: true, status: 'closed' })).toBe(170)
  })
  it('puts assigned open conversations in Assigned and the rest in Unassigned', () => {
    expect(folderOf({ assigneeRef: { kind: 'agent', sourceId: 'a' } })).toBe(140)
    expect(folderOf({ status: 'pending' })).toBe(101)
  })
  it('treats an assignee deleted in the source as unassigned and says so in the import note', () => {
    const op = conv(planFreescout(ticketUnit(makeTicket('1', { assigneeRef: { kind: 'agent', sourceId: 'gone' } })), deps({ staged: (k) => k !== 'agent:gone' })))
    expect(op.folderId).toBe(101)
    expect(op.assignee).toBeNull()
    expect(op.threads.at(-1)!.body).toContain('the assignee (source agent gone) no longer exists')
  })
})

describe('derived columns', () => {
  const messages = [
    makeMessage('m1', '1', 0, { createdAt: '2024-01-01T10:00:00Z', bodyHtml: '<p>Hello</p><div>there</div>' }),
    makeMessage('m2', '1', 1, { type: 'agent_reply', author: { role: 'agent', ref: { kind: 'agent', sourceId: 'a' }, name: null, email: null }, from: null, to: [], createdAt: '2024-01-01T11:00:00Z', bodyHtml: '<p>Answer &amp; more</p>' }),
    makeMessage('m3', '1', 2, { type: 'internal_note', author: { role: 'agent', ref: { kind: 'agent', sourceId: 'a' }, name: null, email: null }, createdAt: '2024-01-01T12:00:00Z', bodyHtml: '<b>note</b>' }),
  ]
  it('computes threads_count, last reply, user_updated_at, preview and first', () => {
    const op = conv(planFreescout(ticketUnit(makeTicket('1', { status: 'closed', closedAt: '2024-01-02T00:00:00Z' }), messages), deps()))
    expect(op.threadsCount).toBe(2)
    expect(op.lastReplyAt).toBe('2024-01-01 11:00:00')
    expect(op.lastReplyFrom).toBe(2)
    expect(op.userUpdatedAt).toBe('2024-01-01 12:00:00')
    expect(op.preview).toBe('note')
    expect(op.closedAt).toBe('2024-01-02 00:00:00')
    expect(op.threads.map((t) => t.first)).toEqual([true, false, false, false])
    expect(op.state).toBe(2)
    expect(op.threads[1]!.to).toBeNull()
    expect(op.threads[0]!.to).toEqual(['support@acme.test'])
  })
  it('keeps the source number only with keepNumbers', () => {
    expect(conv(planFreescout(ticketUnit(makeTicket('1', { number: 4242 })), deps())).number).toBeNull()
    expect(conv(planFreescout(ticketUnit(makeTicket('1', { number: 4242 })), deps({ config: { keepNumbers: true } }))).number).toBe(4242)
  })
  it('normalises tags and maps custom fields by name, noting the ones FreeScout has no field for', () => {
    const t = makeTicket('1', { tags: [' VIP ', 'vip', 'Billing'], customFields: [{ fieldId: 'x', name: 'Priority', value: 'h', text: 'High' }, { fieldId: 'y', name: 'Region', value: 'eu', text: null }] })
    const op = conv(planFreescout(ticketUnit(t), deps()))
    expect(op.tags).toEqual(['vip', 'billing'])
    expect(op.customFields).toEqual([{ fieldId: 9, value: 'High' }])
    expect(op.threads.at(-1)!.body).toContain('custom field &quot;Region&quot;: eu')
  })
  it('records tags in the import note when the Tags module is absent', () => {
    const op = conv(planFreescout(ticketUnit(makeTicket('1', { tags: ['VIP'] })), deps({ lookups: { modules: { tags: false, customFields: false } } })))
    expect(op.tags).toEqual([])
    expect(op.threads.at(-1)!.body).toContain('tags (the Tags module is not installed): vip')
  })
})

describe('thread times and message ids', () => {
  it('bumps equal timestamps by one second in position order and puts the import note last', () => {
    const same = '2024-01-01T10:00:00Z'
    const ms = [makeMessage('a', '1', 0, { createdAt: same }), makeMessage('b', '1', 1, { createdAt: same }), makeMessage('c', '1', 2, { createdAt: '2024-01-01T09:59:59Z' })]
    const op = conv(planFreescout(ticketUnit(makeTicket('1'), ms), deps()))
    expect(op.threads.map((t) => t.createdAt)).toEqual(['2024-01-01 10:00:00', '2024-01-01 10:00:01', '2024-01-01 10:00:02', '2024-01-01 10:00:03'])
  })
  it('keeps the original Message-ID and makes deterministic unique ones otherwise', () => {
    const ms = [makeMessage('a', '1', 0, { messageId: 'abc@mail.example' }), makeMessage('b', '1', 1, { messageId: '<abc@mail.example>' }), makeMessage('c/d', '1', 2)]
    const op = conv(planFreescout(ticketUnit(makeTicket('1'), ms), deps()))
    expect(op.threads.map((t) => t.messageId)).toEqual([
      '<abc@mail.example>',
      '<deskmove.helpscout.message.b@import.deskmove.invalid>',
      '<deskmove.helpscout.message.c=2fd@import.deskmove.invalid>',
      '<deskmove.helpscout.ticket.1@import.deskmove.invalid>',
    ])
  })
  const ev = (id: string, action: string, pos: number, text = `did ${action}`) =>
    makeMessage(id, '1', pos, { type: 'system_event', author: { role: 'system', ref: null, name: null, email: null }, bodyHtml: null, bodyText: null, event: { action, text }, createdAt: `2024-01-01T10:0${pos}:00Z` })

  it('maps system events to line items with an action type; others ("imported", "workflow ran") are listed in the import note, never written as notes or the preview', () => {
    const op = conv(planFreescout(ticketUnit(makeTicket('1'), [makeMessage('m', '1', 0, { bodyHtml: '<p>Help</p>' }), ev('e1', 'status-changed', 1), ev('e2', 'assigned', 2), ev('e3', 'imported', 3), ev('e4', 'manual-workflow', 4, 'Workflow "VIP" ran')]), deps()))
    expect(op.threads.map((t) => [t.sourceId, t.type, t.actionType])).toEqual([['m', 1, null], ['e1', 4, 1], ['e2', 4, 2], [null, 3, null]])
    expect(op.preview).toBe('Help')
    expect(op.threads.at(-1)!.body).toContain('source events FreeScout has no line item for: 2024-01-01T10:03:00Z imported: did imported; 2024-01-01T10:04:00Z manual-workflow: Workflow &quot;VIP&quot; ran')
  })

  it('writes the merge line item with the other conversation in meta, the way FreeScout reads it', () => {
    const op = conv(planFreescout(ticketUnit(makeTicket('1', { mergedFrom: ['9001'] }), [makeMessage('m', '1', 0), ev('e1', 'merged', 1, 'Merged with #4412'), ev('e2', 'merged', 2, 'merged')]), deps()))
    expect(op.threads.slice(1, 3).map((t) => [t.type, t.actionType, t.meta])).toEqual([[4, 4, { mwc: '4412' }], [4, 4, { mwc: '9001' }]])
    expect(op.threads[0]!.meta).toBeUndefined()
  })

  it('gives the import note an author: the configured import user or the first active admin', () => {
    const note = (l: Partial<FsLookups['settings']>) => conv(planFreescout(ticketUnit(), deps({ lookups: { settings: { ...lookups.settings, ...l } } }))).threads.at(-1)!
    expect(note({ importUserId: 1 }).authorUserId).toBe(1)
    expect(note({ importUserId: null }).authorUserId).toBeUndefined()
  })
})

describe('bad input', () => {
  it('cuts a subject to 998 characters without splitting emoji', () => {
    const op = conv(planFreescout(ticketUnit(makeTicket('1', { subject: '😀'.repeat(1200) })), deps()))
    expect(Array.from(op.subject)).toHaveLength(998)
  })
  it('skips tickets whose customer is not staged, or whose group has no mailbox', () => {
    expect((planFreescout(ticketUnit(), deps({ staged: (k) => k !== 'customer:1' })) as Skip).reason).toBe('dangling-reference')
    expect((planFreescout(ticketUnit(), deps({ config: { mailboxes: {} } })) as Skip).reason).toBe('unmapped')
  })
  it('leaves out missing and over-large attachments as partial rejects and sanitises names', () => {
    const sha = 'a'.repeat(64)
    const atts = [
      { record: makeAttachment('x1', '1', 'm1', { fileName: '../../etc/passwd', sha256: sha }), blobSize: 5 },
      { record: makeAttachment('x2', '1', 'm1', { sha256: sha }), blobSize: null },
      { record: makeAttachment('x3', '1', 'm1', { sha256: sha }), blobSize: 101 },
    ]
    const op = conv(planFreescout(ticketUnit(makeTicket('1'), [makeMessage('m1', '1', 0)], atts), deps()))
    expect(op.threads[0]!.attachments.map((a) => a.fileName)).toEqual(['_.._etc_passwd'])
    expect(op.partialRejects.map((p) => [p.sourceId, p.reason])).toEqual([['x2', 'missing-blob'], ['x3', 'too-large']])
    expect(op.hasAttachments).toBe(true)
  })
  it('is deterministic: the same unit plans deep-equal', () => {
    const u = ticketUnit(makeTicket('1', { tags: ['a'] }))
    expect(planFreescout(u, deps())).toStrictEqual(planFreescout(structuredClone(u), deps()))
  })
})

describe('people', () => {
  it('matches agents by email, then applies the unmatched policy', () => {
    expect((planFreescout({ kind: 'agent', record: makeAgent('a', { email: 'ADA@acme.test' }) }, deps()) as FsUserOp).userId).toBe(3)
    const created = planFreescout({ kind: 'agent', record: makeAgent('b', { name: 'Bartholomew Maximilian', firstName: null, lastName: null }) }, deps()) as FsUserOp
    expect(created).toMatchObject({ action: 'create-disabled', email: 'agentb@example.test', firstName: 'Bartholomew', lastName: 'Maximilian' })
    expect(created.notice).toBe('agent Bartholomew Maximilian <agentb@example.test> has no FreeScout user: a disabled user agentb@example.test is created')
    const configured = planFreescout({ kind: 'agent', record: makeAgent('d', { email: 'Dee@Old.test' }) }, deps({ config: { agents: { 'DEE@old.test': 'ada@acme.test' } } })) as FsUserOp
    expect(configured).toMatchObject({ action: 'map-to', userId: 3 })
    const mapped = planFreescout({ kind: 'agent', record: makeAgent('c') }, deps({ config: { unmatchedAgents: { policy: 'map-to', user: 'admin@acme.test' } } })) as FsUserOp
    expect(mapped).toMatchObject({ action: 'map-to', userId: 1 })
  })
  it('lower-cases emails, merges a customer sharing one into its first owner, and matches FreeScout customers', () => {
    const own = planFreescout({ kind: 'customer', record: makeCustomer('1', { emails: [{ value: 'Jane.Doe@Example.com', type: 'work' }], phones: [{ value: '+1 (555) 010-0000', type: 'mobile' }] }), organization: null }, deps()) as FsCustomerOp
    expect(own.emails).toEqual(['jane.doe@example.com'])
    expect(own.row.phones).toBe('[{"value":"+1 (555) 010-0000","type":4,"n":"15550100000"}]')
    const merged = planFreescout({ kind: 'customer', record: makeCustomer('2', { emails: [{ value: 'JANE.DOE@example.com', type: 'work' }] }), organization: null }, deps({ owners: { 'jane.doe@example.com': '1' } })) as FsCustomerLinkOp
    expect(merged).toMatchObject({ type: 'customer-link', into: { kind: 'customer', sourceId: '1' }, identity: { decision: 'merged-into-source', into: '1' } })
    const existing = planFreescout({ kind: 'customer', record: makeCustomer('3', { emails: [{ value: 'old@example.test', type: 'work' }] }), organization: null }, deps()) as FsCustomerLinkOp
    expect(existing).toMatchObject({ existingCustomerId: 55, identity: { decision: 'matched-existing' } })
  })
  it('gives customers without email a placeholder or rejects them, as configured', () => {
    const none = makeCustomer('9', { emails: [] })
    expect((planFreescout({ kind: 'customer', record: none, organization: null }, deps({ config: { customersWithoutEmail: { policy: 'reject' } } })) as Skip).reason).toBe('invalid')
    const p = planFreescout({ kind: 'customer', record: none, organization: null }, deps({ config: { customersWithoutEmail: { policy: 'placeholder', pattern: 'noemail+{sourceId}@{domain}', domain: 'acme.test' } } })) as FsCustomerOp
    expect(p.emails).toEqual(['noemail+9@acme.test'])
    expect(p.identity).toMatchObject({ decision: 'placeholder-email' })
  })
})
