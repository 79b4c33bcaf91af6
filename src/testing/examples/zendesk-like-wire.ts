// Wire schemas of the Zendesk-shaped example vendor and the pure mapping to canonical records. Lenient where
// the vendor promises nothing (sparse accounts omit `via`, `html_body`, sizes, phones); strict on ids.
import { z } from 'zod'
import type { CanonicalRecord } from '../../core/model/index.js'
import type { Channel, Ticket, TicketStatus } from '../../core/model/ticket.js'
import type { RecordRef } from '../../core/model/common.js'
import { MappingFailure, mapItem, mergeMapped, type Mapped } from '../../kits/source/mapping-result.js'
import { htmlToText } from '../../kits/source/html-text.js'

export const SOURCE = 'zendesk'

const id = z.number().int().positive()
const time = z.string()

export const userWire = z.object({
  id,
  name: z.string(),
  role: z.enum(['end-user', 'agent', 'admin']),
  email: z.string().min(1).nullable().optional(),
  phone: z.string().min(1).nullable().optional(),
  active: z.boolean().optional(),
  time_zone: z.string().nullable().optional(),
  created_at: time.nullable().optional(),
  updated_at: time.nullable().optional(),
}).passthrough()

export const ticketWire = z.object({
  id,
  subject: z.string().nullable().optional(),
  status: z.string(),
  priority: z.enum(['low', 'normal', 'high', 'urgent']).nullable().optional(),
  requester_id: id.nullable().optional(),
  assignee_id: id.nullable().optional(),
  tags: z.array(z.string()).default([]),
  via: z.object({ channel: z.string() }).passthrough().optional(),
  created_at: time,
  updated_at: time.nullable().optional(),
}).passthrough()
export type TicketWire = z.output<typeof ticketWire>

export const attachmentWire = z.object({
  id,
  file_name: z.string(),
  content_url: z.string().url(),
  content_type: z.string().optional(),
  size: z.number().int().nonnegative().optional(),
  inline: z.boolean().optional(),
}).passthrough()

export const commentWire = z.object({
  id,
  author_id: id,
  public: z.boolean(),
  created_at: time,
  html_body: z.string().optional(),
  plain_body: z.string().optional(),
  attachments: z.array(attachmentWire).default([]),
}).passthrough()
type CommentWire = z.output<typeof commentWire>

const STATUS: Readonly<Record<string, TicketStatus>> = { new: 'open', open: 'open', pending: 'pending', hold: 'pending', solved: 'closed', closed: 'closed' }
const CHANNEL: Readonly<Record<string, Channel>> = { email: 'email', web: 'web', api: 'api', chat: 'chat', voice: 'phone' }
const ref = (kind: RecordRef['kind'], sourceId: number | null | undefined): RecordRef | null => (sourceId == null ? null : { kind, sourceId: String(sourceId) })
const base = (sourceId: number, updatedAt: string | null | undefined, sourceUrl: string | null) => ({ source: SOURCE, sourceId: String(sourceId), sourceUpdatedAt: updatedAt ?? null, sourceUrl })

/** An agent or an end user (Zendesk keeps both in one users list, told apart by `role`). */
export function mapUser(raw: unknown, where: string): Mapped {
  const kind = (raw as { role?: unknown } | null)?.role === 'end-user' ? 'customer' : 'agent'
  return mapItem(kind, raw, userWire, where, (u): CanonicalRecord[] => {
    const common = { ...base(u.id, u.updated_at, null), createdAt: u.created_at ?? null }
    if (u.role === 'end-user') {
      return [{
        ...common, kind: 'customer', firstName: u.name, lastName: null, emails: u.email ? [{ value: u.email, type: 'work' }] : [],
        phones: u.phone ? [{ value: u.phone, type: 'work' }] : [], organizationRef: null, company: null, jobTitle: null, notes: null, websites: [], location: null,
      }]
    }
    return [{
      ...common, kind: 'agent', name: u.name, firstName: null, lastName: null, email: u.email ?? null, alternateEmails: [],
      role: u.role === 'admin' ? 'admin' : 'agent', active: u.active ?? true, timezone: u.time_zone ?? null, jobTitle: null, phone: u.phone ?? null,
    }]
  })
}

/** The canonical ticket; `agentUrl` is where a person opens it. */
export function toTicket(t: TicketWire, agentUrl: string): Ticket {
  const status = STATUS[t.status]
  if (status === undefined) throw new MappingFailure(`status: unknown ticket status "${t.status}"`)
  const customerRef = ref('customer', t.requester_id)
  return {
    ...base(t.id, t.updated_at, agentUrl), kind: 'ticket', number: t.id, subject: t.subject ?? '', status, vendorStatus: t.status, deleted: false,
    priority: t.priority ?? null, channel: CHANNEL[t.via?.channel ?? ''] ?? 'other', groupRef: null, assigneeRef: ref('agent', t.assignee_id),
    customerRef, createdByRef: customerRef, cc: [], bcc: [], tags: t.tags, customFields: [], createdAt: t.created_at, updatedAt: t.updated_at ?? null,
    closedAt: null, closedByRef: null, mergedFrom: [],
  }
}

function toRecords(ticket: Ticket, c: CommentWire, position: number): CanonicalRecord[] {
  const ticketRef: RecordRef = { kind: 'ticket', sourceId: ticket.sourceId }
  // The requester writes as the customer; anyone else on the ticket is staff.
  const fromCustomer = String(c.author_id) === ticket.customerRef?.sourceId
  const messageRef: RecordRef = { kind: 'message', sourceId: String(c.id) }
  const message: CanonicalRecord = {
    ...base(c.id, c.created_at, ticket.sourceUrl), kind: 'message', ticketRef,
    type: !c.public ? 'internal_note' : fromCustomer ? 'customer_message' : 'agent_reply',
    author: { role: fromCustomer ? 'customer' : 'agent', ref: ref(fromCustomer ? 'customer' : 'agent', c.author_id), name: null, email: null },
    bodyHtml: c.html_body ?? null, bodyText: c.plain_body ?? (c.html_body === undefined ? null : htmlToText(c.html_body)),
    from: null, to: [], cc: [], bcc: [], createdAt: c.created_at, messageId: null, channel: ticket.channel, position,
    event: null, statusAfter: null, assigneeRef: null, subtype: null,
  }
  const files: CanonicalRecord[] = c.attachments.map((a) => ({
    ...base(a.id, null, null), kind: 'attachment', ticketRef, messageRef, fileName: a.file_name, contentType: a.content_type ?? 'application/octet-stream',
    size: a.size ?? null, sha256: null, inline: a.inline ?? false, contentId: null,
    // The signed link goes stale within minutes: the ids say whose record to re-read for a fresh one.
    download: { ticketId: ticket.sourceId, commentId: String(c.id), attachmentId: String(a.id), url: a.content_url },
  }))
  return [message, ...files]
}

/** One exported ticket with its comments (read from the per-ticket endpoint): each comment maps on its own. */
export function mapTicketWithComments(raw: unknown, comments: readonly unknown[], where: string, agentUrl: (id: number) => string): Mapped {
  const out = mapItem('ticket', raw, ticketWire, where, (t) => [toTicket(t, agentUrl(t.id))])
  const ticket = out.records[0]?.canonical
  if (ticket?.kind !== 'ticket') return out
  comments.forEach((c, i) => mergeMapped(out, mapItem('message', c, commentWire, where, (cw) => toRecords(ticket, cw, i))))
  return out
}
