// zod schemas of the Help Scout Mailbox API 2.0 payloads deskmove reads (sources.md §1.2).
// They describe only what the mapping uses; unknown keys pass through so vendor additions never break a read.
import { z } from 'zod'
import { isoTimeSchema } from '../../../src/core/model/common.js'

/** Help Scout ids are integers on the wire; strings are accepted so a simulator may use either. */
export const wireIdSchema = z.union([z.number().int(), z.string().min(1)]).transform((v) => String(v))
const isoSchema = isoTimeSchema
const optText = z.string().nullish()
// Lenient at the boundary: anything the docs do not promise on every object is optional, and a
// timestamp that is "" or malformed reads as absent (the gap becomes a warning, not a reject).
const lenientIso = z.unknown().transform((v) => (typeof v === 'string' && isoSchema.safeParse(v).success ? v : null))
const optIso = lenientIso

/** HAL page block: `number` is 1-based; `_embedded` is absent, not empty, on an empty page (§1.7 #10). */
export const halPageInfoSchema = z
  .object({
    number: z.number().int().nonnegative(),
    totalPages: z.number().int().nonnegative(),
    size: z.number().int().optional(),
    totalElements: z.number().int().optional(),
  })
  .passthrough()
export type HalPageInfo = z.infer<typeof halPageInfoSchema>

/** A list envelope whose items are validated one by one, so one bad item never sinks its page. */
export function halListSchema(key: string) {
  return z
    .object({
      _embedded: z.object({ [key]: z.array(z.unknown()).optional() }).passthrough().optional(),
      page: halPageInfoSchema.optional(),
    })
    .passthrough()
}

export const tokenResponseSchema = z
  .object({ access_token: z.string().min(1), token_type: z.string().optional(), expires_in: z.number().optional() })
  .passthrough()

export const userSchema = z
  .object({
    id: wireIdSchema,
    firstName: optText,
    lastName: optText,
    email: optText,
    role: optText,
    timezone: optText,
    type: optText,
    jobTitle: optText,
    phone: optText,
    alternateEmails: z.array(z.string()).nullish(),
    status: optText,
    createdAt: optIso,
    updatedAt: optIso,
  })
  .passthrough()
export type WireUser = z.infer<typeof userSchema>

export const mailboxSchema = z
  .object({ id: wireIdSchema, name: z.string(), slug: optText, email: optText, createdAt: optIso, updatedAt: optIso })
  .passthrough()
export type WireMailbox = z.infer<typeof mailboxSchema>

export const fieldSchema = z
  .object({
    id: wireIdSchema,
    name: z.string(),
    type: z.string(),
    required: z.boolean().nullish(),
    order: z.number().nullish(),
    options: z.array(z.object({ id: wireIdSchema, label: z.string(), order: z.number().nullish() }).passthrough()).nullish(),
  })
  .passthrough()
export type WireField = z.infer<typeof fieldSchema>

export const tagSchema = z
  .object({ id: wireIdSchema, name: z.string().min(1), slug: optText, color: optText, createdAt: optIso, updatedAt: optIso })
  .passthrough()
export type WireTag = z.infer<typeof tagSchema>

/** Organisation fields are not fully documented (sources.md §1.2 "[?]"); only id and name are required. */
export const organizationSchema = z
  .object({
    id: wireIdSchema,
    name: z.string(),
    domains: z.array(z.string()).nullish(),
    description: optText,
    note: optText,
    website: optText,
    createdAt: optIso,
    updatedAt: optIso,
  })
  .passthrough()
export type WireOrganization = z.infer<typeof organizationSchema>

/** One entry of a customer's emails / phones / chats / social profiles / websites. */
export const contactEntrySchema = z.object({ id: wireIdSchema.nullish(), value: optText, type: optText }).passthrough()
export type WireContactEntry = z.infer<typeof contactEntrySchema>

export const addressSchema = z
  .object({
    lines: z.array(z.string().nullish()).nullish(),
    city: optText,
    state: optText,
    postalCode: optText,
    country: optText,
  })
  .passthrough()
export type WireAddress = z.infer<typeof addressSchema>

/** `properties[]`: customer properties (custom fields on people); `value` may be a string, number or bool. */
export const customerPropertySchema = z
  .object({
    slug: optText,
    name: optText,
    type: optText,
    value: z.union([z.string(), z.number(), z.boolean()]).nullish(),
    text: optText,
  })
  .passthrough()
export type WireCustomerProperty = z.infer<typeof customerPropertySchema>

const entries = z.array(contactEntrySchema).nullish()

/**
 * A customer. `_embedded` is present on list and get responses of most accounts but not promised: without
 * it the sub-resources (`/customers/{id}/emails|phones|…`) hold the same entries. Help Scout spells the
 * social profiles key `social_profiles` in `_embedded` and `social-profiles` in the sub-resource.
 */
