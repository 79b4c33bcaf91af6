import { z } from 'zod'
import { emailAddressSchema, isoTimeSchema, recordBaseShape, recordRefSchema } from './common.js'

/** An agent (a user of the source helpdesk). Matched to target users by email. */
export const agentSchema = z.object({
  ...recordBaseShape,
  kind: z.literal('agent'),
  name: z.string(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  email: emailAddressSchema.nullable(),
  alternateEmails: z.array(emailAddressSchema).default([]),
  role: z.enum(['owner', 'admin', 'agent', 'light', 'other']),
  active: z.boolean(),
  timezone: z.string().nullable(),
  jobTitle: z.string().nullable(),
  phone: z.string().nullable(),
  createdAt: isoTimeSchema.nullable(),
})
export type Agent = z.infer<typeof agentSchema>

export const contactEmailSchema = z.object({
  value: emailAddressSchema,
  type: z.enum(['work', 'home', 'other']),
})
export const contactPhoneSchema = z.object({
  value: z.string().min(1),
  type: z.enum(['work', 'home', 'mobile', 'fax', 'pager', 'other']),
})

/** A typed handle: a social profile or chat account. `type` is the vendor's label, lower-cased. */
export const contactHandleSchema = z.object({ value: z.string().min(1), type: z.string() })

export const postalAddressSchema = z.object({
  lines: z.array(z.string()),
  city: z.string().nullable(),
  state: z.string().nullable(),
  postalCode: z.string().nullable(),
  country: z.string().nullable(),
})

/** A customer (end user, requester, contact). May have several emails and phones, or none. */
export const customerSchema = z.object({
  ...recordBaseShape,
  kind: z.literal('customer'),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  /** First entry is the main address. */
  emails: z.array(contactEmailSchema),
  phones: z.array(contactPhoneSchema),
  organizationRef: recordRefSchema.nullable(),
  /** Free-text company name when the vendor has no organisation object. */
  company: z.string().nullable(),
  jobTitle: z.string().nullable(),
  notes: z.string().nullable(),
  websites: z.array(z.string()).default([]),
  location: z.string().nullable().default(null),
  createdAt: isoTimeSchema.nullable(),
  /** Social profiles (`twitter`, `linkedin`, …) as the vendor typed them. Optional: not every source has them. */
  socialProfiles: z.array(contactHandleSchema).optional(),
  /** Chat / messenger handles (`aim`, `skype`, …). */
  chatHandles: z.array(contactHandleSchema).optional(),
  /** Postal address, when the vendor keeps one. */
  address: postalAddressSchema.nullable().optional(),
  /** Custom properties on the person (name, stored value, display text). */
  properties: z.array(z.object({ name: z.string(), value: z.string().nullable(), text: z.string().nullable() })).optional(),
})
export type Customer = z.infer<typeof customerSchema>
