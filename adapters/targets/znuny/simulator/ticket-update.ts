// TicketUpdate (PATCH /Ticket/:TicketID): ticket attribute changes with their history rows, ticket dynamic fields,
// then articles (defaults AddNote / auto follow up; To/Cc/Bcc stored as given).
import type { SimResponse } from '../../../../src/kits/simulator/responses.js'
import { createArticle } from './articles.js'
import type { GiUser } from './auth.js'
import { crashPage, giData, giError, type GiData } from './gi.js'
import { notifyNewOwner } from './mail-trap.js'
import type { Named, StateInfo, UserInfo, ZnunyModel } from './model.js'
import { obj, str } from './text.js'
import type { WriteCall } from './ticket-create.js'
import { articleList } from './ticket-create.js'
import { checkArticle, checkAttachments, checkDynamicFields, checkTicket, type ArticleFields, type TicketFields } from './validate.js'

/**
 * How TicketCreate answers an ArticleID (znuny.md O2): a string, but a number when the article's sender is an agent.
 * (TicketUpdate always answers numbers.)
 */
export function articleIdValue(id: number, a: ArticleFields): string | number {
  return a.senderType.name === 'agent' ? id : String(id)
}

type Changes = Partial<Pick<TicketFields, 'title' | 'customerUser' | 'customerId' | 'untilTime'>> & {
  queue?: Named
  state?: StateInfo
  priority?: Named
  type?: Named
  lock?: Named
  owner?: UserInfo
  responsible?: UserInfo
}

/** Applies ticket attribute changes one by one, each with its history row (as Znuny's setters do). */
export async function applyTicketFields(model: ZnunyModel, id: number, c: Changes, user: GiUser, opts: { notify?: boolean } = {}): Promise<void> {
  const before = (await model.ticket(id))!
  const set = (row: Record<string, unknown>) => model.updateTicket(id, row, user.id)
  const hist = (type: string, name: string) => model.history(id, null, type, name, user.id)
  if (c.title !== undefined && c.title !== before.title) {
    await set({ title: c.title })
    await hist('TitleUpdate', `%%${String(before.title)}%%${c.title}`)
  }
  if (c.queue && c.queue.id !== Number(before.queue_id)) {
    const old = model.lookups.queues.find((q) => q.id === Number(before.queue_id))
    await set({ queue_id: c.queue.id })
    await hist('Move', `%%${c.queue.name}%%${c.queue.id}%%${old?.name ?? ''}%%${old?.id ?? ''}`)
  }
  if (c.type && c.type.id !== Number(before.type_id)) {
    await set({ type_id: c.type.id })
    await hist('TypeUpdate', `%%${c.type.name}%%${c.type.id}`)
  }
  if (c.priority && c.priority.id !== Number(before.ticket_priority_id)) {
    await set({ ticket_priority_id: c.priority.id })
    await hist('PriorityUpdate', `%%${c.priority.name}%%${c.priority.id}`)
  }
  if (c.state && c.state.id !== Number(before.ticket_state_id)) {
    const old = model.lookups.states.find((s) => s.id === Number(before.ticket_state_id))
    await set({ ticket_state_id: c.state.id, ...(c.state.typeName.startsWith('close') ? { ticket_lock_id: 1 } : {}) })
    await hist('StateUpdate', `%%${old?.name ?? ''}%%${c.state.name}%%`)
  }
  if (c.untilTime !== undefined) {
    await set({ until_time: c.untilTime })
    await hist('SetPendingTime', `%%${new Date(c.untilTime * 1000).toISOString().slice(0, 16).replace('T', ' ')}`)
  }
  if (c.customerUser !== undefined || c.customerId !== undefined) {
    const cu = c.customerUser ?? String(before.customer_user_id ?? '')
    const cid = c.customerId ?? String(before.customer_id ?? '')
    await set({ customer_user_id: cu, customer_id: cid })
    await hist('CustomerUpdate', `%%CustomerID=${cid};CustomerUser=${cu};`)
  }
  if (c.owner && c.owner.id !== Number(before.user_id)) {
    await set({ user_id: c.owner.id })
    await hist('OwnerUpdate', `%%${c.owner.login}%%${c.owner.id}`)
    if (opts.notify !== false) await notifyNewOwner(model, id, c.owner.id, user)
  }
  if (c.responsible && c.responsible.id !== Number(before.responsible_user_id)) {
    await set({ responsible_user_id: c.responsible.id })
    await hist('ResponsibleUpdate', `%%${c.responsible.login}%%${c.responsible.id}`)
  }
  if (c.lock) {
    const now = (await model.ticket(id))!
    if (c.lock.id !== Number(now.ticket_lock_id)) {
      await set({ ticket_lock_id: c.lock.id })
      await hist(c.lock.name === 'unlock' ? 'Unlock' : 'Lock', `%%${c.lock.name}`)
    }
  }
}

