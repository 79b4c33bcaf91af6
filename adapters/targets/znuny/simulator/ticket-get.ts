// TicketGet and TicketHistoryGet in the observed shapes (znuny.md O2): mixed id types, `Attachment` absent when
// empty, the HTML original hidden unless HTMLBodyAsAttachment=1, articles in id order.
import type { SimResponse } from '../../../../src/kits/simulator/responses.js'
import type { Row } from './catalog.js'
import type { GiUser } from './auth.js'
import { giData, giError, type GiData } from './gi.js'
import type { ZnunyModel } from './model.js'
import { epochOf, flag, list, splitContentType } from './text.js'

const nameOf = (items: readonly { id: number; name: string }[], id: unknown): string => items.find((i) => String(i.id) === String(id))?.name ?? ''

/** `[{Name, Value}]` of every valid field of the object type; Value null when unset, a list for multiselects. */
async function fieldList(model: ZnunyModel, objectType: string, objectId: number): Promise<{ Name: string; Value: unknown }[]> {
  const values = await model.tables.select('dynamic_field_value', { object_id: objectId })
  return model.lookups.fields
    .filter((f) => f.objectType === objectType)
    .map((f) => {
      const rows = values.filter((v) => Number(v.field_id) === f.id)
      const vals = rows.map((r) => (r.value_text ?? r.value_date ?? r.value_int) as unknown)
      return { Name: f.name, Value: f.fieldType === 'Multiselect' ? (vals.length ? vals.map(String) : null) : (vals[0] ?? null) }
    })
}

function attachmentOut(r: Row, fileId: number, contents: boolean): Record<string, unknown> {
  const content = Buffer.isBuffer(r.content) ? r.content : Buffer.from(String(r.content ?? ''))
  return {
    Content: contents ? content.toString('base64') : '', ContentAlternative: String(r.content_alternative ?? ''), ContentID: String(r.content_id ?? ''),
    ContentType: String(r.content_type ?? ''), Disposition: String(r.disposition ?? ''), FileID: String(fileId), Filename: String(r.filename ?? ''),
    FilesizeRaw: String(r.content_size ?? content.length),
  }
}

async function articleOut(model: ZnunyModel, a: Row, n: number, data: GiData): Promise<Record<string, unknown>> {
  const [m = {}] = await model.tables.select('article_data_mime', { article_id: a.id })
  const ct = String(m.a_content_type ?? '')
  const { mimeType, charset } = splitContentType(ct)
  const out: Record<string, unknown> = {
    ArticleID: Number(a.id), ArticleNumber: n, TicketID: Number(a.ticket_id),
    From: m.a_from ?? '', To: m.a_to ?? '', Cc: m.a_cc ?? '', Bcc: m.a_bcc ?? '', ReplyTo: m.a_reply_to ?? '',
    Subject: m.a_subject ?? '', Body: m.a_body ?? '', ContentType: ct, MimeType: mimeType, Charset: charset, ContentCharset: charset,
    MessageID: m.a_message_id ?? '', InReplyTo: m.a_in_reply_to ?? '', References: m.a_references ?? '',
    SenderType: nameOf(model.lookups.senderTypes, a.article_sender_type_id), SenderTypeID: String(a.article_sender_type_id),
    CommunicationChannelID: Number(a.communication_channel_id), IsVisibleForCustomer: Number(a.is_visible_for_customer),
    IncomingTime: Number(m.incoming_time ?? 0), CreateTime: a.create_time, ChangeTime: a.change_time,
    CreateBy: Number(a.create_by), ChangeBy: Number(a.change_by), TimeUnit: await timeUnits(model, { article_id: a.id }),
  }
  if (flag(data.DynamicFields)) out.DynamicField = await fieldList(model, 'Article', Number(a.id))
  if (flag(data.Attachments)) {
    const contents = data.GetAttachmentContents === undefined || flag(data.GetAttachmentContents)
    const rows = await model.tables.select('article_data_mime_attachment', { article_id: a.id })
    const html = flag(data.HTMLBodyAsAttachment)
    const shown = rows.map((r, i) => ({ r, fileId: i + 1 })).filter(({ r }) => html || !(r.filename === 'file-2' && r.disposition === 'inline'))
    if (shown.length > 0) out.Attachment = shown.map(({ r, fileId }) => attachmentOut(r, fileId, contents))
  }
  return out
}

async function timeUnits(model: ZnunyModel, where: Row): Promise<number> {
  return (await model.tables.select('time_accounting', where)).reduce((n, r) => n + Number(r.time_unit ?? 0), 0)
}

