import { z } from 'zod'
import { recordBaseShape, recordRefSchema } from './common.js'

/** Opaque, source-specific instructions for fetching the bytes later (JSON, no secrets). */
export const attachmentRefSchema = z.record(z.unknown())
export type AttachmentRef = z.infer<typeof attachmentRefSchema>

export const attachmentSchema = z.object({
  ...recordBaseShape,
  kind: z.literal('attachment'),
  ticketRef: recordRefSchema,
  messageRef: recordRefSchema,
  /** As the vendor gave it: may contain `/`, `..`, NUL; never used as a path. */
  fileName: z.string(),
  contentType: z.string(),
  /** Size the vendor declared; the stored blob's size is authoritative once fetched. */
  size: z.number().int().nonnegative().nullable(),
  /** Set once the bytes are in the blob store. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
  inline: z.boolean(),
  contentId: z.string().nullable(),
  download: attachmentRefSchema,
})
export type Attachment = z.infer<typeof attachmentSchema>
