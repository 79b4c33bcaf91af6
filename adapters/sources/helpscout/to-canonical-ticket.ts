// PURE mapping of a Help Scout conversation and its threads to ticket, message and attachment records.
// Lenient at the boundary, strict inside: a conversation or thread that lacks a field is staged with what
// it has and the gap is a warning on the record; only what cannot be identified (no id) is a reject.
import type { Ticket } from '../../../src/core/model/ticket.js'
import type { Message, MessageAuthor } from '../../../src/core/model/message.js'
import type { Attachment } from '../../../src/core/model/attachment.js'
import type { CanonicalRecord } from '../../../src/core/model/index.js'
import type { RecordWarning, StagedRecord } from '../../../src/core/source.js'
import { attachmentSchema, conversationSchema, threadSchema } from './wire.js'
import type { WireAttachment, WireConversation, WireThread } from './wire.js'
import { MappingFailure, emptyMapped, mapItem, mergeMapped, rejectOf, describeIssues, readableId, stageCanonical } from '../../../src/kits/source/mapping-result.js'
import type { Mapped } from '../../../src/kits/source/mapping-result.js'
import { SOURCE, nonEmpty, refTo } from './canonical-refs.js'
import { htmlToText } from '../../../src/kits/source/html-text.js'
import { assigneeRefOf, authorRefOf, customerRefOf, linkKind, peopleIndexOf, userRefOf } from './match-people.js'
import type { PeopleDirectory, PeopleIndex, Warn } from './match-people.js'
import { decideThread } from './thread-state.js'
import type { ThreadKind } from './thread-state.js'
import { remoteImageSources } from '../../../src/kits/source/body-images.js'

export { kindOfType } from './thread-state.js'
export type { ThreadKind } from './thread-state.js'

const STATUS: Readonly<Record<string, Ticket['status']>> = { active: 'open', open: 'open', pending: 'pending', closed: 'closed', spam: 'spam' }
const CHANNEL: Readonly<Record<string, Ticket['channel']>> = { email: 'email', chat: 'chat', phone: 'phone' }

/** The UI link agents know a conversation by (the number is cosmetic: the id alone opens it). */
export const conversationUrl = (id: string, number: number | null | undefined): string =>
  number === null || number === undefined ? `https://secure.helpscout.net/conversation/${id}` : `https://secure.helpscout.net/conversation/${id}/${number}`

const later = (a: string | null | undefined, b: string | null | undefined): string | null => {
  if (!a) return b ?? null
  if (!b) return a
  return Date.parse(b) > Date.parse(a) ? b : a
}

const emails = (list: readonly (string | null | undefined)[] | null | undefined): string[] =>
  (list ?? []).filter((e): e is string => nonEmpty(e) !== null)

const idLike = (v: unknown): string | null => {
  const id = v !== null && typeof v === 'object' ? (v as { id?: unknown }).id : v
  return typeof id === 'number' || (typeof id === 'string' && id !== '') ? String(id) : null
}

/**
 * Conversation ids a merge line item names. Help Scout documents the merge as a line item whose action type
 * is `merged` (v1 `actionType: merged` + `actionSourceId`); v2 puts the other conversation in
 * `action.associatedEntities`, whose exact key is undocumented: any key mentioning a conversation, as a bare
 * id, a list, or `{ id, number }` objects, is read.
 */
export function mergedIdsOf(t: WireThread): string[] {
  if (t.type !== 'lineitem' || !/merge/i.test(t.action?.type ?? '')) return []
  const ids: string[] = []
  const entities = t.action?.associatedEntities
  const pairs: [string, unknown][] = Array.isArray(entities)
    ? entities.map((e) => [String((e as { type?: unknown } | null)?.type ?? 'conversation'), e])
    : entities !== null && typeof entities === 'object' ? Object.entries(entities) : []
  for (const [k, value] of pairs) {
    if (!/conversation/i.test(k)) continue
    for (const v of Array.isArray(value) ? value : [value]) {
      const id = idLike(v)
      if (id !== null) ids.push(id)
    }
  }
  const legacy = idLike(t.actionSourceId)
  if (legacy !== null) ids.push(legacy)
  return ids
}

/**
 * conversation → ticket. `updatedAt` is synthesised as max(userUpdatedAt, customerWaitingSince.time):
 * v2 conversations have no updatedAt (sources.md §1.2). `aliases` are ids that redirected here (merges).
 */
