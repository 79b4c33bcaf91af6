// Writes a ticket with its articles. Znuny has no transactions across calls, so a ticket may be left half-made
// (a crash, an ambiguous reply): it is found again by its provenance field and completed — never created twice.
// On Znuny 7.1+ one TicketCreate carries every article; on 6.5/7.0 the articles after the first follow through
// TicketUpdate. Which one applies is detected once, on the first ticket with several articles.
import type { Logger } from '../../../src/core/log.js'
import { ConfigError, RecordRejectedError, RemoteUnavailableError } from '../../../src/core/errors.js'
import type { ApplyContext, Located } from '../../../src/core/target.js'
import type { SqlDb } from '../../../src/kits/sql/index.js'
import { parseTicketRef, ticketRef } from './ids.js'
import type { ZnArticleOp, ZnTicketOp } from './plan-ops.js'
import type { ZnunyRest } from './rest/client.js'
import { AmbiguousReplyError, ZnunyApiError } from './rest/errors.js'
import { findByProvenance } from './rest/find.js'
import { dynamicFieldValue, type ZnArticle, type ZnTicket } from './rest/schemas.js'
import { articlePayload, dynamicFields, ticketFields } from './write-payload.js'

/** The request body TicketCreate/TicketUpdate may carry (the transport refuses 100 MB; kept well below). */
const MAX_REQUEST_BYTES = 60 * 1024 * 1024
/** Lost replies to one write that left nothing behind, before giving up (rejecting it when all were HTTP 500). */
const CREATE_ATTEMPTS = 4

/**
 * Whether an ambiguous failure was an HTTP 500 (Znuny's answer when the operation fails, e.g. "Ticket could not
 * be created"). Resets, timeouts and crash pages are the connection's or the server's state, not the record's:
 * they stop the run (resumable) rather than reject a ticket that may well load next time.
 */
function serverError(e: unknown): boolean {
  for (let c: unknown = e, i = 0; c && typeof c === 'object' && i < 5; c = (c as { cause?: unknown }).cause, i++) {
    const status = (c as { status?: unknown }).status
    if (typeof status === 'number' && status >= 500) return true
  }
  return false
}

export interface Writer {
  readonly rest: ZnunyRest
  readonly provenanceField: string
  readonly db: () => Promise<SqlDb | null>
  readonly log: Logger
  /** `auto` until detected; shared by every ticket of the run. */
  version: 'auto' | '7.1' | '7.0'
  /** Writes whose reply was lost and that were found (or found missing) by reading Znuny back. */
  recoveries: number
}

const GET_ALL = { articles: true, dynamicFields: true } as const

/** Whether a Znuny article is the one the op planned (position is the main key; these guard it). */
function sameArticle(z: ZnArticle, a: ZnArticleOp): boolean {
  const visible = Number(z.IsVisibleForCustomer ?? 1)
  return (z.SenderType ?? '') === a.SenderType && visible === a.IsVisibleForCustomer && (z.Subject ?? '') === a.Subject
}

/** The planned articles already in the ticket: the ids recorded in the ref, else the matching leading articles. */
function presentArticles(t: ZnTicket, op: ZnTicketOp, known: readonly string[] | null): string[] {
  const articles = t.Article ?? []
  if (known) return known.filter((id) => articles.some((z) => z.ArticleID === id)).slice(0, op.articles.length)
  const out: string[] = []
  for (let i = 0; i < Math.min(articles.length, op.articles.length); i++) {
    if (!sameArticle(articles[i]!, op.articles[i]!)) break
    out.push(articles[i]!.ArticleID)
  }
  return out
}

function fieldsMatch(t: ZnTicket, op: ZnTicketOp, customer: string, field: string): boolean {
  if ((t.Title ?? '') !== op.Title || (t.Queue ?? '') !== op.Queue || (t.State ?? '') !== op.State || (t.Priority ?? '') !== op.Priority) return false
  if (op.Type && (t.Type ?? '') !== op.Type) return false
  // Znuny stores a known customer user under its login even when named by e-mail (`jdoe` for jdoe@acme.test).
  const stored = (t.CustomerUserID ?? '').toLowerCase()
  if (stored !== customer.toLowerCase() && stored.includes('@')) return false
  if (op.owner && (t.Owner ?? '') !== op.owner) return false
  return op.dynamicFields.every((d) => dynamicFieldValue(t, d.Name) === (Array.isArray(d.Value) ? d.Value.join(',') : d.Value)) && dynamicFieldValue(t, field) === op.provenance
}

/** What the writer reports on an API error of one ticket: this record's fault, or the configuration's. */
function rejectOf(e: ZnunyApiError, op: ZnTicketOp, field: string): Error {
  if (/DynamicField->Name/.test(e.errorMessage)) {
    const names = [field, ...op.dynamicFields.map((d) => d.Name)].join(', ')
    return new ConfigError(`Znuny refused a dynamic field of ticket ${op.ref.sourceId} (${names}): ${e.errorMessage}`, { hint: `create the ticket dynamic fields ${names} in Znuny (${field}: Text; DeskmoveTags: Multiselect), or name another source-id field with ZNUNY_SOURCE_ID_FIELD` })
  }
  if (e.kind === 'TooLarge') return new RecordRejectedError('too-large', `ticket ${op.ref.sourceId}: ${e.errorMessage}`)
  return new RecordRejectedError('invalid', `ticket ${op.ref.sourceId}: ${e.message}`)
}

