// Lenient zod schemas of GenericTicketConnectorREST answers (znuny.md O2): only what an answer must hold to be
// usable is required; ids arrive as strings or numbers and are normalised to decimal strings.
import { z } from 'zod'
import { normalizeId } from '../ids.js'

/** An id as Znuny sends it (`"12"` or `12`), read as a decimal string. */
export const idSchema = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const id = normalizeId(v)
  if (id === null) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: `not an id: ${JSON.stringify(v)}` })
    return z.NEVER
  }
  return id
})

/** Strings that Znuny may send as numbers (or null for empty). */
const text = z
  .union([z.string(), z.number(), z.null()])
  .transform((v) => (v === null ? '' : String(v)))
  .optional()

/** The operation-level error every operation answers inside an HTTP 200. */
export const errorAnswerSchema = z.object({
  Error: z.object({ ErrorCode: text, ErrorMessage: text }).passthrough(),
})
export type ErrorAnswer = z.infer<typeof errorAnswerSchema>

export const sessionAnswerSchema = z.object({ SessionID: z.string().min(1) }).passthrough()

/** TicketCreate: one ArticleID, or (7.1+ with an article array) a list of them. */
export const createAnswerSchema = z
  .object({
    TicketID: idSchema,
    TicketNumber: z.union([z.string(), z.number()]).transform(String),
    ArticleID: z.union([idSchema, z.array(idSchema)]).optional(),
  })
  .passthrough()
export type CreateAnswer = z.infer<typeof createAnswerSchema>

/** TicketUpdate: TicketID always; ArticleID (one or a list) when articles were added. */
export const updateAnswerSchema = z
  .object({
    TicketID: idSchema,
    TicketNumber: z.union([z.string(), z.number()]).transform(String).optional(),
    ArticleID: z.union([idSchema, z.array(idSchema)]).optional(),
  })
  .passthrough()
export type UpdateAnswer = z.infer<typeof updateAnswerSchema>

const dynamicFieldSchema = z.object({ Name: z.string(), Value: z.unknown() }).passthrough()

export const attachmentSchema = z
  .object({
    Filename: text,
    ContentType: text,
    Content: text,
    ContentID: text,
    Disposition: text,
    FilesizeRaw: text,
    FileID: text,
  })
  .passthrough()
export type ZnAttachment = z.infer<typeof attachmentSchema>

export const articleSchema = z
  .object({
    ArticleID: idSchema,
    From: text,
    To: text,
    Cc: text,
    Subject: text,
    Body: text,
    ContentType: text,
    MimeType: text,
    SenderType: text,
    CommunicationChannel: text,
    CommunicationChannelID: text,
    IsVisibleForCustomer: text,
    IncomingTime: text,
    CreateTime: text,
    CreateBy: text,
    DynamicField: z.array(dynamicFieldSchema).optional(),
    // Absent (not []) when the article has none or Attachments=1 was not asked (znuny.md O2).
    Attachment: z.array(attachmentSchema).optional(),
  })
  .passthrough()
export type ZnArticle = z.infer<typeof articleSchema>

export const ticketSchema = z
  .object({
    TicketID: idSchema,
    TicketNumber: z.union([z.string(), z.number()]).transform(String),
    Title: text,
    State: text,
    StateType: text,
    Queue: text,
    Priority: text,
    Type: text,
    Owner: text,
    Lock: text,
    CustomerUserID: text,
    CustomerID: text,
    Created: text,
    Changed: text,
    DynamicField: z.array(dynamicFieldSchema).optional(),
    Article: z.array(articleSchema).optional(),
  })
  .passthrough()
export type ZnTicket = z.infer<typeof ticketSchema>

export const ticketGetAnswerSchema = z.object({ Ticket: z.array(ticketSchema) }).passthrough()

/** TicketSearch: `{"TicketID":[…]}`, or `{}` for no hit (znuny.md O2); a single id may come unwrapped. */
export const searchAnswerSchema = z
  .object({ TicketID: z.union([z.array(idSchema), idSchema]).optional() })
  .passthrough()
  .transform((a) => (a.TicketID === undefined ? [] : Array.isArray(a.TicketID) ? a.TicketID : [a.TicketID]))

export const historyAnswerSchema = z
  .object({
    TicketHistory: z.array(
      z
        .object({
          TicketID: idSchema,
          History: z.array(z.object({ HistoryType: text, Name: text, CreateTime: text, ArticleID: z.union([z.string(), z.number()]).optional() }).passthrough()).default([]),
        })
        .passthrough(),
    ),
  })
  .passthrough()
export type ZnHistory = z.infer<typeof historyAnswerSchema>['TicketHistory'][number]

/** The value of a ticket's dynamic field as text (multiselect values joined by `,`), or null when unset. */
export function dynamicFieldValue(t: { DynamicField?: readonly { Name: string; Value?: unknown }[] | undefined }, name: string): string | null {
  const v = t.DynamicField?.find((d) => d.Name === name)?.Value
  if (v === null || v === undefined || v === '') return null
  return Array.isArray(v) ? v.map(String).join(',') : String(v)
}
