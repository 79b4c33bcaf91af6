// PURE, writer-neutral planning of one FreeScout conversation: who the customer is, which agents are gone (and
// noted), the import note, tags and custom fields (as notes where FreeScout lacks the module or field), which
// attachments go in, Message-IDs and thread times. No database encoding here (db-writer/ does that).
import type { RecordRef } from '../../../../src/core/model/common.js'
import type { Ticket } from '../../../../src/core/model/ticket.js'
import type { Message } from '../../../../src/core/model/message.js'
import type { AttachmentInput, PartialReject, PlanDeps, Skip } from '../../../../src/core/target.js'
import type { FsMappingConfig } from '../mapping.js'
import { skip } from '../../../../src/core/target.js'
import type { FsLookups } from '../plan-ops.js'
import { resolveMailbox } from '../plan-people.js'
import { bodyHtml, cleanText, escapeHtml, textPreview, type CleanNotes } from '../plan-text.js'
import { MAX_NAME_BYTES, cleanMimeType, referencedCids, sanitizeFileName } from '../plan-files.js'
import { distinctSeconds, epochSeconds, normalizeMessageId, sanitizeEmail, syntheticMessageId } from '../plan-rows.js'
import type { FsStatusName, PlannedAttachment, PlannedConversation, PlannedThread } from './model.js'
import { canonicalStatusName, mapStatusName, threadKindOf } from './rules.js'
import { FS_LIMITS, ValueFitter, noteDroppedAddresses } from './fit-values.js'

const emails = (xs: readonly string[]) => [...new Set(xs.map(sanitizeEmail).filter((e): e is string => e !== null))]

function customerOf(t: Ticket, messages: readonly Message[]): RecordRef | null {
  if (t.customerRef) return t.customerRef
  return messages.find((m) => m.author.role === 'customer' && m.author.ref?.kind === 'customer')?.author.ref ?? null
}

/**
 * Plans one conversation for any FreeScout writer. Missing blobs / too large files leave the attachment out (a
 * partial reject, noted in the import note). Returns a Skip only for what every writer refuses (no customer,
 * unmapped mailbox or status); a writer may refuse more while encoding (the database writer: folder, time range).
 */
