// PURE planning for FreeScout: a ticket with its messages and attachments becomes one conversation op with
// every derived column computed here (FreeScout's observers never run on a database import).
import type { RecordRef } from '../../../src/core/model/common.js'
import type { Ticket } from '../../../src/core/model/ticket.js'
import type { Message } from '../../../src/core/model/message.js'
import type { AttachmentInput, PartialReject, PlanDeps, PlanUnit, Skip } from '../../../src/core/target.js'
import { skip } from '../../../src/core/target.js'
import { CONVERSATION_STATE, CONVERSATION_STATUS, expectedFolderType } from './counters.js'
import type { FsAttachmentPlan, FsConversationOp, FsLookups, FsOp, FsThreadPlan } from './plan-ops.js'
import { planAgent, planCustomer, resolveMailbox } from './plan-people.js'
import type { FsMappingConfig } from './mapping.js'
import { bodyHtml, cleanText, escapeHtml, textPreview, truncateChars, type CleanNotes } from './plan-text.js'
import { attachmentTypeCode, cleanMimeType, referencedCids, sanitizeFileName } from './plan-files.js'
import {
  SOURCE_VIA,
  THREAD_TYPE,
  TIMESTAMP_MAX,
  TIMESTAMP_MIN,
  canonicalStatusCode,
  conversationType,
  distinctSeconds,
  epochSeconds,
  mapStatus,
  normalizeMessageId,
  sanitizeEmail,
  sourceType,
  sqlTime,
  syntheticMessageId,
  threadKind,
} from './plan-rows.js'

/** The FreeScout `plan`: dispatches on the unit kind. Never throws for bad data: it returns a Skip. */
export function planFreescout(unit: Exclude<PlanUnit, { kind: 'organization' }>, deps: PlanDeps<FsLookups, FsMappingConfig>): FsOp | Skip {
  if (unit.kind === 'agent') return planAgent(unit.record, deps)
  if (unit.kind === 'customer') return planCustomer(unit.record, unit.organization, deps)
  return planConversation(unit.record, unit.messages, unit.attachments, deps)
}

const emails = (xs: readonly string[]) => [...new Set(xs.map(sanitizeEmail).filter((e): e is string => e !== null))]

function customerOf(t: Ticket, messages: readonly Message[]): RecordRef | null {
  if (t.customerRef) return t.customerRef
  return messages.find((m) => m.author.role === 'customer' && m.author.ref?.kind === 'customer')?.author.ref ?? null
}

