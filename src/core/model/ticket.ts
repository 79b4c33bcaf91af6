import { z } from 'zod'
import { customFieldValueSchema } from './custom-field.js'
import { emailAddressSchema, isoTimeSchema, recordBaseShape, recordRefSchema } from './common.js'

export const TICKET_STATUSES = ['open', 'pending', 'closed', 'spam'] as const
export const ticketStatusSchema = z.enum(TICKET_STATUSES)
export type TicketStatus = z.infer<typeof ticketStatusSchema>

export const channelSchema = z.enum(['email', 'chat', 'phone', 'web', 'api', 'social', 'other'])
export type Channel = z.infer<typeof channelSchema>

/** A ticket / conversation / case. */
export const ticketSchema = z.object({
  ...recordBaseShape,
  kind: z.literal('ticket'),
  /** The number agents and customers quote ("#1234"). */
  number: z.number().int().nonnegative().nullable(),
  subject: z.string(),
  status: ticketStatusSchema,
  /** The vendor's own status value, kept so mapping config can name it. */
  vendorStatus: z.string(),
  /** Deleted / trashed in the source but still readable. */
  deleted: z.boolean(),
  priority: z.enum(['low', 'normal', 'high', 'urgent']).nullable(),
  channel: channelSchema,
  groupRef: recordRefSchema.nullable(),
  assigneeRef: recordRefSchema.nullable(),
  customerRef: recordRefSchema.nullable(),
  /** Who opened it: a customer or an agent. */
  createdByRef: recordRefSchema.nullable(),
  cc: z.array(emailAddressSchema),
  bcc: z.array(emailAddressSchema),
  tags: z.array(z.string()),
  customFields: z.array(customFieldValueSchema),
  createdAt: isoTimeSchema,
  updatedAt: isoTimeSchema.nullable(),
  closedAt: isoTimeSchema.nullable(),
  closedByRef: recordRefSchema.nullable(),
  /** Source ids of tickets merged into this one (they answer with a redirect now). */
  mergedFrom: z.array(z.string()).default([]),
  /**
   * The customer's address when the source named the customer without an id it could resolve (`customerRef`
   * null): targets find or create the customer by it. Optional, absent on sources that always give ids.
   */
  customerEmail: emailAddressSchema.nullable().optional(),
  /** Snoozed until this instant, by whom (the source's "snooze" / "remind me"). */
  snooze: z.object({ until: isoTimeSchema.nullable(), byRef: recordRefSchema.nullable() }).nullable().optional(),
})
export type Ticket = z.infer<typeof ticketSchema>
