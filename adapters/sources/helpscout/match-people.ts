// PURE: turning Help Scout's embedded people into record references. Real payloads omit `id` on embedded
// people and `type` on assignees, so a person is matched by id first, then by email, and every guess or
// gap is reported as a warning on the record rather than dropping the reference silently.
import type { RecordRef } from '../../../src/core/model/common.js'
import type { RecordWarning } from '../../../src/core/source.js'
import type { WireConversation, WirePersonRef, WireThread } from './wire.js'
import { nonEmpty, refTo } from './canonical-refs.js'

/** Staged users, when the caller knows them: lets an untyped assignee be told apart from a team. */
export interface PeopleDirectory {
  readonly userIds: ReadonlySet<string>
  /** Lower-cased email (main and alternate) → user id. */
  readonly userIdByEmail: ReadonlyMap<string, string>
}

/** Who is who inside one conversation: customer ids by email, learnt from every typed reference in it. */
export interface PeopleIndex {
  readonly customerIdByEmail: ReadonlyMap<string, string>
  readonly directory: PeopleDirectory | null
}

export type Warn = (w: RecordWarning) => void

const key = (email: string | null | undefined): string | null => {
  const e = nonEmpty(email)
  return e === null ? null : e.trim().toLowerCase()
}
const idOf = (p: WirePersonRef | null | undefined): string | null => {
  const id = p?.id
  return id === null || id === undefined || id === '' || id === '0' ? null : id
}
const label = (p: WirePersonRef): string => nonEmpty(p.email) ?? ([p.first, p.last].filter((s) => nonEmpty(s) !== null).join(' ') || 'no email')

/** Collects customer email → id from the primary customer and every customer-typed person of the threads. */
export function peopleIndexOf(c: WireConversation, threads: readonly WireThread[], directory: PeopleDirectory | null): PeopleIndex {
  const byEmail = new Map<string, string>()
  const learn = (p: WirePersonRef | null | undefined, isCustomer: boolean): void => {
    const id = idOf(p)
    const email = key(p?.email)
    if (id !== null && email !== null && isCustomer && !byEmail.has(email)) byEmail.set(email, id)
  }
  learn(c.primaryCustomer, true)
  learn(c.createdBy, c.createdBy?.type === 'customer')
  for (const t of threads) {
    learn(t.customer, true)
    learn(t.createdBy, t.createdBy?.type === 'customer')
  }
  return { customerIdByEmail: byEmail, directory }
}

/** A customer reference: by id, else by email through the conversation's customers. */
export function customerRefOf(p: WirePersonRef | null | undefined, idx: PeopleIndex, warn: Warn, what: string): RecordRef | null {
  if (!p) return null
  const id = idOf(p)
  if (id !== null) return refTo('customer', id)
  const email = key(p.email)
  const matched = email === null ? undefined : idx.customerIdByEmail.get(email)
  if (matched !== undefined) {
    warn({ code: 'person-id-missing', detail: `${what} has no id; matched customer ${matched} by email` })
    return refTo('customer', matched)
  }
  warn({ code: 'person-unresolved', detail: `${what} has no id and no known email (${label(p)}); kept without a reference` })
  return null
}

/** A user reference: by id, else by email through the directory (when one was given). */
export function userRefOf(p: WirePersonRef | null | undefined, idx: PeopleIndex, warn: Warn, what: string): RecordRef | null {
  if (!p) return null
  const id = idOf(p)
  if (id !== null) return refTo('agent', id)
  const email = key(p.email)
  const matched = email === null ? undefined : idx.directory?.userIdByEmail.get(email)
  if (matched !== undefined) {
    warn({ code: 'person-id-missing', detail: `${what} has no id; matched user ${matched} by email` })
    return refTo('agent', matched)
  }
  warn({ code: 'person-unresolved', detail: `${what} has no id and no known email (${label(p)}); kept without a reference` })
  return null
}

/**
 * `assignee` / `assignedTo`: a team is no agent (no reference, no warning); a user by id or email. Without a
 * `type`, the person is a user when its id or email matches a staged user; with no directory to ask, a person
 * with an id is taken as a user (Help Scout's v2 samples omit the type only on users) and the guess is reported.
 */
export function assigneeRefOf(
  p: WirePersonRef | null | undefined,
  idx: PeopleIndex,
  warn: Warn,
  what: string,
  linked: 'user' | 'team' | 'customer' | null = null,
): RecordRef | null {
  if (!p) return null
  const type = nonEmpty(p.type)?.toLowerCase() ?? linked
  if (type === 'team') return null
  if (type === 'customer') return customerRefOf(p, idx, warn, what)
  if (type !== null) return userRefOf(p, idx, warn, what)
  const id = idOf(p)
  const dir = idx.directory
  if (dir) {
    if (id !== null && dir.userIds.has(id)) return refTo('agent', id)
    const email = key(p.email)
    const byEmail = email === null ? undefined : dir.userIdByEmail.get(email)
    if (byEmail !== undefined) return refTo('agent', byEmail)
    warn({ code: 'assignee-unresolved', detail: `${what} has no type and matches no user (${id ?? label(p)}): a team or a deleted user` })
    return null
  }
  if (id !== null) {
    warn({ code: 'assignee-type-missing', detail: `${what} ${id} has no type; taken as a user` })
    return refTo('agent', id)
  }
  warn({ code: 'person-unresolved', detail: `${what} has neither id nor type (${label(p)}); kept without a reference` })
  return null
}

/**
 * What a HAL link names: `…/users/256` is a user, `…/teams/9` a team, `…/customers/1` a customer. Conversations
 * link their assignee (`_links.assignee`) and threads their `assignedTo`, even when the embedded person is untyped.
 */
export function linkKind(links: unknown, name: string): 'user' | 'team' | 'customer' | null {
  const href = (links as Record<string, { href?: unknown } | undefined> | null | undefined)?.[name]?.href
  if (typeof href !== 'string') return null
  const m = /\/(users|teams|customers)\/[^/]+\/?$/.exec(href)
  return m ? (m[1] === 'users' ? 'user' : m[1] === 'teams' ? 'team' : 'customer') : null
}

/** `createdBy` and friends: typed people by their type; untyped ones by email, customers first. */
export function authorRefOf(p: WirePersonRef | null | undefined, idx: PeopleIndex, warn: Warn, what: string): RecordRef | null {
  if (!p) return null
  const type = nonEmpty(p.type)?.toLowerCase() ?? null
  if (type === 'customer') return customerRefOf(p, idx, warn, what)
  if (type === 'user' || type === 'system_user') return userRefOf(p, idx, warn, what)
  if (type === 'team') return null
  const email = key(p.email)
  if (email !== null && idx.customerIdByEmail.has(email)) return customerRefOf(p, idx, warn, what)
  return assigneeRefOf(p, idx, warn, what)
}
