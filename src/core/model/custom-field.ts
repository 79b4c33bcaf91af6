import { z } from 'zod'
import { recordBaseShape, recordRefSchema } from './common.js'

/** A custom field definition (per group where the vendor scopes fields to mailboxes). */
export const customFieldDefSchema = z.object({
  ...recordBaseShape,
  kind: z.literal('custom_field'),
  name: z.string(),
  type: z.enum(['text', 'multiline', 'number', 'date', 'dropdown', 'checkbox', 'other']),
  groupRef: recordRefSchema.nullable(),
  options: z.array(z.object({ id: z.string(), label: z.string() })).default([]),
  required: z.boolean().default(false),
})
export type CustomFieldDef = z.infer<typeof customFieldDefSchema>

/** A value on a ticket; `text` is the human-readable form (dropdown label). */
export const customFieldValueSchema = z.object({
  fieldId: z.string(),
  name: z.string(),
  value: z.string().nullable(),
  text: z.string().nullable(),
})
export type CustomFieldValue = z.infer<typeof customFieldValueSchema>
