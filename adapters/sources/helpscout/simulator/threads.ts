import { USER_SEEDS } from './catalog.js'
import {
  ATTACHMENT_ID_BASE,
  ATTACHMENT_SLOTS,
  MERGED_ID_BASE,
  THREAD_ID_BASE,
  THREAD_SLOTS,
  type Assignee,
  type ConversationHeader,
} from './headers.js'
import { Rng, SALT, unit } from './rng.js'

/**
 * Threads and attachment metadata of one conversation, derived from (seed, conversation index).
 * Returned oldest first; the wire order (newest first) is applied when rendering.
 */

export type ThreadType =
  | 'customer' | 'message' | 'note' | 'lineitem' | 'chat' | 'phone' | 'forwardparent' | 'forwardchild'

export type AttachmentKind = 'text' | 'binary' | 'png'

export interface AttachmentSeed {
  id: number
  threadId: number
  conversationIndex: number
  filename: string
  mimeType: string
  size: number
  kind: AttachmentKind
  width: number | null
  height: number | null
  /**
   * Content id of an inline image, referenced from the thread body as `<img src="cid:…">`.
   * Help Scout documents no such field; the simulator exposes it on the wire as `contentId`.
   */
  contentId: string | null
}

export interface ThreadSeed {
  id: number
  type: ThreadType
  createdAt: number
  author: { kind: 'user' | 'customer'; id: number }
  status: string
  /**
   * `draft` threads (unsent replies, scheduled ones included) are listed by the API but are no history;
   * `hidden` and `underreview` (held by collision detection) replies were never seen by the customer.
   */
  state: 'published' | 'hidden' | 'underreview' | 'draft'
  /** For a scheduled reply (a draft with a send time). */
  scheduledFor: number | null
  /** The customer's satisfaction rating of a reply. */
  rating: { rating: 'great' | 'okay' | 'not-good'; comments: string } | null
  action: { type: string; text: string; associatedEntities: Record<string, unknown> } | null
  /** HTML body; null for lineitems, which carry no body. */
  body: string | null
  source: { type: string; via: 'customer' | 'user' }
  to: string[]
  cc: string[]
  bcc: string[]
  assignedTo: Assignee | null
  openedAt: number | null
  savedReplyId: number | null
  attachments: AttachmentSeed[]
}

/** Number of code points kept from chat bodies in list responses with `embed=threads`. */
export const CHAT_TRUNCATE_AT = 80

const ODD_NAMES: readonly { filename: string; mimeType: string; kind: AttachmentKind }[] = [
  { filename: '../../etc/passwd', mimeType: 'text/plain', kind: 'text' },
  { filename: 'a b#c.txt', mimeType: 'text/plain', kind: 'text' },
  { filename: 'résumé – データ 📎.txt', mimeType: 'text/plain', kind: 'text' },
  { filename: `${'very-long-name-'.repeat(16)}end.txt`, mimeType: 'text/plain', kind: 'text' },
  { filename: 'nul\u0000byte.txt', mimeType: 'text/plain', kind: 'text' },
  { filename: 'CON', mimeType: 'application/octet-stream', kind: 'binary' },
]
const NORMAL_NAMES: readonly { filename: string; mimeType: string; kind: AttachmentKind }[] = [
  { filename: 'invoice.pdf', mimeType: 'application/pdf', kind: 'binary' },
  { filename: 'screenshot.png', mimeType: 'image/png', kind: 'png' },
  { filename: 'notes.txt', mimeType: 'text/plain', kind: 'text' },
  { filename: 'export.csv', mimeType: 'text/csv', kind: 'text' },
  { filename: 'photo.jpg', mimeType: 'image/jpeg', kind: 'binary' },
]

const PHRASES = [
  'Thanks for getting back to me so quickly.',
  'Grüße aus Köln 🇩🇪 — naïve café, façade, Ærøskøbing ✓',
  'ご確認のほどよろしくお願いいたします。',
  'Мы получили ваш запрос и скоро ответим.',
  'هل يمكنك مساعدتي في هذا الطلب؟',
  'The order #4411 arrived damaged 😞 could you send a replacement?',
  'Please see the attached file & let me know <if> this works.',
]

