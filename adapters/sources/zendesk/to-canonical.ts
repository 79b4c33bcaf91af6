// PURE: Zendesk users, organisations, groups and field definitions → canonical records. No I/O.
import type { CanonicalRecord } from '../../../src/core/model/index.js'
import type { CustomFieldDef } from '../../../src/core/model/custom-field.js'
import type { RecordRef } from '../../../src/core/model/common.js'
import { ISO_INSTANT } from '../../../src/core/model/common.js'
import type { RecordWarning, StagedRecord } from '../../../src/core/source.js'
import { emptyMapped, mapItem, mergeMapped, type Mapped } from '../../../src/kits/source/mapping-result.js'
import { groupWire, keyedFieldWire, namedWire, organizationWire, ticketFieldWire, userWire, type KeyedFieldWire, type UserWire } from './wire.js'

export const SOURCE = 'zendesk'

/** An ISO instant the model accepts, or null (a value Zendesk left out or wrote in another form). */
export const iso = (v: string | null | undefined): string | null => (v && ISO_INSTANT.test(v) ? v : null)
export const ref = (kind: RecordRef['kind'], id: number | null | undefined): RecordRef | null => (id == null || id <= 0 ? null : { kind, sourceId: String(id) })
export const base = (id: number | string, updatedAt: string | null | undefined, sourceUrl: string | null = null) => ({
  source: SOURCE,
  sourceId: String(id),
  sourceUpdatedAt: iso(updatedAt),
  sourceUrl,
})

/**
 * The customer standing in for a requester Zendesk no longer has. Its own id, so it never competes with the
 * scrubbed record a users export may still list for a permanently deleted user, whatever order streams run in.
 */
export const placeholderId = (userId: number): string => `deleted-user-${userId}`

/** Adds warnings to every record of `m` (the item's records share the item's oddities). */
export function warn(m: Mapped, warnings: readonly RecordWarning[]): Mapped {
  if (warnings.length === 0) return m
  return { rejects: m.rejects, records: m.records.map((r): StagedRecord => ({ ...r, warnings: [...(r.warnings ?? []), ...warnings] })) }
}

/** What a field value reads as in a note or a property (objects and lists as JSON). */
export const show = (v: unknown): string | null => (v === null || v === undefined || v === '' ? null : typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v))

const isAgent = (role: string | null | undefined): boolean => role === 'agent' || role === 'admin'

/** Title of each user / organisation field key (`user_fields{key: value}` on the records). */
export type FieldTitles = ReadonlyMap<string, string>
export function fieldTitles(defs: readonly unknown[]): Map<string, string> {
  const out = new Map<string, string>()
  for (const d of defs) {
    const p = keyedFieldWire.safeParse(d)
    if (p.success) out.set(p.data.key, p.data.title ?? p.data.key)
  }
  return out
}

/** The customer record of a Zendesk user (also used for agents who requested a ticket). */
export function customerOf(u: UserWire, userFields: FieldTitles): CanonicalRecord {
  const props = Object.entries(u.user_fields ?? {})
    .map(([k, v]) => ({ name: userFields.get(k) ?? k, value: show(v), text: show(v) }))
    .filter((p) => p.value !== null)
  const notes = [u.notes, u.details].filter((s): s is string => !!s && s.trim() !== '').join('\n\n')
  return {
    ...base(u.id, u.updated_at),
    kind: 'customer',
    firstName: u.name?.trim() || null,
    lastName: null,
    emails: u.email ? [{ value: u.email, type: 'work' }] : [],
    phones: u.phone ? [{ value: u.phone, type: 'work' }] : [],
    organizationRef: ref('organization', u.organization_id),
    company: null,
    jobTitle: null,
    notes: notes || null,
    websites: [],
    location: null,
    createdAt: iso(u.created_at),
    ...(props.length > 0 ? { properties: props } : {}),
  }
}

function agentOf(u: UserWire): CanonicalRecord {
  return {
    ...base(u.id, u.updated_at),
    kind: 'agent',
    name: u.name?.trim() || (u.email ?? `Zendesk user ${u.id}`),
    firstName: null,
    lastName: null,
    email: u.email ?? null,
    alternateEmails: [],
    role: u.role === 'admin' ? 'admin' : 'agent',
    active: (u.active ?? true) && !(u.suspended ?? false),
    timezone: u.time_zone ?? null,
    jobTitle: null,
    phone: u.phone ?? null,
    createdAt: iso(u.created_at),
  }
}