export function toTicket(c: WireConversation, threads: readonly WireThread[], aliases: readonly string[], idx: PeopleIndex, warn: Warn): Ticket {
  let status = c.status ? STATUS[c.status.toLowerCase()] : undefined
  if (!status) {
    warn({ code: c.status ? 'status-unknown' : 'status-missing', detail: `conversation status "${c.status ?? '(none)'}" read as open` })
    status = 'open'
  }
  const createdAt = c.createdAt ?? threads[0]?.createdAt ?? c.userUpdatedAt ?? c.closedAt ?? null
  if (createdAt === null) throw new MappingFailure('createdAt: the conversation and its threads carry no creation time')
  if (!c.createdAt) warn({ code: 'created-at-missing', detail: `conversation has no createdAt; ${createdAt} taken from its history` })
  if (c.number === null || c.number === undefined) warn({ code: 'number-missing', detail: 'conversation has no number' })
  if (c.mailboxId === null || c.mailboxId === undefined) warn({ code: 'mailbox-missing', detail: 'conversation has no mailboxId' })
  const updatedAt = later(c.userUpdatedAt, c.customerWaitingSince?.time)
  const mergedFrom = [...new Set([...threads.flatMap(mergedIdsOf), ...aliases])].filter((id) => id !== c.id)
  const customerRef = customerRefOf(c.primaryCustomer, idx, warn, 'primaryCustomer')
  const customerEmail = customerRef === null ? nonEmpty(c.primaryCustomer?.email) : null
  const closedByRef = refTo('agent', c.closedBy) ?? (c.closedByUser ? userRefOf(c.closedByUser, idx, warn, 'closedByUser') : null)
  const snooze = c.snooze ? { until: c.snooze.snoozedUntil ?? null, byRef: refTo('agent', c.snooze.snoozedBy) } : null
  return {
    source: SOURCE,
    kind: 'ticket',
    sourceId: c.id,
    sourceUpdatedAt: updatedAt ?? createdAt,
    sourceUrl: conversationUrl(c.id, c.number),
    number: c.number ?? null,
    subject: c.subject ?? '',
    status,
    vendorStatus: c.status ?? 'unknown',
    deleted: c.state === 'deleted',
    priority: null,
    channel: (c.type ? CHANNEL[c.type] : undefined) ?? 'other',
    groupRef: refTo('group', c.mailboxId),
    assigneeRef: assigneeRefOf(c.assignee, idx, warn, 'assignee', linkKind((c as { _links?: unknown })._links, 'assignee')),
    customerRef,
    createdByRef: authorRefOf(c.createdBy, idx, warn, 'createdBy'),
    cc: emails(c.cc),
    bcc: emails(c.bcc),
    tags: (c.tags ?? []).map((t) => nonEmpty(t.tag) ?? nonEmpty(t.name)).filter((t): t is string => t !== null),
    customFields: (c.customFields ?? []).flatMap((f) => {
      if (f.id === null || f.id === undefined) {
        warn({ code: 'custom-field-id-missing', detail: `custom field "${f.name ?? '?'}" has no id; kept in raw only` })
        return []
      }
      return [{ fieldId: f.id, name: f.name ?? '', value: f.value === null || f.value === undefined ? null : String(f.value), text: f.text ?? null }]
    }),
    createdAt,
    updatedAt,
    closedAt: c.closedAt ?? null,
    closedByRef,
    mergedFrom,
    ...(customerEmail !== null ? { customerEmail } : {}),
    ...(snooze ? { snooze } : {}),
  }
}

function authorOf(t: WireThread, idx: PeopleIndex, warn: Warn): MessageAuthor {
  const p = t.createdBy ?? (t.type === 'customer' ? t.customer : null)
  const name = [p?.first, p?.last].filter((s) => nonEmpty(s) !== null).join(' ')
  const ref = authorRefOf(p, idx, warn, 'createdBy')
  const role: MessageAuthor['role'] = ref?.kind === 'customer' || p?.type === 'customer' ? 'customer' : ref?.kind === 'agent' || p?.type === 'user' ? 'agent' : 'system'
  return { role, ref, name: name === '' ? null : name, email: nonEmpty(p?.email) }
}

/** thread → message; `position` is its 0-based place in the oldest-first history. */
export function toMessage(c: WireConversation, t: WireThread, kind: ThreadKind, position: number, idx: PeopleIndex, warn: Warn, createdAt: string): Message {
  const author = authorOf(t, idx, warn)
  const threadChannel = kind.subtype === 'chat' ? 'chat' : kind.subtype === 'phone' ? 'phone' : null
  const body = t.body ?? null
  const rating = t.rating && nonEmpty(t.rating.rating) !== null ? { value: t.rating.rating as string, comment: nonEmpty(t.rating.comments) } : null
  const images = remoteImageSources(body)
  return {
    source: SOURCE,
    kind: 'message',
    sourceId: t.id,
    sourceUpdatedAt: createdAt,
    sourceUrl: null,
    ticketRef: { kind: 'ticket', sourceId: c.id },
    type: kind.type,
    author,
    bodyHtml: body,
    bodyText: body === null ? null : htmlToText(body),
    from: author.role === 'customer' ? author.email : null,
    to: emails(t.to),
    cc: emails(t.cc),
    bcc: emails(t.bcc),
    createdAt,
    messageId: null,
    channel: threadChannel ?? (c.type ? CHANNEL[c.type] : undefined) ?? 'other',
    position,
    event: kind.type === 'system_event' ? { action: t.action?.type ?? 'unknown', text: t.action?.text ?? null } : null,
    statusAfter: t.status && t.status !== 'nochange' ? (STATUS[t.status] ?? null) : null,
    assigneeRef: assigneeRefOf(t.assignedTo, idx, warn, 'assignedTo', linkKind((t as { _links?: unknown })._links, 'assignedTo')),
    subtype: kind.subtype,
    ...(t.openedAt ? { openedAt: t.openedAt } : {}),
    ...(rating ? { rating } : {}),
    ...(images.length > 0 ? { inlineImageUrls: images } : {}),
  }
}

