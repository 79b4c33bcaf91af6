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
})
export type Customer = z.infer<typeof customerSchema>
