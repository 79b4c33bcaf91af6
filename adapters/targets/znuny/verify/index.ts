// Znuny's own verifier (the Target contract's optional `verifier`): reads imported tickets back through TicketGet
// (all articles, attachment contents, dynamic fields) — and, with ZNUNY_DB_URL, their times from the database,
// which the API serves from a cache — and compares them with what the plan says; then consistency checks.
import type { WriteOpBase } from '../../../../src/core/target.js'
import type { CheckFinding, CompareOutcome, TargetVerifier, VerifyContext, VerifyItem } from '../../../../src/core/target-verify.js'
import { RemoteUnavailableError } from '../../../../src/core/errors.js'
import type { SqlDb } from '../../../../src/kits/sql/index.js'
import { compareTicket, type DbTimes, type ExpectedTicket } from './compare.js'
import { wireTicketGet, type WireTicket } from './wire.js'
import { historyMailFindings, sqlChecks } from './checks.js'
import { parseTicketRef, type TicketIds } from '../ids.js'
import type { ZnOp } from '../plan-ops.js'
import type { ZnunyRest } from '../rest/index.js'
import { expectedFromOp, restReader } from './from-op.js'

export type { DbTimes, ExpectedArticle, ExpectedAttachment, ExpectedTicket } from './compare.js'
export { compareTicket, instantSeconds, znunyText } from './compare.js'
export { TICKET_GET_QUERY } from './wire.js'
export { expectedFromOp, restReader } from './from-op.js'

/**
 * How verify reads Znuny. `ticketGet` answers `GET /Ticket/<ids comma-separated>` with `TICKET_GET_QUERY`
 * (AllArticles, Attachments, GetAttachmentContents, DynamicFields, ArticleOrder=ASC) as the parsed JSON body
 * of the 200 reply — an `{Error:…}` body included (or thrown as a non-connection error) — and throws
 * `RemoteUnavailableError` when Znuny cannot be reached. `ticketHistory` (optional) answers
 * `GET /TicketHistory/<id>` the same way; without a database it is how the checks find mail Znuny sent.
 */
export interface ZnunyReader {
  ticketGet(ids: readonly string[], signal: AbortSignal): Promise<unknown>
  ticketHistory?(id: string, signal: AbortSignal): Promise<unknown>
}

export interface TicketVerifierDeps<Op extends WriteOpBase> {
  readonly reader: ZnunyReader
  /** Znuny's database (ZNUNY_DB_URL), or null: times are then read through the API (after the cache is cleared). */
  readonly db?: SqlDb | null
  /** The ticket an op plans (`ids`: what its id-map ref holds), references resolved through `ctx.resolve`; null for an op that is no ticket. */
  expected(op: Op, ctx: VerifyContext, ids: TicketIds): ExpectedTicket | null
  /** Tickets per TicketGet call (default 20: attachment contents make replies large). */
  readonly batch?: number
}

const CHUNK = 500
const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ')

type Fetched = { ticket: WireTicket } | { missing: string } | { error: string }

/** Reads tickets; a batch Znuny refuses as a whole (one id is gone: AccessDenied) is read one by one. */
async function fetchTickets(reader: ZnunyReader, ids: readonly string[], batch: number, signal: AbortSignal): Promise<Map<string, Fetched>> {
  const out = new Map<string, Fetched>()
  const one = async (part: readonly string[]): Promise<boolean> => {
    let raw: unknown
    try {
      raw = await reader.ticketGet(part, signal)
    } catch (e) {
      if (e instanceof RemoteUnavailableError) throw e
      raw = { Error: { ErrorCode: 'Client', ErrorMessage: (e as Error).message } }
    }
    const r = wireTicketGet.safeParse(raw)
    if (!r.success) {
      for (const id of part) out.set(id, { error: `TicketGet answered an unexpected shape: ${r.error.issues[0]?.message ?? 'invalid'}` })
      return true
    }
    if ('Error' in r.data) {
      if (part.length > 1) return false
      const e = r.data.Error
      const gone = /AccessDenied|NotValidTicketID|not found/i.test(`${e.ErrorCode} ${e.ErrorMessage ?? ''}`)
      out.set(part[0]!, gone ? { missing: `Znuny ticket ${part[0]} is not there (${e.ErrorCode}); the id map says apply wrote it` } : { error: `TicketGet ${part[0]}: ${e.ErrorCode}: ${e.ErrorMessage ?? ''}` })
      return true
    }
    for (const t of r.data.Ticket) out.set(t.TicketID, { ticket: t })
    for (const id of part) if (!out.has(id)) out.set(id, { missing: `TicketGet did not return ticket ${id}` })
    return true
  }
  for (let i = 0; i < ids.length; i += batch) {
    const part = ids.slice(i, i + batch)
    if (!(await one(part))) for (const id of part) await one([id])
  }
  return out
}

