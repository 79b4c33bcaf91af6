import { z } from 'zod'
import { channelSchema, ticketStatusSchema } from './ticket.js'
import { emailAddressSchema, isoTimeSchema, recordBaseShape, recordRefSchema } from './common.js'

export const messageTypeSchema = z.enum(['customer_message', 'agent_reply', 'internal_note', 'system_event'])
export type MessageType = z.infer<typeof messageTypeSchema>

export const messageAuthorSchema = z.object({
  role: z.enum(['customer', 'agent', 'system']),
  ref: recordRefSchema.nullable(),
  name: z.string().nullable(),
  email: emailAddressSchema.nullable(),
})
export type MessageAuthor = z.infer<typeof messageAuthorSchema>

/** One entry in a ticket's history: a customer message, an agent reply, an internal note or a system event. */
export const messageSchema = z.object({
  ...recordBaseShape,
  kind: z.literal('message'),
  ticketRef: recordRefSchema,
  type: messageTypeSchema,
  author: messageAuthorSchema,
  bodyHtml: z.string().nullable(),
  bodyText: z.string().nullable(),
  from: emailAddressSchema.nullable(),
  to: z.array(emailAddressSchema),
  cc: z.array(emailAddressSchema),
  bcc: z.array(emailAddressSchema),
  createdAt: isoTimeSchema,
  /** RFC 5322 Message-ID of the email this came from, when the source knows it. */
  messageId: z.string().nullable(),
  channel: channelSchema,
  /** Oldest first, 0-based: the stable order inside the ticket even when timestamps tie. */
  position: z.number().int().nonnegative(),
  /** For system events: what happened (vendor action type) and the human text. */
  event: z.object({ action: z.string(), text: z.string().nullable() }).nullable(),
  /** Ticket status after this message, when the source says it changed. */
  statusAfter: ticketStatusSchema.nullable(),
  /** Assignee at that moment, when known. */
  assigneeRef: recordRefSchema.nullable(),
  /** Forwarded or phone messages, for targets that mark them. */
  subtype: z.enum(['forward', 'phone', 'chat']).nullable(),
  /** When the customer opened (viewed) this reply, when the source tracks it. */
  openedAt: isoTimeSchema.nullable().optional(),
  /** The customer's satisfaction rating of this reply and their comment. */
  rating: z.object({ value: z.string(), comment: z.string().nullable() }).nullable().optional(),
  /**
   * `src` of every `<img>` in the body that is a remote http(s) URL (vendor CDN images, tracking pixels,
   * external images), in body order: what an inline-image download step has to look at.
   */
  inlineImageUrls: z.array(z.string()).optional(),
})
export type Message = z.infer<typeof messageSchema>