/** One ticket in TicketGet's shape. */
export async function ticketOut(model: ZnunyModel, t: Row, data: GiData, user: GiUser, cached = true): Promise<Record<string, unknown>> {
  const L = model.lookups
  const state = L.states.find((s) => s.id === Number(t.ticket_state_id))
  const queue = L.queues.find((q) => q.id === Number(t.queue_id))
  const now = Math.floor(model.now().getTime() / 1000)
  const login = (id: unknown) => L.users.find((u) => u.id === Number(id))?.login ?? ''
  const out: Record<string, unknown> = {
    Age: now - epochOf(String(t.create_time)), ArchiveFlag: Number(t.archive_flag) === 1 ? 'y' : 'n', ChangeBy: Number(t.change_by),
    Changed: t.change_time, CreateBy: Number(t.create_by), Created: t.create_time, CustomerID: t.customer_id ?? '',
    CustomerUserID: t.customer_user_id ?? '', EscalationResponseTime: Number(t.escalation_response_time ?? 0),
    EscalationSolutionTime: Number(t.escalation_solution_time ?? 0), EscalationTime: Number(t.escalation_time ?? 0),
    EscalationUpdateTime: Number(t.escalation_update_time ?? 0), GroupID: queue?.groupId ?? 1,
    Lock: nameOf(L.locks, t.ticket_lock_id), LockID: Number(t.ticket_lock_id), Owner: login(t.user_id), OwnerID: Number(t.user_id),
    Priority: nameOf(L.priorities, t.ticket_priority_id), PriorityID: Number(t.ticket_priority_id), Queue: queue?.name ?? '',
    QueueID: Number(t.queue_id), RealTillTimeNotUsed: Number(t.until_time ?? 0), Responsible: login(t.responsible_user_id),
    ResponsibleID: Number(t.responsible_user_id), SLAID: t.sla_id ?? '', ServiceID: t.service_id ?? '', State: state?.name ?? '',
    StateID: Number(t.ticket_state_id), StateType: state?.typeName ?? '', TicketID: Number(t.id), TicketNumber: String(t.tn),
    TimeUnit: await timeUnits(model, { ticket_id: t.id }), Title: t.title ?? '', Type: nameOf(L.types, t.type_id),
    TypeID: Number(t.type_id ?? 1), UnlockTimeout: Number(t.timeout ?? 0), UntilTime: Math.max(0, Number(t.until_time ?? 0) - now),
  }
  if (flag(data.DynamicFields)) out.DynamicField = await fieldList(model, 'Ticket', Number(t.id))
  if (flag(data.AllArticles)) {
    let articles = await model.cachedArticles(Number(t.id), cached)
    // A customer only sees articles visible to customers.
    if (user.kind === 'customer') articles = articles.filter((a) => Number(a.is_visible_for_customer) === 1)
    const senders = list(data.ArticleSenderType)
    const numbered = articles.map((a, i) => ({ a, n: i + 1 })).filter(({ a }) => senders.length === 0 || senders.includes(nameOf(L.senderTypes, a.article_sender_type_id)))
    if (String(data.ArticleOrder ?? '').toUpperCase() === 'DESC') numbered.reverse()
    const limit = Number(data.ArticleLimit)
    const shown = Number.isInteger(limit) && limit > 0 ? numbered.slice(0, limit) : numbered
    // One at a time: in database mode the call's statements share one connection.
    const rendered: Record<string, unknown>[] = []
    for (const { a, n } of shown) rendered.push(await articleOut(model, a, n, data))
    out.Article = rendered
  }
  return out
}

/** `GET /Ticket/:TicketID` (a comma list allowed). An unknown ticket is AccessDenied, never "not found". */
export async function ticketGet(model: ZnunyModel, user: GiUser, data: GiData): Promise<SimResponse> {
  const op = 'TicketGet'
  const ids = list(data.TicketID).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '')
  if (ids.length === 0) return giError(op, 'MissingParameter', 'TicketID parameter is missing!')
  const out: Record<string, unknown>[] = []
  for (const id of ids) {
    if (!/^\d+$/.test(id)) return giError(op, 'NotValidTicketID', `Could not get Ticket ID ${id} in Kernel::GenericInterface::Operation::Ticket::TicketGet::Run()`)
    const t = await model.cachedTicket(id)
    if (!t || (user.kind === 'customer' && t.customer_user_id !== user.login)) return giError(op, 'AccessDenied', 'User does not have access to the ticket!')
    out.push(await ticketOut(model, t, data, user))
  }
  return giData({ Ticket: out })
}

/** `GET /TicketHistory/:TicketID` — agents only. */
export async function ticketHistoryGet(model: ZnunyModel, user: GiUser, data: GiData): Promise<SimResponse> {
  const op = 'TicketHistoryGet'
  if (user.kind !== 'agent') return giError(op, 'AccessDenied', 'User does not have access to the ticket!')
  const ids = list(data.TicketID).flatMap((v) => v.split(',')).filter((v) => v.trim() !== '')
  if (ids.length === 0) return giError(op, 'MissingParameter', 'TicketID parameter is missing!')
  const out: Record<string, unknown>[] = []
  for (const id of ids) {
    if (!(await model.ticket(id))) return giError(op, 'AccessDenied', 'User does not have access to the ticket!')
    const rows = await model.tables.select('ticket_history', { ticket_id: Number(id) })
    out.push({
      TicketID: String(id),
      History: rows.map((h) => ({
        ArticleID: Number(h.article_id ?? 0), CreateBy: Number(h.create_by), CreateTime: h.create_time,
        HistoryType: nameOf(model.lookups.historyTypes, h.history_type_id), HistoryTypeID: Number(h.history_type_id), Name: h.name,
        OwnerID: Number(h.owner_id), PriorityID: Number(h.priority_id), QueueID: Number(h.queue_id), StateID: Number(h.state_id),
        TicketID: String(id), TypeID: Number(h.type_id),
      })),
    })
  }
  return giData({ TicketHistory: out })
}

/** `GET /Session/:SessionID`: the session's data as Key/Value pairs. */
export function sessionData(model: ZnunyModel, user: GiUser | null, sessionId: string | undefined): SimResponse {
  if (!user || sessionId === undefined) return giError('SessionGet', 'AuthFail', 'Authorization failing!')
  const agent = model.lookups.users.find((u) => user.kind === 'agent' && u.id === user.id)
  const pairs: [string, unknown][] = [['SessionID', sessionId], ['UserLogin', user.login], ['UserType', user.kind === 'agent' ? 'User' : 'Customer'], ['UserID', user.kind === 'agent' ? user.id : user.login]]
  if (agent) pairs.push(['UserEmail', agent.email], ['UserFullname', agent.fullName])
  return giData({ SessionData: pairs.map(([Key, Value]) => ({ Key, Value })) })
}
