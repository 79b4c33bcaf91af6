import { STATUSES, type ConversationStatus } from './headers.js'
import type { World } from './world.js'

/** Filtering and sorting of the two large collections, with a small cache of computed orders. */

/** A request the simulator refuses with 400 (the message is shown to the client). */
export class BadRequest extends Error {}

export type SortOrder = 'asc' | 'desc'

export interface ConversationQuery {
  /** null = every status (`status=all`). */
  statuses: ConversationStatus[] | null
  mailboxIds: number[] | null
  modifiedSince: number | null
  sortField: 'createdAt' | 'modifiedAt' | 'number'
  sortOrder: SortOrder
}

export interface CustomerQuery {
  modifiedSince: number | null
  sortField: 'createdAt' | 'modifiedAt' | 'firstName' | 'lastName'
  sortOrder: SortOrder
}

function parseSince(raw: string | null): number | null {
  if (raw === null || raw === '') return null
  const ms = Date.parse(raw)
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(raw) || Number.isNaN(ms)) {
    throw new BadRequest('modifiedSince must be an ISO-8601 UTC date-time such as 2020-01-31T12:00:00Z')
  }
  return ms / 1000
}

function parseOrder(raw: string | null): SortOrder {
  if (raw === null || raw === '') return 'desc'
  const v = raw.toLowerCase()
  if (v !== 'asc' && v !== 'desc') throw new BadRequest('sortOrder must be asc or desc')
  return v
}

/** Reads the documented conversation list filters; the default status is `active`, as in Help Scout. */
export function parseConversationQuery(params: URLSearchParams): ConversationQuery {
  const status = (params.get('status') ?? 'active').toLowerCase()
  let statuses: ConversationStatus[] | null
  if (status === 'all') statuses = null
  else if (status === 'open') statuses = ['active', 'pending']
  else if ((STATUSES as readonly string[]).includes(status)) statuses = [status as ConversationStatus]
  else throw new BadRequest(`status must be one of active, pending, closed, spam, open, all`)
  const mailbox = params.get('mailbox')
  let mailboxIds: number[] | null = null
  if (mailbox) {
    mailboxIds = mailbox.split(',').map((s) => Number(s.trim()))
    if (mailboxIds.some((n) => !Number.isInteger(n))) throw new BadRequest('mailbox must be a comma-separated list of ids')
  }
  const sortField = params.get('sortField') ?? 'createdAt'
  if (sortField !== 'createdAt' && sortField !== 'modifiedAt' && sortField !== 'number') {
    throw new BadRequest('sortField: the simulator supports createdAt, modifiedAt and number')
  }
  return { statuses, mailboxIds, modifiedSince: parseSince(params.get('modifiedSince')), sortField, sortOrder: parseOrder(params.get('sortOrder')) }
}

export function parseCustomerQuery(params: URLSearchParams): CustomerQuery {
  const sortField = params.get('sortField') ?? 'createdAt'
  if (sortField !== 'createdAt' && sortField !== 'modifiedAt' && sortField !== 'firstName' && sortField !== 'lastName') {
    throw new BadRequest('sortField must be one of createdAt, firstName, lastName, modifiedAt')
  }
  return { modifiedSince: parseSince(params.get('modifiedSince')), sortField, sortOrder: parseOrder(params.get('sortOrder')) }
}

/** Caches the ordered index lists of recent queries (a client pages through one query at a time). */
export class QueryCache {
  private readonly entries = new Map<string, Int32Array>()

  constructor(private readonly world: World) {}

  private remember(key: string, make: () => Int32Array): Int32Array {
    const hit = this.entries.get(key)
    if (hit) return hit
    const made = make()
    this.entries.set(key, made)
    if (this.entries.size > 8) {
      const oldest = this.entries.keys().next().value
      if (oldest !== undefined) this.entries.delete(oldest)
    }
    return made
  }

  /** Indexes of the conversations matching the query, in response order. */
  conversations(q: ConversationQuery): Int32Array {
    return this.remember(`c${JSON.stringify(q)}`, () => {
      const cols = this.world.columns()
      const statusCodes = q.statuses?.map((s) => STATUSES.indexOf(s)) ?? null
      const mailboxIndexes = q.mailboxIds?.map((id) => this.world.mailboxes.findIndex((m) => m.id === id)) ?? null
      const picked: number[] = []
      for (let i = 0; i < this.world.conversationCount; i++) {
        if (statusCodes && !statusCodes.includes(cols.status[i]!)) continue
        if (mailboxIndexes && !mailboxIndexes.includes(cols.mailbox[i]!)) continue
        if (q.modifiedSince !== null && cols.modifiedAt[i]! < q.modifiedSince) continue
        picked.push(i)
      }
      const key = q.sortField === 'modifiedAt' ? cols.modifiedAt : cols.createdAt
      // createdAt and number both grow with the index; ties break on the index (= id) for stable paging.
      const dir = q.sortOrder === 'asc' ? 1 : -1
      picked.sort((a, b) => dir * (key[a]! - key[b]! || a - b))
      return Int32Array.from(picked)
    })
  }

  /** Indexes of the customers matching the query, in response order. */
  customers(q: CustomerQuery): Int32Array {
    return this.remember(`u${JSON.stringify(q)}`, () => {
      const rows: { i: number; key: number | string }[] = []
      for (let i = 0; i < this.world.customerCount; i++) {
        const c = this.world.customer(i)
        if (q.modifiedSince !== null && c.updatedAt < q.modifiedSince) continue
        const key = q.sortField === 'createdAt' ? c.createdAt : q.sortField === 'modifiedAt' ? c.updatedAt : q.sortField === 'firstName' ? c.firstName : c.lastName
        rows.push({ i, key })
      }
      const dir = q.sortOrder === 'asc' ? 1 : -1
      rows.sort((a, b) => {
        const byKey = typeof a.key === 'number' && typeof b.key === 'number' ? a.key - b.key : String(a.key).localeCompare(String(b.key))
        return dir * (byKey || a.i - b.i)
      })
      return Int32Array.from(rows.map((r) => r.i))
    })
  }
}
