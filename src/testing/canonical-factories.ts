import type { Agent, Customer } from '../core/model/person.js'
import type { Ticket } from '../core/model/ticket.js'
import type { Message } from '../core/model/message.js'
import type { Attachment } from '../core/model/attachment.js'

// Small builders for canonical records, so tests state only what they are about.

const T0 = '2024-01-01T00:00:00Z'

export function makeAgent(id: string, over: Partial<Agent> = {}): Agent {
  return { source: 'helpscout', kind: 'agent', sourceId: id, sourceUpdatedAt: T0, sourceUrl: null, name: `Agent ${id}`, firstName: 'Agent', lastName: id, email: `agent${id}@example.test`, alternateEmails: [], role: 'agent', active: true, timezone: null, jobTitle: null, phone: null, createdAt: T0, ...over }
}

export function makeCustomer(id: string, over: Partial<Customer> = {}): Customer {
  return { source: 'helpscout', kind: 'customer', sourceId: id, sourceUpdatedAt: T0, sourceUrl: null, firstName: 'Cust', lastName: id, emails: [{ value: `c${id}@example.test`, type: 'work' }], phones: [], organizationRef: null, company: null, jobTitle: null, notes: null, websites: [], location: null, createdAt: T0, ...over }
}

export function makeTicket(id: string, over: Partial<Ticket> = {}): Ticket {
  return {
    source: 'helpscout', kind: 'ticket', sourceId: id, sourceUpdatedAt: T0, sourceUrl: null, number: Number(id) || 1, subject: `Ticket ${id}`, status: 'open', vendorStatus: 'active', deleted: false, priority: null, channel: 'email',
    groupRef: { kind: 'group', sourceId: '1' }, assigneeRef: null, customerRef: { kind: 'customer', sourceId: '1' }, createdByRef: { kind: 'customer', sourceId: '1' }, cc: [], bcc: [], tags: [], customFields: [], createdAt: T0, updatedAt: T0, closedAt: null, closedByRef: null, mergedFrom: [], ...over,
  }
}

export function makeMessage(id: string, ticketId: string, position: number, over: Partial<Message> = {}): Message {
  return {
    source: 'helpscout', kind: 'message', sourceId: id, sourceUpdatedAt: T0, sourceUrl: null, ticketRef: { kind: 'ticket', sourceId: ticketId }, type: 'customer_message', author: { role: 'customer', ref: { kind: 'customer', sourceId: '1' }, name: 'Cust 1', email: 'c1@example.test' },
    bodyHtml: `<p>message ${id}</p>`, bodyText: `message ${id}`, from: 'c1@example.test', to: [], cc: [], bcc: [], createdAt: T0, messageId: null, channel: 'email', position, event: null, statusAfter: null, assigneeRef: null, subtype: null, ...over,
  }
}

export function makeAttachment(id: string, ticketId: string, messageId: string, over: Partial<Attachment> = {}): Attachment {
  return { source: 'helpscout', kind: 'attachment', sourceId: id, sourceUpdatedAt: T0, sourceUrl: null, ticketRef: { kind: 'ticket', sourceId: ticketId }, messageRef: { kind: 'message', sourceId: messageId }, fileName: `file-${id}.txt`, contentType: 'text/plain', size: null, sha256: null, inline: false, contentId: null, download: { id }, ...over }
}
