import { z } from 'zod'
import { emailAddressSchema, isoTimeSchema, recordBaseShape } from './common.js'

/** A mailbox (Help Scout, FreeScout), group (Zendesk, Freshdesk, Kayako) or queue (Znuny). */
export const groupSchema = z.object({
  ...recordBaseShape,
  kind: z.literal('group'),
  name: z.string(),
  email: emailAddressSchema.nullable(),
  createdAt: isoTimeSchema.nullable(),
})
export type Group = z.infer<typeof groupSchema>
