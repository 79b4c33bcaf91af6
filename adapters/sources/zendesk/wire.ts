// Zendesk wire schemas: lenient at the boundary. Only what a record cannot exist without is required (its
// id, a ticket's status); everything the docs show but real accounts leave out or null is optional
// (VENDOR-SHAPES.md Zendesk: null subjects, `submitter_id: -1`, users without email, numbers as strings).
import { z } from 'zod'

/** Ids exceed 32 bits but stay below 2^53; some payloads give them as strings. */
export const zid = z.union([z.number().int(), z.string().regex(/^-?\d+$/).transform(Number)])
const optId = zid.nullable().optional()
const text = z.string().nullable().optional()
const bool = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]).nullable().optional()
const num = z.union([z.number(), z.string().regex(/^\d+(\.\d+)?$/).transform(Number)]).nullable().optional()
const ids = z.array(zid).nullable().optional()
const tags = z.array(z.string()).nullable().optional()

export const userWire = z.object({
  id: zid,
  name: text,
  email: text,
  phone: text,
  role: text,
  active: bool,
  suspended: bool,
  time_zone: text,
  organization_id: optId,
  notes: text,
  details: text,
  tags,
  user_fields: z.record(z.unknown()).nullable().optional(),
  permanently_deleted: bool,
  created_at: text,
  updated_at: text,
}).passthrough()
export type UserWire = z.output<typeof userWire>

export const organizationWire = z.object({
  id: zid,
  name: text,
  domain_names: z.array(z.string()).nullable().optional(),
  details: text,
  notes: text,
  tags,
  organization_fields: z.record(z.unknown()).nullable().optional(),
  created_at: text,
  updated_at: text,
  deleted_at: text,
}).passthrough()
export type OrganizationWire = z.output<typeof organizationWire>

export const groupWire = z.object({ id: zid, name: text, deleted: bool, created_at: text, updated_at: text }).passthrough()
export type GroupWire = z.output<typeof groupWire>

/** Brands and ticket forms: only their names are needed (tickets carry `brand_id` / `ticket_form_id`). */
export const namedWire = z.object({ id: zid, name: text }).passthrough()

const fieldOption = z.object({ id: optId, name: text, value: z.union([z.string(), z.number()]).nullable().optional() }).passthrough()
export const ticketFieldWire = z.object({
  id: zid,
  type: text,
  title: text,
  raw_title: text,
  active: bool,
  required: bool,
  custom_field_options: z.array(fieldOption).nullable().optional(),
  created_at: text,
  updated_at: text,
}).passthrough()
export type TicketFieldWire = z.output<typeof ticketFieldWire>

/** User and organisation field definitions are keyed by `key` on the records. */
export const keyedFieldWire = z.object({ id: optId, key: z.string(), type: text, title: text, custom_field_options: z.array(fieldOption).nullable().optional() }).passthrough()
export type KeyedFieldWire = z.output<typeof keyedFieldWire>

const party = z.object({ address: text, name: text }).passthrough()
export const viaWire = z
  .object({
    channel: z.union([z.string(), z.number()]).nullable().optional(),
    source: z.object({ from: z.unknown().optional(), to: z.unknown().optional(), rel: text }).passthrough().nullable().optional(),
  })
  .passthrough()
export type ViaWire = z.output<typeof viaWire>
export const emailParty = party

const customValue = z.object({ id: zid, value: z.unknown().optional() }).passthrough()
export const ticketWire = z.object({
  id: zid,
  subject: text,
  raw_subject: text,
  description: text,
  status: z.string(),
  priority: text,
  type: text,
  requester_id: optId,
  submitter_id: optId,
  assignee_id: optId,
  organization_id: optId,
  group_id: optId,
  brand_id: optId,
  ticket_form_id: optId,
  collaborator_ids: ids,
  follower_ids: ids,
  email_cc_ids: ids,
  tags,
  custom_fields: z.array(customValue).nullable().optional(),
  via: viaWire.nullable().optional(),
  satisfaction_rating: z.unknown().optional(),
  created_at: text,
  updated_at: text,
  generated_timestamp: num,
}).passthrough()
export type TicketWire = z.output<typeof ticketWire>

const thumbnail = z.object({ id: optId }).passthrough()
export const attachmentWire = z.object({
  id: zid,
  file_name: text,
  content_url: z.string().min(1),
  content_type: text,
  size: num,
  inline: bool,
  deleted: bool,
  thumbnails: z.array(thumbnail).nullable().optional(),
}).passthrough()
export type AttachmentWire = z.output<typeof attachmentWire>

export const commentWire = z.object({
  id: zid,
  type: text,
  author_id: optId,
  body: text,
  html_body: text,
  plain_body: text,
  public: bool,
  attachments: z.array(z.unknown()).nullable().optional(),
  via: viaWire.nullable().optional(),
  /** Voice comments: call details instead of a body. */
  data: z.record(z.unknown()).nullable().optional(),
  created_at: text,
}).passthrough()
export type CommentWire = z.output<typeof commentWire>

/** `/users/me`: wrong credentials answer 200 with an anonymous user whose `id` is null. */
export const meWire = z.object({ user: z.object({ id: zid.nullable().optional(), role: text, email: text }).passthrough() }).passthrough()

/** The cursor-based incremental tickets export. */
export const cursorExportWire = z.object({
  tickets: z.array(z.unknown()),
  after_cursor: text,
  after_url: text,
  end_of_stream: bool,
  users: z.array(z.unknown()).nullable().optional(),
}).passthrough()

/** The time-based incremental exports (users, organisations): `next_page` is followed verbatim. */
export const timeExportWire = z.object({ next_page: text, end_time: num, end_of_stream: bool, count: num }).passthrough()

/** Cursor-based list pagination (`page[size]`): loop on `meta.has_more`, the last page still has `links.next`. */
export const cbpWire = z.object({
  meta: z.object({ has_more: bool, after_cursor: text }).passthrough(),
  links: z.object({ next: text }).passthrough().nullable().optional(),
}).passthrough()

/** The error bodies' several shapes (VENDOR-SHAPES.md Zendesk #22), reduced to one line. */
export function errorText(body: unknown): string {
  if (typeof body === 'string') return body.trim().slice(0, 300)
  if (body === null || typeof body !== 'object') return ''
  const b = body as Record<string, unknown>
  const parts: string[] = []
  const e = b.error
  if (typeof e === 'string') parts.push(e)
  else if (e && typeof e === 'object') {
    const o = e as Record<string, unknown>
    parts.push(...[o.title, o.message].filter((x): x is string => typeof x === 'string'))
  }
  if (typeof b.description === 'string') parts.push(b.description)
  if (Array.isArray(b.errors)) parts.push(...b.errors.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))))
  if (b.details !== undefined) parts.push(typeof b.details === 'string' ? b.details : JSON.stringify(b.details))
  return parts.join(': ').slice(0, 300)
}
