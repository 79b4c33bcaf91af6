import { USER_SEEDS, iso } from './catalog.js'
import { link } from './hal.js'
import type { Assignee, ConversationHeader } from './headers.js'
import type { CustomerSeed } from './people.js'
import { tagById, teamById } from './render-catalog.js'
import { Rng, SALT } from './rng.js'
import { CHAT_TRUNCATE_AT, type AttachmentSeed, type ThreadSeed } from './threads.js'
import { folderIdOf, type World } from './world.js'

/** Wire objects of conversations, threads and attachment metadata. */

type Json = Record<string, unknown>

function userRef(id: number): Json {
  const u = USER_SEEDS.find((x) => x.id === id)
  if (!u) return { id, type: 'user' }
  return { id: u.id, type: 'user', first: u.firstName, last: u.lastName, email: u.email }
}

function assigneeRef(a: Assignee): Json {
  if (a.kind === 'user') return userRef(a.id)
  // Teams have no e-mail address; their name is reported in `first`.
  return { id: a.id, type: 'team', first: teamById(a.id)?.name ?? 'Team', last: '' }
}

function customerRef(c: CustomerSeed, withType: boolean): Json {
  const ref: Json = { id: c.id }
  if (withType) ref.type = 'customer'
  ref.first = c.firstName
  ref.last = c.lastName
  if (c.emails[0]) ref.email = c.emails[0].value
  return ref
}

function attachmentJson(v2: string, a: AttachmentSeed, conversationId: number): Json {
  const out: Json = { id: a.id, filename: a.filename, mimeType: a.mimeType, size: a.size }
  if (a.width !== null) out.width = a.width
  if (a.height !== null) out.height = a.height
  out.state = 'valid'
  // Not in Help Scout's docs: the simulator's chosen name for the content id of inline images.
  if (a.contentId) out.contentId = a.contentId
  out._links = {
    data: link(`${v2}/conversations/${conversationId}/attachments/${a.id}/data`),
    web: link(`https://secure.helpscout-sim.invalid/file/${a.id}/${encodeURIComponent(a.filename)}`),
  }
  return out
}

/** Cuts a body to its first CHAT_TRUNCATE_AT code points and marks the cut with an ellipsis. */
export function truncateChatBody(body: string): string {
  const points = [...body]
  return points.length > CHAT_TRUNCATE_AT ? `${points.slice(0, CHAT_TRUNCATE_AT).join('')}…` : body
}

export interface ThreadRenderOptions {
  /** Cut chat bodies, as the real list endpoint does with `embed=threads`. */
  truncateChat: boolean
}

export function renderThread(v2: string, conversationId: number, customer: CustomerSeed, t: ThreadSeed, o: ThreadRenderOptions): Json {
  const out: Json = { id: t.id, type: t.type, status: t.status, state: t.state }
  if (t.action) out.action = t.action
  if (t.body !== null) out.body = o.truncateChat && t.type === 'chat' ? truncateChatBody(t.body) : t.body
  out.source = t.source
  out.customer = customerRef(customer, false)
  out.createdBy = t.author.kind === 'customer' ? customerRef(customer, true) : userRef(t.author.id)
  if (t.assignedTo) out.assignedTo = assigneeRef(t.assignedTo)
  if (t.savedReplyId !== null) out.savedReplyId = t.savedReplyId
  out.to = t.to
  out.cc = t.cc
  out.bcc = t.bcc
  out.createdAt = iso(t.createdAt)
  if (t.openedAt !== null) out.openedAt = iso(t.openedAt)
  out._embedded = { attachments: t.attachments.map((a) => attachmentJson(v2, a, conversationId)) }
  out._links = t.author.kind === 'customer'
    ? { createdByCustomer: link(`${v2}/customers/${customer.id}`) }
    : { createdByUser: link(`${v2}/users/${t.author.id}`) }
  return out
}

const SUBJECTS = [
  (n: number) => `Order #${n} arrived damaged`,
  () => 'Rückerstattung für meine Bestellung 🧾',
  () => '请帮我重置密码',
  () => '<b>URGENT</b> & "quoted" <script>x</script>',
  () => '',
  (n: number) => `Re: Fwd: Re: question about invoice ${n} ${'and more details '.repeat(8)}`,
  () => 'Can’t log in',
]

