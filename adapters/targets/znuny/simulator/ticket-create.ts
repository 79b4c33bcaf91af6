// TicketCreate (POST /Ticket), in the order Znuny's operation works (znuny.md B.2, O2, O3, O5): checks, ticket
// (owner 1, unlocked), lock, ticket dynamic fields, each article, then owner, lock on owner, responsible.
// Nothing is transactional: a crash after the first article leaves a half-made ticket, as observed.
import type { SimResponse } from '../../../../src/kits/simulator/responses.js'
import { createArticle } from './articles.js'
import type { GiUser } from './auth.js'
import { crashPage, giData, giError, type GiData } from './gi.js'
import { notifyNewOwner } from './mail-trap.js'
import type { ZnunyModel } from './model.js'
import { obj, objects } from './text.js'
import { applyTicketFields, articleIdValue } from './ticket-update.js'
import { checkArticle, checkAttachments, checkDynamicFields, checkTicket, type ArticleFields } from './validate.js'

export type ZnunyVersion = '6.5' | '7.0' | '7.1'
export const ZNUNY_VERSIONS: readonly ZnunyVersion[] = ['7.1', '7.0', '6.5']

/** Whether a version takes `Article` (and `ArticleID` answers) as arrays: 7.1 and later. */
export const takesArticleArrays = (v: ZnunyVersion): boolean => v === '7.1'

export interface WriteCall {
  readonly model: ZnunyModel
  readonly user: GiUser
  readonly version: ZnunyVersion
  /** Fault: die after the ticket and its first article are stored (the caller gets no HTTP answer). */
  readonly crashAfterFirstArticle: boolean
}

/** The call's `Article` as a list, or null when this version does not accept what was sent. */
export function articleList(v: unknown, version: ZnunyVersion): Record<string, unknown>[] | null {
  if (obj(v)) return [v as Record<string, unknown>]
  if (!takesArticleArrays(version) || !Array.isArray(v) || v.length === 0) return null
  return objects(v)
}

export async function ticketCreate(call: WriteCall, data: GiData): Promise<SimResponse> {
  const op = 'TicketCreate'
  const { model, user } = call
  const ticketIn = obj(data.Ticket)
  if (!ticketIn || Object.keys(ticketIn).length === 0) return giError(op, 'MissingParameter', 'Ticket parameter is missing or not valid!')
  const articlesIn = articleList(data.Article, call.version)
  if (!articlesIn) return giError(op, 'MissingParameter', 'Article parameter is missing or not valid!')
  const t = await checkTicket(op, ticketIn, model, true)
  if ('error' in t) return t.error
  const articles: ArticleFields[] = []
  for (const a of articlesIn) {
    const c = checkArticle(op, a, model, user, { autoResponseType: 'auto reply', historyType: 'NewTicket', historyComment: '%%GenericInterface Create' })
    if ('error' in c) return c.error
    // Znuny turns agent notifications off for an article whose ticket gets an owner, unless told otherwise.
    articles.push(t.ok.owner && a.NoAgentNotify === undefined ? { ...c.ok, noAgentNotify: true } : c.ok)
  }
  const fields = data.DynamicField === undefined ? { ok: [] } : checkDynamicFields(op, data.DynamicField, model)
  if ('error' in fields) return fields.error
  const attachments = data.Attachment === undefined ? { ok: [] } : checkAttachments(op, data.Attachment)
  if ('error' in attachments) return attachments.error

  const f = t.ok
  // A known customer user is stored by its login (also when named by e-mail address), anything else as given.
  const cu = await model.customerUser(f.customerUser!)
  const customer = cu ? String(cu.login) : f.customerUser!
  const customerId = f.customerId ?? (cu ? String(cu.customer_id) : '')
  const { id, tn } = await model.insertTicket({
    title: f.title, queue_id: f.queue!.id, type_id: f.type?.id ?? 1, user_id: 1, responsible_user_id: 1,
    ticket_priority_id: f.priority!.id, ticket_state_id: f.state!.id, customer_id: customerId, customer_user_id: customer,
    until_time: f.state!.typeName.startsWith('pending') && f.untilTime !== undefined ? f.untilTime : 0,
  }, user.id)
  await model.history(id, null, 'NewTicket', `%%${tn}%%${f.queue!.name}%%${f.priority!.name}%%${f.state!.name}%%${id}`, user.id)
  await model.history(id, null, 'CustomerUpdate', `%%CustomerID=${customerId};CustomerUser=${customer};`, user.id)
  if (f.lock && !f.state!.typeName.startsWith('close')) await applyTicketFields(model, id, { lock: f.lock }, user)
  for (const fv of fields.ok) {
    if (fv.field.objectType !== 'Ticket') continue
    await model.setFieldValues(fv.field, id, fv.values)
    await model.history(id, null, 'TicketDynamicFieldUpdate', `%%FieldName%%${fv.field.name}%%Value%%${fv.values.join(',')}%%OldValue%%`, user.id)
  }
  const articleIds: number[] = []
  for (const a of articles) {
    const ticket = (await model.ticket(id))!
    articleIds.push(await createArticle(model, ticket, a, { op, user, attachments: attachments.ok, fields: fields.ok }))
    if (call.crashAfterFirstArticle) return crashPage()
  }
  if (f.owner) {
    await applyTicketFields(model, id, { owner: f.owner }, user, { notify: false })
    await notifyNewOwner(model, id, f.owner.id, user)
    if (!f.lock && !f.state!.typeName.startsWith('close')) await applyTicketFields(model, id, { lock: model.lookups.locks.find((l) => l.name === 'lock')! }, user)
  } else if (user.kind === 'agent' && user.id !== 1) {
    await applyTicketFields(model, id, { owner: model.lookups.users.find((u) => u.id === user.id)! }, user, { notify: false })
  }
  if (f.responsible) await applyTicketFields(model, id, { responsible: f.responsible }, user)
  const ids = articleIds.map((aid, i) => articleIdValue(aid, articles[i]!))
  return giData({ TicketID: String(id), TicketNumber: tn, ArticleID: ids.length === 1 ? ids[0] : ids })
}