const customerOf = (op: ZnTicketOp, ctx: ApplyContext): string => {
  const login = ctx.resolve(op.customer)
  if (!login) throw new RecordRejectedError('dangling-reference', `ticket ${op.ref.sourceId}: its customer ${op.customer.sourceId} was not written`)
  return login
}

/** The ticket this op wrote before, if any: the id-map ref first, else the provenance field. */
async function existingTicket(w: Writer, op: ZnTicketOp, ctx: ApplyContext): Promise<{ ticket: ZnTicket; known: string[] | null } | null> {
  if (ctx.existingRef) {
    const ids = parseTicketRef(ctx.existingRef)
    const t = await w.rest.ticketGetOne(ids.ticketId, GET_ALL, ctx.signal)
    if (t && dynamicFieldValue(t, w.provenanceField) === op.provenance) return { ticket: t, known: ids.articleIds.length ? [...ids.articleIds] : null }
  }
  const found = await findByProvenance(w.rest, w.provenanceField, op.provenance, ctx.signal)
  if (found.length > 1) w.log.warn(`Znuny holds ${found.length} tickets for ${op.provenance} (ids ${found.map((t) => t.TicketID).join(', ')}); deskmove completes the oldest`)
  return found[0] ? { ticket: found[0], known: null } : null
}

export async function locateTicket(w: Writer, op: ZnTicketOp, ctx: ApplyContext): Promise<Located | null> {
  const found = await existingTicket(w, op, ctx)
  if (!found) return null
  const { ticket } = found
  const present = presentArticles(ticket, op, found.known)
  const ref = ticketRef({ ticketId: ticket.TicketID, ticketNumber: ticket.TicketNumber, articleIds: present })
  // The customer is compared when it resolves (it always does in a run: customers load before tickets).
  const customer = ctx.resolve(op.customer) ?? ticket.CustomerUserID ?? ''
  const sameOp = present.length === op.articles.length && fieldsMatch(ticket, op, customer, w.provenanceField)
  return { ref, sameOp }
}

export async function applyTicket(w: Writer, op: ZnTicketOp, ctx: ApplyContext): Promise<string> {
  const customer = customerOf(op, ctx)
  // A create needs no search: the engine marks an op in flight before apply, and `locate`s it after a crash.
  const found = ctx.existingRef ? await existingTicket(w, op, ctx) : null
  if (found) return complete(w, op, ctx, customer, found.ticket, presentArticles(found.ticket, op, found.known))
  return create(w, op, ctx, customer)
}

async function create(w: Writer, op: ZnTicketOp, ctx: ApplyContext, customer: string): Promise<string> {
  const articles: Record<string, unknown>[] = []
  for (const a of op.articles) articles.push(await articlePayload(a, ctx, false))
  const size = articles.reduce((n, a) => n + JSON.stringify(a).length, 0)
  let failures = 0
  let all500 = true
  for (;;) {
    const useArray = articles.length > 1 && w.version !== '7.0' && size < MAX_REQUEST_BYTES
    try {
      const res = await w.rest.ticketCreate(
        { Ticket: ticketFields(op, customer), Article: useArray ? articles : articles[0], DynamicField: dynamicFields(op, w.provenanceField) },
        ctx.signal,
      )
      const made = res.ArticleID === undefined ? [] : Array.isArray(res.ArticleID) ? res.ArticleID : [res.ArticleID]
      // A server that took the array but made one article is a pre-7.1 one: the rest follow by TicketUpdate.
      if (useArray && w.version === 'auto') w.version = made.length === articles.length ? '7.1' : '7.0'
      const ticket: ZnTicket = { TicketID: res.TicketID, TicketNumber: res.TicketNumber }
      await storeRecipients(w, op.articles, made)
      return await complete(w, op, ctx, customer, ticket, made.slice(0, op.articles.length), true)
    } catch (e) {
      if (e instanceof ZnunyApiError) {
        // Znuny before 7.1 refuses an Article array as a whole before creating anything: detected, sent again.
        if (useArray && w.version === 'auto' && /Article parameter/i.test(e.errorMessage)) {
          w.version = '7.0'
          w.log.info('znuny: TicketCreate takes one article per call here (Znuny 6.5/7.0): articles follow through TicketUpdate')
          continue
        }
        throw rejectOf(e, op, w.provenanceField)
      }
      if (!(e instanceof AmbiguousReplyError)) throw e
      // The ticket may exist (Znuny commits the ticket and its first articles before a crash): look, never guess.
      w.recoveries++
      const again = await findByProvenance(w.rest, w.provenanceField, op.provenance, ctx.signal)
      if (again[0]) return complete(w, op, ctx, customer, again[0], presentArticles(again[0], op, null))
      // Nothing was created: sending it again is safe.
      failures++
      all500 &&= serverError(e)
      if (failures < CREATE_ATTEMPTS) {
        w.log.debug(`znuny: ticket ${op.ref.sourceId}: ${e.message}; nothing was created, trying again`)
        continue
      }
      // HTTP 500 every time is Znuny's answer when the operation itself fails: this ticket is the problem.
      if (all500) throw new RecordRejectedError('invalid', `ticket ${op.ref.sourceId}: Znuny answered HTTP 500 to TicketCreate ${failures} times and holds no trace of it`)
      throw e
    }
  }
}

