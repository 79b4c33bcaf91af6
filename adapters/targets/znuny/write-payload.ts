// The request bodies the writer sends, with the inputs that keep Znuny from sending any mail (znuny.md O5):
// never ArticleSend, never Owner at create, AutoResponseType "auto remove", NoAgentNotify on every article.
import type { Readable } from 'node:stream'
import { RecordRejectedError } from '../../../src/core/errors.js'
import type { ZnArticleOp, ZnTicketOp } from './plan-ops.js'
import { runHistoryComment } from './db-step/run-objects.js'

/** Sent with every article: no auto reply (no response of this type is linked to stock queues), no agent mail. */
export const ZERO_MAIL = { AutoResponseType: 'auto remove', NoAgentNotify: 1 } as const

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const c of stream) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c as Uint8Array))
  return Buffer.concat(chunks)
}

/**
 * One article as TicketCreate/TicketUpdate take it. `withRecipients`: To/Cc are only stored by TicketUpdate
 * (TicketCreate replaces To by the queue name unless it sends the mail, which an import never does).
 */
export async function articlePayload(a: ZnArticleOp, ctx: { readonly runId: string; openBlob(sha256: string): Readable }, withRecipients: boolean): Promise<Record<string, unknown>> {
  const openBlob = (sha: string) => ctx.openBlob(sha)
  const attachments: Record<string, unknown>[] = []
  for (const f of a.attachments) {
    const bytes = await readAll(openBlob(f.sha256))
    if (bytes.length !== f.size) throw new RecordRejectedError('missing-blob', `attachment ${f.sourceId}: ${bytes.length} bytes in the blob store, ${f.size} planned`)
    attachments.push({
      Content: bytes.toString('base64'),
      ContentType: f.ContentType,
      Filename: f.Filename,
      ...(f.ContentID ? { ContentID: `<${f.ContentID}>` } : {}),
      ...(f.inline ? { Disposition: 'inline' } : {}),
    })
  }
  return {
    CommunicationChannel: a.CommunicationChannel,
    SenderType: a.SenderType,
    IsVisibleForCustomer: a.IsVisibleForCustomer,
    Subject: a.Subject,
    Body: a.Body,
    ContentType: a.ContentType,
    ...(a.From ? { From: a.From } : {}),
    ...(withRecipients && a.To ? { To: a.To } : {}),
    ...(withRecipients && a.Cc ? { Cc: a.Cc } : {}),
    ...ZERO_MAIL,
    // Marks the article's history row with the run, so rollback finds a ticket whose id-map commit was lost.
    HistoryComment: runHistoryComment(ctx.runId),
    ...(attachments.length ? { Attachment: attachments } : {}),
  }
}

/** The ticket fields of TicketCreate/TicketUpdate. Owner is never sent: it would e-mail the agent. */
export function ticketFields(op: ZnTicketOp, customerUser: string): Record<string, unknown> {
  return {
    Title: op.Title,
    Queue: op.Queue,
    State: op.State,
    Priority: op.Priority,
    CustomerUser: customerUser,
    ...(op.Type ? { Type: op.Type } : {}),
    ...(op.PendingTime ? { PendingTime: op.PendingTime } : {}),
  }
}

/** The provenance field first, then tags and custom fields. */
export function dynamicFields(op: ZnTicketOp, provenanceField: string): { Name: string; Value: string | readonly string[] }[] {
  return [{ Name: provenanceField, Value: op.provenance }, ...op.dynamicFields]
}
