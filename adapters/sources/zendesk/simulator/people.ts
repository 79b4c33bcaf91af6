import { Rng, hash32, unit } from '../../../../src/kits/simulator/rng.js'
import { GROUPS } from './catalog.js'
import { AGENT_ID_BASE, BASE_TIME, END_TIME, END_USER_ID_BASE, ORG_ID_BASE } from './ids.js'

/** Agents, end users and organisations: each a pure function of (seed, index). */

export const SALT = { user: 11, org: 12, ticket: 13, detail: 14, comments: 15, files: 16, token: 17, sign: 18, fault: 19 } as const

export type Social = 'twitter' | 'facebook' | null

export interface UserSeed {
  index: number
  id: number
  role: 'admin' | 'agent' | 'end-user'
  name: string
  /** Null for social-channel users (they have only a handle) and permanently deleted users. */
  email: string | null
  phone: string | null
  social: Social
  handle: string | null
  organizationId: number | null
  /** Permanently deleted: still in the users export (flagged), 404 on `/users/{id}`. */
  deleted: boolean
  suspended: boolean
  createdAt: number
  updatedAt: number
  locale: string
  timeZone: string
  tags: string[]
  defaultGroupId: number | null
  userFields: { lieblingstier: string | null; customer_tier: string | null; newsletter: boolean | null; contract_id: number | null }
}

export interface OrgSeed {
  index: number
  id: number
  name: string
  domains: string[]
  tags: string[]
  groupId: number | null
  createdAt: number
  updatedAt: number
  fields: { api_key: string | null; region: string | null; contract_start: string | null }
}

const FIRST = ['Anna', 'Bob', 'Chloé', 'Dmitri', 'Eva', 'Farid', 'Greta', 'Hiro', 'Ines', 'Jonas', 'Kofi', 'Lena', 'Mateo', 'Nora', 'Oskar', 'Priya', 'Quinn', 'Rosa', 'Sven', 'Tanja', 'Ümit', 'Vera', 'Wen', 'Yusuf', 'Zoë']
const LAST = ['Müller', 'Smith', 'García', 'Nakamura', 'Okafor', 'Schmidt', 'Rossi', 'Dubois', 'Kowalski', "O'Brien", 'Jensen', 'Novák', 'Silva', 'Brown']
const LOCALES: readonly [string, string][] = [['en-US', 'America/New_York'], ['de', 'Europe/Berlin'], ['fr', 'Europe/Paris'], ['es', 'Europe/Madrid'], ['en-GB', 'Europe/London']]
const ANIMALS = ['Hund', 'Katze', 'Maus', 'Hundä', 'Otter']

export function agentCountFor(tickets: number): number {
  return Math.min(40, 4 + Math.floor(tickets / 250))
}

export function endUserCountFor(tickets: number): number {
  return Math.max(12, Math.ceil(tickets * 0.6))
}

export function orgCountFor(endUsers: number): number {
  return Math.max(3, Math.ceil(endUsers / 15))
}

/** Users' update times: spread over the timeline, every fifth group of users sharing one second (bulk updates). */
function userTimes(r: Rng, index: number, total: number): { createdAt: number; updatedAt: number } {
  const span = END_TIME - BASE_TIME - 86_400
  const createdAt = BASE_TIME - 30 * 86_400 + Math.floor((index / Math.max(1, total)) * span)
  if (hash32(index >> 3, 0x5e) % 5 === 0) {
    // A bulk update: the eight users of this block share the same updated_at second.
    const shared = BASE_TIME + Math.floor((((index >> 3) * 8 + 8) / Math.max(1, total)) * span) + 30 * 86_400
    return { createdAt, updatedAt: Math.min(END_TIME, shared) }
  }
  return { createdAt, updatedAt: Math.min(END_TIME, createdAt + r.int(60 * 86_400)) }
}

