import { USER_SEEDS, iso } from './catalog.js'
import { link } from './hal.js'
import type { Assignee, ConversationHeader } from './headers.js'
import type { CustomerSeed } from './people.js'
import { tagById, teamById } from './render-catalog.js'
import { Rng, SALT } from './rng.js'
import { CHAT_TRUNCATE_AT, isStagedThread, servedBody, type AttachmentSeed, type ThreadSeed } from './threads.js'
import { sparse, type SimProfile } from './sparse.js'
import { folderIdOf, type World } from './world.js'

/** Wire objects of conversations, threads and attachment metadata. */

type Json = Record<string, unknown>

function userRef(id: number, o: { withType?: boolean; withId?: boolean } = {}): Json {
  const u = USER_SEEDS.find((x) => x.id === id)
  if (!u) return { id, type: 'user' }
  const ref: Json = {}
  if (o.withId !== false) ref.id = u.id
  if (o.withType !== false) ref.type = 'user'
  return { ...ref, first: u.firstName, last: u.lastName, email: u.email }
}

/** Real assignees often come without `type` (users only: a team is always typed in the samples). */
function assigneeRef(a: Assignee, untyped = false): Json {
  if (a.kind === 'user') return userRef(a.id, { withType: !untyped })
  // Teams have no e-mail address; their name is reported in `first`.
  return { id: a.id, type: 'team', first: teamById(a.id)?.name ?? 'Team', last: '' }
}

/** `withoutId` is honoured only for customers with an email, so a client can still pair them with an id. */
function customerRef(c: CustomerSeed, withType: boolean, withoutId = false): Json {
  const ref: Json = withoutId && c.emails[0] ? {} : { id: c.id }
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
  /** Payload profile; default 'full'. */
  profile?: SimProfile
  seed?: number
}

export function renderThread(v2: string, conversationId: number, customer: CustomerSeed, t: ThreadSeed, o: ThreadRenderOptions): Json {
  const profile = o.profile ?? 'full'
  const seed = o.seed ?? 0
  const omitEmpty = sparse(profile, 'emptyKeysOmitted', seed, t.id)
  const out: Json = { id: t.id, type: t.type, status: t.status, state: t.state }
  if (t.action) out.action = t.action
  // Image URLs in bodies point at this server (its CDN and "external" tracker paths): `v2` is `<origin>/v2`.
  if (t.body !== null) out.body = servedBody(o.truncateChat && t.type === 'chat' ? truncateChatBody(t.body) : t.body, v2.replace(/\/v2$/, ''))
  out.source = t.source
  out.customer = customerRef(customer, false)
  out.createdBy = t.author.kind === 'customer'
    ? customerRef(customer, true, sparse(profile, 'customerRefWithoutId', seed, t.id))
    : userRef(t.author.id)
  if (t.assignedTo) out.assignedTo = assigneeRef(t.assignedTo, sparse(profile, 'assigneeWithoutType', seed, t.id))
  if (t.savedReplyId !== null) out.savedReplyId = t.savedReplyId
  for (const key of ['to', 'cc', 'bcc'] as const) if (t[key].length > 0 || !omitEmpty) out[key] = t[key]
  out.createdAt = iso(t.createdAt)
  if (t.openedAt !== null) out.openedAt = iso(t.openedAt)
  if (t.rating) out.rating = { customerId: customer.id, rating: t.rating.rating, comments: t.rating.comments }
  if (t.scheduledFor !== null) {
    out.scheduled = { scheduledBy: t.author.id, createdAt: iso(t.createdAt), scheduledFor: iso(t.scheduledFor), unscheduleOnCustomerReply: false }
  }
  if (t.attachments.length > 0 || !omitEmpty) out._embedded = { attachments: t.attachments.map((a) => attachmentJson(v2, a, conversationId)) }
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
  const sent = threads.filter(isStagedThread)
  const lastWithBody = [...sent].reverse().find((t) => t.body)
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
    // The count covers what was sent: drafts and scheduled replies are not conversation history.
    threads: sent.length,
    type: h.type,
    folderId: folderIdOf(world, h),
    status: h.status,
    state: h.state,
    subject: subjectOf(h.number),
    preview: lastWithBody?.body ? stripHtml(lastWithBody.body).slice(0, 100) : '',
    mailboxId: mailbox.id,
  }
  const profile = world.profile
  const idless = sparse(profile, 'customerRefWithoutId', world.seed, h.id)
  const omitEmpty = sparse(profile, 'emptyKeysOmitted', world.seed, h.id)
  if (h.assignee) out.assignee = assigneeRef(h.assignee, sparse(profile, 'assigneeWithoutType', world.seed, h.id))
  out.createdBy = first.author.kind === 'customer' ? customerRef(customer, true, idless) : userRef(first.author.id)
  out.createdAt = iso(h.createdAt)
  out.closedBy = closed ? closedBy : 0
  if (closed) {
    out.closedByUser = userRef(closedBy, { withId: !sparse(profile, 'closerWithoutId', world.seed, h.id) })
    out.closedAt = iso(h.modifiedAt)
  }
  out.userUpdatedAt = iso(h.modifiedAt)
  out.customerWaitingSince = {
    time: iso(h.modifiedAt),
    friendly: 'a while ago',
    latestReplyFrom: lastPublic?.author.kind === 'customer' ? 'customer' : 'user',
  }
  out.source = { type: h.type === 'chat' ? 'chat' : first.source.type, via: first.author.kind === 'customer' ? 'customer' : 'user' }
  const tags = h.tagIds.map((id) => {
    const t = tagById(id)!
    return { id: t.id, color: t.color, tag: t.name }
  })
  // Empty lists are often left out of real payloads rather than sent as [].
  if (tags.length > 0 || !omitEmpty) out.tags = tags
  if (first.cc.length > 0 || !omitEmpty) out.cc = first.cc
  if (first.bcc.length > 0 || !omitEmpty) out.bcc = first.bcc
  out.primaryCustomer = customerRef(customer, true, idless)
  if (customFields.length > 0 || !omitEmpty) out.customFields = customFields
  if (embed) {
    const o: ThreadRenderOptions = { ...embed, profile, seed: world.seed }
    out._embedded = { threads: [...threads].reverse().map((t) => renderThread(v2, h.id, customer, t, o)) }
  }
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
