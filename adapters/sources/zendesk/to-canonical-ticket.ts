// PURE: one exported Zendesk ticket with its comments → ticket, messages and attachments. No I/O: who each
// user is (role, name, email) and the field dictionaries come in as a `TicketContext` the reader built.
import { createHash } from 'node:crypto'
import type { Attachment } from '../../../src/core/model/attachment.js'
import type { Message } from '../../../src/core/model/message.js'
import type { Channel, Ticket, TicketStatus } from '../../../src/core/model/ticket.js'
import type { CustomFieldValue } from '../../../src/core/model/custom-field.js'
import type { RecordRef } from '../../../src/core/model/common.js'
import type { RecordWarning } from '../../../src/core/source.js'
import { htmlToText } from '../../../src/kits/source/html-text.js'
import { imageFileName, isOnHosts, remoteImageSources, rewriteImageSources } from '../../../src/kits/source/body-images.js'
import { mapItem, mergeMapped, readableId, rejectOf, stageCanonical, type Mapped } from '../../../src/kits/source/mapping-result.js'
import { attachmentWire, commentWire, ticketWire, type CommentWire, type TicketWire, type ViaWire } from './wire.js'
import { BRAND_FIELD, FORM_FIELD, base, iso, placeholderId, ref, show, warn } from './to-canonical.js'
import { contentTypeOf } from './content-type.js'
import { voiceBody } from './voice.js'

/** What the reader knows about a user id: a staged user, or one Zendesk no longer has. */
export type Person = { readonly role: string | null; readonly name: string | null; readonly email: string | null } | 'missing'

export interface FieldDict {
  readonly name: string
  /** Option value → label (dropdowns). */
  readonly options: ReadonlyMap<string, string>
}

export interface TicketContext {
  readonly agentUrl: (id: number) => string
  readonly people: ReadonlyMap<number, Person>
  readonly fields: ReadonlyMap<string, FieldDict>
  /** Hosts whose `<img>` in a body are the account's attachments. */
  readonly attachmentHosts: readonly string[]
}

const STATUS: Readonly<Record<string, TicketStatus>> = { new: 'open', open: 'open', pending: 'pending', hold: 'pending', solved: 'closed', closed: 'closed', deleted: 'closed' }
const CHANNEL: Readonly<Record<string, Channel>> = {
  email: 'email', web: 'web', web_form: 'web', web_widget: 'web', mobile: 'web', mobile_sdk: 'web', help_center: 'web', api: 'api',
  chat: 'chat', native_messaging: 'chat', voice: 'phone', phone: 'phone', twitter: 'social', facebook: 'social', any_channel: 'social',
  instagram_dm: 'social', whatsapp: 'social', line: 'social', wechat: 'social',
}
const PRIORITY = new Set(['low', 'normal', 'high', 'urgent'])

export const channelOf = (via: ViaWire | null | undefined): Channel => CHANNEL[String(via?.channel ?? '')] ?? 'other'
const isAgentRole = (p: Person | undefined): boolean => p !== undefined && p !== 'missing' && (p.role === 'agent' || p.role === 'admin')
const addressOf = (v: unknown): string | null => {
  const a = (v as { address?: unknown } | null | undefined)?.address
  return typeof a === 'string' && a.includes('@') ? a : null
}

/** A custom field's value as text, and its label where the field is a dropdown. */
function fieldValue(fieldId: string, value: unknown, fields: TicketContext['fields']): CustomFieldValue | null {
  const v = show(value)
  if (v === null) return null
  const dict = fields.get(fieldId)
  const labels = Array.isArray(value) ? value.map((x) => dict?.options.get(String(x)) ?? String(x)).join(', ') : dict?.options.get(v) ?? v
  return { fieldId, name: dict?.name ?? `Field ${fieldId}`, value: Array.isArray(value) ? value.map(String).join(',') : v, text: labels }
}

/**
 * Tickets merged into this one, from its merge notes (`via.source.rel: "merge"`, "Request #N … was closed and merged
 * into this request"); Zendesk has no merge field. The merged-away ticket is staged too, closed, with its history.
 */
export function mergedFromOf(comments: readonly unknown[]): string[] {
  const out: string[] = []
  for (const raw of comments) {
    const c = commentWire.safeParse(raw)
    if (!c.success || c.data.via?.source?.rel !== 'merge') continue
    const text = c.data.plain_body ?? c.data.body ?? ''
    const m = /#\s*(\d+)\b[^#]*merged into this/i.exec(text)
    if (m?.[1] && !out.includes(m[1])) out.push(m[1])
  }
  return out
}

