// Messages → Znuny articles: channel, sender type and visibility (internal notes stay internal), From/To/Cc,
// HTML or text body, and per-article attachments checked before sending (Znuny drops bad ones silently).
import type { Message } from '../../../src/core/model/message.js'
import type { Alteration, AttachmentInput, PartialReject } from '../../../src/core/target.js'
import { fitContentType, fitFileName, fitText, formatAddress, refusedAddress } from './fidelity.js'
import type { ZnArticleOp, ZnAttachmentOp } from './plan-ops.js'

/** The largest attachment sent: Znuny's REST transport refuses bodies over 100 MB (base64 adds a third). */
export const ZNUNY_MAX_ATTACHMENT_BYTES = 60 * 1024 * 1024

const CHANNEL_OF: Readonly<Record<string, ZnArticleOp['CommunicationChannel']>> = { email: 'Email', phone: 'Phone' }

function channelOf(m: Message): ZnArticleOp['CommunicationChannel'] {
  if (m.type === 'internal_note' || m.type === 'system_event') return 'Internal'
  if (m.subtype === 'phone') return 'Phone'
  // Chat transcripts would need Znuny's chat storage; web forms and the rest are what Znuny files as Internal.
  return CHANNEL_OF[m.channel] ?? 'Internal'
}

function senderOf(m: Message): ZnArticleOp['SenderType'] {
  if (m.type === 'system_event' || m.author.role === 'system') return 'system'
  if (m.type === 'customer_message') return 'customer'
  return 'agent'
}

/** A list of addresses for To/Cc; refused ones are left out (and said). */
function addressList(list: readonly string[], field: string, alterations: Alteration[]): string {
  const kept: string[] = []
  for (const a of list) {
    const why = refusedAddress(a)
    if (why) alterations.push({ field, rule: 'address-dropped', detail: `${a}: ${why}` })
    else kept.push(a)
  }
  return kept.join(', ')
}

export interface ArticleDeps {
  readonly title: string
  /** 4-byte UTF-8 is replaced (MySQL-backed or unknown database). */
  readonly mangles: boolean
}

/** One article per message, oldest first, plus the attachments that cannot be sent as partial rejects. */
export function planArticles(messages: readonly Message[], attachments: readonly AttachmentInput[], d: ArticleDeps, alterations: Alteration[]): { articles: ZnArticleOp[]; partialRejects: PartialReject[] } {
  const partialRejects: PartialReject[] = []
  const byMessage = new Map<string, AttachmentInput[]>()
  const known = new Set(messages.map((m) => m.sourceId))
  for (const a of attachments) {
    const key = a.record.messageRef.sourceId
    if (!known.has(key)) {
      partialRejects.push({ kind: 'attachment', sourceId: a.record.sourceId, reason: 'dangling-reference', detail: `its message ${key} is not part of the ticket` })
      continue
    }
    byMessage.set(key, [...(byMessage.get(key) ?? []), a])
  }
  const ordered = [...messages].sort((a, b) => a.position - b.position)
  const articles = ordered.map((m) => {
    const f = (what: string) => `message ${m.sourceId} ${what}`
    const sender = senderOf(m)
    const email = m.from ?? m.author.email
    let From: string | null = null
    if (email) {
      const why = refusedAddress(email)
      if (why) alterations.push({ field: f('from'), rule: 'address-dropped', detail: `${email}: ${why}; Znuny shows the customer user instead` })
      else From = fitText(formatAddress(m.author.name, email), f('from'), d.mangles, alterations)
    }
    const html = m.bodyHtml !== null && m.bodyHtml.trim() !== ''
    let body = html ? m.bodyHtml! : (m.bodyText ?? (m.event ? (m.event.text ?? m.event.action) : ''))
    if (body.trim() === '') {
      alterations.push({ field: f('body'), rule: 'empty-body-filled', detail: 'Znuny requires a body: "(empty message)" sent' })
      body = '(empty message)'
    }
    return {
      key: m.sourceId,
      CommunicationChannel: channelOf(m),
      SenderType: sender,
      IsVisibleForCustomer: m.type === 'internal_note' || m.type === 'system_event' ? 0 : 1,
      From,
      To: addressList(m.to, f('to'), alterations),
      Cc: addressList(m.cc, f('cc'), alterations),
      Subject: fitText(d.title, f('subject'), false, alterations),
      Body: fitText(body, f('body'), d.mangles, alterations),
      ContentType: html ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8',
      attachments: planAttachments(byMessage.get(m.sourceId) ?? [], d, alterations, partialRejects),
      createdAt: m.createdAt,
    } satisfies ZnArticleOp
  })
  return { articles, partialRejects }
}

function planAttachments(list: readonly AttachmentInput[], d: ArticleDeps, alterations: Alteration[], rejects: PartialReject[]): ZnAttachmentOp[] {
  const out: ZnAttachmentOp[] = []
  for (const { record: a, blobSize } of list) {
    if (a.sha256 === null || blobSize === null) {
      rejects.push({ kind: 'attachment', sourceId: a.sourceId, reason: 'missing-blob', detail: `the bytes of ${a.fileName} were never downloaded` })
      continue
    }
    if (blobSize > ZNUNY_MAX_ATTACHMENT_BYTES) {
      rejects.push({ kind: 'attachment', sourceId: a.sourceId, reason: 'too-large', detail: `${a.fileName} is ${blobSize} bytes; Znuny's web service takes at most ${ZNUNY_MAX_ATTACHMENT_BYTES}` })
      continue
    }
    const f = `attachment ${a.sourceId}`
    out.push({
      sourceId: a.sourceId,
      Filename: fitFileName(a.fileName, `attachment-${a.sourceId}`, `${f} file name`, d.mangles, alterations),
      ContentType: fitContentType(a.contentType, `${f} content type`, alterations),
      sha256: a.sha256,
      size: blobSize,
      ContentID: a.inline && a.contentId ? a.contentId.replace(/^<|>$/g, '') : null,
      inline: a.inline,
    })
  }
  return out
}
