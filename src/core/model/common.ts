import { z } from 'zod'

/** Every kind of record deskmove stages. The plural forms are the keys of `status --json` counts. */
export const ENTITY_KINDS = [
  'agent',
  'customer',
  'organization',
  'group',
  'ticket',
  'message',
  'attachment',
  'tag',
  'custom_field',
] as const
export const entityKindSchema = z.enum(ENTITY_KINDS)
export type EntityKind = z.infer<typeof entityKindSchema>

/** The plural key used in reports and `status --json` for each kind. */
export const KIND_PLURAL: Readonly<Record<EntityKind, string>> = {
  agent: 'agents',
  customer: 'customers',
  organization: 'organizations',
  group: 'groups',
  ticket: 'tickets',
  message: 'messages',
  attachment: 'attachments',
  tag: 'tags',
  custom_field: 'custom_fields',
}

/** The kinds `status --json` always reports, in dependency order. */
export const REPORTED_KINDS: readonly EntityKind[] = [
  'agent',
  'customer',
  'organization',
  'group',
  'ticket',
  'message',
  'attachment',
]

/**
 * An ISO-8601 instant with a zone (`Z` or `±hh:mm`). A precompiled pattern: zod's own `.datetime()`
 * builds its regular expression on every parse, which showed up as a hot spot when staging 100k tickets.
 */
export const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)$/
export const isoTimeSchema = z.string().regex(ISO_INSTANT, 'expected an ISO-8601 date-time with a time zone')

/** A reference to another canonical record of the same source: never a target id. */
export const recordRefSchema = z.object({
  kind: entityKindSchema,
  sourceId: z.string().min(1),
})
export type RecordRef = z.infer<typeof recordRefSchema>

/** Identity and freshness every canonical record carries. */
export const recordBaseShape = {
  source: z.string().min(1),
  sourceId: z.string().min(1),
  sourceUpdatedAt: isoTimeSchema.nullable(),
  /** Where a person can look at the record in the vendor's UI, when known (provenance notes). */
  sourceUrl: z.string().nullable().default(null),
}

export const emailAddressSchema = z.string().min(1).max(320)
