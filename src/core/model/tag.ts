import { z } from 'zod'
import { recordBaseShape } from './common.js'

export const tagSchema = z.object({
  ...recordBaseShape,
  kind: z.literal('tag'),
  name: z.string().min(1),
  color: z.string().nullable(),
})
export type Tag = z.infer<typeof tagSchema>
