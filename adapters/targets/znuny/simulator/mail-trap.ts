// Where a Znuny with its daemon off leaves outgoing mail: `mail_queue` rows, exactly in the cases znuny.md O5
// observed on its trap queue (auto reply linked, an agent watching it):
// - ArticleSend: the article itself is mailed (one row).
// - Auto response: when the article's AutoResponseType (default `auto reply` on create, `auto follow up` on
//   update) has a response linked to the ticket's queue and the ticket is not closed: a system article
//   "[Ticket#…] RE: …" and one row to the From address (plus the customer user when an agent wrote it).
// - Agent notifications, unless NoAgentNotify: on create, HistoryType EmailAgent/EmailCustomer/PhoneCallCustomer/
//   WebRequestCustomer/SystemRequest notify the queue's watchers; on update, AddNote and FollowUp notify the
//   watchers and the owner. Never the acting agent, never the admin (user 1).
// - Owner set to another agent: "Ticket owner update notification" to that agent; NoAgentNotify does not cover it.
// - Closed ticket: no auto response and no article notification, with a Misc history row saying so.
import type { GiUser } from './auth.js'
import type { ZnunyModel } from './model.js'
import { validAddress } from './text.js'
import type { ArticleFields } from './validate.js'

const NEW_TICKET_NOTIFY = new Set(['EmailAgent', 'EmailCustomer', 'PhoneCallCustomer', 'WebRequestCustomer', 'SystemRequest'])
const CLOSED_NOTE = "Sent no auto response or agent notification because ticket is state-type 'closed'!"

const addr = (v: string): string => validAddress(v) ?? v

async function systemSender(model: ZnunyModel, queueId: number): Promise<string> {
  const q = model.lookups.queues.find((x) => x.id === queueId)
  const a = model.lookups.systemAddresses.get(q?.systemAddressId ?? 1)
  return a ? `"${a.realname}" <${a.email}>` : 'znuny@localhost'
}

/** Sends (queues) one agent notification and records it in the ticket history. */
async function notifyAgent(model: ZnunyModel, ticketId: number, userId: number, name: string, actor: GiUser): Promise<void> {
  const agent = model.lookups.users.find((u) => u.id === userId)
  if (!agent || agent.id === 1 || (actor.kind === 'agent' && actor.id === agent.id) || !agent.email) return
  const t = await model.ticket(ticketId)
  await model.queueMail({
    articleId: null, sender: await systemSender(model, Number(t?.queue_id)), recipient: agent.email,
    subject: `[Ticket#${String(t?.tn)}] ${name}`, body: `${name} for ticket ${String(t?.tn)}`,
  })
  await model.history(ticketId, null, 'SendAgentNotification', `%%${name}%%${agent.login}%%Email`, actor.id)
}

/** The owner update notification (sent whenever the owner becomes another agent than the acting one). */
export async function notifyNewOwner(model: ZnunyModel, ticketId: number, ownerId: number, actor: GiUser): Promise<void> {
  await notifyAgent(model, ticketId, ownerId, 'Ticket owner update notification', actor)
}

/** The mail side effects of one new article (see the file comment). */
export async function queueMailEffects(model: ZnunyModel, ticketId: number, articleId: number, a: ArticleFields & { readonly from: string; readonly to: string }, op: 'TicketCreate' | 'TicketUpdate', actor: GiUser): Promise<void> {
  const t = await model.ticket(ticketId)
  if (!t) return
  const queueId = Number(t.queue_id)
  if (a.articleSend) {
    await model.queueMail({ articleId, sender: addr(a.from), recipient: a.to, subject: a.subject, body: a.body })
    await model.history(ticketId, articleId, 'SendAnswer', `%%${a.to}`, actor.id)
  }
  const state = model.lookups.states.find((s) => s.id === Number(t.ticket_state_id))
  if (state?.typeName === 'closed') {
    await model.history(ticketId, articleId, 'Misc', CLOSED_NOTE, actor.id)
    return
  }
  const response = model.lookups.queueAutoResponses.get(queueId)?.find((r) => r.type === a.autoResponseType)
  if (response) {
    const customer = String(t.customer_user_id ?? '')
    const [cu] = customer ? await model.tables.select('customer_user', { login: customer }) : []
    const customerMail = cu ? String(cu.email) : (validAddress(customer) ?? '')
    const recipients = [addr(a.from)]
    if (a.senderType.name === 'agent' && customerMail && !recipients.includes(customerMail)) recipients.push(customerMail)
    const subject = `[Ticket#${String(t.tn)}] ${response.subject.replace('<OTRS_TICKET_Title>', String(t.title ?? ''))}`
    const sender = await systemSender(model, queueId)
    const system = model.lookups.senderTypes.find((s) => s.name === 'system')!
    const email = model.lookups.channels.find((c) => c.name === 'Email')!
    const replyId = await model.insertArticle(ticketId, {
      senderTypeId: system.id, channelId: email.id, visible: true, from: sender, to: recipients[0]!, cc: recipients.slice(1).join(', '), bcc: '',
      subject, body: response.body, contentType: 'text/plain; charset=utf-8', messageId: `<auto.${ticketId}.${articleId}@acme.test>`, attachments: [],
    }, 1)
    await model.queueMail({ articleId: replyId, sender, recipient: recipients.join(', '), subject, body: response.body })
    await model.history(ticketId, replyId, 'SendAutoReply', `%%${recipients[0]!}`, actor.id)
  }
  if (a.noAgentNotify) return
  const watchers = model.lookups.watchers.get(queueId) ?? []
  if (op === 'TicketCreate') {
    if (!NEW_TICKET_NOTIFY.has(a.historyType)) return
    for (const w of watchers) await notifyAgent(model, ticketId, w, 'Ticket create notification', actor)
    return
  }
  const name = a.historyType === 'AddNote' ? 'Ticket new note notification' : a.historyType === 'FollowUp' ? `Ticket follow-up notification (${Number(t.ticket_lock_id) === 2 ? 'locked' : 'unlocked'})` : null
  if (!name) return
  for (const u of new Set([Number(t.user_id), ...watchers])) await notifyAgent(model, ticketId, u, name, actor)
}