/** A user: agents and admins become agents, everyone else (end users, unknown roles) a customer. */
export function mapUser(raw: unknown, where: string, userFields: FieldTitles = new Map()): Mapped {
  const role = (raw as { role?: unknown } | null)?.role
  const kind = typeof role === 'string' && isAgent(role) ? 'agent' : 'customer'
  const out = mapItem(kind, raw, userWire, where, (u) => [isAgent(u.role) ? agentOf(u) : customerOf(u, userFields)])
  const u = userWire.safeParse(raw)
  if (!u.success) return out
  const warnings: RecordWarning[] = []
  if (!u.data.name) warnings.push({ code: 'missing-field', detail: 'name' })
  if (u.data.created_at && iso(u.data.created_at) === null) warnings.push({ code: 'unreadable-field', detail: `created_at: ${u.data.created_at}` })
  return warn(out, warnings)
}

export function mapOrganization(raw: unknown, where: string, orgFields: FieldTitles = new Map()): Mapped {
  return mapItem('organization', raw, organizationWire, where, (o): CanonicalRecord[] => {
    // No canonical slot for organisation fields: kept as readable lines in the notes (raw keeps the values).
    const fieldLines = Object.entries(o.organization_fields ?? {})
      .map(([k, v]) => (show(v) === null ? null : `${orgFields.get(k) ?? k}: ${show(v)}`))
      .filter((l): l is string => l !== null)
    const notes = [o.notes, o.details, fieldLines.join('\n')].filter((s): s is string => !!s && s.trim() !== '').join('\n\n')
    return [{
      ...base(o.id, o.updated_at),
      kind: 'organization',
      name: o.name?.trim() || `Zendesk organization ${o.id}`,
      domains: o.domain_names ?? [],
      notes: notes || null,
      createdAt: iso(o.created_at),
    }]
  })
}

export function mapGroup(raw: unknown, where: string): Mapped {
  return mapItem('group', raw, groupWire, where, (g) => [{
    ...base(g.id, g.updated_at),
    kind: 'group',
    name: g.name?.trim() || `Zendesk group ${g.id}`,
    email: null,
    createdAt: iso(g.created_at),
  }])
}

const FIELD_TYPE: Readonly<Record<string, CustomFieldDef['type']>> = {
  text: 'text', regexp: 'text', partialcreditcard: 'text', textarea: 'multiline', integer: 'number', decimal: 'number',
  date: 'date', tagger: 'dropdown', multiselect: 'dropdown', checkbox: 'checkbox',
}

/** Zendesk's own ticket properties listed among the ticket fields: they are ticket columns, not custom fields. */
const SYSTEM_FIELDS = new Set(['subject', 'description', 'status', 'tickettype', 'priority', 'basic_priority', 'group', 'assignee', 'custom_status', 'brand', 'ticket_form'])

/** A ticket field definition; Zendesk's system fields yield nothing. */
export function mapTicketField(raw: unknown, where: string): Mapped {
  return mapItem('custom_field', raw, ticketFieldWire, where, (f): CanonicalRecord[] => {
    if (SYSTEM_FIELDS.has(f.type ?? '')) return []
    return [{
      ...base(f.id, f.updated_at),
      kind: 'custom_field',
      name: f.title?.trim() || f.raw_title?.trim() || `Field ${f.id}`,
      type: FIELD_TYPE[f.type ?? ''] ?? 'other',
      groupRef: null,
      options: (f.custom_field_options ?? []).map((o) => ({ id: String(o.value ?? o.id ?? ''), label: o.name ?? String(o.value ?? '') })).filter((o) => o.id !== ''),
      required: f.required ?? false,
    }]
  })
}

/** Brand and ticket form are kept as dropdown fields of the ticket (their ids are on every ticket). */
export const BRAND_FIELD = 'brand'
export const FORM_FIELD = 'ticket_form'

export function pseudoField(id: typeof BRAND_FIELD | typeof FORM_FIELD, items: readonly unknown[]): Mapped {
  const options = items.flatMap((i) => {
    const p = namedWire.safeParse(i)
    return p.success ? [{ id: String(p.data.id), label: p.data.name ?? String(p.data.id) }] : []
  })
  const out = emptyMapped()
  if (options.length === 0) return out
  const def: CustomFieldDef = { ...base(id, null), kind: 'custom_field', name: id === BRAND_FIELD ? 'Brand' : 'Ticket form', type: 'dropdown', groupRef: null, options, required: false }
  mergeMapped(out, { records: [{ canonical: def, raw: { [id === BRAND_FIELD ? 'brands' : 'ticket_forms']: items } }], rejects: [] })
  return out
}

export type { KeyedFieldWire }
