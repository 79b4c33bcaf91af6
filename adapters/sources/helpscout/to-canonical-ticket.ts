// PURE mapping of a Help Scout conversation and its threads to ticket, message and attachment records.
import type { Ticket } from '../../../src/core/model/ticket.js'
import type { Message, MessageAuthor } from '../../../src/core/model/message.js'
import type { Attachment } from '../../../src/core/model/attachment.js'
import type { CanonicalRecord } from '../../../src/core/model/index.js'
import { attachmentSchema, conversationSchema, threadSchema } from './wire.js'
import type { WireAttachment, WireConversation, WirePersonRef, WireThread } from './wire.js'
import { MappingFailure, emptyMapped, mapItem, mergeMapped, rejectOf, describeIssues, readableId, stageCanonical } from '../../../src/kits/source/mapping-result.js'
import type { Mapped } from '../../../src/kits/source/mapping-result.js'
import { SOURCE, nonEmpty, refTo } from './to-canonical.js'
import { htmlToText } from '../../../src/kits/source/html-text.js'

const STATUS: Readonly<Record<string, Ticket['status']>> = { active: 'open', pending: 'pending', closed: 'closed', spam: 'spam' }
const CHANNEL: Readonly<Record<string, Ticket['channel']>> = { email: 'email', chat: 'chat', phone: 'phone' }

/** The UI link agents know a conversation by. */
export const conversationUrl = (id: string, number: number): string => `https://secure.helpscout.net/conversation/${id}/${number}`

const later = (a: string | null | undefined, b: string | null | undefined): string | null => {
  if (!a) return b ?? null
  if (!b) return a
  return Date.parse(b) > Date.parse(a) ? b : a
}

/** `user` → agent, `customer` → customer; teams and unknown types are not people we stage. */
export function personRef(p: WirePersonRef | null | undefined): Ticket['assigneeRef'] {
  if (!p) return null
  if (p.type === 'user') return refTo('agent', p.id)
  if (p.type === 'customer') return refTo('customer', p.id)
  return null
}

/** Conversation ids a merge line item names (`associatedEntities` keys mentioning a conversation). */
export function mergedIdsOf(t: WireThread): string[] {
  if (t.type !== 'lineitem' || !/merge/i.test(t.action?.type ?? '')) return []
  const ids: string[] = []
  for (const [key, value] of Object.entries(t.action?.associatedEntities ?? {})) {
    if (!/conversation/i.test(key)) continue
    // Undocumented shape: a bare id, a list of ids, or `{ id, number }` objects (the simulator's choice).
    for (const v of Array.isArray(value) ? value : [value]) {
      const id = v !== null && typeof v === 'object' ? (v as { id?: unknown }).id : v
      if (typeof id === 'number' || (typeof id === 'string' && id !== '')) ids.push(String(id))
    }
  }
  return ids
}

/**
 * conversation → ticket. `updatedAt` is synthesised as max(userUpdatedAt, customerWaitingSince.time):
 * v2 conversations have no updatedAt (sources.md §1.2). `aliases` are ids that redirected here (merges).
 */
export function toTicket(c: WireConversation, threads: readonly WireThread[], aliases: readonly string[]): Ticket {
  const status = STATUS[c.status]
  if (!status) throw new MappingFailure(`status: unknown conversation status "${c.status}"`)
  const updatedAt = later(c.userUpdatedAt, c.customerWaitingSince?.time)
  const mergedFrom = [...new Set([...threads.flatMap(mergedIdsOf), ...aliases])].filter((id) => id !== c.id)
  return {
    source: SOURCE,
    kind: 'ticket',
    sourceId: c.id,
    sourceUpdatedAt: updatedAt ?? c.createdAt,
    sourceUrl: conversationUrl(c.id, c.number),
    number: c.number,
    subject: c.subject ?? '',
    status,
    vendorStatus: c.status,
    deleted: c.state === 'deleted',
    priority: null,
    channel: CHANNEL[c.type] ?? 'other',
    groupRef: refTo('group', c.mailboxId),
    // A team assignee is no agent; the team stays visible in the raw payload.
    assigneeRef: c.assignee?.type === 'user' ? refTo('agent', c.assignee.id) : null,
    customerRef: refTo('customer', c.primaryCustomer?.id),
    createdByRef: personRef(c.createdBy),
    cc: (c.cc ?? []).filter((e) => nonEmpty(e) !== null),
    bcc: (c.bcc ?? []).filter((e) => nonEmpty(e) !== null),
    tags: (c.tags ?? []).map((t) => t.tag),
    customFields: (c.customFields ?? []).map((f) => ({
      fieldId: f.id,
      name: f.name,
      value: f.value === null || f.value === undefined ? null : String(f.value),
      text: f.text ?? null,
    })),
    createdAt: c.createdAt,
    updatedAt,
    closedAt: c.closedAt ?? null,
    closedByRef: refTo('agent', c.closedBy),
    mergedFrom,
  }
}

