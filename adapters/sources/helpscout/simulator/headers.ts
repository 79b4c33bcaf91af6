import { BASE_EPOCH, TAG_SEEDS, TEAM_SEEDS, USER_SEEDS } from './catalog.js'
import { Rng, SALT, hash32 } from './rng.js'

/**
 * Conversation "headers": the few attributes needed to filter, sort and count conversations.
 * A header is derived from (seed, index) alone and is cheap, so lists can be computed without
 * generating threads. Bodies, threads and attachments come from `threads.ts` on demand.
 */

export const CONVERSATION_ID_BASE = 10_000_001
/** Old ids of conversations merged into another one: `MERGED_ID_BASE + survivor index`. */
export const MERGED_ID_BASE = 90_000_000
export const THREAD_ID_BASE = 100_000_000
export const ATTACHMENT_ID_BASE = 1_000_000_000
/** Thread slots per conversation and attachment slots per thread (id arithmetic relies on these). */
export const THREAD_SLOTS = 50
export const ATTACHMENT_SLOTS = 8

export type ConversationStatus = 'active' | 'pending' | 'closed' | 'spam'
export const STATUSES: readonly ConversationStatus[] = ['active', 'pending', 'closed', 'spam']
export type ConversationType = 'email' | 'chat' | 'phone'

export interface Assignee {
  kind: 'user' | 'team'
  id: number
}

export interface ConversationHeader {
  index: number
  id: number
  number: number
  type: ConversationType
  status: ConversationStatus
  state: 'published' | 'deleted'
  mailboxIndex: number
  customerIndex: number
  createdAt: number
  /** Last activity; drives `modifiedSince` and `sortField=modifiedAt` (there is no wire field for it). */
  modifiedAt: number
  /** Threads generated for the conversation, including lineitems. */
  threadCount: number
  /** True when another conversation was merged into this one (its old id answers 301). */
  absorbedMerge: boolean
  /** True for the rare conversation carrying a multi-megabyte attachment. */
  big: boolean
  tagIds: number[]
  assignee: Assignee | null
}

/** Seconds between consecutive conversations: creation time grows with the index. */
const STEP = 600

export function conversationHeader(seed: number, index: number, mailboxCount: number, customerCount: number): ConversationHeader {
  const r = new Rng(seed, index, SALT.header)
  const typeRoll = r.next()
  const type: ConversationType = typeRoll < 0.7 ? 'email' : typeRoll < 0.85 ? 'chat' : 'phone'
  const statusRoll = r.next()
  const status: ConversationStatus = statusRoll < 0.3 ? 'active' : statusRoll < 0.45 ? 'pending' : statusRoll < 0.9 ? 'closed' : 'spam'
  const state = r.chance(0.04) ? 'deleted' : 'published'
  const mailboxIndex = r.int(mailboxCount)
  const customerIndex = r.int(customerCount)
  const createdAt = BASE_EPOCH + index * STEP + r.int(STEP)
  const threadCount = type === 'chat' ? r.range(4, 12) : r.range(1, 8)
  const modifiedAt = createdAt + 60 + r.int(86400 * 3)
  const absorbedMerge = index > 0 && r.chance(1 / 40)
  const tagIds: number[] = []
  const tagCount = r.chance(0.6) ? r.range(1, 3) : 0
  for (let k = 0; k < tagCount; k++) {
    const id = r.pick(TAG_SEEDS).id
    if (!tagIds.includes(id)) tagIds.push(id)
  }
  const assignRoll = r.next()
  let assignee: Assignee | null = null
  if (assignRoll < 0.6) assignee = { kind: 'user', id: r.pick(USER_SEEDS).id }
  else if (assignRoll < 0.75) assignee = { kind: 'team', id: r.pick(TEAM_SEEDS).id }
  return {
    index,
    id: CONVERSATION_ID_BASE + index,
    number: 1001 + index,
    type,
    status,
    state,
    mailboxIndex,
    customerIndex,
    createdAt,
    modifiedAt,
    threadCount,
    absorbedMerge,
    // One conversation in 500 (by hash, independent of the other draws) carries a multi-MB file.
    big: hash32(seed, index, 0xb16) % 500 === 0,
    tagIds,
    assignee,
  }
}
