// TicketCreate/TicketUpdate input checks with the observed messages (znuny.md O3). Each check returns the
// resolved values or the GI error response; the order of checks follows the operation's (Ticket, Article,
// DynamicField, Attachment).
import type { SimResponse } from '../../../../src/kits/simulator/responses.js'
import type { GiUser } from './auth.js'
import { giError } from './gi.js'
import { lookup, type FieldInfo, type Named, type StateInfo, type UserInfo, type ZnunyModel } from './model.js'
import { flag, list, obj, objects, splitContentType, str, validAddress, validAddressList } from './text.js'

export type Checked<T> = { readonly ok: T } | { readonly error: SimResponse }
const ok = <T>(v: T): Checked<T> => ({ ok: v })
const fail = <T>(op: string, code: string, message: string): Checked<T> => ({ error: giError(op, code, message) })

export interface TicketFields {
  readonly title?: string
  readonly customerUser?: string
  readonly customerId?: string
  readonly queue?: Named
  readonly state?: StateInfo
  readonly priority?: Named
  readonly type?: Named
  readonly lock?: Named
  readonly owner?: UserInfo
  readonly responsible?: UserInfo
  /** Epoch of the pending time, when given. */
  readonly untilTime?: number
}

const pair = (name: string) => `Ticket->${name}ID or Ticket->${name}`

/** Checks `Ticket`; on create the required fields must be there, on update only what is given is checked. */
export async function checkTicket(op: string, t: Record<string, unknown>, model: ZnunyModel, create: boolean): Promise<Checked<TicketFields>> {
  const L = model.lookups
  if (create) {
    if (str(t.Title) === undefined) return fail(op, 'MissingParameter', 'Ticket->Title parameter is missing!')
    if (str(t.CustomerUser) === undefined) return fail(op, 'MissingParameter', 'Ticket->CustomerUser parameter is missing!')
    for (const name of ['Queue', 'State', 'Priority']) {
      if (str(t[name]) === undefined && str(t[`${name}ID`]) === undefined) return fail(op, 'MissingParameter', `${pair(name)} parameter is missing!`)
    }
  }
  const customerUser = str(t.CustomerUser)
  if (customerUser !== undefined) {
    const known = (await model.customerUser(customerUser)) !== undefined
    if (!known && validAddress(customerUser) === null) return fail(op, 'InvalidParameter', 'Ticket->CustomerUser parameter is invalid!')
  }
  const given = (name: string) => str(t[name]) !== undefined || str(t[`${name}ID`]) !== undefined
  const find = <T extends Named>(items: readonly T[], name: string): T | undefined => lookup(items, str(t[name]), str(t[`${name}ID`]))
  const users = L.users.map((u) => ({ ...u, name: u.login }))
  const checks: [string, readonly Named[]][] = [['Queue', L.queues], ['Lock', L.locks], ['Type', L.types], ['Service', []], ['SLA', []], ['State', L.states], ['Priority', L.priorities], ['Owner', users], ['Responsible', users]]
  const found: Record<string, Named | undefined> = {}
  for (const [name, items] of checks) {
    if (!given(name)) continue
    found[name] = find(items, name)
    if (!found[name]) return fail(op, 'InvalidParameter', `${pair(name)} parameter is invalid!`)
  }
  let untilTime: number | undefined
  if (t.PendingTime !== undefined) {
    const p = obj(t.PendingTime)
    const diff = p && p.Diff !== undefined ? Number(p.Diff) : undefined
    const at = p && diff === undefined ? Date.UTC(Number(p.Year), Number(p.Month) - 1, Number(p.Day), Number(p.Hour ?? 0), Number(p.Minute ?? 0)) : NaN
    untilTime = diff !== undefined && Number.isFinite(diff) ? Math.floor(model.now().getTime() / 1000) + diff * 60 : Math.floor(at / 1000)
    if (!Number.isFinite(untilTime)) return fail(op, 'InvalidParameter', 'Ticket->PendingTime parameter is invalid!')
  }
  return ok({
    title: str(t.Title), customerUser, customerId: typeof t.CustomerID === 'string' ? t.CustomerID : undefined,
    queue: found.Queue, state: found.State as StateInfo | undefined, priority: found.Priority, type: found.Type, lock: found.Lock,
    owner: found.Owner as UserInfo | undefined, responsible: found.Responsible as UserInfo | undefined, untilTime,
  })
}

export interface ArticleFields {
  readonly senderType: Named
  readonly channel: Named
  readonly visible: boolean
  readonly from: string | undefined
  readonly to: string | undefined
  readonly cc: string | undefined
  readonly bcc: string | undefined
  readonly subject: string
  readonly body: string
  readonly mimeType: string
  readonly charset: string
  readonly autoResponseType: string
  readonly historyType: string
  readonly historyComment: string
  readonly articleSend: boolean
  readonly noAgentNotify: boolean
  readonly timeUnit: number | undefined
  /** Per-article attachments, NOT validated (znuny.md O3): bad items are dropped later without an error. */
  readonly attachments: readonly Record<string, unknown>[]
}

/** Defaults that differ between TicketCreate and TicketUpdate (znuny.md O5). */
export interface ArticleDefaults {
  readonly autoResponseType: string
  readonly historyType: string
  readonly historyComment: string
}

