import { BASE_EPOCH } from './catalog.js'
import { Rng, SALT } from './rng.js'

/** Customers and organizations, each derived from (seed, index) on demand. */

const FIRST = ['Anna', 'José', 'Zoë', 'Łukasz', 'Мария', '李', 'محمد', 'Siobhán', 'Nguyễn', 'Björn', 'Chloé', 'Kwame', 'Priya', 'Ólafur', 'Ева', 'Tomás', '😀 Emoji', 'Dana', 'Ngozi', 'Ætheling']
const LAST = ['Smith', 'García', 'Nowak', 'Иванова', '王', 'Al-Farsi', "O'Brien", 'Thị Lan', 'Ågren', 'Dubois', 'Mensah', 'Sharma', 'Jónsson', 'Müller', 'Da Silva', 'Kowalczyk', 'Lee', '', 'van der Berg', 'Østergaard']
const ORG_NAMES = ['Globex', 'Initech', 'Umbrella', 'Stark Ünited', 'Wayne & Sons', 'Tyrell', 'Soylent', 'Cyberdyne', '株式会社サンプル', 'Hooli', 'Vandelay Industries', 'Ñandú Ltda']

/** Customers per conversation: about one customer for every three conversations. */
export function customerCountFor(conversations: number): number {
  return Math.max(10, Math.ceil(conversations / 3))
}

export function organizationCountFor(customers: number): number {
  return Math.max(3, Math.ceil(customers / 25))
}

export const CUSTOMER_ID_BASE = 200001
export const ORGANIZATION_ID_BASE = 7001

export interface OrganizationSeed {
  index: number
  id: number
  name: string
  domains: string[]
  createdAt: number
  updatedAt: number
}

export function organizationSeed(seed: number, index: number): OrganizationSeed {
  const r = new Rng(seed, index, SALT.organization)
  const base = ORG_NAMES[index % ORG_NAMES.length]!
  const name = index < ORG_NAMES.length ? base : `${base} ${Math.floor(index / ORG_NAMES.length) + 1}`
  const domains = [`org${index}.example`]
  if (r.chance(0.3)) domains.push(`org${index}-mail.example`)
  const createdAt = BASE_EPOCH - 86400 * 500 + index * 3600 + r.int(3600)
  return { index, id: ORGANIZATION_ID_BASE + index, name, domains, createdAt, updatedAt: createdAt + r.int(86400 * 300) }
}

export interface CustomerSeed {
  index: number
  id: number
  firstName: string
  lastName: string
  emails: { id: number; value: string; type: 'work' | 'home' | 'other' }[]
  phones: { id: number; value: string; type: 'work' | 'mobile' | 'home' }[]
  /** Set when the customer belongs to an organization record. */
  organizationIndex: number | null
  /** Free-text company name (Help Scout's older `organization` string). */
  organization: string | null
  jobTitle: string | null
  location: string | null
  background: string | null
  gender: 'male' | 'female' | 'unknown'
  age: string | null
  website: string | null
  chatHandle: string | null
  createdAt: number
  updatedAt: number
}

/** The dataset-wide span over which customers are created, so creation time grows with the index. */
function customerCreatedAt(index: number, customerCount: number, conversations: number, jitter: number): number {
  const start = BASE_EPOCH - 86400 * 365
  const span = 86400 * 365 + conversations * 600
  return start + Math.floor((index * span) / Math.max(1, customerCount)) + jitter
}

export function customerSeed(seed: number, index: number, customerCount: number, conversations: number): CustomerSeed {
  const r = new Rng(seed, index, SALT.customer)
  const id = CUSTOMER_ID_BASE + index
  const firstName = r.pick(FIRST)
  const lastName = r.chance(0.05) ? '' : r.pick(LAST)
  const orgCount = organizationCountFor(customerCount)
  let organizationIndex: number | null = null
  let organization: string | null = null
  if (r.chance(0.4)) {
    organizationIndex = r.int(orgCount)
    organization = organizationSeed(seed, organizationIndex).name
  } else if (r.chance(0.2)) {
    organization = 'Freelance – self-employed'
  }
  const roll = r.next()
  const emailCount = roll < 0.1 ? 0 : roll < 0.75 ? 1 : roll < 0.93 ? 2 : 3
  const domain = organizationIndex === null ? r.pick(['mail.example', 'post.example', 'inbox.example']) : `org${organizationIndex}.example`
  const emails: CustomerSeed['emails'] = []
  for (let k = 0; k < emailCount; k++) {
    const local = k === 0 ? `customer${index}` : `customer${index}.alt${k}`
    emails.push({ id: 300000 + index * 4 + k, value: `${local}@${domain}`, type: k === 0 ? 'work' : r.pick(['home', 'other'] as const) })
  }
  const phoneCount = r.chance(0.35) ? r.range(1, 2) : 0
  const phones: CustomerSeed['phones'] = []
  for (let k = 0; k < phoneCount; k++) {
    phones.push({ id: 700000 + index * 3 + k, value: `+1 555 01${String(index % 100).padStart(2, '0')} ${k}`, type: r.pick(['work', 'mobile', 'home'] as const) })
  }
  const createdAt = customerCreatedAt(index, customerCount, conversations, r.int(60))
  return {
    index,
    id,
    firstName,
    lastName,
    emails,
    phones,
    organizationIndex,
    organization,
    jobTitle: r.chance(0.3) ? r.pick(['CTO', 'Buyer', 'Office manager', 'Développeur']) : null,
    location: r.chance(0.3) ? r.pick(['Berlin', 'São Paulo', 'Tōkyō', 'Lagos']) : null,
    background: r.chance(0.1) ? 'Prefers phone calls. <b>Not</b> HTML – keep as text. ☎️' : null,
    gender: r.pick(['male', 'female', 'unknown'] as const),
    age: r.chance(0.1) ? `${r.range(20, 70)}` : null,
    website: r.chance(0.15) ? `https://site${index}.example` : null,
    chatHandle: r.chance(0.1) ? `chat-${index}` : null,
    createdAt,
    updatedAt: createdAt + r.int(86400 * 200),
  }
}

/** Display email of a customer: the first address, or null for customers without any. */
export function primaryEmail(c: CustomerSeed): string | null {
  return c.emails[0]?.value ?? null
}
