import { mailboxSeeds, type MailboxSeed } from './catalog.js'
import { STATUSES, conversationHeader, type ConversationHeader } from './headers.js'
import {
  customerCountFor,
  customerSeed,
  organizationCountFor,
  organizationSeed,
  primaryEmail,
  type CustomerSeed,
  type OrganizationSeed,
} from './people.js'
import { conversationThreads, type ThreadSeed } from './threads.js'
import { SparseRules, type SimProfile } from '../../../../src/kits/simulator/profile.js'

/** Compact per-conversation columns used to filter and sort lists without generating conversations. */
export interface ConversationColumns {
  status: Uint8Array
  state: Uint8Array
  mailbox: Uint8Array
  createdAt: Float64Array
  modifiedAt: Float64Array
}

/**
 * The generated dataset: a seed and sizes, with accessors that rebuild any record on demand.
 * Only a few small caches are kept (columns of ~20 bytes per conversation, a short thread LRU),
 * never the conversations themselves.
 */
export class World {
  readonly customerCount: number
  readonly organizationCount: number
  readonly mailboxes: MailboxSeed[]
  private columnsCache: ConversationColumns | null = null
  private readonly threadCache = new Map<number, ThreadSeed[]>()

  /** Sparse-profile decisions for the renderers (identity in the `full` profile). */
  readonly sparse: SparseRules

  constructor(
    readonly seed: number,
    readonly conversationCount: number,
    /** How sparse rendered payloads are (`sparse.ts`); the data itself does not depend on it. */
    readonly profile: SimProfile = 'full',
  ) {
    this.sparse = new SparseRules(profile, seed)
    this.customerCount = customerCountFor(conversationCount)
    this.organizationCount = organizationCountFor(this.customerCount)
    this.mailboxes = mailboxSeeds(seed)
  }

  header(index: number): ConversationHeader {
    return conversationHeader(this.seed, index, this.mailboxes.length, this.customerCount)
  }

  customer(index: number): CustomerSeed {
    return customerSeed(this.seed, index, this.customerCount, this.conversationCount)
  }

  organization(index: number): OrganizationSeed {
    return organizationSeed(this.seed, index)
  }

  /** Threads of a conversation, oldest first. A short LRU serves the list → threads → attachment pattern. */
  threads(index: number): ThreadSeed[] {
    const cached = this.threadCache.get(index)
    if (cached) {
      this.threadCache.delete(index)
      this.threadCache.set(index, cached)
      return cached
    }
    const h = this.header(index)
    const c = this.customer(h.customerIndex)
    const made = conversationThreads(this.seed, h, c.id, primaryEmail(c), this.conversationCount)
    this.threadCache.set(index, made)
    if (this.threadCache.size > 64) {
      const oldest = this.threadCache.keys().next().value
      if (oldest !== undefined) this.threadCache.delete(oldest)
    }
    return made
  }

  /** Conversation index of a listed conversation id, or null. */
  conversationIndexOf(id: number, base: number): number | null {
    const index = id - base
    return Number.isInteger(index) && index >= 0 && index < this.conversationCount ? index : null
  }

  columns(): ConversationColumns {
    if (this.columnsCache) return this.columnsCache
    const n = this.conversationCount
    const cols: ConversationColumns = {
      status: new Uint8Array(n),
      state: new Uint8Array(n),
      mailbox: new Uint8Array(n),
      createdAt: new Float64Array(n),
      modifiedAt: new Float64Array(n),
    }
    for (let i = 0; i < n; i++) {
      const h = this.header(i)
      cols.status[i] = STATUSES.indexOf(h.status)
      cols.state[i] = h.state === 'deleted' ? 1 : 0
      cols.mailbox[i] = h.mailboxIndex
      cols.createdAt[i] = h.createdAt
      cols.modifiedAt[i] = h.modifiedAt
    }
    this.columnsCache = cols
    return cols
  }
}

/** Folder of a conversation, as Help Scout files it: spam and closed folders, else mine/unassigned. */
export function folderIdOf(world: World, h: ConversationHeader): number {
  const mailbox = world.mailboxes[h.mailboxIndex]!
  const type = h.status === 'spam' ? 'spam' : h.status === 'closed' ? 'closed' : h.assignee?.kind === 'user' && h.assignee.id === 1001 ? 'mytickets' : 'open'
  return mailbox.folders.find((f) => f.type === type)!.id
}

/** Per-tag and per-folder conversation counts, computed once by scanning the headers. */
export interface Tallies {
  tags: Map<number, number>
  folders: Map<number, { total: number; active: number }>
}

const talliesCache = new WeakMap<World, Tallies>()

export function tallies(world: World): Tallies {
  const hit = talliesCache.get(world)
  if (hit) return hit
  const made: Tallies = { tags: new Map(), folders: new Map() }
  for (let i = 0; i < world.conversationCount; i++) {
    const h = world.header(i)
    for (const t of h.tagIds) made.tags.set(t, (made.tags.get(t) ?? 0) + 1)
    const f = folderIdOf(world, h)
    const row = made.folders.get(f) ?? { total: 0, active: 0 }
    row.total++
    if (h.status === 'active') row.active++
    made.folders.set(f, row)
  }
  talliesCache.set(world, made)
  return made
}