/** Ticket and article times (and numbers) straight from the database. */
async function readDbTimes(db: SqlDb, ids: readonly string[]): Promise<Map<string, DbTimes>> {
  const out = new Map<string, { ticket: DbTimes['ticket']; articles: Map<string, { created: string; incoming: number }> }>()
  for (let i = 0; i < ids.length; i += CHUNK) {
    const part = ids.slice(i, i + CHUNK).map(Number)
    const ts = await db.query<{ id: number; tn: string; create_time: string; change_time: string }>(`SELECT id, tn, create_time, change_time FROM ticket WHERE id IN (${marks(part.length)})`, part)
    for (const t of ts) out.set(String(t.id), { ticket: { created: t.create_time, changed: t.change_time, tn: t.tn }, articles: new Map() })
    const as = await db.query<{ id: number; ticket_id: number; create_time: string; incoming_time: number | null }>(
      `SELECT a.id, a.ticket_id, a.create_time, m.incoming_time FROM article a LEFT JOIN article_data_mime m ON m.article_id = a.id WHERE a.ticket_id IN (${marks(part.length)})`,
      part,
    )
    for (const a of as) out.get(String(a.ticket_id))?.articles.set(String(a.id), { created: a.create_time, incoming: a.incoming_time === null ? NaN : Number(a.incoming_time) })
  }
  return out
}

/**
 * A ticket verifier over any reader (tests give a fake). `compare` reads each batch through TicketGet (and, with `db`, the database's times) and
 * diffs it with `expected(op)`; `checks` finds mail Znuny queued or sent for the imported tickets (mail_queue
 * rows with the database, else SendAutoReply/SendAgentNotification history), article incoming_time that is not
 * its create_time, and tickets that changed before they were created. Reads only.
 */
export function ticketVerifier<Op extends WriteOpBase>(deps: TicketVerifierDeps<Op>): TargetVerifier<Op> {
  const db = deps.db ?? null
  const parse = (ref: string): TicketIds | null => {
    try {
      return parseTicketRef(ref)
    } catch {
      return null
    }
  }
  const ticketIdsOf = (refs: readonly string[]) => [...new Set(refs.map(parse).filter((x): x is TicketIds => x !== null).map((x) => x.ticketId))]
  return {
    async compare(items: readonly VerifyItem<Op>[], ctx: VerifyContext): Promise<CompareOutcome[]> {
      const ids = ticketIdsOf(items.map((i) => i.targetRef))
      const got = await fetchTickets(deps.reader, ids, deps.batch ?? 20, ctx.signal)
      const times = db ? await readDbTimes(db, ids) : null
      return items.map((i): CompareOutcome => {
        const ref = parse(i.targetRef)
        if (!ref) return { status: 'error', detail: `not a Znuny ticket ref: ${i.targetRef}` }
        const want = deps.expected(i.op, ctx, ref)
        if (!want) return { status: 'error', detail: `expected a ticket op, got ${i.op.ref.kind} ${i.op.ref.sourceId}` }
        const f = got.get(ref.ticketId)
        if (!f) return { status: 'error', detail: `ticket ${ref.ticketId} was not read` }
        if ('missing' in f) return { status: 'missing', detail: f.missing }
        if ('error' in f) return { status: 'error', detail: f.error }
        return { status: 'found', diffs: compareTicket(want, f.ticket, times?.get(ref.ticketId) ?? null) }
      })
    },
    async checks(refs, { signal }): Promise<CheckFinding[]> {
      const ids = ticketIdsOf(refs)
      if (db) return sqlChecks(db, ids)
      if (deps.reader.ticketHistory) return historyMailFindings(deps.reader, ids, signal)
      return []
    },
  }
}

/** What the Znuny target hands its verifier. */
export interface ZnunyVerifierOptions {
  readonly rest: ZnunyRest
  /** Znuny's database when ZNUNY_DB_URL is set, else null. */
  readonly db: SqlDb | null
  /** The provenance dynamic field (ZNUNY_SOURCE_ID_FIELD or `DeskmoveSourceId`). */
  readonly provenanceField: string
  /**
   * The database step ran, so ticket and article times must be the source's (compared when the op carries
   * `createdAt`/`changedAt`). Default: whether `db` is set.
   */
  readonly historicalTimes?: boolean
  /** Source numbers were kept as `tn` (compared when the op carries `number`). */
  readonly keptNumbers?: boolean
}

/**
 * The Znuny target's `verifier` (wire as `verifier: async () => znunyVerifier({ rest, db: await database(),
 * provenanceField })`): reads each imported ticket through TicketGet with all articles, attachment contents and
 * dynamic fields, its times from the database when there is one, and compares it with the ticket op; checks
 * find mail Znuny queued or sent and article times out of step. Reads only.
 */
export function znunyVerifier(o: ZnunyVerifierOptions): TargetVerifier<ZnOp> {
  const opts = { provenanceField: o.provenanceField, historicalTimes: o.historicalTimes ?? o.db !== null, keptNumbers: o.keptNumbers ?? false }
  return ticketVerifier<ZnOp>({
    reader: restReader(o.rest),
    db: o.db,
    expected: (op, ctx, ids) => (op.type === 'ticket' ? expectedFromOp(op, ctx, ids, opts) : null),
  })
}