/**
 * Brings a ticket to what the op says: missing articles appended in order (TicketUpdate), ticket fields and
 * dynamic fields updated when they differ, the owner set through the database. Returns the ticket's ref.
 */
async function complete(w: Writer, op: ZnTicketOp, ctx: ApplyContext, customer: string, t: ZnTicket, present: string[], fresh = false): Promise<string> {
  const ids = [...present]
  let ambiguous = 0
  let all500 = true
  for (let i = ids.length; i < op.articles.length; i++) {
    const payload = await articlePayload(op.articles[i]!, ctx, true)
    try {
      const res = await w.rest.ticketUpdate(t.TicketID, { Article: payload }, { idempotent: false, signal: ctx.signal })
      const id = Array.isArray(res.ArticleID) ? res.ArticleID[0] : res.ArticleID
      if (!id) throw new RemoteUnavailableError(`Znuny TicketUpdate added an article to ticket ${t.TicketID} without answering its id`)
      ids.push(id)
    } catch (e) {
      if (e instanceof ZnunyApiError) throw rejectOf(e, op, w.provenanceField)
      if (!(e instanceof AmbiguousReplyError)) throw e
      w.recoveries++
      // Did the article arrive? Read the ticket: the next article after ours is it, or nothing is.
      const now = await w.rest.ticketGetOne(t.TicketID, GET_ALL, ctx.signal)
      const after = (now?.Article ?? []).filter((z) => !ids.includes(z.ArticleID) && Number(z.ArticleID) > Number(ids[ids.length - 1] ?? 0))
      if (after[0] && sameArticle(after[0], op.articles[i]!)) {
        ids.push(after[0].ArticleID)
        continue
      }
      ambiguous++
      all500 &&= serverError(e)
      if (ambiguous >= CREATE_ATTEMPTS) {
        if (all500) throw new RecordRejectedError('invalid', `ticket ${op.ref.sourceId}: Znuny answered HTTP 500 ${ambiguous} times to adding article ${op.articles[i]!.key}`)
        throw e
      }
      i-- // nothing arrived: send it again
    }
  }
  let current = t
  if (!fresh) current = (await w.rest.ticketGetOne(t.TicketID, GET_ALL, ctx.signal)) ?? t
  if (!fresh && !fieldsMatch({ ...current, Owner: op.owner ?? current.Owner }, op, customer, w.provenanceField)) {
    try {
      await w.rest.ticketUpdate(t.TicketID, { Ticket: ticketFields(op, customer), DynamicField: dynamicFields(op, w.provenanceField) }, { idempotent: true, signal: ctx.signal })
    } catch (e) {
      if (e instanceof ZnunyApiError) throw rejectOf(e, op, w.provenanceField)
      throw e
    }
  }
  if (op.owner) await setOwner(w, t.TicketID, op.owner)
  return ticketRef({ ticketId: t.TicketID, ticketNumber: t.TicketNumber ?? current.TicketNumber, articleIds: ids })
}

/** Sets the owner in the database: the web service would e-mail the agent (NoAgentNotify does not cover it). */
async function setOwner(w: Writer, ticketId: string, login: string): Promise<void> {
  const db = await w.db()
  if (!db) return
  const r = await db.execute('UPDATE ticket SET user_id = (SELECT id FROM users WHERE login = ?) WHERE id = ? AND EXISTS (SELECT 1 FROM users WHERE login = ?)', [login, Number(ticketId), login])
  if (r.affectedRows === 0) w.log.debug(`znuny: owner ${login} of ticket ${ticketId} unchanged (already set, or no such agent)`)
}

/** Stores the To/Cc that TicketCreate replaced by the queue name, in the database (no REST can; nothing is sent). */
async function storeRecipients(w: Writer, articles: readonly ZnArticleOp[], ids: readonly string[]): Promise<void> {
  const db = await w.db()
  if (!db) return
  for (let i = 0; i < ids.length && i < articles.length; i++) {
    const a = articles[i]!
    if (a.To === '' && a.Cc === '') continue
    await db.execute('UPDATE article_data_mime SET a_to = ?, a_cc = ? WHERE article_id = ?', [a.To, a.Cc, Number(ids[i])])
  }
}
