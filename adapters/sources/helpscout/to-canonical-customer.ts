// PURE mapping of a Help Scout customer to the canonical customer: every detail the API holds (emails,
// phones, websites, social profiles, chat handles, address, organisation, background, properties), read
// from the customer's `_embedded` when present, otherwise from its sub-resources (`parts`).
import type { Customer } from '../../../src/core/model/person.js'
import { ISO_INSTANT } from '../../../src/core/model/common.js'
import type { RecordWarning } from '../../../src/core/source.js'
import { customerSchema } from './wire.js'
import type { WireAddress, WireContactEntry, WireCustomer, WireCustomerProperty } from './wire.js'
import { emptyMapped, mapItem } from '../../../src/kits/source/mapping-result.js'
import type { Mapped } from '../../../src/kits/source/mapping-result.js'
import { SOURCE, nonEmpty, refTo } from './canonical-refs.js'

/**
 * A customer's details fetched from `/customers/{id}/emails|phones|chats|social-profiles|websites|address|
 * properties` when the customer object came without `_embedded`. Each is the list (or object) as served.
 */
export interface CustomerParts {
  readonly emails?: readonly unknown[]
  readonly phones?: readonly unknown[]
  readonly chats?: readonly unknown[]
  readonly socialProfiles?: readonly unknown[]
  readonly websites?: readonly unknown[]
  readonly address?: unknown
  readonly properties?: readonly unknown[]
}

/** The sub-resources a customer must be completed with: none when `_embedded` is there. */
export const CUSTOMER_PARTS = ['emails', 'phones', 'chats', 'social-profiles', 'websites', 'address', 'properties'] as const

/** True when the customer payload came without its details, so its sub-resources hold them. */
export function needsCustomerParts(raw: unknown): boolean {
  return raw !== null && typeof raw === 'object' && 'id' in raw && (raw as { _embedded?: unknown })._embedded == null
}

/** Folds fetched sub-resources into the payload's `_embedded`, so the staged raw is whole too. */
export function withCustomerParts(raw: unknown, parts: CustomerParts): unknown {
  const r = raw as Record<string, unknown>
  const emb: Record<string, unknown> = { ...((r._embedded as Record<string, unknown> | null | undefined) ?? {}) }
  if (parts.emails) emb.emails = parts.emails
  if (parts.phones) emb.phones = parts.phones
  if (parts.chats) emb.chats = parts.chats
  if (parts.socialProfiles) emb.social_profiles = parts.socialProfiles
  if (parts.websites) emb.websites = parts.websites
  if (parts.address !== undefined) emb.address = parts.address
  if (parts.properties) emb.properties = parts.properties
  return { ...r, _embedded: emb }
}

const EMAIL_TYPES = new Set(['work', 'home', 'other'])
const PHONE_TYPES = new Set(['work', 'home', 'mobile', 'fax', 'pager', 'other'])
function contactType<T extends string>(type: string | null | undefined, allowed: ReadonlySet<string>): T {
  const t = (type ?? 'other').toLowerCase()
  return (allowed.has(t) ? t : 'other') as T
}

const withValue = (list: readonly WireContactEntry[] | null | undefined): (WireContactEntry & { value: string })[] =>
  (list ?? []).filter((e): e is WireContactEntry & { value: string } => nonEmpty(e.value) !== null)

const handles = (list: readonly WireContactEntry[] | null | undefined): { value: string; type: string }[] =>
  withValue(list).map((e) => ({ value: e.value, type: (nonEmpty(e.type) ?? 'other').toLowerCase() }))

function addressOf(a: WireAddress | null | undefined): Customer['address'] {
  if (!a) return null
  const lines = (a.lines ?? []).filter((l): l is string => nonEmpty(l) !== null)
  const out = { lines, city: nonEmpty(a.city), state: nonEmpty(a.state), postalCode: nonEmpty(a.postalCode), country: nonEmpty(a.country) }
  return lines.length === 0 && out.city === null && out.state === null && out.postalCode === null && out.country === null ? null : out
}

const propertyOf = (p: WireCustomerProperty): NonNullable<Customer['properties']>[number] | null => {
  const name = nonEmpty(p.name) ?? nonEmpty(p.slug)
  if (name === null) return null
  return { name, value: p.value === null || p.value === undefined ? null : String(p.value), text: nonEmpty(p.text) }
}

/**
 * customer → customer. Several emails and phones are normal; the first email is the main one. Without
 * `_embedded` (and no `parts` fetched) the details are unknown, which the warning says.
 */
export function toCustomer(c: WireCustomer, warn: (w: RecordWarning) => void = () => undefined): Customer {
  const emb = c._embedded
  if (!emb) warn({ code: 'customer-details-missing', detail: 'customer came without _embedded and its sub-resources were not read: emails, phones and the rest are unknown' })
  const e = emb ?? {}
  const properties = (e.properties ?? []).map(propertyOf).filter((p): p is NonNullable<typeof p> => p !== null)
  const address = addressOf(e.address)
  const social = handles([...(e.social_profiles ?? []), ...(e['social-profiles'] ?? [])])
  const chats = handles(e.chats)
  return {
    source: SOURCE,
    kind: 'customer',
    sourceId: c.id,
    sourceUpdatedAt: c.updatedAt ?? c.createdAt ?? null,
    sourceUrl: null,
    firstName: nonEmpty(c.firstName),
    lastName: nonEmpty(c.lastName),
    emails: withValue(e.emails).map((m) => ({ value: m.value.trim(), type: contactType<Customer['emails'][number]['type']>(m.type, EMAIL_TYPES) })),
    phones: withValue(e.phones).map((p) => ({ value: p.value, type: contactType<Customer['phones'][number]['type']>(p.type, PHONE_TYPES) })),
    organizationRef: refTo('organization', c.organizationId),
    company: nonEmpty(c.organization),
    jobTitle: nonEmpty(c.jobTitle),
    notes: nonEmpty(c.background),
    websites: withValue(e.websites).map((w) => w.value),
    location: nonEmpty(c.location),
    createdAt: c.createdAt ?? null,
    ...(social.length > 0 ? { socialProfiles: social } : {}),
    ...(chats.length > 0 ? { chatHandles: chats } : {}),
    ...(address ? { address } : {}),
    ...(properties.length > 0 ? { properties } : {}),
  }
}

/** Timestamps the payload has but that are no ISO instant: read as absent, and said so. */
export function unreadableTimes(raw: unknown, keys: readonly string[]): RecordWarning[] {
  if (raw === null || typeof raw !== 'object') return []
  const r = raw as Record<string, unknown>
  return keys
    .filter((k) => typeof r[k] === 'string' && r[k] !== '' && !ISO_INSTANT.test(r[k] as string))
    .map((k) => ({ code: 'timestamp-unreadable', detail: `${k} "${String(r[k]).slice(0, 40)}" is no ISO instant; read as absent` }))
}

/** Maps one customer payload (optionally completed with its sub-resources); warnings ride on the record. */
export function mapCustomer(raw: unknown, where: string, parts?: CustomerParts): Mapped {
  const whole = parts ? withCustomerParts(raw, parts) : raw
  const warnings: RecordWarning[] = unreadableTimes(whole, ['createdAt', 'updatedAt'])
  const m = mapItem('customer', whole, customerSchema, where, (c) => [toCustomer(c, (w) => warnings.push(w))])
  if (warnings.length === 0) return m
  const out = emptyMapped()
  out.records.push(...m.records.map((r) => ({ ...r, warnings })))
  out.rejects.push(...m.rejects)
  return out
}
