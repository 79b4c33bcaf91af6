import { describe, expect, it } from 'vitest'
import { makeMessage, makeTicket } from '../../../../src/testing/canonical-factories.js'
import { defaultMappingConfig } from '../../../../src/core/mapping-config.js'
import type { PlanDeps } from '../../../../src/core/target.js'
import type { FsLookups } from '../plan-ops.js'
import { planConversationModel } from './plan-conversation.js'
import { encodeConversation } from '../db-writer/encode-conversation.js'
import type { PlannedConversation } from './model.js'

const lookups: FsLookups = {
  mailboxes: [{ id: 7, email: 'support@acme.test', name: 'Support' }],
  folders: { '7': { '1': 101, '60': 160 } },
  users: {},
  userIds: [],
  existingEmails: {},
  modules: { tags: true, customFields: false },
  customFields: {},
  settings: { rewriteCids: false, maxAttachmentBytes: 100, messageIdHost: 'h.invalid' },
}
const deps: PlanDeps<FsLookups> = {
  lookups,
  config: defaultMappingConfig({ mailboxes: { '*': 7 }, statuses: { '*': 'from-canonical' } }),
  staged: () => true,
  emailOwner: () => undefined,
}
const ticket = makeTicket('1', { status: 'closed', createdAt: '2024-01-01T08:00:00Z', closedAt: '2024-01-02T00:00:00Z' })
const messages = [
  makeMessage('m1', '1', 0, { createdAt: '2024-01-01T10:00:00Z', messageId: '<A@x>' }),
  makeMessage('m2', '1', 1, { type: 'agent_reply', createdAt: '2024-01-01T10:00:00Z', messageId: '<a@x>', author: { role: 'agent', ref: null, name: null, email: null } }),
]

describe('the writer-neutral planner', () => {
  const planned = planConversationModel(ticket, messages, [], deps) as PlannedConversation

  it('speaks FreeScout by name, with epoch seconds and both Message-IDs, no database codes', () => {
    expect(planned.status).toBe('closed')
    expect(planned.threads.map((t) => [t.kind, t.status, t.at])).toEqual([
      ['customer', 'active', 1704103200],
      ['message', 'active', 1704103201],
      ['note', 'active', 1704103202],
    ])
    expect(planned.threads.map((t) => t.messageId)).toEqual(['<A@x>', '<a@x>', null])
    expect(planned.closedAt).toBe(1704153600)
    expect(JSON.stringify(planned)).not.toMatch(/folder|"type":|threadsCount|created_at/)
  })

  it('leaves codes, folder, derived columns and collation-aware Message-IDs to the database encoding', () => {
    const op = encodeConversation(planned, lookups)
    if ('skip' in op) throw new Error(op.detail)
    expect([op.status, op.folderId, op.threadsCount, op.closedAt]).toEqual([3, 160, 2, '2024-01-02 00:00:00'])
    expect(op.threads.map((t) => [t.type, t.createdAt])).toEqual([
      [1, '2024-01-01 10:00:00'],
      [2, '2024-01-01 10:00:01'],
      [3, '2024-01-01 10:00:02'],
    ])
    // MySQL's unique index ignores case: the second original id is replaced by deskmove's own.
    expect(op.threads.map((t) => t.messageId)).toEqual(['<A@x>', '<deskmove.helpscout.message.m2@h.invalid>', '<deskmove.helpscout.ticket.1@h.invalid>'])
  })

  it('lets the database encoding refuse what a TIMESTAMP cannot hold', () => {
    const old = planConversationModel(makeTicket('2', { createdAt: '1969-12-31T00:00:00Z' }), [], [], deps) as PlannedConversation
    expect(old.createdAt).toBeLessThan(0)
    expect(encodeConversation(old, lookups)).toMatchObject({ skip: true, reason: 'invalid' })
  })
})
