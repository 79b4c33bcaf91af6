// PURE database encoding of a planned conversation: FreeScout's numeric codes, the folder, every derived column
// the observers would have computed (FreeScout's own code never runs on a database import), TIMESTAMP ranges and
// Message-ID de-duplication the way the unique index compares (case-insensitively on MySQL).
import type { Skip } from '../../../../src/core/target.js'
import { skip } from '../../../../src/core/target.js'
import { CONVERSATION_STATE, CONVERSATION_STATUS, expectedFolderType } from '../counters.js'
import type { FsAttachmentPlan, FsConversationOp, FsLookups, FsThreadPlan } from '../plan-ops.js'
import { textPreview } from '../plan-text.js'
import { attachmentTypeCode } from '../plan-files.js'
import { ACTION_TYPE, SOURCE_VIA, THREAD_TYPE, TIMESTAMP_MAX, TIMESTAMP_MIN, conversationType, sourceType, sqlTime } from '../plan-rows.js'
import type { PlannedConversation, PlannedThread } from '../planner/model.js'

const SUBTYPE = { forward: 1, phone: 2 } as const

/** Encodes a planned conversation as the database writer's op; a Skip when the database cannot hold it. */
export function encodeConversation(p: PlannedConversation, l: FsLookups): FsConversationOp | Skip {
  const t = p.ref
  const zone = l.settings.timeZone ?? 'UTC'
  const status = CONVERSATION_STATUS[p.status]
  const state = p.deleted ? CONVERSATION_STATE.deleted : CONVERSATION_STATE.published
  const folderType = expectedFolderType({ state, status, userId: p.assignee ? 1 : null })
  const folderId = l.folders[String(p.mailboxId)]?.[String(folderType)]
  if (folderId === undefined) return skip('invalid', `mailbox ${p.mailboxId} has no folder of type ${folderType}`)
  const times = [p.createdAt, ...p.threads.filter((x) => x.sourceId !== null).map((x) => x.at)]
  if (times.some((s) => !Number.isFinite(s) || s < TIMESTAMP_MIN || s > TIMESTAMP_MAX)) return skip('invalid', `ticket ${t.sourceId} has a time outside 1970–2038 (FreeScout TIMESTAMP)`)

  // The unique index compares case-insensitively on MySQL: so does this de-duplication.
  const seenIds = new Set<string>()
  const threads: FsThreadPlan[] = p.threads.map((x, i) => {
    let messageId = x.fallbackMessageId
    if (x.sourceId !== null) {
      messageId = x.messageId && !seenIds.has(x.messageId.toLowerCase()) ? x.messageId : x.fallbackMessageId
      seenIds.add(messageId.toLowerCase())
    }
    return encodeThread(x, messageId, i === 0, zone)
  })

  const replies = threads.filter((x) => x.sourceId !== null && (x.type === THREAD_TYPE.customer || x.type === THREAD_TYPE.message))
  const lastReply = replies[replies.length - 1]
  const previewFrom = [...threads].reverse().find((x) => x.sourceId !== null && x.type !== THREAD_TYPE.lineitem)
  const lastUser = [...threads].reverse().find((x) => x.sourceId !== null && x.sourceVia === SOURCE_VIA.user)
  const closedAt = p.closedAt === null ? null : sqlTime(p.closedAt, zone)
  const hasAttachments = threads.some((x) => x.hasAttachments)
  const preview = textPreview(previewFrom?.body ?? '')
  const op: FsConversationOp = {
    ref: t,
    dedupeKey: `${t.source}:ticket:${t.sourceId}`,
    partialRejects: p.partialRejects,
    type: 'conversation',
    number: p.number,
    convType: conversationType(p.channel),
    status,
    state,
    subject: p.subject,
    mailboxId: p.mailboxId,
    folderId,
    assignee: p.assignee,
    customer: p.customer,
    cc: p.cc,
    bcc: p.bcc,
    preview,
    threadsCount: replies.length,
    hasAttachments,
    lastReplyAt: lastReply?.createdAt ?? null,
    lastReplyFrom: lastReply?.sourceVia ?? null,
    userUpdatedAt: lastUser?.createdAt ?? null,
    closedAt,
    closedBy: p.closedBy,
    createdByUser: p.createdByUser,
    createdByCustomer: p.createdByCustomer,
    sourceVia: p.createdByUser && !p.createdByCustomer ? SOURCE_VIA.user : SOURCE_VIA.customer,
    sourceType: sourceType(p.channel),
    createdAt: sqlTime(p.createdAt, zone),
    updatedAt: sqlTime(p.updatedAt, zone),
    tags: p.tags,
    customFields: p.customFields,
    provenance: p.provenance,
    rewriteCids: l.settings.rewriteCids,
    threads,
    summary: {},
    ...(p.alterations?.length ? { alterations: p.alterations } : {}),
  }
  return {
    ...op,
    summary: {
      subject: p.subject,
      status,
      state,
      mailbox_id: p.mailboxId,
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

function encodeThread(x: PlannedThread, messageId: string, first: boolean, zone: string): FsThreadPlan {
  const attachments: FsAttachmentPlan[] = x.attachments.map((a) => ({ ...a, typeCode: attachmentTypeCode(a.mimeType) }))
  return {
    sourceId: x.sourceId,
    type: THREAD_TYPE[x.kind],
    subtype: x.subtype === null ? null : SUBTYPE[x.subtype],
    status: CONVERSATION_STATUS[x.status],
    actionType: x.action === null ? null : ACTION_TYPE[x.action],
    body: x.body,
    from: x.from,
    to: x.to,
    cc: x.cc,
    bcc: x.bcc,
    messageId,
    sourceVia: x.kind === 'customer' ? SOURCE_VIA.customer : SOURCE_VIA.user,
    sourceType: sourceType(x.channel),
    user: x.user,
    authorUser: x.authorUser,
    authorCustomer: x.authorCustomer,
    ...(x.authorUserId !== undefined ? { authorUserId: x.authorUserId } : {}),
    // FreeScout's merge line item reads "merged with another conversation" when `mwc` is set; without it, "merged into conversation #" with no number.
    ...(x.mergedWith !== undefined ? { meta: { mwc: x.mergedWith } } : {}),
    first,
    hasAttachments: attachments.some((a) => !a.embedded),
    createdAt: sqlTime(x.at, zone),
    attachments,
  }
}
