// The canonical model: one schema per kind, and the union that staging stores.
import { z } from 'zod'
import { agentSchema, customerSchema } from './person.js'
import { organizationSchema } from './organization.js'
import { groupSchema } from './group.js'
import { ticketSchema } from './ticket.js'
import { messageSchema } from './message.js'
import { attachmentSchema } from './attachment.js'
import { tagSchema } from './tag.js'
import { customFieldDefSchema } from './custom-field.js'
import type { EntityKind } from './common.js'

export const canonicalRecordSchema = z.discriminatedUnion('kind', [
  agentSchema,
  customerSchema,
  organizationSchema,
  groupSchema,
  ticketSchema,
  messageSchema,
  attachmentSchema,
  tagSchema,
  customFieldDefSchema,
])
export type CanonicalRecord = z.infer<typeof canonicalRecordSchema>
export type CanonicalOf<K extends EntityKind> = Extract<CanonicalRecord, { kind: K }>

export const schemaByKind = {
  agent: agentSchema,
  customer: customerSchema,
  organization: organizationSchema,
  group: groupSchema,
  ticket: ticketSchema,
  message: messageSchema,
  attachment: attachmentSchema,
  tag: tagSchema,
  custom_field: customFieldDefSchema,
} as const satisfies Record<EntityKind, z.ZodTypeAny>
