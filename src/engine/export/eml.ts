// One message as an RFC 5322 email, built by nodemailer's MailComposer (a well-kept MIME builder): threading
// headers, From/To/Cc/Bcc/Date from the original, HTML + text alternatives, inline images as `cid:` related
// parts, attachments streamed from the archive's blob files.
import MailComposer from 'nodemailer/lib/mail-composer'
import type MimeNode from 'nodemailer/lib/mime-node'
import type { Ticket } from '../../core/model/ticket.js'
import type { Message } from '../../core/model/message.js'
import type { Attachment } from '../../core/model/attachment.js'
import { htmlToText } from '../../kits/source/html-text.js'
import { atomText } from './safe-name.js'

/** The domain of Message-IDs deskmove makes up for messages the vendor gave none: `.invalid`, never routable. */
export const GENERATED_ID_DOMAIN = 'archive.deskmove.invalid'

/** A message's attachment, with the archive file holding its bytes (null: not in the archive). */
export interface EmlAttachment {
  readonly record: Attachment
  readonly file: string | null
  readonly status: string
}

export interface EmlInput {
  readonly ticket: Ticket
  readonly message: Message
  /** Header Message-IDs of the emails before this one in the ticket, oldest first. */
  readonly earlier: readonly string[]
  readonly attachments: readonly EmlAttachment[]
  /** The mailbox's address: the recipient of a customer's message, the sender of a reply with no address. */
  readonly groupEmail: string | null
  /** The customer's address: the recipient of a reply that names none. */
  readonly customerEmail: string | null
}

const MSG_ID = /^<?([^<>\s@]+@[^<>\s@]+)>?$/

/** The header Message-ID: the original when the source knew a well-formed one, else a stable made-up one. */
export function headerMessageId(m: Message): string {
  const original = m.messageId === null ? null : MSG_ID.exec(m.messageId.trim())
  if (original) return `<${original[1]}>`
  return `<${atomText(m.source)}.${atomText(m.ticketRef.sourceId)}.${atomText(m.sourceId)}@${GENERATED_ID_DOMAIN}>`
}

/** Messages that are emails (system events are ticket history, kept in records/messages.jsonl only). */
export function isEmail(m: Message): boolean {
  return m.type !== 'system_event'
}

/** References: the first and the last ten earlier ids, the usual cap that keeps long threads' headers bounded. */
function referencesOf(earlier: readonly string[]): string[] {
  return earlier.length <= 11 ? [...earlier] : [earlier[0]!, ...earlier.slice(-10)]
}

function recipients(i: EmlInput): string[] {
  if (i.message.to.length > 0) return [...i.message.to]
  const fallback = i.message.type === 'customer_message' ? i.groupEmail : i.message.type === 'agent_reply' ? (i.customerEmail ?? i.ticket.customerEmail ?? null) : null
  return fallback ? [fallback] : []
}

/** The MIME tree of one message; `createReadStream()` streams it, reading attachment files as it goes. */
export function composeEmail(i: EmlInput): MimeNode {
  const { ticket, message: m } = i
  const fromAddress = m.from ?? m.author.email ?? (m.author.role === 'agent' ? i.groupEmail : null)
  const missing = i.attachments.filter((a) => a.file === null)
  const headers: Record<string, string | string[]> = {
    'X-Deskmove-Source': m.source,
    'X-Deskmove-Ticket': ticket.sourceId,
    'X-Deskmove-Message': m.sourceId,
    'X-Deskmove-Message-Type': m.type,
  }
  if (ticket.number !== null) headers['X-Deskmove-Ticket-Number'] = String(ticket.number)
  if (m.type === 'internal_note') headers['X-Deskmove-Note'] = 'internal'
  // An attachment whose bytes were never fetched is named, not silently left out.
  if (missing.length > 0) headers['X-Deskmove-Missing-Attachment'] = missing.map((a) => `${a.record.fileName} (${a.status})`)
  const text = m.bodyText ?? (m.bodyHtml !== null ? htmlToText(m.bodyHtml) : '')
  const withBytes = i.attachments.filter((a) => a.file !== null)
  const node = new MailComposer({
    from: fromAddress ? { name: m.author.name ?? '', address: fromAddress } : undefined,
    to: recipients(i),
    cc: [...m.cc],
    bcc: [...m.bcc],
    subject: i.earlier.length === 0 ? ticket.subject : `Re: ${ticket.subject}`,
    date: new Date(m.createdAt),
    messageId: headerMessageId(m),
    ...(i.earlier.length > 0 ? { inReplyTo: i.earlier[i.earlier.length - 1], references: referencesOf(i.earlier) } : {}),
    text,
    ...(m.bodyHtml !== null ? { html: m.bodyHtml } : {}),
    headers,
    attachments: withBytes.map((a) => ({
      path: a.file!,
      filename: a.record.fileName,
      contentType: a.record.contentType,
      ...(a.record.inline && a.record.contentId ? { cid: a.record.contentId.replace(/^<|>$/g, ''), contentDisposition: 'inline' } : {}),
    })),
  }).compile()
  // An archive keeps who was blind-copied: nothing is sent.
  node.keepBcc = true
  return node
}
