import type { SimProfile } from '../../../../src/kits/simulator/profile.js'
import { SparseRules } from '../../../../src/kits/simulator/profile.js'
import { replyComment, ticketComments, type CommentSeed } from './comments.js'
import { AGENT_ID_BASE, END_USER_ID_BASE, ORG_ID_BASE, TICKET_ID_BASE, locateAttachment } from './ids.js'
import { agentCountFor, endUserCountFor, orgCountFor, orgSeed, userSeed, type OrgSeed, type UserSeed } from './people.js'
import { ticketDetail, ticketHeader, type Channel, type TicketDetail, type TicketHeader } from './tickets.js'

/** A record's place in a time-ordered export: (timestamp, id) ascending. */
export interface ExportKey {
  ts: number
  id: number
  index: number
}

/**
 * The generated account: a seed and sizes, with accessors that rebuild any record on demand. Kept in memory:
 * the small catalogue, the users and organisations (a few hundred bytes each), time-ordered export indexes
 * (built on first use) and a short LRU of tickets' comments — never all tickets' comments.
 */
export class ZdWorld {
  readonly agents: number
  readonly endUsers: number
  readonly orgs: number
  readonly sparse: SparseRules
  private usersCache: UserSeed[] | null = null
  private orgsCache: OrgSeed[] | null = null
  private ticketOrder: ExportKey[] | null = null
  private userOrder: ExportKey[] | null = null
  private orgOrder: ExportKey[] | null = null
  private readonly commentCache = new Map<number, CommentSeed[]>()
  /** Changes made after generation (`touch`): new update times and replies per ticket, new update times per user. */
  private readonly ticketChanges = new Map<number, { at: number; replies: number[] }>()
  private readonly userChanges = new Map<number, number>()
  /** Bumped on every change, so derived caches (manifest, events) know to rebuild. */
  version = 0

  constructor(
    readonly seed: number,
    readonly tickets: number,
    readonly profile: SimProfile,
  ) {
    this.agents = agentCountFor(tickets)
    this.endUsers = endUserCountFor(tickets)
    this.orgs = orgCountFor(this.endUsers)
    this.sparse = new SparseRules(profile, seed)
  }

  get userCount(): number {
    return this.agents + this.endUsers
  }

  users(): UserSeed[] {
    return (this.usersCache ??= Array.from({ length: this.userCount }, (_, i) => {
      const u = userSeed(this.seed, i, this.agents, this.userCount, this.orgs)
      const at = this.userChanges.get(i)
      return at === undefined ? u : { ...u, updatedAt: at }
    }))
  }

  organizations(): OrgSeed[] {
    return (this.orgsCache ??= Array.from({ length: this.orgs }, (_, i) => orgSeed(this.seed, i, this.orgs)))
  }

  agentIds(): number[] {
    return this.users().slice(0, this.agents).map((u) => u.id)
  }

  /** A user by id (deleted ones included), or null for ids the account never had (or the ghost agent). */
  userById(id: number): UserSeed | null {
    const agent = id - AGENT_ID_BASE
    if (Number.isInteger(agent) && agent >= 0 && agent < this.agents) return this.users()[agent]!
    const end = id - END_USER_ID_BASE
    if (Number.isInteger(end) && end >= 0 && end < this.endUsers) return this.users()[this.agents + end]!
    return null
  }

  orgById(id: number): OrgSeed | null {
    const k = id - ORG_ID_BASE
    return Number.isInteger(k) && k >= 0 && k < this.orgs ? this.organizations()[k]! : null
  }

  header(index: number): TicketHeader {
    const h = ticketHeader(this.seed, index, this.tickets)
    const change = this.ticketChanges.get(index)
    // A reply reopens the ticket (changes are only made to tickets that are neither closed nor deleted).
    return change ? { ...h, updatedAt: change.at, status: change.replies.length > 0 ? 'open' : h.status } : h
  }

  detail(index: number): TicketDetail {
    const users = this.users()
    const channelOf = (u: number): Channel | null => users[u]!.social
    return ticketDetail(this.seed, index, this.agents, this.endUsers, channelOf)
  }

  ticketIndexOf(id: number): number | null {
    const i = id - TICKET_ID_BASE
    return Number.isInteger(i) && i >= 0 && i < this.tickets ? i : null
  }