interface ThreadKind {
  readonly type: Message['type']
  readonly subtype: Message['subtype']
}

/** Thread type → message type; chat and phone follow who wrote them. Unknown types are mapping failures. */
export function threadKind(t: WireThread): ThreadKind {
  const byAuthor = (): Message['type'] => (t.createdBy?.type === 'customer' ? 'customer_message' : 'agent_reply')
  switch (t.type) {
    case 'customer': return { type: 'customer_message', subtype: null }
    case 'message': return { type: 'agent_reply', subtype: null }
    case 'note': return { type: 'internal_note', subtype: null }
    case 'lineitem': return { type: 'system_event', subtype: null }
    case 'chat':
    case 'beaconchat': return { type: byAuthor(), subtype: 'chat' }
    case 'phone': return { type: byAuthor(), subtype: 'phone' }
    case 'forwardparent':
    case 'forwardchild': return { type: 'agent_reply', subtype: 'forward' }
    default: throw new MappingFailure(`type: unknown thread type "${t.type}"`)
  }
}

function authorOf(t: WireThread): MessageAuthor {
  const p = t.createdBy ?? (t.type === 'customer' ? t.customer : null)
  const name = [p?.first, p?.last].filter((s) => nonEmpty(s) !== null).join(' ')
  const role: MessageAuthor['role'] = p?.type === 'customer' ? 'customer' : p?.type === 'user' ? 'agent' : 'system'
  return { role, ref: personRef(p), name: name === '' ? null : name, email: nonEmpty(p?.email) }
}

/** thread → message; `position` is its 0-based place in the oldest-first history. */
export function toMessage(c: WireConversation, t: WireThread, kind: ThreadKind, position: number): Message {
  const author = authorOf(t)
  const threadChannel = kind.subtype === 'chat' ? 'chat' : kind.subtype === 'phone' ? 'phone' : null
  const body = t.body ?? null
  return {
    source: SOURCE,
    kind: 'message',
    sourceId: t.id,
    sourceUpdatedAt: t.createdAt,
    sourceUrl: null,
    ticketRef: { kind: 'ticket', sourceId: c.id },
    type: kind.type,
    author,
    bodyHtml: body,
    bodyText: body === null ? null : htmlToText(body),
    from: author.role === 'customer' ? author.email : null,
    to: (t.to ?? []).filter((e) => nonEmpty(e) !== null),
    cc: (t.cc ?? []).filter((e) => nonEmpty(e) !== null),
    bcc: (t.bcc ?? []).filter((e) => nonEmpty(e) !== null),
    createdAt: t.createdAt,
    messageId: null,
    channel: threadChannel ?? CHANNEL[c.type] ?? 'other',
    position,
    event: kind.type === 'system_event' ? { action: t.action?.type ?? 'unknown', text: t.action?.text ?? null } : null,
    statusAfter: t.status && t.status !== 'nochange' ? (STATUS[t.status] ?? null) : null,
    assigneeRef: t.assignedTo?.type === 'user' ? refTo('agent', t.assignedTo.id) : null,
    subtype: kind.subtype,
  }
}

/** thread attachment → attachment; inline when the body points at it with a `cid:` reference. */
export function toAttachment(c: WireConversation, t: WireThread, a: WireAttachment): Attachment {
  const fileName = a.filename ?? a.fileName ?? `attachment-${a.id}` // the vendor gave no name at all
  const body = t.body ?? ''
  const contentId = [a.contentId, a.filename, a.fileName].find((cid) => nonEmpty(cid) !== null && body.includes(`cid:${cid}`)) ?? null
  return {
    source: SOURCE,
    kind: 'attachment',
    sourceId: a.id,
    sourceUpdatedAt: t.createdAt,
    sourceUrl: null,
    ticketRef: { kind: 'ticket', sourceId: c.id },
    messageRef: { kind: 'message', sourceId: t.id },
    fileName,
    contentType: nonEmpty(a.mimeType) ?? 'application/octet-stream',
    size: a.size ?? null,
    sha256: null,
    inline: contentId !== null,
    contentId,
    download: { conversationId: c.id, attachmentId: a.id },
  }
}

