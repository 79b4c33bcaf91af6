import { z } from 'zod'
import { isoTimeSchema, recordBaseShape } from './common.js'

export const organizationSchema = z.object({
  ...recordBaseShape,
  kind: z.literal('organization'),
  name: z.string(),
  domains: z.array(z.string()).default([]),
  notes: z.string().nullable().default(null),
  createdAt: isoTimeSchema.nullable(),
})
export type Organization = z.infer<typeof organizationSchema>
