import { hash32 } from './rng.js'

/**
 * The small, fixed part of the dataset: users, teams, mailboxes with their custom fields and folders,
 * and tags. Values depend only on the seed; wire objects are built by `render-*` modules.
 */

/** Seconds since the Unix epoch of the dataset's "beginning of history" (2019-01-01T00:00:00Z). */
export const BASE_EPOCH = Date.UTC(2019, 0, 1) / 1000

/** ISO-8601 UTC with a `Z` and no milliseconds, as Help Scout prints timestamps. */
export function iso(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

export interface UserSeed {
  id: number
  firstName: string
  lastName: string
  email: string
  role: 'owner' | 'admin' | 'user'
  alternateEmails: string[]
  jobTitle: string
  /** A former agent: still listed (Help Scout keeps the author of old threads) but no longer active. */
  inactive: boolean
}

const USERS: readonly Omit<UserSeed, 'id'>[] = [
  { firstName: 'Ada', lastName: 'Owner', email: 'ada.owner@acme.example', role: 'owner', alternateEmails: ['ada@acme.example'], jobTitle: 'Head of Support', inactive: false },
  { firstName: 'Zoë', lastName: 'Ångström', email: 'zoe@acme.example', role: 'admin', alternateEmails: [], jobTitle: 'Support lead', inactive: false },
  { firstName: 'Bram', lastName: 'de Vries', email: 'bram@acme.example', role: 'user', alternateEmails: ['support-bram@acme.example', 'b.devries@acme.example'], jobTitle: 'Agent', inactive: false },
  { firstName: '美咲', lastName: '佐藤', email: 'misaki@acme.example', role: 'user', alternateEmails: [], jobTitle: 'Agent (JP)', inactive: false },
  { firstName: 'Chidi', lastName: "O'Neil", email: 'chidi@acme.example', role: 'user', alternateEmails: [], jobTitle: 'Agent', inactive: false },
  { firstName: 'Lena', lastName: 'Müller-Łukasik', email: 'lena@acme.example', role: 'user', alternateEmails: ['lena.m@acme.example'], jobTitle: 'Billing specialist', inactive: false },
  { firstName: 'Omar', lastName: 'Haddad', email: 'omar@acme.example', role: 'user', alternateEmails: [], jobTitle: 'Agent', inactive: false },
  { firstName: 'Former', lastName: 'Agent', email: 'former.agent@acme.example', role: 'user', alternateEmails: [], jobTitle: 'Left the company', inactive: true },
]

/** All users; ids start at 1001. The first user is the owner that the OAuth app belongs to (`/users/me`). */
export const USER_SEEDS: readonly UserSeed[] = USERS.map((u, k) => ({ ...u, id: 1001 + k }))

export interface TeamSeed {
  id: number
  name: string
  memberIds: number[]
}

export const TEAM_SEEDS: readonly TeamSeed[] = [
  { id: 2001, name: 'Tier 2', memberIds: [1002, 1003, 1005] },
  { id: 2002, name: 'Billing Team 💳', memberIds: [1006, 1007] },
]

export interface FieldOptionSeed {
  id: number
  order: number
  label: string
}

export interface FieldSeed {
  id: number
  name: string
  type: 'dropdown' | 'singleline' | 'number'
  required: boolean
  order: number
  options: FieldOptionSeed[]
}

export interface FolderSeed {
  id: number
  name: string
  type: 'open' | 'mytickets' | 'closed' | 'spam'
  userId: number
}

export interface MailboxSeed {
  /** Position in the mailbox list (0-based), also used by conversation headers. */
  index: number
  id: number
  name: string
  slug: string
  email: string
  createdAt: number
  updatedAt: number
  fields: FieldSeed[]
  folders: FolderSeed[]
}

const MAILBOX_NAMES = [
  { name: 'Support', slug: 'support' },
  { name: 'Billing', slug: 'billing' },
  { name: 'Sales ✉️', slug: 'sales' },
]

const DROPDOWNS = [
  { name: 'Product', labels: ['Widget', 'Gadget Pro', 'Ünïcode Suite'] },
  { name: 'Priority', labels: ['Low', 'Normal', 'High', 'Urgent 🔥'] },
  { name: 'Region', labels: ['EMEA', 'APAC', 'Americas'] },
]

function mailboxSeed(index: number): MailboxSeed {
  const names = MAILBOX_NAMES[index] ?? { name: `Mailbox ${index + 1}`, slug: `mailbox-${index + 1}` }
  const id = 3001 + index
  const dropdown = DROPDOWNS[index] ?? DROPDOWNS[0]!
  const fieldBase = 5000 + index * 10
  const fields: FieldSeed[] = [
    {
      id: fieldBase + 1,
      name: dropdown.name,
      type: 'dropdown',
      required: index === 0,
      order: 1,
      options: dropdown.labels.map((label, k) => ({ id: 8000 + index * 10 + k + 1, order: k + 1, label })),
    },
    { id: fieldBase + 2, name: 'Order number', type: 'singleline', required: false, order: 2, options: [] },
  ]
  const folderBase = 6000 + index * 10
  const folders: FolderSeed[] = [
    { id: folderBase + 1, name: 'Unassigned', type: 'open', userId: 0 },
    { id: folderBase + 2, name: 'Mine', type: 'mytickets', userId: 1001 },
    { id: folderBase + 3, name: 'Closed', type: 'closed', userId: 0 },
    { id: folderBase + 4, name: 'Spam', type: 'spam', userId: 0 },
  ]
  return {
    index,
    id,
    name: names.name,
    slug: names.slug,
    email: `${names.slug}@acme.example`,
    createdAt: BASE_EPOCH - 86400 * (400 - index * 7),
    updatedAt: BASE_EPOCH - 86400 * (30 - index),
    fields,
    folders,
  }
}

/** Two or three mailboxes depending on the seed. */
export function mailboxSeeds(seed: number): MailboxSeed[] {
  const count = 2 + (hash32(seed, 0x3a11) % 2)
  return Array.from({ length: count }, (_, k) => mailboxSeed(k))
}

export interface TagSeed {
  id: number
  name: string
  slug: string
  color: string
  createdAt: number
}

const TAG_NAMES = [
  'bug', 'billing', 'refund', 'feature-request', 'urgent', 'VIP ⭐',
  'früh-bucher', '日本語', 'needs follow up', 'beta', 'churn-risk', 'a/b test',
]
const TAG_COLORS = ['#E6B0AA', '#A9CCE3', '#A3E4D7', '#F9E79F', '#D7BDE2', '#none']

export const TAG_SEEDS: readonly TagSeed[] = TAG_NAMES.map((name, k) => ({
  id: 4001 + k,
  name,
  slug: name.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, ''),
  color: TAG_COLORS[k % TAG_COLORS.length]!,
  createdAt: BASE_EPOCH - 86400 * (200 - k),
}))