export function threadId(conversationIndex: number, slot: number): number {
  return THREAD_ID_BASE + conversationIndex * THREAD_SLOTS + slot
}

export function attachmentId(conversationIndex: number, slot: number, k: number): number {
  return ATTACHMENT_ID_BASE + (conversationIndex * THREAD_SLOTS + slot) * ATTACHMENT_SLOTS + k
}

/** Conversation index an attachment id belongs to, or null when the id is outside the attachment range. */
export function conversationIndexOfAttachment(id: number): number | null {
  if (!Number.isSafeInteger(id) || id < ATTACHMENT_ID_BASE) return null
  return Math.floor((id - ATTACHMENT_ID_BASE) / (THREAD_SLOTS * ATTACHMENT_SLOTS))
}

/**
 * Placeholder origin of the URLs in generated bodies. The routes serve them from the simulator's own address
 * (`servedBody` swaps the placeholder for it), so a run can download them and tests can check their bytes.
 */
export const SIM_ORIGIN = 'http://sim-origin.invalid'
/** Path of the simulated Help Scout CDN (pasted inline images: URLs in bodies, not `cid:` parts). */
export const SIM_CDN_PATH = '/cdn'
export const SIM_CDN = `${SIM_ORIGIN}${SIM_CDN_PATH}`
/** Path of a third-party open-tracking pixel some customers' mail clients add: not the vendor's, never downloaded. */
export const TRACKING_PIXEL_PATH = '/ext/tracker'
export const TRACKING_PIXEL_HOST = `${SIM_ORIGIN}${TRACKING_PIXEL_PATH}`

/** A generated body as served at `origin` (e.g. `http://127.0.0.1:41234`). */
export function servedBody(body: string, origin: string): string {
  return body.includes(SIM_ORIGIN) ? body.replaceAll(SIM_ORIGIN, origin) : body
}

/** Path (under the served origin) of the CDN image pasted into thread `id`. */
export const cdnImagePath = (id: number): string => `${SIM_CDN_PATH}/inline-images/${id}/pasted-1.png`

/** True for threads a complete extract stages as messages: drafts and scheduled replies were never sent. */
export function isStagedThread(t: ThreadSeed): boolean {
  return t.state !== 'draft'
}

// Independent, hash-based draws (salts below) so these traits never shift the sequential draws above.
const TRAIT = { review: 0x7e01, rating: 0x7e02, cdnImage: 0x7e03, pixel: 0x7e04, draft: 0x7e05, scheduled: 0x7e06 }
const RATINGS = ['great', 'okay', 'not-good'] as const

/** Appends a pasted CDN image and/or a tracking pixel to some bodies, as real mail and the editor do. */
function withImages(seed: number, id: number, type: ThreadType, body: string | null): string | null {
  if (body === null || type === 'chat' || type === 'lineitem') return body
  let out = body
  if (unit(seed, TRAIT.cdnImage, id) < 0.06) out += `<p><img src="${SIM_ORIGIN}${cdnImagePath(id)}" alt="image" width="640" height="480"></p>`
  if (type === 'customer' && unit(seed, TRAIT.pixel, id) < 0.08) out += `<img src="${TRACKING_PIXEL_HOST}/o/${id}.gif" width="1" height="1" alt="">`
  return out
}

export function mergedOldId(survivorIndex: number): number {
  return MERGED_ID_BASE + survivorIndex
}

function typeSequence(r: Rng, h: ConversationHeader): ThreadType[] {
  const types: ThreadType[] = []
  for (let k = 0; k < h.threadCount; k++) {
    if (h.type === 'chat') {
      types.push(k > 0 && r.chance(0.1) ? 'note' : 'chat')
    } else if (h.type === 'phone') {
      types.push(k === 0 ? 'phone' : r.pick(['note', 'message', 'customer', 'phone'] as const))
    } else if (k === 0) {
      const roll = r.next()
      types.push(roll < 0.03 ? 'forwardchild' : roll < 0.18 ? 'message' : 'customer')
    } else {
      const roll = r.next()
      const prev = types[k - 1]
      if (roll < 0.15) types.push('note')
      else if (roll < 0.25) types.push('lineitem')
      else if (roll < 0.28) types.push('forwardparent')
      else types.push(prev === 'customer' ? 'message' : 'customer')
    }
  }
  // The merge event sits right after the first thread, so the merged-in history reads naturally.
  if (h.absorbedMerge) types.splice(1, 0, 'lineitem')
  return types
}