export function checkArticle(op: string, a: Record<string, unknown>, model: ZnunyModel, user: GiUser, d: ArticleDefaults): Checked<ArticleFields> {
  const L = model.lookups
  const subject = typeof a.Subject === 'string' ? a.Subject : undefined
  const body = typeof a.Body === 'string' ? a.Body : undefined
  if (!subject) return fail(op, 'MissingParameter', 'Article->Subject parameter is missing!')
  if (!body) return fail(op, 'MissingParameter', 'Article->Body parameter is missing!')
  let mimeType: string
  let charset: string
  const ct = str(a.ContentType)
  if (ct !== undefined) {
    ;({ mimeType, charset } = splitContentType(ct))
    if (!/^[\w.+-]+\/[\w.+-]+$/.test(mimeType)) return fail(op, 'InvalidParameter', 'Article->ContentType is invalid!')
  } else if (str(a.MimeType) !== undefined && str(a.Charset) !== undefined) {
    mimeType = String(a.MimeType)
    charset = String(a.Charset)
  } else {
    return fail(op, 'MissingParameter', 'Article->ContentType or Ticket->MimeType and Article->Charset parameters are required!')
  }
  const channel = str(a.CommunicationChannel) ?? str(a.CommunicationChannelID) ? lookup(L.channels, str(a.CommunicationChannel), str(a.CommunicationChannelID)) : lookup(L.channels, 'Internal', undefined)
  if (!channel) return fail(op, 'InvalidParameter', 'Article->CommunicationChannel or Article->CommunicationChannelID parameter is invalid or not supported!')
  const defaultSender = user.kind === 'agent' ? 'agent' : 'customer'
  const senderType = str(a.SenderType) ?? str(a.SenderTypeID) ? lookup(L.senderTypes, str(a.SenderType), str(a.SenderTypeID)) : lookup(L.senderTypes, defaultSender, undefined)
  if (!senderType) return fail(op, 'InvalidParameter', 'Article->SenderTypeID or Ticket->SenderType parameter is invalid!')
  const autoResponseType = str(a.AutoResponseType) ?? d.autoResponseType
  if (!L.autoResponseTypes.some((t) => t.name === autoResponseType)) return fail(op, 'InvalidParameter', 'Article->AutoResponseType parameter is invalid!')
  const from = str(a.From)
  if (from !== undefined && validAddress(from) === null) return fail(op, 'InvalidParameter', 'Article->From parameter is invalid!')
  const articleSend = flag(a.ArticleSend)
  const to = str(a.To)
  if (articleSend && (to === undefined || validAddressList(to) === null)) {
    return fail(op, 'InvalidParameter', 'Article->To parameter must be a valid email address when Article->ArticleSend is set!')
  }
  const historyType = str(a.HistoryType) ?? d.historyType
  if (!L.historyTypes.some((h) => h.name === historyType)) return fail(op, 'InvalidParameter', 'Article->HistoryType parameter is invalid!')
  const timeUnit = a.TimeUnit === undefined || a.TimeUnit === '' ? undefined : Number(a.TimeUnit)
  if (timeUnit !== undefined && !Number.isFinite(timeUnit)) return fail(op, 'InvalidParameter', 'Article->TimeUnit parameter is invalid!')
  const attachments = objects(a.Attachment) ?? []
  return ok({
    senderType, channel, visible: a.IsVisibleForCustomer === undefined ? true : flag(a.IsVisibleForCustomer), from, to,
    cc: str(a.Cc), bcc: str(a.Bcc), subject, body, mimeType, charset, autoResponseType, historyType,
    historyComment: str(a.HistoryComment) ?? d.historyComment, articleSend, noAgentNotify: flag(a.NoAgentNotify), timeUnit, attachments,
  })
}

export interface FieldValue {
  readonly field: FieldInfo
  readonly values: readonly string[]
}

/** `DynamicField`: an object or a list of `{Name, Value}`; the name must be a valid field. */
export function checkDynamicFields(op: string, v: unknown, model: ZnunyModel): Checked<FieldValue[]> {
  const items = objects(v)
  if (items === null) return fail(op, 'InvalidParameter', 'DynamicField parameter is invalid!')
  const out: FieldValue[] = []
  for (const item of items) {
    const name = str(item.Name)
    if (name === undefined) return fail(op, 'MissingParameter', 'DynamicField->Name parameter is missing!')
    const field = model.lookups.fields.find((f) => f.name === name)
    if (!field) return fail(op, 'InvalidParameter', 'DynamicField->Name parameter is invalid!')
    if (!('Value' in item)) return fail(op, 'MissingParameter', 'DynamicField->Value parameter is missing!')
    out.push({ field, values: list(item.Value) })
  }
  return ok(out)
}

export interface AttachmentFields {
  readonly filename: string
  readonly contentType: string
  readonly content: Buffer
}

/** Top-level `Attachment`: validated (unlike per-article ones); the message keeps Znuny's two spaces. */
export function checkAttachments(op: string, v: unknown): Checked<AttachmentFields[]> {
  const items = objects(v)
  if (items === null) return fail(op, 'InvalidParameter', 'Attachment parameter is invalid!')
  const out: AttachmentFields[] = []
  for (const item of items) {
    for (const needed of ['Content', 'ContentType', 'Filename']) {
      if (str(item[needed]) === undefined) return fail(op, 'MissingParameter', `Attachment->${needed}  parameter is missing!`)
    }
    const contentType = String(item.ContentType).toLowerCase()
    if (!/^[\w.+-]+\/[\w.+-]+(\s*;\s*charset=["']?[\w-]+["']?)?$/.test(contentType)) return fail(op, 'InvalidParameter', 'Attachment->ContentType is invalid!')
    out.push({ filename: String(item.Filename), contentType, content: Buffer.from(String(item.Content), 'base64') })
  }
  return ok(out)
}
