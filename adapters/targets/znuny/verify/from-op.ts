// The planned ticket op → what verify expects Znuny to hold, and the REST client → what verify reads through.
import type { VerifyContext } from '../../../../src/core/target-verify.js'
import type { TicketIds } from '../ids.js'
import type { ZnTicketOp } from '../plan-ops.js'
import { ZnunyApiError, type ZnunyRest } from '../rest/index.js'
import type { ExpectedTicket } from './compare.js'
import { stepChangedAt } from '../db-step/from-op.js'
import type { ZnunyReader } from './index.js'

/**
 * Source instants an op may carry for the database step (`createdAt`/`changedAt`/`closedAt` on the ticket,
 * `createdAt` on each article). Read when present: a planner that leaves them out gets no time comparison.
 */
interface Timed {
  readonly createdAt?: string | null
  readonly changedAt?: string | null
  readonly number?: string | null
}

/**
 * What Znuny should hold for a ticket op: title, queue, state, priority, type, the customer user the id map
 * resolves, the provenance and other dynamic fields, the owner, and each article (sender, channel, visibility,
 * subject, attachments by sha256) matched by the article ids of the ticket's ref when it lists all of them.
 * Times are compared when `historicalTimes` (the database step ran) and the op carries them.
 */
export function expectedFromOp(op: ZnTicketOp, ctx: VerifyContext, ids: TicketIds, opts: { provenanceField: string; historicalTimes: boolean; keptNumbers?: boolean }): ExpectedTicket {
  const timed = op as ZnTicketOp & Timed
  const byId = ids.articleIds.length === op.articles.length
  const fields: Record<string, string> = { [opts.provenanceField]: op.provenance }
  for (const f of op.dynamicFields) {
    // Multiselect values (a list) read back joined by commas.
    const v: unknown = f.Value
    fields[f.Name] = Array.isArray(v) ? v.map(String).join(',') : String(v)
  }
  return {
    title: op.Title,
    queue: op.Queue,
    state: op.State,
    priority: op.Priority,
    type: op.Type,
    customerUser: ctx.resolve(op.customer) ?? null,
    tn: opts.keptNumbers && timed.number ? timed.number : null,
    owner: op.owner,
    createdAt: timed.createdAt ?? null,
    changedAt: stepChangedAt(op),
    historicalTimes: opts.historicalTimes,
    dynamicFields: fields,
    articles: op.articles.map((a, i) => ({
      sourceId: a.key,
      articleId: byId ? ids.articleIds[i]! : null,
      subject: a.Subject,
      from: a.From,
      to: a.To,
      cc: a.Cc,
      senderType: a.SenderType,
      channel: a.CommunicationChannel,
      visibleForCustomer: a.IsVisibleForCustomer === 1,
      createdAt: (a as typeof a & Timed).createdAt ?? null,
      attachments: a.attachments.map((f) => ({ sourceId: f.sourceId, filename: f.Filename, sha256: f.sha256, size: f.size })),
    })),
  }
}

/** Verify's reader over the target's REST client: Znuny's `Error` answers come back as data, not throws. */
export function restReader(rest: ZnunyRest): ZnunyReader {
  const asError = (e: unknown) => {
    if (e instanceof ZnunyApiError) return { Error: { ErrorCode: e.errorCode, ErrorMessage: e.errorMessage } }
    throw e
  }
  return {
    ticketGet: (ids, signal) => rest.ticketGet(ids, { articles: true, attachments: true, contents: true, dynamicFields: true }, signal).then((Ticket) => ({ Ticket }), asError),
    ticketHistory: (id, signal) => rest.ticketHistory(id, signal).then((h) => ({ TicketHistory: h ? [h] : [] }), asError),
  }
}