function body(r: Rng, type: ThreadType, inlineCid: string | null): string {
  if (type === 'chat') {
    // Always longer than CHAT_TRUNCATE_AT, so every chat thread in a list response is really cut.
    return `${r.pick(PHRASES)} ${r.pick(PHRASES)} Chat line ${r.int(1000)}: ${'…more words to read '.repeat(r.range(4, 10))}`
  }
  if (inlineCid) return `<p>See the screenshot:</p><img src="cid:${inlineCid}" alt="screenshot"><p>${r.pick(PHRASES)}</p>`
  const roll = r.next()
  if (roll < 0.04) return ''
  if (roll < 0.08) return `<p>Hello</p><script>alert("x")</script><p onclick="steal()">${r.pick(PHRASES)}</p>`
  if (roll < 0.12) return `<div>${`<p>${r.pick(PHRASES)}</p>`.repeat(r.range(20, 60))}</div>`
  if (roll < 0.2) return r.pick(PHRASES)
  return `<p>${r.pick(PHRASES)}</p><p>${r.pick(PHRASES)}</p>`
}

function attachmentSeed(r: Rng, h: ConversationHeader, slot: number, k: number, big: boolean): AttachmentSeed {
  const id = attachmentId(h.index, slot, k)
  const base = { id, threadId: threadId(h.index, slot), conversationIndex: h.index, contentId: null }
  if (big) {
    return { ...base, filename: 'mailbox-backup.zip', mimeType: 'application/zip', kind: 'binary', size: r.range(2_000_000, 5_000_000), width: null, height: null }
  }
  const name = r.chance(0.25) ? r.pick(ODD_NAMES) : r.pick(NORMAL_NAMES)
  const sizeRoll = r.next()
  const size = sizeRoll < 0.05 ? 0 : sizeRoll < 0.9 ? r.range(200, 20_000) : r.range(20_000, 300_000)
  const image = name.kind === 'png' || name.mimeType === 'image/jpeg'
  return { ...base, ...name, size, width: image ? r.range(16, 1920) : null, height: image ? r.range(16, 1080) : null }
}

function pickUser(r: Rng, h: ConversationHeader, conversations: number): number {
  if (h.assignee?.kind === 'user' && r.chance(0.7)) return h.assignee.id
  // Old history was partly written by the agent who has since left.
  if (h.index < conversations / 10 && r.chance(0.3)) return USER_SEEDS[USER_SEEDS.length - 1]!.id
  return r.pick(USER_SEEDS).id
}

const LINEITEM_ACTIONS = [
  { type: 'manual-workflow', text: 'You ran the Assign to Tier 2 workflow' },
  { type: 'moved-from-mailbox', text: 'Moved this conversation from another mailbox' },
  { type: 'changed-ticket-customer', text: 'Changed the customer of this conversation' },
  { type: 'imported', text: 'Conversation was imported' },
]

