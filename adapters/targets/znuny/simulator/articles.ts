// Creating one article as the GI does (znuny.md B.2, O2–O5): stored From/To/Cc, HTML turned into plain text plus
// a hidden `file-2`, attachments (per-article ones unvalidated), history, time accounting, article fields, and
// then the side effects that end in `mail_queue` (mail-trap.ts).
import type { Row } from './catalog.js'
import type { GiUser } from './auth.js'
import type { AttachmentInput, ZnunyModel } from './model.js'
import { queueMailEffects } from './mail-trap.js'
import { htmlToText, str } from './text.js'
import type { ArticleFields, AttachmentFields, FieldValue } from './validate.js'

/** What the whole call contributes to each article it creates. */
export interface ArticleContext {
  readonly op: 'TicketCreate' | 'TicketUpdate'
  readonly user: GiUser
  /** Top-level `Attachment` (validated), added to every article of the call. */
  readonly attachments: readonly AttachmentFields[]
  /** Article-object dynamic fields of the call. */
  readonly fields: readonly FieldValue[]
}

/** The signature a queue appends to a body sent with ArticleSend (the stand-in's queue signature). */
export const QUEUE_SIGNATURE = '\n\n--\nYour Znuny Team\n'

/** Per-article items without Filename or ContentType are dropped with no error (znuny.md O3, 7.0.19). */
function perArticleAttachments(items: readonly Record<string, unknown>[]): AttachmentInput[] {
  const out: AttachmentInput[] = []
  for (const item of items) {
    const filename = str(item.Filename)
    const contentType = str(item.ContentType)
    if (filename === undefined || contentType === undefined) continue
    out.push({ filename, contentType, content: Buffer.from(String(item.Content ?? ''), 'base64'), disposition: 'attachment' })
  }
  return out
}

async function customerFrom(model: ZnunyModel, login: string): Promise<string> {
  const [c] = await model.tables.select('customer_user', { login })
  return c ? `"${String(c.first_name)} ${String(c.last_name)}" <${String(c.email)}>` : login
}

/** Creates the article on `ticket` and everything that follows from it; returns the article id. */
export async function createArticle(model: ZnunyModel, ticket: Row, a: ArticleFields, ctx: ArticleContext): Promise<number> {
  const ticketId = Number(ticket.id)
  const queue = model.lookups.queues.find((q) => q.id === Number(ticket.queue_id))
  const create = ctx.op === 'TicketCreate'
  const from = a.from ?? (a.articleSend && !create ? '' : await customerFrom(model, String(ticket.customer_user_id ?? '')))
  const sender = a.articleSend && a.from === undefined ? systemFrom(model, queue?.systemAddressId ?? 1) : from
  // TicketCreate stores the queue name as To and drops Cc/Bcc unless the article is sent; TicketUpdate keeps them.
  const to = create && !a.articleSend ? (queue?.name ?? '') : (a.to ?? '')
  const cc = create && !a.articleSend ? '' : (a.cc ?? '')
  const bcc = create && !a.articleSend ? '' : (a.bcc ?? '')
  const html = /^text\/html$/i.test(a.mimeType)
  let body = html ? htmlToText(a.body) : a.body
  let subject = a.subject
  let messageId = ''
  if (a.articleSend) {
    subject = subject.includes(`[Ticket#${String(ticket.tn)}]`) ? subject : `[Ticket#${String(ticket.tn)}] ${subject}`
    body = `${body}${QUEUE_SIGNATURE}`
    messageId = `<${Math.floor(model.now().getTime() / 1000)}.${ticketId}.${ticket.tn}@acme.test>`
  }
  const attachments: AttachmentInput[] = []
  if (html) attachments.push({ filename: 'file-2', contentType: `text/html; charset="${a.charset || 'utf-8'}"`, content: Buffer.from(a.articleSend ? `${a.body}${QUEUE_SIGNATURE.replace(/\n/g, '<br/>')}` : a.body), disposition: 'inline' })
  attachments.push(...perArticleAttachments(a.attachments))
  attachments.push(...ctx.attachments.map((f) => ({ ...f, disposition: 'attachment' as const })))
  const contentType = html ? `text/plain; charset=${a.charset || 'utf-8'}` : `${a.mimeType}${a.charset ? `; charset=${a.charset}` : ''}`
  const articleId = await model.insertArticle(ticketId, {
    senderTypeId: a.senderType.id, channelId: a.channel.id, visible: a.visible, from: sender, to, cc, bcc, subject, body,
    contentType, messageId, attachments,
  }, ctx.user.id)
  await model.history(ticketId, articleId, a.historyType, a.historyComment, ctx.user.id)
  if (a.timeUnit) {
    await model.tables.insert('time_accounting', { ticket_id: ticketId, article_id: articleId, time_unit: a.timeUnit, ...model.stamps(ctx.user.id) })
    await model.history(ticketId, articleId, 'TimeAccounting', `%%${a.timeUnit}%%${a.timeUnit}`, ctx.user.id)
  }
  for (const fv of ctx.fields) if (fv.field.objectType === 'Article') await model.setFieldValues(fv.field, articleId, fv.values)
  await queueMailEffects(model, ticketId, articleId, { ...a, from: sender, to, subject, body }, ctx.op, ctx.user)
  return articleId
}

function systemFrom(model: ZnunyModel, addressId: number): string {
  const addr = model.lookups.systemAddresses.get(addressId)
  return addr ? `"${addr.realname}" <${addr.email}>` : ''
}
