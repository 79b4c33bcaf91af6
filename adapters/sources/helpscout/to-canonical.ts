// PURE mapping of Help Scout directory payloads (users, mailboxes, fields, tags, organisations, customers)
// to canonical records. Conversations and threads live in to-canonical-ticket.ts.
import type { Agent } from '../../../src/core/model/person.js'
import type { Group } from '../../../src/core/model/group.js'
import type { CustomFieldDef } from '../../../src/core/model/custom-field.js'
import type { Tag } from '../../../src/core/model/tag.js'
import type { Organization } from '../../../src/core/model/organization.js'
import {
  fieldSchema,
  mailboxSchema,
  organizationSchema,
  tagSchema,
  userSchema,
} from './wire.js'
import type { WireField, WireMailbox, WireOrganization, WireTag, WireUser } from './wire.js'
import { emptyMapped, mapItem, mergeMapped } from '../../../src/kits/source/mapping-result.js'
import type { Mapped } from '../../../src/kits/source/mapping-result.js'
import { mapCustomer } from './to-canonical-customer.js'
import { SOURCE, nonEmpty, refTo } from './canonical-refs.js'

const AGENT_ROLES: Readonly<Record<string, Agent['role']>> = { owner: 'owner', admin: 'admin', user: 'agent' }

/** users → agent. Help Scout's `user` role is an ordinary agent; anything else is kept as `other`. */
export function toAgent(u: WireUser): Agent {
  const name = [u.firstName, u.lastName].filter((p) => nonEmpty(p) !== null).join(' ')
  const role = u.role ? (AGENT_ROLES[u.role.toLowerCase()] ?? (/light/i.test(u.role) ? 'light' : 'other')) : 'other'
  return {
    source: SOURCE,
    kind: 'agent',
    sourceId: u.id,
    sourceUpdatedAt: u.updatedAt ?? u.createdAt ?? null,
    sourceUrl: null,
    name: name !== '' ? name : (nonEmpty(u.email) ?? `Help Scout user ${u.id}`),
    firstName: nonEmpty(u.firstName),
    lastName: nonEmpty(u.lastName),
    email: nonEmpty(u.email),
    alternateEmails: (u.alternateEmails ?? []).filter((e) => nonEmpty(e) !== null),
    role,
    // v2 users carry no active flag; a `status` other than active (seen on invited users) means not active.
    active: u.status === null || u.status === undefined || u.status.toLowerCase() === 'active',
    timezone: nonEmpty(u.timezone),
    jobTitle: nonEmpty(u.jobTitle),
    phone: nonEmpty(u.phone),
    createdAt: u.createdAt ?? null,
  }
}

/** mailbox → group. */
export function toGroup(m: WireMailbox): Group {
  return {
    source: SOURCE,
    kind: 'group',
    sourceId: m.id,
    sourceUpdatedAt: m.updatedAt ?? m.createdAt ?? null,
    sourceUrl: null,
    name: m.name,
    email: nonEmpty(m.email),
    createdAt: m.createdAt ?? null,
  }
}

const FIELD_TYPES: Readonly<Record<string, CustomFieldDef['type']>> = {
  text: 'text',
  single_line: 'text',
  singleline: 'text',
  multiline: 'multiline',
  multi_line: 'multiline',
  number: 'number',
  date: 'date',
  dropdown: 'dropdown',
  checkbox: 'checkbox',
}

/** mailbox field definition → custom_field, scoped to its mailbox (fields are per mailbox in Help Scout). */
export function toCustomFieldDef(f: WireField, mailboxId: string): CustomFieldDef {
  return {
    source: SOURCE,
    kind: 'custom_field',
    sourceId: f.id,
    sourceUpdatedAt: null,
    sourceUrl: null,
    name: f.name,
    type: FIELD_TYPES[f.type.toLowerCase().replace(/-/g, '_')] ?? 'other',
    groupRef: refTo('group', mailboxId),
    options: [...(f.options ?? [])]
      .sort((a, b) => (a.order ?? 0) - (b.order ?? 0))
      .map((o) => ({ id: o.id, label: o.label })),
    required: f.required ?? false,
  }
}

/** tag → tag; tickets reference tags by name (`tags[].tag`), so the name is what targets match on. */
export function toTag(t: WireTag): Tag {
  return {
    source: SOURCE,
    kind: 'tag',
    sourceId: t.id,
    sourceUpdatedAt: t.updatedAt ?? t.createdAt ?? null,
    sourceUrl: null,
    name: t.name,
    color: nonEmpty(t.color),
  }
}

/** organisation → organization; `description` and `note` both become notes. */
export function toOrganization(o: WireOrganization): Organization {
  const notes = [o.description, o.note].filter((p) => nonEmpty(p) !== null).join('\n\n')
  return {
    source: SOURCE,
    kind: 'organization',
    sourceId: o.id,
    sourceUpdatedAt: o.updatedAt ?? o.createdAt ?? null,
    sourceUrl: null,
    name: o.name,
    domains: (o.domains ?? []).filter((d) => nonEmpty(d) !== null),
    notes: notes === '' ? null : notes,
    createdAt: o.createdAt ?? null,
  }
}

export { toCustomer } from './to-canonical-customer.js'

/** Maps a page of users; bad items become rejects and the rest still stage. */
export function mapUsers(items: readonly unknown[], where: string): Mapped {
  return mapEach(items, (raw) => mapItem('agent', raw, userSchema, where, (u) => [toAgent(u)]))
}

export function mapMailboxes(items: readonly unknown[], where: string): Mapped {
  return mapEach(items, (raw) => mapItem('group', raw, mailboxSchema, where, (m) => [toGroup(m)]))
}

export function mapFields(items: readonly unknown[], mailboxId: string, where: string): Mapped {
  return mapEach(items, (raw) => mapItem('custom_field', raw, fieldSchema, where, (f) => [toCustomFieldDef(f, mailboxId)]))
}

export function mapTags(items: readonly unknown[], where: string): Mapped {
  return mapEach(items, (raw) => mapItem('tag', raw, tagSchema, where, (t) => [toTag(t)]))
}

export function mapOrganizations(items: readonly unknown[], where: string): Mapped {
  return mapEach(items, (raw) => mapItem('organization', raw, organizationSchema, where, (o) => [toOrganization(o)]))
}

export function mapCustomers(items: readonly unknown[], where: string): Mapped {
  return mapEach(items, (raw) => mapCustomer(raw, where))
}

export function mapEach(items: readonly unknown[], one: (raw: unknown) => Mapped): Mapped {
  const out = emptyMapped()
  for (const raw of items) mergeMapped(out, one(raw))
  return out
}