  /** Comments of ticket `index`, oldest first; a short LRU serves the comments → attachment pattern. */
  comments(index: number): CommentSeed[] {
    const hit = this.commentCache.get(index)
    if (hit) {
      this.commentCache.delete(index)
      this.commentCache.set(index, hit)
      return hit
    }
    const h = this.header(index)
    const d = this.detail(index)
    const made = ticketComments(this.seed, h, d, this.users()[d.requesterIndex]!, this.agentIds())
    const replies = this.ticketChanges.get(index)?.replies ?? []
    for (const at of replies) made.push(replyComment(made, at, this.users()[d.requesterIndex]!.id, d.channel))
    this.commentCache.set(index, made)
    if (this.commentCache.size > 256) this.commentCache.delete(this.commentCache.keys().next().value!)
    return made
  }

  /** The file (attachment, inline image or thumbnail) with this id, with its ticket, or null. */
  file(id: number): { ticketIndex: number; comment: CommentSeed; name: string; contentType: string; trueType: string; size: number; width: number | null; height: number | null; thumbnail: boolean } | null {
    const at = locateAttachment(id)
    if (!at || at.ticketIndex >= this.tickets) return null
    const comment = this.comments(at.ticketIndex).find((c) => c.slot === at.slot)
    if (!comment) return null
    for (const f of [...comment.files, ...comment.inlineImages]) {
      if (f.id === id) return { ticketIndex: at.ticketIndex, comment, name: f.name, contentType: f.contentType, trueType: f.trueType, size: f.size, width: f.width, height: f.height, thumbnail: false }
      if (f.thumbnail?.id === id) {
        const t = f.thumbnail
        const name = f.name.replace(/(\.[^.]+)?$/, '_thumb$1')
        return { ticketIndex: at.ticketIndex, comment, name, contentType: f.contentType, trueType: f.trueType, size: t.size, width: t.width, height: t.height, thumbnail: true }
      }
    }
    return null
  }

  /**
   * Changes tickets and users after generation, as activity in the account would: each ticket gets an update
   * at `at` (unix seconds) and, with `reply`, a new public comment from its requester; each user an update.
   * Closed, archived and deleted tickets cannot change (Zendesk makes follow-ups instead): they are refused.
   */
  touch(o: { ticketIds?: readonly number[]; userIds?: readonly number[]; at: number; reply?: boolean }): { tickets: number[]; users: number[]; refused: number[] } {
    const tickets: number[] = []
    const refused: number[] = []
    for (const id of o.ticketIds ?? []) {
      const i = this.ticketIndexOf(id)
      const h = i === null ? null : this.header(i)
      const replies = i === null ? [] : (this.ticketChanges.get(i)?.replies ?? [])
      if (i === null || !h || h.deleted || h.status === 'closed' || replies.length >= 40) {
        refused.push(id)
        continue
      }
      this.ticketChanges.set(i, { at: o.at, replies: o.reply ? [...replies, o.at] : replies })
      this.commentCache.delete(i)
      tickets.push(id)
    }
    const users: number[] = []
    for (const id of o.userIds ?? []) {
      const u = this.userById(id)
      if (!u) {
        refused.push(id)
        continue
      }
      this.userChanges.set(u.index, o.at)
      users.push(id)
    }
    this.usersCache = null
    this.ticketOrder = null
    this.userOrder = null
    this.version++
    return { tickets, users, refused }
  }

  /** Every ticket (deleted and archived included) ordered as the incremental export serves them. */
  ticketsByTime(): ExportKey[] {
    return (this.ticketOrder ??= sortKeys(Array.from({ length: this.tickets }, (_, i) => ({ ts: this.header(i).updatedAt, id: TICKET_ID_BASE + i, index: i }))))
  }

  usersByTime(): ExportKey[] {
    return (this.userOrder ??= sortKeys(this.users().map((u) => ({ ts: u.updatedAt, id: u.id, index: u.index }))))
  }

  orgsByTime(): ExportKey[] {
    return (this.orgOrder ??= sortKeys(this.organizations().map((o) => ({ ts: o.updatedAt, id: o.id, index: o.index }))))
  }
}

function sortKeys(keys: ExportKey[]): ExportKey[] {
  return keys.sort((a, b) => a.ts - b.ts || a.id - b.id)
}

/** First position in `keys` whose (ts, id) is after (ts, id) — binary search. */
export function firstAfter(keys: readonly ExportKey[], ts: number, id: number): number {
  let lo = 0
  let hi = keys.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    const k = keys[mid]!
    if (k.ts < ts || (k.ts === ts && k.id <= id)) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** First position whose ts is at or after `ts`. */
export function firstAtOrAfter(keys: readonly ExportKey[], ts: number): number {
  return firstAfter(keys, ts, -Infinity)
}