export function planConversationModel(
  t: Ticket,
  messages: readonly Message[],
  atts: readonly AttachmentInput[],
  deps: PlanDeps<FsLookups, FsMappingConfig>,
): PlannedConversation | Skip {
  const l = deps.lookups
  const notes: string[] = []
  const clean: CleanNotes = { nul: false, invalidUnicode: false }
  const fit = new ValueFitter()
  const agent = (ref: RecordRef | null, what: string): RecordRef | null => {
    if (!ref || ref.kind !== 'agent') return null
    if (deps.staged(ref)) return ref
    notes.push(`${what} (source agent ${ref.sourceId}) no longer exists in the source`)
    return null
  }
  const customer = customerOf(t, messages)
  if (!customer) return skip('no-customer', `ticket ${t.sourceId} has no customer`)
  if (!deps.staged(customer)) return skip('dangling-reference', `ticket ${t.sourceId} refers to customer ${customer.sourceId}, which is not staged`)
  const mailboxId = resolveMailbox(l, deps.config.mailboxes, t.groupRef?.sourceId ?? null)
  if (mailboxId === null) return skip('unmapped', `no FreeScout mailbox for source group ${t.groupRef?.sourceId ?? '(none)'}`)
  const status = mapStatusName(deps.config, t.vendorStatus, t.status)
  if (status === null) return skip('unmapped', `no FreeScout status for "${t.vendorStatus}"`)
  const assignee = agent(t.assigneeRef, 'the assignee')
  const mailboxEmail = l.mailboxes.find((m) => m.id === mailboxId)!.email

  const seconds = distinctSeconds(messages.map((m) => epochSeconds(m.createdAt)))
  const created = epochSeconds(t.createdAt)

  // Attachments by message; bad ones become partial rejects, the conversation is still written.
  const partial: PartialReject[] = []
  const byMessage = new Map<string, PlannedAttachment[]>()
  const messageIds = new Set(messages.map((m) => m.sourceId))
  for (const a of atts) {
    const r = a.record
    const reject = (reason: PartialReject['reason'], detail: string) => partial.push({ kind: 'attachment', sourceId: r.sourceId, reason, detail })
    if (!messageIds.has(r.messageRef.sourceId)) reject('dangling-reference', `message ${r.messageRef.sourceId} of ${r.fileName} is not staged`)
    else if (!r.sha256 || a.blobSize === null) reject('missing-blob', `the bytes of ${r.fileName} were never stored (see \`deskmove rejects\` of extract)`)
    else if (a.blobSize > l.settings.maxAttachmentBytes) reject('too-large', `${r.fileName} is ${a.blobSize} bytes, over ${l.settings.maxAttachmentBytes}`)
    else {
      const list = byMessage.get(r.messageRef.sourceId) ?? []
      list.push({
        sourceId: r.sourceId,
        sha256: r.sha256,
        size: a.blobSize,
        fileName: fitFileName(fit, r.sourceId, r.fileName),
        mimeType: cleanMimeType(r.contentType),
        embedded: r.inline && r.contentId !== null,
        contentId: r.contentId,
      })
      byMessage.set(r.messageRef.sourceId, list)
    }
  }
  for (const p of partial) notes.push(`attachment ${p.sourceId} not imported: ${p.detail}`)

  let runningStatus: FsStatusName = 'active'
  let runningUser: RecordRef | null = null
  // System events FreeScout has no line item for ("imported", "workflow ran", …) would render as agent notes
  // and become the list preview: they are listed in the import note instead, with their time.
  const events: string[] = []
  const threads: PlannedThread[] = []
  messages.forEach((m, i) => {
    const { kind, action } = threadKindOf(m.type, m.event)
    const fromCustomer = kind === 'customer'
    if (m.statusAfter) runningStatus = canonicalStatusName(m.statusAfter)
    if (m.assigneeRef) runningUser = agent(m.assigneeRef, `the assignee of message ${m.sourceId}`)
    const authorRef = m.author.ref
    const authorCustomer = fromCustomer ? (authorRef?.kind === 'customer' && deps.staged(authorRef) ? authorRef : customer) : null
    const authorUser = fromCustomer || m.author.role === 'system' ? null : agent(authorRef, `the author of message ${m.sourceId}`)
    let body = fit.clean(`message ${m.sourceId} body`, bodyHtml(m.bodyHtml, m.bodyText), clean)
    if (m.type === 'system_event' && body === '' && m.event?.text) body = escapeHtml(fit.clean(`message ${m.sourceId} event text`, m.event.text, clean))
    const attachments = byMessage.get(m.sourceId) ?? []
    if (!l.settings.rewriteCids && attachments.some((a) => a.embedded && a.contentId && referencedCids(body).includes(a.contentId)))
      notes.push(`inline images of message ${m.sourceId} still point to cid: (set FREESCOUT_APP_URL and FREESCOUT_APP_KEY to rewrite them)`)
    if (m.type === 'system_event' && action === null) {
      const text = cleanText(m.event?.text ?? '', clean).trim() || textPreview(body)
      events.push(`${isoOf(seconds[i]!).replace('.000Z', 'Z')} ${m.event?.action ?? 'event'}${text ? `: ${text}` : ''}`)
      return
    }
    const mergedWith = action === 'merged' ? mergedNumber(m, t) : undefined
    threads.push({
      sourceId: m.sourceId,
      kind,
      action,
      ...(mergedWith !== undefined ? { mergedWith } : {}),
      subtype: m.subtype === 'forward' || m.subtype === 'phone' ? m.subtype : null,
      status: runningStatus,
      body,
      from: m.from ? sanitizeEmail(m.from) : null,
      to: fromCustomer ? [mailboxEmail] : m.to.length ? emails(m.to) : null,
      cc: emails(m.cc),
      bcc: emails(m.bcc),
      messageId: normalizeMessageId(m.messageId),
      fallbackMessageId: syntheticMessageId(t.source, 'message', m.sourceId, l.settings.messageIdHost),
      channel: m.channel,
      user: runningUser,
      authorUser,
      authorCustomer,
      at: seconds[i]!,
      attachments,
    })
  })
  if (events.length) notes.push(`source events FreeScout has no line item for: ${events.join('; ')}`)

  const tags = [...new Set(t.tags.map((x) => fit.clean('tag', x).replace(/^[\s\u00a0\u2000-\u200b\u3000]+|[\s\u00a0\u2000-\u200b\u3000]+$/g, '').toLowerCase()).filter(Boolean).map((x) => fit.fit('tag', x, FS_LIMITS.tag)))]
  const fieldIds = l.customFields[String(mailboxId)] ?? {}
  const customFields: { fieldId: number; value: string }[] = []
  for (const cf of t.customFields) {
    const value = cf.text ?? cf.value
    if (value === null) continue
    const id = l.modules.customFields ? fieldIds[cf.name.toLowerCase()] : undefined
    if (id !== undefined) customFields.push({ fieldId: id, value: fit.clean(`custom field ${cf.name}`, value) })
    else notes.push(`custom field "${cf.name}": ${value}`)
  }
  if (tags.length && !l.modules.tags) notes.push(`tags (the Tags module is not installed): ${tags.join(', ')}`)
  if (clean.nul) notes.push('NUL bytes were removed from the text')
  if (clean.invalidUnicode) notes.push('invalid Unicode was replaced with U+FFFD')
  const subject = fit.fit('subject', fit.clean('subject', t.subject, clean), FS_LIMITS.subject)
  noteDroppedAddresses(fit, t, messages)
  notes.push(...fit.fullValues)

  const last = seconds.length ? seconds[seconds.length - 1]! : created
  const noteLines = [`Imported by deskmove from ${t.source} ticket ${t.number !== null ? `#${t.number} ` : ''}(id ${t.sourceId})`, ...(t.sourceUrl ? [t.sourceUrl] : []), ...[...new Set(notes)]]
  threads.push({
    sourceId: null,
    kind: 'note',
    action: null,
    subtype: null,
    status: runningStatus,
    body: noteLines.map((x, i) => (i === 1 && t.sourceUrl ? `<p><a href="${escapeHtml(x)}">${escapeHtml(x)}</a></p>` : `<p>${escapeHtml(x)}</p>`)).join(''),
    from: null,
    to: null,
    cc: [],
    bcc: [],
    messageId: null,
    fallbackMessageId: syntheticMessageId(t.source, 'ticket', t.sourceId, l.settings.messageIdHost),
    channel: t.channel,
    user: runningUser,
    authorUser: null,
    authorCustomer: null,
    // Without an author FreeScout renders the note with a blank header.
    ...(l.settings.importUserId != null ? { authorUserId: l.settings.importUserId } : {}),
    at: last + 1,
    attachments: [],
  })

  // Decided after the import note is written: a departed creator or closer is not noted (as before the split).
  const createdByRef = t.createdByRef
  const createdByCustomer = createdByRef?.kind === 'customer' ? (deps.staged(createdByRef) ? createdByRef : customer) : !createdByRef && threads[0]?.authorCustomer ? threads[0].authorCustomer : null
  const createdByUser = createdByRef?.kind === 'agent' ? agent(createdByRef, 'the creator') : !createdByRef ? (threads[0]?.authorUser ?? null) : null
  const closed = status === 'closed'
  return {
    ref: { source: t.source, kind: 'ticket', sourceId: t.sourceId },
    partialRejects: partial,
    number: deps.config.keepNumbers && t.number !== null ? t.number : null,
    channel: t.channel,
    status,
    deleted: t.deleted,
    subject,
    mailboxId,
    assignee,
    customer,
    cc: emails(t.cc),
    bcc: emails(t.bcc),
    closedBy: closed ? agent(t.closedByRef, 'the agent who closed it') : null,
    createdByUser,
    createdByCustomer,
    createdAt: created,
    updatedAt: Math.max(t.updatedAt ? epochSeconds(t.updatedAt) : created, last),
    closedAt: closed ? epochSeconds(t.closedAt ?? t.updatedAt ?? isoOf(last)) : null,
    tags: l.modules.tags ? tags : [],
    customFields,
    provenance: { source: t.source, sourceId: t.sourceId, url: t.sourceUrl },
    threads,
    ...(fit.alterations.length ? { alterations: fit.alterations } : {}),
  }
}

/**
 * The other conversation of a merge line item as the source numbers it: `#N` from the event's text, else the
 * merged-away conversation's id the ticket remembers, else a plain word (FreeScout only needs `mwc` non-empty).
 */
function mergedNumber(m: Message, t: Ticket): string {
  const n = /#\s*(\d+)/.exec(m.event?.text ?? '')?.[1]
  return n ?? t.mergedFrom[0] ?? 'another conversation'
}

/** ISO instant of epoch seconds; '' (read back as NaN) when out of range, so an odd time is refused, not thrown. */
function isoOf(seconds: number): string {
  const d = new Date(seconds * 1000)
  return Number.isNaN(d.getTime()) ? '' : d.toISOString()
}

/**
 * FreeScout's safe form of a file name (see `sanitizeFileName`). Its character rules (spaces and `#` to `_`) are
 * FreeScout's own for every upload; a name cut to 255 bytes is an alteration, recorded with the original kept.
 */
function fitFileName(fit: ValueFitter, sourceId: string, name: string): string {
  const field = `attachment ${sourceId} file name`
  const cleaned = fit.clean(field, name)
  const out = sanitizeFileName(cleaned, sourceId)
  if (Buffer.byteLength(cleaned) > MAX_NAME_BYTES) fit.replaced(field, cleaned, out, `cut to ${MAX_NAME_BYTES} bytes, extension kept`)
  return out
}