/** All threads of a conversation, oldest first. */
export function conversationThreads(
  seed: number,
  h: ConversationHeader,
  customerId: number,
  customerEmail: string | null,
  conversations: number,
): ThreadSeed[] {
  const r = new Rng(seed, h.index, SALT.threads)
  const types = typeSequence(r, h)
  const span = h.modifiedAt - h.createdAt
  const threads: ThreadSeed[] = []
  let chatFromCustomer = true
  types.forEach((type, slot) => {
    const id = threadId(h.index, slot)
    const createdAt = slot === types.length - 1 && slot > 0 ? h.modifiedAt : h.createdAt + Math.floor((span * slot) / types.length)
    let fromCustomer = type === 'customer'
    if (type === 'chat') {
      fromCustomer = chatFromCustomer
      chatFromCustomer = !chatFromCustomer
    }
    const author = fromCustomer ? { kind: 'customer' as const, id: customerId } : { kind: 'user' as const, id: pickUser(r, h, conversations) }
    const isMerge = h.absorbedMerge && slot === 1
    let action: ThreadSeed['action'] = null
    if (isMerge) {
      // Chosen shape (undocumented by Help Scout): the old conversation's id and number.
      const oldId = mergedOldId(h.index)
      action = { type: 'merged', text: `Merged conversation #${oldId} into this conversation`, associatedEntities: { conversation: { id: oldId, number: 500_000 + h.index } } }
    } else if (type === 'lineitem') {
      action = { ...r.pick(LINEITEM_ACTIONS), associatedEntities: {} }
    }
    const canAttach = type !== 'lineitem'
    const inline = canAttach && type !== 'chat' && r.chance(0.03)
    const attachments: AttachmentSeed[] = []
    if (canAttach) {
      const count = h.big && slot === 0 ? 1 : r.chance(0.06) ? r.range(1, 3) : 0
      for (let k = 0; k < count; k++) attachments.push(attachmentSeed(r, h, slot, k, h.big && slot === 0))
    }
    let inlineCid: string | null = null
    if (inline) {
      const k = attachments.length
      inlineCid = `img-${attachmentId(h.index, slot, k)}@sim.deskmove`
      attachments.push({
        id: attachmentId(h.index, slot, k), threadId: id, conversationIndex: h.index, filename: 'image001.png',
        mimeType: 'image/png', kind: 'png', size: r.range(100, 8000), width: 640, height: 480, contentId: inlineCid,
      })
    }
    const isPublicReply = type === 'message' || type === 'forwardparent'
    const cc = r.chance(0.1) ? ['cc.partner@partner.example', 'Ünïcode Person <unicode@partner.example>'].slice(0, r.range(1, 2)) : []
    threads.push({
      id,
      type,
      createdAt,
      author,
      status: slot === 0 || slot === types.length - 1 ? h.status : 'nochange',
      state: type === 'message' && r.chance(0.02) ? 'hidden' : type === 'message' && unit(seed, TRAIT.review, id) < 0.015 ? 'underreview' : 'published',
      scheduledFor: null,
      rating: type === 'message' && unit(seed, TRAIT.rating, id) < 0.08
        ? { rating: RATINGS[Math.floor(unit(seed, TRAIT.rating, id, 1) * RATINGS.length)]!, comments: unit(seed, TRAIT.rating, id, 2) < 0.5 ? 'Thanks, that fixed it 👍' : '' }
        : null,
      action,
      body: type === 'lineitem' ? null : withImages(seed, id, type, body(r, type, inlineCid)),
      source: {
        type: type === 'chat' ? 'chat' : type === 'customer' ? 'email' : type === 'forwardchild' ? 'emailfwd' : 'web',
        via: fromCustomer ? 'customer' : 'user',
      },
      to: isPublicReply && customerEmail ? [customerEmail] : type === 'forwardparent' ? ['colleague@elsewhere.example'] : [],
      cc,
      bcc: isPublicReply && r.chance(0.05) ? ['audit@acme.example'] : [],
      assignedTo: type === 'message' || type === 'lineitem' ? h.assignee : null,
      openedAt: type === 'message' && r.chance(0.5) ? createdAt + 3600 : null,
      savedReplyId: type === 'message' && r.chance(0.05) ? 9001 : null,
      attachments,
    })
  })
  // An unsent reply at the end of some conversations: a draft, or a reply scheduled for later.
  if (h.type !== 'chat' && unit(seed, TRAIT.draft, h.index) < 0.05) {
    const slot = types.length
    const scheduled = unit(seed, TRAIT.scheduled, h.index) < 0.4
    threads.push({
      id: threadId(h.index, slot), type: 'message', createdAt: h.modifiedAt + 60, author: { kind: 'user', id: pickUser(r, h, conversations) },
      status: 'nochange', state: 'draft', scheduledFor: scheduled ? h.modifiedAt + 86400 * 2 : null, rating: null, action: null,
      body: scheduled ? '<p>Following up on this as promised.</p>' : '<p>Draft: still checking with billing…</p>',
      source: { type: 'web', via: 'user' }, to: customerEmail ? [customerEmail] : [], cc: [], bcc: [], assignedTo: h.assignee,
      openedAt: null, savedReplyId: null, attachments: [],
    })
  }
  return threads
}
