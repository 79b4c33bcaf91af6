import { TAG_SEEDS, TEAM_SEEDS, iso, type FieldSeed, type MailboxSeed, type TagSeed, type TeamSeed, type UserSeed } from './catalog.js'
import { link } from './hal.js'
import type { CustomerSeed, OrganizationSeed } from './people.js'
import { tallies, type World } from './world.js'
import { unit } from './rng.js'
import { sparse } from './sparse.js'

/** Wire objects (camelCase, HAL) of users, teams, mailboxes, fields, folders, tags, customers and organizations. */

// Photos live on a reserved `.invalid` host: the simulator serves no images, and nothing may resolve it.
function photo(_v2: string, kind: string, id: number): string {
  return `https://photos.helpscout-sim.invalid/${kind}/${id}.png`
}

export function renderUser(v2: string, u: UserSeed): Record<string, unknown> {
  return {
    id: u.id,
    firstName: u.firstName,
    lastName: u.lastName,
    email: u.email,
    role: u.role,
    timezone: 'Europe/Berlin',
    photoUrl: photo(v2, 'users', u.id),
    createdAt: iso(1514764800 + (u.id - 1000) * 86400),
    updatedAt: iso(u.inactive ? 1530000000 : 1545000000 + u.id),
    type: 'user',
    mention: u.firstName.toLowerCase(),
    initials: `${[...u.firstName][0] ?? ''}${[...u.lastName][0] ?? ''}`,
    jobTitle: u.jobTitle,
    phone: u.inactive ? null : `+49 30 1234 ${u.id}`,
    alternateEmails: u.alternateEmails,
    _links: { self: link(`${v2}/users/${u.id}`) },
  }
}

export function renderTeam(v2: string, t: TeamSeed): Record<string, unknown> {
  return {
    id: t.id,
    name: t.name,
    timezone: 'UTC',
    photoUrl: photo(v2, 'teams', t.id),
    mention: t.name.toLowerCase().replace(/[^a-z0-9]+/g, ''),
    initials: t.name.slice(0, 2).toUpperCase(),
    createdAt: iso(1514764800 + (t.id - 2000) * 86400),
    updatedAt: iso(1540000000 + t.id),
    _links: { self: link(`${v2}/teams/${t.id}`), members: link(`${v2}/teams/${t.id}/members`) },
  }
}

export function teamById(id: number): TeamSeed | undefined {
  return TEAM_SEEDS.find((t) => t.id === id)
}

export function renderMailbox(v2: string, m: MailboxSeed): Record<string, unknown> {
  return {
    id: m.id,
    name: m.name,
    slug: m.slug,
    email: m.email,
    createdAt: iso(m.createdAt),
    updatedAt: iso(m.updatedAt),
    _links: {
      fields: link(`${v2}/mailboxes/${m.id}/fields`),
      folders: link(`${v2}/mailboxes/${m.id}/folders`),
      self: link(`${v2}/mailboxes/${m.id}`),
    },
  }
}

export function renderField(f: FieldSeed): Record<string, unknown> {
  return { id: f.id, name: f.name, type: f.type, required: f.required, order: f.order, options: f.options }
}

export function renderFolders(world: World, m: MailboxSeed): Record<string, unknown>[] {
  const counts = tallies(world).folders
  return m.folders.map((f) => ({
    id: f.id,
    name: f.name,
    type: f.type,
    userId: f.userId,
    totalCount: counts.get(f.id)?.total ?? 0,
    activeCount: counts.get(f.id)?.active ?? 0,
    updatedAt: iso(m.updatedAt),
  }))
}

export function renderTag(world: World, t: TagSeed): Record<string, unknown> {
  return {
    id: t.id,
    slug: t.slug,
    name: t.name,
    color: t.color,
    createdAt: iso(t.createdAt),
    updatedAt: iso(t.createdAt + 86400),
    ticketCount: tallies(world).tags.get(t.id) ?? 0,
  }
}

export function tagById(id: number): TagSeed | undefined {
  return TAG_SEEDS.find((t) => t.id === id)
}