export async function ticketUpdate(call: WriteCall, data: GiData): Promise<SimResponse> {
  const op = 'TicketUpdate'
  const { model, user } = call
  const ref = str(data.TicketID)
  const number = str(data.TicketNumber)
  if (ref === undefined && number === undefined) return giError(op, 'MissingParameter', 'TicketID or TicketNumber is required!')
  const ticket = ref !== undefined ? await model.ticket(ref) : (await model.tables.select('ticket', { tn: number }))[0]
  if (!ticket) return giError(op, 'AccessDenied', 'User does not have access to the ticket!')
  if (data.Ticket === undefined && data.Article === undefined && data.DynamicField === undefined && data.Attachment === undefined) {
    return giError(op, 'EmptyRequest', 'The request is empty!')
  }
  const ticketIn = data.Ticket === undefined ? {} : obj(data.Ticket)
  if (!ticketIn) return giError(op, 'InvalidParameter', 'Ticket parameter is invalid!')
  const t = await checkTicket(op, ticketIn, model, false)
  if ('error' in t) return t.error
  const articlesIn = data.Article === undefined ? [] : articleList(data.Article, call.version)
  if (!articlesIn) return giError(op, 'InvalidParameter', 'Article parameter is invalid!')
  const articles: ArticleFields[] = []
  for (const a of articlesIn) {
    const c = checkArticle(op, a, model, user, { autoResponseType: 'auto follow up', historyType: 'AddNote', historyComment: '%%GenericInterface Note' })
    if ('error' in c) return c.error
    articles.push(c.ok)
  }
  const fields = data.DynamicField === undefined ? { ok: [] } : checkDynamicFields(op, data.DynamicField, model)
  if ('error' in fields) return fields.error
  const attachments = data.Attachment === undefined ? { ok: [] } : checkAttachments(op, data.Attachment)
  if ('error' in attachments) return attachments.error

  const id = Number(ticket.id)
  const f = t.ok
  const cu = f.customerUser ? await model.customerUser(f.customerUser) : undefined
  await applyTicketFields(model, id, {
    ...f, customerUser: cu ? String(cu.login) : f.customerUser, customerId: f.customerId ?? (f.customerUser ? (cu ? String(cu.customer_id) : '') : undefined),
    untilTime: f.untilTime !== undefined && (f.state ?? stateOf(model, ticket.ticket_state_id))?.typeName.startsWith('pending') ? f.untilTime : undefined,
  }, user)
  for (const fv of fields.ok) {
    if (fv.field.objectType !== 'Ticket') continue
    await model.setFieldValues(fv.field, id, fv.values)
    await model.history(id, null, 'TicketDynamicFieldUpdate', `%%FieldName%%${fv.field.name}%%Value%%${fv.values.join(',')}%%OldValue%%`, user.id)
  }
  if (articles.length === 0 && fields.ok.length + Object.keys(ticketIn).length > 0) await model.updateTicket(id, {}, user.id)
  const articleIds: number[] = []
  for (const a of articles) {
    articleIds.push(await createArticle(model, (await model.ticket(id))!, a, { op, user, attachments: attachments.ok, fields: fields.ok }))
    if (call.crashAfterFirstArticle) return crashPage()
  }
  const out: Record<string, unknown> = { TicketID: String(id), TicketNumber: String(ticket.tn) }
  if (articleIds.length > 0) out.ArticleID = articleIds.length === 1 ? articleIds[0] : articleIds
  return giData(out)
}

const stateOf = (model: ZnunyModel, id: unknown) => model.lookups.states.find((s) => s.id === Number(id))
