import { Rng, unit } from '../../../../src/kits/simulator/rng.js'
import { BRANDS, FORMS, GROUPS } from './catalog.js'
import { ARCHIVE_CUTOFF, BASE_TIME, END_TIME, TICKET_ID_BASE } from './ids.js'
import { SALT } from './people.js'

/**
 * Ticket "headers": what lists, exports and the manifest need, derived from (seed, index) alone and cheap.
 * Comment bodies and files come from `comments.ts` on demand.
 */

export type Status = 'new' | 'open' | 'pending' | 'hold' | 'solved' | 'closed'
export type Channel = 'email' | 'web' | 'api' | 'mobile' | 'voice' | 'chat' | 'twitter' | 'facebook'

export interface TicketCore {
  index: number
  id: number
  createdAt: number
  /** Seconds after `createdAt` of each own comment (merge notes are extra). */
  commentOffsets: number[]
  status: Status
  deleted: boolean
  /** Deleted and scrubbed: subject "SCRUBBED", description "X", only ids kept. */
  scrubbed: boolean
  /** Closed by merging into the previous ticket (index - 1). */
  mergedIntoPrevious: boolean
  subject: string | null
  /** True when this ticket is one of a block whose last update happened in the same second. */
  bulk: boolean
}

export interface TicketHeader extends TicketCore {
  updatedAt: number
  archived: boolean
  /** Id of the ticket this one was merged into, or null. */
  mergedInto: number | null
  /** Id of the ticket merged into this one, or null. */
  absorbed: number | null
  /** Time of the merge notes (source and target share it), when merged. */
  mergeAt: number | null
}

const SUBJECTS = ['Printer offline again', 'Refund for order', 'Cannot log in', 'Rechnung fehlt', 'Sync stuck at 99%', 'Question about invoice', 'Lieferung beschädigt', 'Feature request: dark mode', 'Password reset link expired', 'Scanner driver crash']

/** Seconds between consecutive tickets' creation: an hour, less when the account is large. */
export function ticketStep(tickets: number): number {
  return Math.max(30, Math.min(3600, Math.floor((ARCHIVE_CUTOFF + 100 * 86_400 - BASE_TIME) / Math.max(1, tickets + 16))))
}

/** Every account of 12 tickets or more holds each special case at least once: tickets 6 and 7 are deleted (6 scrubbed), 10 is merged into 9. */
const FORCED_DELETED = [6, 7]
const FORCED_SCRUBBED = 6
const FORCED_MERGED = 10

function deletedAt(seed: number, index: number, tickets: number): boolean {
  if (tickets >= 12 && FORCED_DELETED.includes(index)) return true
  if (tickets >= 12 && (index === FORCED_MERGED || index === FORCED_MERGED - 1)) return false
  return unit(seed, index, SALT.ticket, 3) < 0.03
}

export function ticketCore(seed: number, index: number, tickets: number): TicketCore {
  const step = ticketStep(tickets)
  const r = new Rng(seed, index, SALT.ticket)
  const createdAt = BASE_TIME + index * step + r.int(step)
  const count = r.chance(0.1) ? r.range(7, 12) : r.range(1, 6)
  const window = 4 * step
  const commentOffsets: number[] = [0]
  for (let j = 1; j < count; j++) commentOffsets.push(Math.min(window, commentOffsets[j - 1]! + 30 + r.int(Math.max(1, Math.floor(window / count)))))
  const roll = r.next()
  let status: Status = roll < 0.08 ? 'new' : roll < 0.23 ? 'open' : roll < 0.33 ? 'pending' : roll < 0.37 ? 'hold' : roll < 0.55 ? 'solved' : 'closed'
  const deleted = deletedAt(seed, index, tickets)
  const forcedMerge = tickets >= 12 && index === FORCED_MERGED
  const mergedIntoPrevious = index > 0 && index < tickets && !deleted && !deletedAt(seed, index - 1, tickets) && (forcedMerge || unit(seed, index, SALT.ticket, 2) < 0.02)
  if (mergedIntoPrevious) status = 'closed'
  const scrubbed = deleted && ((tickets >= 12 && index === FORCED_SCRUBBED) || unit(seed, index, SALT.ticket, 4) < 0.5)
  const subjectRoll = r.next()
  return {
    index,
    id: TICKET_ID_BASE + index,
    createdAt,
    commentOffsets,
    status,
    deleted,
    scrubbed,
    mergedIntoPrevious,
    subject: scrubbed ? 'SCRUBBED' : subjectRoll < 0.06 ? null : `${SUBJECTS[Math.floor(subjectRoll * 1000) % SUBJECTS.length]!} #${index + 1}`,
    bulk: unit(seed, index >> 3, SALT.ticket, 5) < 0.25,
  }
}