export function renderOrganization(v2: string, o: OrganizationSeed): Record<string, unknown> {
  return {
    id: o.id,
    name: o.name,
    domains: o.domains,
    website: `https://${o.domains[0] ?? 'example.org'}`,
    createdAt: iso(o.createdAt),
    updatedAt: iso(o.updatedAt),
    _links: { self: link(`${v2}/organizations/${o.id}`) },
  }
}

// Independent, hash-based draws for the customer details the seed does not hold (never shift other values).
const DETAIL = { social: 0x6c01, address: 0x6c02, properties: 0x6c03 }
const SOCIAL = ['twitter', 'linkedin', 'facebook', 'github'] as const
const CITIES = [
  { city: 'Dallas', state: 'TX', postalCode: '75201', country: 'US' },
  { city: 'München', state: 'BY', postalCode: '80331', country: 'DE' },
  { city: 'São Paulo', state: 'SP', postalCode: '01000-000', country: 'BR' },
]

/**
 * A customer's details as its sub-resources serve them (`/customers/{id}/emails|phones|chats|social-profiles|
 * websites|address|properties`) and as `_embedded` repeats them. `address` is null when the customer has none.
 */
export function customerParts(world: World, c: CustomerSeed): Record<string, unknown> {
  const k = unit(world.seed, DETAIL.social, c.id)
  const social = k < 0.2 ? [{ id: 980000 + c.index, value: `@customer${c.index}`, type: SOCIAL[Math.floor(k * 20) % SOCIAL.length] }] : []
  const a = unit(world.seed, DETAIL.address, c.id)
  const place = CITIES[Math.floor(a * 100) % CITIES.length]!
  const address = a < 0.25 ? { lines: [`${c.index + 1} Main Street`, ...(a < 0.08 ? ['Suite 4 – 2nd floor'] : [])], ...place } : null
  const properties = unit(world.seed, DETAIL.properties, c.id) < 0.2
    ? [{ type: 'dropdown', slug: 'plan', name: 'Plan', value: 'gold', text: 'Gold ⭐', source: { name: 'api' } }, { type: 'number', slug: 'seats', name: 'Seats', value: 3 + (c.index % 40), text: String(3 + (c.index % 40)) }]
    : []
  return {
    emails: c.emails,
    phones: c.phones,
    chats: c.chatHandle ? [{ id: 900000 + c.index, value: c.chatHandle, type: 'other' }] : [],
    'social-profiles': social,
    websites: c.website ? [{ id: 950000 + c.index, value: c.website }] : [],
    address,
    properties,
  }
}

/** A customer as a list item (`list`, may lack `_embedded` in sparse worlds) or by Get Customer (`single`, always embeds). */
export function renderCustomer(v2: string, world: World, c: CustomerSeed, view: 'list' | 'single' = 'list'): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: c.id,
    firstName: c.firstName,
    lastName: c.lastName,
    gender: c.gender,
    jobTitle: c.jobTitle,
    location: c.location,
    organization: c.organization,
    photoType: 'unknown',
    photoUrl: photo(v2, 'customers', c.id),
    age: c.age,
    background: c.background,
    createdAt: iso(c.createdAt),
    updatedAt: iso(c.updatedAt),
  }
  if (c.organizationIndex !== null) out.organizationId = world.organization(c.organizationIndex).id
  // Real customers sometimes come without `_embedded`: their details are then only in the sub-resources.
  if (view === 'single' || !sparse(world.profile, 'customerWithoutEmbedded', world.seed, c.id)) {
    const p = customerParts(world, c)
    const emb: Record<string, unknown> = {
      emails: p.emails,
      phones: p.phones,
      chats: p.chats,
      social_profiles: p['social-profiles'],
      websites: p.websites,
      properties: p.properties,
    }
    if (p.address) emb.address = p.address
    out._embedded = emb
  }
  const self = `${v2}/customers/${c.id}`
  out._links = {
    self: link(self),
    address: link(`${self}/address`),
    chats: link(`${self}/chats`),
    emails: link(`${self}/emails`),
    phones: link(`${self}/phones`),
    'social-profiles': link(`${self}/social-profiles`),
    websites: link(`${self}/websites`),
  }
  return out
}