function stripHtml(html: string): string {
  return html.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim()
}

/** One conversation. `threads` is given when `embed=threads` was asked for. */
export function renderConversation(
  v2: string,
  world: World,
  h: ConversationHeader,
  threads: ThreadSeed[],
  embed: ThreadRenderOptions | null,
): Json {
  const r = new Rng(world.seed, h.index, SALT.detail)
  const customer = world.customer(h.customerIndex)
  const mailbox = world.mailboxes[h.mailboxIndex]!
  const first = threads[0]!
  const lastWithBody = [...threads].reverse().find((t) => t.body)
  const lastPublic = [...threads].reverse().find((t) => t.type !== 'lineitem' && t.type !== 'note')
  const subjectOf = SUBJECTS[r.int(SUBJECTS.length)]!
  const closed = h.status === 'closed'
  const closedBy = h.assignee?.kind === 'user' ? h.assignee.id : 1001
  const customFields: Json[] = []
  const [dropdown, text] = mailbox.fields
  if (dropdown && (dropdown.required || r.chance(0.6))) {
    const option = r.pick(dropdown.options)
    customFields.push({ id: dropdown.id, name: dropdown.name, value: String(option.id), text: option.label })
  }
  if (text && r.chance(0.3)) {
    const value = r.chance(0.2) ? 'ÄÖÜ-😀-42' : `ORD-${100000 + h.index}`
    customFields.push({ id: text.id, name: text.name, value, text: value })
  }
  const out: Json = {
    id: h.id,
    number: h.number,
    threads: threads.length,
    type: h.type,
    folderId: folderIdOf(world, h),
    status: h.status,
    state: h.state,
    subject: subjectOf(h.number),
    preview: lastWithBody?.body ? stripHtml(lastWithBody.body).slice(0, 100) : '',
    mailboxId: mailbox.id,
  }
  if (h.assignee) out.assignee = assigneeRef(h.assignee)
  out.createdBy = first.author.kind === 'customer' ? customerRef(customer, true) : userRef(first.author.id)
  out.createdAt = iso(h.createdAt)
  out.closedBy = closed ? closedBy : 0
  if (closed) {
    out.closedByUser = userRef(closedBy)
    out.closedAt = iso(h.modifiedAt)
  }
  out.userUpdatedAt = iso(h.modifiedAt)
  out.customerWaitingSince = {
    time: iso(h.modifiedAt),
    friendly: 'a while ago',
    latestReplyFrom: lastPublic?.author.kind === 'customer' ? 'customer' : 'user',
  }
  out.source = { type: h.type === 'chat' ? 'chat' : first.source.type, via: first.author.kind === 'customer' ? 'customer' : 'user' }
  out.tags = h.tagIds.map((id) => {
    const t = tagById(id)!
    return { id: t.id, color: t.color, tag: t.name }
  })
  out.cc = first.cc
  out.bcc = first.bcc
  out.primaryCustomer = customerRef(customer, true)
  out.customFields = customFields
  if (embed) out._embedded = { threads: [...threads].reverse().map((t) => renderThread(v2, h.id, customer, t, embed)) }
  const links: Json = {
    mailbox: link(`${v2}/mailboxes/${mailbox.id}`),
    primaryCustomer: link(`${v2}/customers/${customer.id}`),
    self: link(`${v2}/conversations/${h.id}`),
    threads: link(`${v2}/conversations/${h.id}/threads`),
    web: link(`https://secure.helpscout-sim.invalid/conversation/${h.id}/${h.number}`),
  }
  if (first.author.kind === 'customer') links.createdByCustomer = link(`${v2}/customers/${customer.id}`)
  else links.createdByUser = link(`${v2}/users/${first.author.id}`)
  if (h.assignee?.kind === 'user') links.assignee = link(`${v2}/users/${h.assignee.id}`)
  if (closed) links.closedBy = link(`${v2}/users/${closedBy}`)
  out._links = links
  return out
}