export const customerSchema = z
  .object({
    id: wireIdSchema,
    firstName: optText,
    lastName: optText,
    jobTitle: optText,
    location: optText,
    organization: optText,
    organizationId: wireIdSchema.nullish(),
    background: optText,
    gender: optText,
    age: optText,
    createdAt: lenientIso,
    updatedAt: lenientIso,
    _embedded: z
      .object({
        emails: entries,
        phones: entries,
        chats: entries,
        social_profiles: entries,
        'social-profiles': entries,
        websites: entries,
        address: addressSchema.nullish(),
        properties: z.array(customerPropertySchema).nullish(),
      })
      .passthrough()
      .nullish(),
  })
  .passthrough()
export type WireCustomer = z.infer<typeof customerSchema>

/**
 * `createdBy` / `assignee` / `assignedTo` / `primaryCustomer` / `closedByUser`: `type` is user | customer |
 * team (| system_user in v3), but real payloads omit `id` on embedded people and `type` on assignees.
 */
export const personRefSchema = z
  .object({ id: wireIdSchema.nullish(), type: optText, first: optText, last: optText, email: optText })
  .passthrough()
export type WirePersonRef = z.infer<typeof personRefSchema>

export const attachmentSchema = z
  .object({
    id: wireIdSchema,
    // Read responses spell it `filename`; uploads use `fileName` (sources.md §1.2 Attachments).
    filename: optText,
    fileName: optText,
    mimeType: optText,
    size: z.number().int().nonnegative().nullish(),
    contentId: optText,
  })
  .passthrough()
export type WireAttachment = z.infer<typeof attachmentSchema>

/** Satisfaction rating on a reply (`great` | `okay` | `not-good`), with the customer's comment. */
export const ratingSchema = z
  .object({ customerId: wireIdSchema.nullish(), rating: optText, comments: optText })
  .passthrough()

export const threadSchema = z
  .object({
    id: wireIdSchema,
    type: optText,
    status: optText,
    state: optText,
    action: z
      .object({ type: optText, text: optText, associatedEntities: z.unknown().optional() })
      .passthrough()
      .nullish(),
    // Legacy (v1) merge line items name the other conversation here.
    actionSourceId: wireIdSchema.nullish(),
    body: optText,
    customer: personRefSchema.nullish(),
    createdBy: personRefSchema.nullish(),
    assignedTo: personRefSchema.nullish(),
    to: z.array(z.string().nullish()).nullish(),
    cc: z.array(z.string().nullish()).nullish(),
    bcc: z.array(z.string().nullish()).nullish(),
    createdAt: lenientIso,
    openedAt: lenientIso,
    rating: ratingSchema.nullish(),
    scheduled: z.object({ scheduledFor: lenientIso, scheduledBy: wireIdSchema.nullish() }).passthrough().nullish(),
    _embedded: z.object({ attachments: z.array(z.unknown()).nullish() }).passthrough().nullish(),
  })
  .passthrough()
export type WireThread = z.infer<typeof threadSchema>

export const conversationSchema = z
  .object({
    id: wireIdSchema,
    number: z.number().int().nonnegative().nullish(),
    type: optText,
    status: optText,
    state: optText,
    subject: optText,
    mailboxId: wireIdSchema.nullish(),
    assignee: personRefSchema.nullish(),
    createdBy: personRefSchema.nullish(),
    primaryCustomer: personRefSchema.nullish(),
    createdAt: lenientIso,
    closedAt: lenientIso,
    closedBy: wireIdSchema.nullish(),
    closedByUser: personRefSchema.nullish(),
    userUpdatedAt: lenientIso,
    customerWaitingSince: z.object({ time: lenientIso }).passthrough().nullish(),
    snooze: z
      .object({ snoozedBy: wireIdSchema.nullish(), snoozedUntil: lenientIso, unsnoozeOnCustomerReply: z.boolean().nullish() })
      .passthrough()
      .nullish(),
    tags: z.array(z.object({ id: wireIdSchema.nullish(), tag: optText, name: optText }).passthrough()).nullish(),
    cc: z.array(z.string().nullish()).nullish(),
    bcc: z.array(z.string().nullish()).nullish(),
    customFields: z
      .array(
        z
          .object({
            id: wireIdSchema.nullish(),
            name: optText,
            value: z.union([z.string(), z.number(), z.boolean()]).nullish(),
            text: optText,
          })
          .passthrough(),
      )
      .nullish(),
    _embedded: z.object({ threads: z.array(z.unknown()).nullish() }).passthrough().nullish(),
  })
  .passthrough()
export type WireConversation = z.infer<typeof conversationSchema>