/** User `index`: agents first (`0 … agents-1`), then end users. */
export function userSeed(seed: number, index: number, agents: number, total: number, orgs: number): UserSeed {
  const r = new Rng(seed, index, SALT.user)
  const agent = index < agents
  const n = agent ? index : index - agents
  const first = r.pick(FIRST)
  const last = r.pick(LAST)
  const [locale, timeZone] = r.pick(LOCALES)
  const { createdAt, updatedAt } = userTimes(r, index, total)
  const socialRoll = r.next()
  const social: Social = agent ? null : socialRoll < 0.25 ? 'twitter' : socialRoll < 0.4 ? 'facebook' : null
  // End user 1 is always permanently deleted, so even a small account has one.
  const deleted = !agent && (n === 1 || unit(seed, index, SALT.user, 1) < 0.03)
  const handle = social ? `${first}${last}`.replace(/[^A-Za-z]/g, '') + (n % 97) : null
  const orgRoll = r.next()
  const organizationId = !agent && !social && orgRoll < 0.5 ? ORG_ID_BASE + r.int(orgs) : null
  const tierRoll = r.next()
  return {
    index,
    id: agent ? AGENT_ID_BASE + n : END_USER_ID_BASE + n,
    role: agent ? (n === 0 ? 'admin' : 'agent') : 'end-user',
    name: deleted ? 'Permanently deleted user' : social === 'twitter' ? `${first} ${last} ` : `${first} ${last}`,
    email: deleted || social ? null : agent ? `${first.toLowerCase()}.${n}@acme-sim.example` : `customer${n}@example.com`,
    phone: !agent && !social && r.chance(0.3) ? `+49 30 ${100_000 + n}` : null,
    social: deleted ? null : social,
    handle: deleted ? null : handle,
    organizationId: deleted ? null : organizationId,
    deleted,
    suspended: !agent && !deleted && r.chance(0.02),
    createdAt,
    updatedAt,
    locale,
    timeZone,
    tags: r.chance(0.3) ? [r.pick(['vip', 'beta', 'reseller', '2'])] : [],
    defaultGroupId: agent ? GROUPS[n % 3]!.id : null,
    userFields: {
      lieblingstier: r.chance(0.3) ? r.pick(ANIMALS) : null,
      customer_tier: agent ? null : tierRoll < 0.2 ? 'gold' : tierRoll < 0.4 ? 'silver' : tierRoll < 0.45 ? '2' : null,
      newsletter: agent ? null : r.chance(0.5),
      contract_id: !agent && r.chance(0.2) ? 10_000 + n : null,
    },
  }
}

export function orgSeed(seed: number, index: number, total: number): OrgSeed {
  const r = new Rng(seed, index, SALT.org)
  const names = ['Initech', 'Globex', 'Umbrella', 'Hooli', 'Vandelay', 'Stark', 'Wayne', 'Tyrell', 'Soylent', 'Cyberdyne']
  const name = `${names[index % names.length]!} ${index >= names.length ? Math.floor(index / names.length) + 1 : ''}`.trim()
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-')
  const createdAt = BASE_TIME - 60 * 86_400 + Math.floor((index / Math.max(1, total)) * 400 * 86_400)
  // Every third organisation shares its update second with the next ones (an import touched them together).
  const updatedAt = index % 3 === 0 ? createdAt + 86_400 : orgUpdatedShared(index, total)
  return {
    index,
    id: ORG_ID_BASE + index,
    name: `${name} GmbH`,
    domains: r.chance(0.7) ? [`${slug}.example`] : [],
    tags: r.chance(0.4) ? [r.pick(['enterprise', 'smb', 'b'])] : [],
    groupId: r.chance(0.3) ? GROUPS[r.int(3)]!.id : null,
    createdAt,
    updatedAt: Math.max(updatedAt, createdAt),
    fields: {
      api_key: r.chance(0.4) ? `my api öäüß ${index}` : null,
      region: r.chance(0.8) ? r.pick(['emea', 'americas']) : null,
      contract_start: r.chance(0.5) ? new Date((createdAt + r.int(200) * 86_400) * 1000).toISOString().slice(0, 10) : null,
    },
  }
}

function orgUpdatedShared(index: number, total: number): number {
  const block = Math.floor(index / 3)
  return BASE_TIME + 500 * 86_400 + Math.floor((block / Math.max(1, total)) * 300 * 86_400)
}