/** Plans one conversation. Missing blobs / too large files leave the attachment out (a reject of its own). */
export function planConversation(t: Ticket, messages: readonly Message[], atts: readonly AttachmentInput[], deps: PlanDeps<FsLookups, FsMappingConfig>): FsConversationOp | Skip {
  const l = deps.lookups
  const notes: string[] = []
  const clean: CleanNotes = { nul: false, invalidUnicode: false }
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
  const status = mapStatus(deps.config, t.vendorStatus, t.status)
  if (status === null) return skip('unmapped', `no FreeScout status for "${t.vendorStatus}"`)
  const state = t.deleted ? CONVERSATION_STATE.deleted : CONVERSATION_STATE.published
  const assignee = agent(t.assigneeRef, 'the assignee')
  const folderType = expectedFolderType({ state, status, userId: assignee ? 1 : null })
  const folderId = l.folders[String(mailboxId)]?.[String(folderType)]
  if (folderId === undefined) return skip('invalid', `mailbox ${mailboxId} has no folder of type ${folderType}`)
  const mailboxEmail = l.mailboxes.find((m) => m.id === mailboxId)!.email

  const seconds = distinctSeconds(messages.map((m) => epochSeconds(m.createdAt)))
  const created = epochSeconds(t.createdAt)
  if ([created, ...seconds].some((s) => !Number.isFinite(s) || s < TIMESTAMP_MIN || s > TIMESTAMP_MAX)) return skip('invalid', `ticket ${t.sourceId} has a time outside 1970–2038 (FreeScout TIMESTAMP)`)

  // Attachments by message; bad ones become partial rejects, the conversation is still written.
  const partial: PartialReject[] = []
  const byMessage = new Map<string, FsAttachmentPlan[]>()
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
        fileName: sanitizeFileName(cleanText(r.fileName), r.sourceId),
        mimeType: cleanMimeType(r.contentType),
        typeCode: attachmentTypeCode(cleanMimeType(r.contentType)),
        embedded: r.inline && r.contentId !== null,
        contentId: r.contentId,
      })
      byMessage.set(r.messageRef.sourceId, list)
    }
  }
  for (const p of partial) notes.push(`attachment ${p.sourceId} not imported: ${p.detail}`)

  const seenIds = new Set<string>()
  let runningStatus: number = CONVERSATION_STATUS.active
  let runningUser: RecordRef | null = null
  const threads: FsThreadPlan[] = messages.map((m, i) => {
    const kind = threadKind(m.type, m.event)
    const fromCustomer = kind.type === THREAD_TYPE.customer
    if (m.statusAfter) runningStatus = canonicalStatusCode(m.statusAfter)
    if (m.assigneeRef) runningUser = agent(m.assigneeRef, `the assignee of message ${m.sourceId}`)
    const authorRef = m.author.ref
    const authorCustomer = fromCustomer ? (authorRef?.kind === 'customer' && deps.staged(authorRef) ? authorRef : customer) : null
    const authorUser = fromCustomer || m.author.role === 'system' ? null : agent(authorRef, `the author of message ${m.sourceId}`)
    let body = cleanText(bodyHtml(m.bodyHtml, m.bodyText), clean)
    if (m.type === 'system_event' && body === '' && m.event?.text) body = escapeHtml(cleanText(m.event.text, clean))
    const attachments = byMessage.get(m.sourceId) ?? []
    if (!deps.lookups.settings.rewriteCids && attachments.some((a) => a.embedded && a.contentId && referencedCids(body).includes(a.contentId)))
      notes.push(`inline images of message ${m.sourceId} still point to cid: (set FREESCOUT_APP_URL and FREESCOUT_APP_KEY to rewrite them)`)
    const original = normalizeMessageId(m.messageId)
    // The unique index compares case-insensitively on MySQL: so does this de-duplication.
    const messageId = original && !seenIds.has(original.toLowerCase()) ? original : syntheticMessageId(t.source, 'message', m.sourceId, l.settings.messageIdHost)
    seenIds.add(messageId.toLowerCase())
    const from = m.from ? sanitizeEmail(m.from) : null
    return {
      sourceId: m.sourceId,
      type: kind.type,
      subtype: m.subtype === 'forward' ? 1 : m.subtype === 'phone' ? 2 : null,
      status: runningStatus,
      actionType: kind.actionType,
      body,
      from,
      to: fromCustomer ? [mailboxEmail] : m.to.length ? emails(m.to) : null,
      cc: emails(m.cc),
      bcc: emails(m.bcc),
      messageId,
      sourceVia: fromCustomer ? SOURCE_VIA.customer : SOURCE_VIA.user,
      sourceType: sourceType(m.channel),
      user: runningUser,
      authorUser,
      authorCustomer,
      first: i === 0,
      hasAttachments: attachments.some((a) => !a.embedded),
      createdAt: sqlTime(seconds[i]!),
      attachments,
    }
  })

  const tags = [...new Set(t.tags.map((x) => cleanText(x).replace(/^[\s\u00a0\u2000-\u200b\u3000]+|[\s\u00a0\u2000-\u200b\u3000]+$/g, '').toLowerCase()).filter(Boolean))]
  const fieldIds = l.customFields[String(mailboxId)] ?? {}
  const customFields: { fieldId: number; value: string }[] = []
  for (const cf of t.customFields) {
    const value = cf.text ?? cf.value
    if (value === null) continue
    const id = l.modules.customFields ? fieldIds[cf.name.toLowerCase()] : undefined
    if (id !== undefined) customFields.push({ fieldId: id, value: cleanText(value) })
    else notes.push(`custom field "${cf.name}": ${value}`)
  }
  if (tags.length && !l.modules.tags) notes.push(`tags (the Tags module is not installed): ${tags.join(', ')}`)
  if (clean.nul) notes.push('NUL bytes were removed from the text')
  if (clean.invalidUnicode) notes.push('invalid Unicode was replaced with U+FFFD')
  const subjectClean = cleanText(t.subject, clean)
  const subject = truncateChars(subjectClean, 998)
  if (subject !== subjectClean) notes.push('the subject was cut to 998 characters')

  const last = seconds.length ? seconds[seconds.length - 1]! : created
  const noteLines = [`Imported by deskmove from ${t.source} ticket ${t.number !== null ? `#${t.number} ` : ''}(id ${t.sourceId})`, ...(t.sourceUrl ? [t.sourceUrl] : []), ...[...new Set(notes)]]
  threads.push({
    sourceId: null,
    type: THREAD_TYPE.note,
    subtype: null,
    status: runningStatus,
    actionType: null,
    body: noteLines.map((x, i) => (i === 1 && t.sourceUrl ? `<p><a href="${escapeHtml(x)}">${escapeHtml(x)}</a></p>` : `<p>${escapeHtml(x)}</p>`)).join(''),
    from: null,
    to: null,
    cc: [],
    bcc: [],
    messageId: syntheticMessageId(t.source, 'ticket', t.sourceId, l.settings.messageIdHost),
    sourceVia: SOURCE_VIA.user,
    sourceType: sourceType(t.channel),
    user: runningUser,
    authorUser: null,
    authorCustomer: null,
    first: threads.length === 0,
    hasAttachments: false,
    createdAt: sqlTime(last + 1),
    attachments: [],
  })

  const replies = threads.filter((x) => x.sourceId !== null && (x.type === THREAD_TYPE.customer || x.type === THREAD_TYPE.message))
  const lastReply = replies[replies.length - 1]
  const previewFrom = [...threads].reverse().find((x) => x.sourceId !== null && x.type !== THREAD_TYPE.lineitem)
  const lastUser = [...threads].reverse().find((x) => x.sourceId !== null && x.sourceVia === SOURCE_VIA.user)
  const createdByRef = t.createdByRef
  const createdByCustomer = createdByRef?.kind === 'customer' ? (deps.staged(createdByRef) ? createdByRef : customer) : !createdByRef && threads[0]?.authorCustomer ? threads[0].authorCustomer : null
  const createdByUser = createdByRef?.kind === 'agent' ? agent(createdByRef, 'the creator') : !createdByRef ? (threads[0]?.authorUser ?? null) : null
  const closedAt = status === CONVERSATION_STATUS.closed ? sqlTime(epochSeconds(t.closedAt ?? t.updatedAt ?? sqlIso(last))) : null
  const hasAttachments = threads.some((x) => x.hasAttachments)
  const preview = textPreview(previewFrom?.body ?? '')
  const op: FsConversationOp = {
    ref: { source: t.source, kind: 'ticket', sourceId: t.sourceId },
    dedupeKey: `${t.source}:ticket:${t.sourceId}`,
    partialRejects: partial,
    type: 'conversation',
    number: deps.config.keepNumbers && t.number !== null ? t.number : null,
    convType: conversationType(t.channel),
    status,
    state,
    subject,
    mailboxId,
    folderId,
    assignee,
    customer,
    cc: emails(t.cc),
    bcc: emails(t.bcc),
    preview,
    threadsCount: replies.length,
    hasAttachments,
    lastReplyAt: lastReply?.createdAt ?? null,
    lastReplyFrom: lastReply?.sourceVia ?? null,
    userUpdatedAt: lastUser?.createdAt ?? null,
    closedAt,
    closedBy: status === CONVERSATION_STATUS.closed ? agent(t.closedByRef, 'the agent who closed it') : null,
    createdByUser,
    createdByCustomer,
    sourceVia: createdByUser && !createdByCustomer ? SOURCE_VIA.user : SOURCE_VIA.customer,
    sourceType: sourceType(t.channel),
    createdAt: sqlTime(created),
    updatedAt: sqlTime(Math.max(t.updatedAt ? epochSeconds(t.updatedAt) : created, last)),
    tags: l.modules.tags ? tags : [],
    customFields,
    provenance: { source: t.source, sourceId: t.sourceId, url: t.sourceUrl },
    rewriteCids: l.settings.rewriteCids,
    threads,
    summary: {},
  }
  return {
    ...op,
    summary: {
      subject,
      status,
      state,
      mailbox_id: mailboxId,
      folder_id: folderId,
      threads_count: op.threadsCount,
      preview,
      has_attachments: hasAttachments ? 1 : 0,
      last_reply_at: op.lastReplyAt,
      closed_at: closedAt,
      threads: threads.length,
      ...(op.number !== null ? { number: op.number } : {}),
    },
  }
}

function sqlIso(seconds: number): string {
  return new Date(seconds * 1000).toISOString()
}