/** Oldest first; equal timestamps fall back to the (increasing) thread id so positions never shuffle. */
export function sortThreads(threads: readonly WireThread[]): WireThread[] {
  const num = (id: string): number => (/^\d+$/.test(id) ? Number(id) : Number.NaN)
  return [...threads].sort((a, b) => {
    const dt = Date.parse(a.createdAt) - Date.parse(b.createdAt)
    if (dt !== 0) return dt
    const [na, nb] = [num(a.id), num(b.id)]
    return Number.isNaN(na) || Number.isNaN(nb) ? a.id.localeCompare(b.id) : na - nb
  })
}

export interface ConversationInput {
  /** Full thread list when it was fetched separately (chat conversations); else the embedded threads. */
  readonly threads?: readonly unknown[]
  /** Ids that redirected to this conversation (merged away). */
  readonly aliases?: readonly string[]
  /** Where the payload came from, for rejects without a readable id. */
  readonly where: string
}

/** Maps one conversation payload to its ticket, messages and attachments; bad parts become rejects. */
export function mapConversation(raw: unknown, input: ConversationInput): Mapped {
  const parsed = conversationSchema.safeParse(raw)
  if (!parsed.success) {
    return { records: [], rejects: [rejectOf('ticket', readableId(raw, input.where), 'schema-mismatch', describeIssues(parsed.error), raw)] }
  }
  const c = parsed.data
  const out = emptyMapped()
  const valid: { thread: WireThread; raw: unknown }[] = []
  for (const rawThread of input.threads ?? c._embedded?.threads ?? []) {
    const t = threadSchema.safeParse(rawThread)
    if (t.success) valid.push({ thread: t.data, raw: rawThread })
    else out.rejects.push(rejectOf('message', readableId(rawThread, `conversation ${c.id}`), 'schema-mismatch', describeIssues(t.error), rawThread))
  }
  const rawOf = new Map(valid.map((v) => [v.thread, v.raw]))
  const threads = sortThreads(valid.map((v) => v.thread))
  const ticket = mapItem('ticket', raw, conversationSchema, input.where, () => [toTicket(c, threads, input.aliases ?? [])])
  // The ticket's raw payload keeps the conversation without the threads, which are staged on their own.
  mergeMapped(out, { records: ticket.records.map((r) => ({ ...r, raw: withoutThreads(raw) })), rejects: ticket.rejects })
  if (ticket.records.length === 0) return out
  mergeMapped(out, mapThreads(c, threads, rawOf))
  return out
}

function mapThreads(c: WireConversation, threads: readonly WireThread[], rawOf: ReadonlyMap<WireThread, unknown>): Mapped {
  const out = emptyMapped()
  const kinds: { thread: WireThread; kind: ThreadKind }[] = []
  for (const t of threads) {
    try {
      kinds.push({ thread: t, kind: threadKind(t) })
    } catch (e) {
      if (!(e instanceof MappingFailure)) throw e
      out.rejects.push(rejectOf('message', t.id, 'mapping-failed', e.message, rawOf.get(t)))
    }
  }
  kinds.forEach(({ thread, kind }, position) => {
    const raw = rawOf.get(thread)
    const staged = stageCanonical(toMessage(c, thread, kind, position), raw)
    if (!('canonical' in staged)) {
      out.rejects.push(staged)
      return
    }
    out.records.push(staged)
    for (const rawAtt of thread._embedded?.attachments ?? []) {
      mergeMapped(out, mapItem('attachment', rawAtt, attachmentSchema, `thread ${thread.id}`, (a) => [toAttachment(c, thread, a)] as CanonicalRecord[]))
    }
  })
  return out
}

function withoutThreads(raw: unknown): unknown {
  const r = raw as { _embedded?: Record<string, unknown> }
  if (!r._embedded || !('threads' in r._embedded)) return raw
  const { threads: _threads, ...rest } = r._embedded
  return { ...r, _embedded: rest }
}