/** thread attachment → attachment; inline when the body points at it with a `cid:` reference. */
export function toAttachment(c: WireConversation, t: WireThread, a: WireAttachment, createdAt: string): Attachment {
  const fileName = nonEmpty(a.filename) ?? nonEmpty(a.fileName) ?? `attachment-${a.id}` // the vendor gave no name at all
  const body = t.body ?? ''
  const contentId = [a.contentId, a.filename, a.fileName].find((cid) => nonEmpty(cid) !== null && body.includes(`cid:${cid}`)) ?? null
  return {
    source: SOURCE,
    kind: 'attachment',
    sourceId: a.id,
    sourceUpdatedAt: createdAt,
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

/** Oldest first; equal (or missing) timestamps fall back to the (increasing) thread id so positions never shuffle. */
export function sortThreads(threads: readonly WireThread[]): WireThread[] {
  const num = (id: string): number => (/^\d+$/.test(id) ? Number(id) : Number.NaN)
  const time = (t: WireThread): number => (t.createdAt ? Date.parse(t.createdAt) : Number.NaN)
  return [...threads].sort((a, b) => {
    const [ta, tb] = [time(a), time(b)]
    const dt = Number.isNaN(ta) || Number.isNaN(tb) ? 0 : ta - tb
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
  /** Staged users, to tell an untyped assignee from a team and to match people by email. */
  readonly people?: PeopleDirectory
}

const withWarnings = (r: StagedRecord, warnings: readonly RecordWarning[]): StagedRecord => (warnings.length === 0 ? r : { ...r, warnings: [...warnings] })

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
  const idx = peopleIndexOf(c, threads, input.people ?? null)
  const staged: WireThread[] = []
  const ticketWarnings: RecordWarning[] = []
  const unstaged: unknown[] = []
  for (const t of threads) {
    const d = decideThread(t)
    if (d.stage) staged.push(t)
    else {
      ticketWarnings.push(d.warning)
      unstaged.push(rawOf.get(t))
    }
  }
  const ticket = mapItem('ticket', raw, conversationSchema, input.where, () => [toTicket(c, staged, input.aliases ?? [], idx, (w) => ticketWarnings.push(w))])
  // The ticket's raw payload keeps the conversation without the staged threads (they are staged on their
  // own) but with the drafts and scheduled replies, which exist nowhere else.
  mergeMapped(out, { records: ticket.records.map((r) => withWarnings({ ...r, raw: withThreads(raw, unstaged) }, ticketWarnings)), rejects: ticket.rejects })
  if (ticket.records.length === 0) return out
  const ticketCreatedAt = (ticket.records[0]!.canonical as Ticket).createdAt
  mergeMapped(out, mapThreads(c, staged, rawOf, idx, ticketCreatedAt))
  return out
}

function mapThreads(c: WireConversation, threads: readonly WireThread[], rawOf: ReadonlyMap<WireThread, unknown>, idx: PeopleIndex, ticketCreatedAt: string): Mapped {
  const out = emptyMapped()
  let previous = ticketCreatedAt
  threads.forEach((thread, position) => {
    const d = decideThread(thread)
    if (!d.stage) return
    const warnings = [...d.warnings]
    const createdAt = thread.createdAt ?? previous
    if (!thread.createdAt) warnings.push({ code: 'created-at-missing', detail: `thread ${thread.id} has no createdAt; ${createdAt} (the one before it) taken` })
    previous = createdAt
    const raw = rawOf.get(thread)
    let message: Message
    try {
      message = toMessage(c, thread, d.kind, position, idx, (w) => warnings.push(w), createdAt)
    } catch (e) {
      if (!(e instanceof MappingFailure)) throw e
      out.rejects.push(rejectOf('message', thread.id, 'mapping-failed', e.message, raw))
      return
    }
    const s = stageCanonical(message, raw)
    if (!('canonical' in s)) {
      out.rejects.push(s)
      return
    }
    out.records.push(withWarnings(s, warnings))
    for (const rawAtt of thread._embedded?.attachments ?? []) {
      mergeMapped(out, mapItem('attachment', rawAtt, attachmentSchema, `thread ${thread.id}`, (a) => [toAttachment(c, thread, a, createdAt)] as CanonicalRecord[]))
    }
  })
  return out
}

/** The conversation payload with `_embedded.threads` replaced by `keep` (dropped when empty). */
function withThreads(raw: unknown, keep: readonly unknown[]): unknown {
  const r = raw as { _embedded?: Record<string, unknown> }
  if (!r._embedded || !('threads' in r._embedded)) return keep.length === 0 ? raw : { ...r, _embedded: { threads: keep } }
  const { threads: _threads, ...rest } = r._embedded
  return { ...r, _embedded: keep.length === 0 ? rest : { ...rest, threads: keep } }
}