export function ticketHeader(seed: number, index: number, tickets: number): TicketHeader {
  const core = ticketCore(seed, index, tickets)
  const next = index + 1 < tickets ? ticketCore(seed, index + 1, tickets) : null
  const step = ticketStep(tickets)
  const lastOwn = core.createdAt + core.commentOffsets.at(-1)!
  const absorbed = next?.mergedIntoPrevious ? next.id : null
  // A merge happens a minute after the source's last comment; both tickets get a note at that time.
  const mergeAt = core.mergedIntoPrevious ? lastOwn + 60 : next?.mergedIntoPrevious ? next.createdAt + next.commentOffsets.at(-1)! + 60 : null
  let updatedAt: number
  if (core.bulk) {
    // A trigger touched the whole block of eight tickets in one second, after all of their comments.
    updatedAt = BASE_TIME + ((index >> 3) * 8 + 13) * step
  } else {
    updatedAt = lastOwn + 1 + (new Rng(seed, index, SALT.ticket, 6).int(step))
  }
  if (mergeAt !== null) updatedAt = Math.max(updatedAt, mergeAt)
  updatedAt = Math.min(updatedAt, END_TIME)
  return {
    ...core,
    updatedAt,
    archived: core.status === 'closed' && !core.deleted && updatedAt < ARCHIVE_CUTOFF,
    mergedInto: core.mergedIntoPrevious ? core.id - 1 : null,
    absorbed,
    mergeAt,
  }
}

/** The slower-changing attributes of a ticket (people, channel, classification). */
export interface TicketDetail {
  requesterIndex: number
  channel: Channel
  assigneeIndex: number | null
  /** The former agent (gone from the account) is the assignee. */
  ghostAssignee: boolean
  groupId: number | null
  brandId: number
  formId: number
  priority: 'low' | 'normal' | 'high' | 'urgent' | null
  type: 'question' | 'incident' | 'problem' | 'task' | null
  ccIndexes: number[]
  followerIndexes: number[]
}

export function ticketDetail(seed: number, index: number, agents: number, endUsers: number, requesterChannel: (userIndex: number) => Channel | null): TicketDetail {
  const r = new Rng(seed, index, SALT.detail)
  const requesterIndex = agents + r.int(endUsers)
  const social = requesterChannel(requesterIndex)
  const chRoll = r.next()
  const channel: Channel = social ?? (chRoll < 0.5 ? 'email' : chRoll < 0.7 ? 'web' : chRoll < 0.8 ? 'api' : chRoll < 0.87 ? 'voice' : chRoll < 0.94 ? 'chat' : 'mobile')
  const assignRoll = r.next()
  const ccIndexes: number[] = []
  if (channel === 'email' && r.chance(0.25)) {
    for (let k = r.range(1, 3); k > 0; k--) {
      const u = agents + r.int(endUsers)
      if (u !== requesterIndex && !ccIndexes.includes(u)) ccIndexes.push(u)
    }
  }
  const followerIndexes = r.chance(0.2) ? [r.int(agents)] : []
  const prioRoll = r.next()
  const typeRoll = r.next()
  return {
    requesterIndex,
    channel,
    assigneeIndex: assignRoll < 0.75 ? r.int(agents) : null,
    ghostAssignee: assignRoll >= 0.75 && assignRoll < 0.78,
    groupId: r.chance(0.85) ? GROUPS[r.int(GROUPS.length)]!.id : null,
    brandId: BRANDS[r.chance(0.8) ? 0 : 1]!.id,
    formId: FORMS[r.chance(0.85) ? 0 : 1]!.id,
    priority: prioRoll < 0.3 ? null : prioRoll < 0.5 ? 'low' : prioRoll < 0.8 ? 'normal' : prioRoll < 0.95 ? 'high' : 'urgent',
    type: typeRoll < 0.4 ? null : typeRoll < 0.7 ? 'question' : typeRoll < 0.85 ? 'incident' : typeRoll < 0.95 ? 'task' : 'problem',
    ccIndexes,
    followerIndexes,
  }
}