export function toTicket(t: TicketWire, ctx: TicketContext, mergedFrom: readonly string[] = []): { ticket: Ticket; warnings: RecordWarning[] } {
  const warnings: RecordWarning[] = []
  let status = STATUS[t.status]
  if (status === undefined) {
    warnings.push({ code: 'unknown-value', detail: `status "${t.status}" read as open` })
    status = 'open'
  }
  if (t.assignee_id != null && ctx.people.get(t.assignee_id) === 'missing') warnings.push({ code: 'missing-user', detail: `assignee ${t.assignee_id} no longer exists in Zendesk: staged unassigned` })
  const subject = t.subject ?? t.raw_subject ?? t.description?.split('\n')[0]?.slice(0, 200) ?? ''
  if (t.subject == null) warnings.push({ code: 'missing-field', detail: subject ? 'subject (taken from the description)' : 'subject' })
  const createdAt = iso(t.created_at) ?? iso(t.updated_at)
  if (createdAt === null) throw new Error('unreachable: checked by mapTicket')
  const gone = (id: number | null | undefined): boolean => id != null && ctx.people.get(id) === 'missing'
  const customerRef: RecordRef | null = gone(t.requester_id) ? { kind: 'customer', sourceId: placeholderId(t.requester_id!) } : ref('customer', t.requester_id)
  const submitter = t.submitter_id != null && t.submitter_id > 0 ? t.submitter_id : null
  // `submitter_id: -1` (social channels) is no user: the requester opened it.
  const createdByRef = submitter === null || submitter === t.requester_id ? customerRef : gone(submitter) ? null : ref(isAgentRole(ctx.people.get(submitter)) ? 'agent' : 'customer', submitter)
  const cc = [...new Set([...(t.email_cc_ids ?? []), ...(t.collaborator_ids ?? [])])]
    .map((id) => ctx.people.get(id))
    .flatMap((p) => (p && p !== 'missing' && p.email ? [p.email] : []))
  const customFields = (t.custom_fields ?? []).map((f) => fieldValue(String(f.id), f.value, ctx.fields)).filter((f): f is CustomFieldValue => f !== null)
  for (const [key, id] of [[BRAND_FIELD, t.brand_id], [FORM_FIELD, t.ticket_form_id]] as const) {
    const f = id == null ? null : fieldValue(key, id, ctx.fields)
    if (f) customFields.push(f)
  }
  const ticket: Ticket = {
    ...base(t.id, t.updated_at, ctx.agentUrl(t.id)),
    kind: 'ticket',
    number: t.id,
    subject,
    status,
    vendorStatus: t.status,
    deleted: t.status === 'deleted',
    priority: t.priority && PRIORITY.has(t.priority) ? (t.priority as Ticket['priority']) : null,
    channel: channelOf(t.via),
    groupRef: ref('group', t.group_id),
    // An assignee Zendesk no longer has (a removed agent) has no record to point at: unassigned, with a warning.
    assigneeRef: ctx.people.get(t.assignee_id ?? 0) === 'missing' ? null : ref('agent', t.assignee_id),
    customerRef,
    createdByRef,
    cc: [...new Set(cc)],
    bcc: [],
    tags: [...new Set(t.tags ?? [])],
    customFields,
    createdAt,
    updatedAt: iso(t.updated_at),
    closedAt: null,
    closedByRef: null,
    mergedFrom: [...mergedFrom],
  }
  return { ticket, warnings }
}

const imageId = (commentId: number, url: string): string => `${commentId}-img-${createHash('sha256').update(url).digest('hex').slice(0, 16)}`

