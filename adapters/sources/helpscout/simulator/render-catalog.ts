import { TAG_SEEDS, TEAM_SEEDS, iso, type FieldSeed, type MailboxSeed, type TagSeed, type TeamSeed, type UserSeed } from './catalog.js'
import { link } from './hal.js'
import type { CustomerSeed, OrganizationSeed } from './people.js'
import { tallies, type World } from './world.js'

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

export function renderCustomer(v2: string, world: World, c: CustomerSeed): Record<string, unknown> {
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
  out._embedded = {
    emails: c.emails,
    phones: c.phones,
    chats: c.chatHandle ? [{ id: 900000 + c.index, value: c.chatHandle, type: 'other' }] : [],
    social_profiles: [],
    websites: c.website ? [{ id: 950000 + c.index, value: c.website }] : [],
    properties: [],
  }
  out._links = {
    self: link(`${v2}/customers/${c.id}`),
    emails: link(`${v2}/customers/${c.id}/emails`),
    phones: link(`${v2}/customers/${c.id}/phones`),
  }
  return out
}
