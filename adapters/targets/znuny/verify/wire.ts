// TicketGet replies as verify reads them (znuny.md O2): lenient zod, IDs as strings or numbers, the `Attachment`
// key absent when an article has none, errors inside a 200 as `{Error:{ErrorCode, ErrorMessage}}`.
import { z } from 'zod'

const id = z.union([z.string(), z.number()]).transform((v) => String(v))
const text = z.union([z.string(), z.number()]).nullish().transform((v) => (v === null || v === undefined ? null : String(v)))
const num = z.union([z.string(), z.number()]).nullish().transform((v) => (v === null || v === undefined || v === '' ? null : Number(v)))

export const wireAttachment = z
  .object({ Filename: text, ContentType: text, Content: text, FilesizeRaw: num, Disposition: text, ContentID: text })
  .passthrough()

export const wireArticle = z
  .object({
    ArticleID: id,
    Subject: text,
    From: text,
    To: text,
    Cc: text,
    SenderType: text,
    CommunicationChannelID: num,
    CommunicationChannel: text.optional(),
    IsVisibleForCustomer: num,
    IncomingTime: num,
    CreateTime: text,
    ContentType: text,
    Attachment: z.array(wireAttachment).optional(),
  })
  .passthrough()

export const wireTicket = z
  .object({
    TicketID: id,
    TicketNumber: text,
    Title: text,
    State: text,
    StateType: text,
    Queue: text,
    Priority: text,
    Type: text,
    CustomerUserID: text,
    CustomerID: text,
    Owner: text,
    Created: text,
    Changed: text,
    DynamicField: z.array(z.object({ Name: z.string(), Value: z.unknown() }).passthrough()).optional(),
    Article: z.array(wireArticle).optional(),
  })
  .passthrough()

export const wireTicketGet = z.union([
  z.object({ Error: z.object({ ErrorCode: z.string(), ErrorMessage: z.string().optional() }) }),
  z.object({ Ticket: z.array(wireTicket) }),
])

export type WireTicket = z.infer<typeof wireTicket>
export type WireArticle = z.infer<typeof wireArticle>

/** Communication channel ids of a stock Znuny (B.4): the API reports only the id. */
export const CHANNEL_NAMES: Readonly<Record<number, string>> = { 1: 'Email', 2: 'Phone', 3: 'Internal', 4: 'Chat' }

/** The TicketGet query verify uses: every article in id order, attachment contents, dynamic fields. */
export const TICKET_GET_QUERY = { AllArticles: '1', Attachments: '1', GetAttachmentContents: '1', DynamicFields: '1', ArticleOrder: 'ASC' } as const