/** A comment's message and files; inline images in its body on the account's hosts become inline attachments. */
function commentRecords(ticket: Ticket, c: CommentWire, position: number, ctx: TicketContext, raw: unknown): Mapped {
  const ticketRef: RecordRef = { kind: 'ticket', sourceId: ticket.sourceId }
  const messageRef: RecordRef = { kind: 'message', sourceId: String(c.id) }
  const warnings: RecordWarning[] = []
  const author = c.author_id != null && c.author_id > 0 ? ctx.people.get(c.author_id) : undefined
  // The sender is told by the author's role, not by `public` (an end user can write privately, sources.md §2.7 #9).
  const byAgent = author === undefined || author === 'missing' ? String(c.author_id) !== ticket.customerRef?.sourceId : isAgentRole(author)
  if (author === 'missing') warnings.push({ code: 'missing-user', detail: `author ${c.author_id} no longer exists in Zendesk` })
  const voice = /voice/i.test(c.type ?? '')
  let html = c.html_body ?? null
  let plain = c.plain_body ?? c.body ?? (html === null ? null : htmlToText(html))
  if (voice && !plain && !html) plain = voiceBody(c.data ?? {})
  const out: Mapped = { records: [], rejects: [] }
  const files: { att: Attachment; raw: unknown }[] = []
  const cids = new Map<string, string>()
  for (const a of c.attachments ?? []) {
    const p = attachmentWire.safeParse(a)
    if (!p.success) {
      out.rejects.push(rejectOf('attachment', readableId(a, `comment ${c.id}`), 'schema-mismatch', p.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '), a))
      continue
    }
    const w = p.data
    const fileName = w.file_name ?? `attachment-${w.id}`
    const inBody = html !== null && remoteImageSources(html).includes(w.content_url)
    const contentId = w.inline || inBody ? `zd-${w.id}@inline.deskmove` : null
    if (contentId && inBody) cids.set(w.content_url, contentId)
    // Thumbnails stay inside their attachment's raw payload: they are renditions, not files of their own.
    files.push({ raw: a, att: {
      ...base(w.id, null), kind: 'attachment', ticketRef, messageRef, fileName, contentType: contentTypeOf(fileName, w.content_type),
      size: w.size ?? null, sha256: null, inline: contentId !== null, contentId,
      // The content URL redirects to a signed link that expires: the ids say whose comments to re-read.
      download: { ticketId: ticket.sourceId, commentId: String(c.id), attachmentId: String(w.id), url: w.content_url },
    } })
  }
  for (const url of remoteImageSources(html)) {
    if (cids.has(url) || !isOnHosts(url, ctx.attachmentHosts)) continue
    const id = imageId(c.id, url)
    const contentId = `zd-${id}@inline.deskmove`
    cids.set(url, contentId)
    // Zendesk's token URLs name the file in `?name=`; the path ends in the token.
    const fileName = new URL(url).searchParams.get('name') ?? imageFileName(url)
    files.push({ raw: { bodyImageOf: c.id, url }, att: {
      ...base(id, null), kind: 'attachment', ticketRef, messageRef, fileName, contentType: contentTypeOf(fileName, null),
      size: null, sha256: null, inline: true, contentId,
      download: { ticketId: ticket.sourceId, commentId: String(c.id), attachmentId: id, url, bodyImage: true },
    } })
  }
  if (html !== null && cids.size > 0) html = rewriteImageSources(html, cids)
  const email = author && author !== 'missing' ? author.email : null
  const message: Message = {
    ...base(c.id, c.created_at, ticket.sourceUrl),
    kind: 'message',
    ticketRef,
    type: c.public === false ? 'internal_note' : byAgent ? 'agent_reply' : 'customer_message',
    author: {
      role: byAgent ? 'agent' : 'customer',
      ref: author === 'missing' ? null : ref(byAgent ? 'agent' : 'customer', c.author_id),
      name: author === 'missing' ? `Deleted Zendesk user ${c.author_id}` : author?.name ?? null,
      email,
    },
    bodyHtml: html,
    bodyText: plain,
    from: addressOf((c.via?.source as { from?: unknown } | null | undefined)?.from) ?? email,
    to: [addressOf((c.via?.source as { to?: unknown } | null | undefined)?.to)].filter((x): x is string => x !== null),
    cc: [],
    bcc: [],
    createdAt: iso(c.created_at) ?? ticket.createdAt,
    messageId: null,
    channel: c.via ? channelOf(c.via) : ticket.channel,
    position,
    event: null,
    statusAfter: null,
    assigneeRef: null,
    subtype: voice ? 'phone' : null,
  }
  if (iso(c.created_at) === null) warnings.push({ code: 'missing-field', detail: 'created_at (the ticket\'s used)' })
  mergeMapped(out, warn(mapItem('message', raw, commentWire, String(c.id), () => [message]), warnings))
  for (const f of files) {
    const staged = stageCanonical(f.att, f.raw)
    if ('canonical' in staged) out.records.push(staged)
    else out.rejects.push(staged)
  }
  return out
}

/** One exported ticket with its comments: each comment maps on its own (a bad one is rejected alone). */
export function mapTicket(raw: unknown, comments: readonly unknown[], where: string, ctx: TicketContext, extra: readonly RecordWarning[] = []): Mapped {
  const parsed = ticketWire.safeParse(raw)
  if (parsed.success && iso(parsed.data.created_at) === null && iso(parsed.data.updated_at) === null) {
    return { records: [], rejects: [rejectOf('ticket', String(parsed.data.id), 'schema-mismatch', 'created_at: no readable creation time', raw)] }
  }
  let warnings: RecordWarning[] = []
  const out = mapItem('ticket', raw, ticketWire, where, (t) => {
    const r = toTicket(t, ctx, mergedFromOf(comments))
    warnings = r.warnings
    return [r.ticket]
  })
  const ticket = out.records[0]?.canonical
  if (ticket?.kind !== 'ticket') return out
  const result = warn(out, [...warnings, ...extra])
  comments.forEach((c, i) => {
    const p = commentWire.safeParse(c)
    // A comment without a readable id is named by its ticket in the reject.
    if (!p.success) mergeMapped(result, mapItem('message', c, commentWire, `ticket ${ticket.sourceId}`, () => []))
    else mergeMapped(result, commentRecords(ticket, p.data, i, ctx, c))
  })
  return result
}
