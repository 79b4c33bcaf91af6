// What `plan` says about the database step: what it will write (with ZNUNY_DB_URL), or — without it — plainly
// which values will carry the import's time or Znuny's defaults instead of the source's. PURE.
import type { ZnOp } from '../plan-ops.js'
import { cacheCommands } from './cache.js'

/** Counts of the staged records the step concerns (known before anything is written). */
export interface DbStepCounts {
  readonly companies: number
  readonly customerUsers: number
  readonly tickets: number
  readonly articles: number
  /** Closed tickets with a close instant (each gets a StateUpdate history row); null when only the plan's counts are known. */
  readonly closedTickets: number | null
  /** Tickets with a source number (kept as `tn` when asked); null when only the plan's counts are known. */
  readonly numberedTickets: number | null
}

/** The counts of a plan's ops (closed = a ticket op carrying `closedAt`; numbered = carrying `number`). PURE. */
export function countDbStep(ops: readonly ZnOp[]): DbStepCounts {
  const c = { companies: 0, customerUsers: 0, tickets: 0, articles: 0, closedTickets: 0, numberedTickets: 0 }
  for (const op of ops) {
    if (op.type === 'customer-company') c.companies++
    else if (op.type === 'customer-user') c.customerUsers++
    else if (op.type === 'ticket') {
      const t = op as typeof op & { closedAt?: string | null; number?: unknown }
      c.tickets++
      c.articles += op.articles.length
      if (t.closedAt) c.closedTickets++
      if (t.number !== null && t.number !== undefined) c.numberedTickets++
    }
  }
  return c
}

export interface DbStepPlanOptions {
  /** ZNUNY_DB_URL is set. */
  readonly database: boolean
  /** Keep the source's ticket numbers as Znuny's `tn`. */
  readonly keepNumbers: boolean
  /** ZNUNY_HOME when deskmove runs on the Znuny host (caches are then cleared by deskmove). */
  readonly znunyHome: string | null
}

/** The database step as the plan lists it. */
export interface DbStepPlan {
  /** The step will run (ZNUNY_DB_URL set). */
  readonly enabled: boolean
  readonly counts: DbStepCounts
  /** Human lines for the plan report, in order. */
  readonly lines: readonly string[]
  /** Without the database: the fields that will hold import-time values or Znuny defaults (empty when enabled). */
  readonly importTimeFields: readonly string[]
}

/** Fields REST cannot set, which keep import-time values (or Znuny's own) without the database step. */
export const IMPORT_TIME_FIELDS = [
  'ticket Created/Age (ticket.create_time)',
  'ticket Changed (ticket.change_time)',
  'article CreateTime (article.create_time)',
  'article IncomingTime (article_data_mime.incoming_time)',
  'history times (ticket_history.create_time), so first-response and solution statistics',
] as const

/**
 * The plan's account of the database step. With the database it lists what will be written, done LAST (after
 * every REST write, since any later API change resets `change_time`), and how caches get cleared; without it,
 * which fields will carry the import's time, that ticket numbers are Znuny's own and that no customer users or
 * companies will exist (tickets then name customers by e-mail only). PURE.
 */
export function planDbStep(counts: DbStepCounts, opts: DbStepPlanOptions): DbStepPlan {
  if (!opts.database) {
    const lines = [
      `database step: OFF (ZNUNY_DB_URL is not set) — REST cannot set times, numbers or customers, so:`,
      `  ${counts.tickets} ticket(s) and ${counts.articles} article(s) will carry the IMPORT time in: ${IMPORT_TIME_FIELDS.join('; ')}`,
      `  ticket numbers will be Znuny's own${counts.numberedTickets && opts.keepNumbers ? ` (${counts.numberedTickets} source number(s) asked to be kept cannot be)` : ''}`,
      `  ${counts.customerUsers} customer user(s) and ${counts.companies} customer compan${counts.companies === 1 ? 'y' : 'ies'} will NOT be created: tickets name their customer by e-mail address only`,
      `  set ZNUNY_DB_URL (mysql://… or postgres://… of Znuny's database) to keep them`,
    ]
    return { enabled: false, counts, lines, importTimeFields: [...IMPORT_TIME_FIELDS] }
  }
  const lines = [
    `database step: ON (ZNUNY_DB_URL), run LAST, after every REST write; re-running it changes nothing:`,
    `  customer companies: ${counts.companies} (created when missing; existing ones are left as they are)`,
    `  customer users: ${counts.customerUsers} (created when missing, without a password)`,
    `  original times of ${counts.tickets} ticket(s) and ${counts.articles} article(s): ticket create/change, article create/change, incoming_time (epoch), attachment and history rows`,
    `  close history: ${counts.closedTickets === null ? 'a StateUpdate row per closed ticket' : `${counts.closedTickets} StateUpdate row(s)`} at the source's close time`,
    opts.keepNumbers ? `  ticket numbers: ${counts.numberedTickets === null ? "the source's" : `${counts.numberedTickets} source`} number(s) kept as tn (a number Znuny already uses is reported, not overwritten)` : `  ticket numbers: Znuny's own (ask to keep the source's to change this)`,
    opts.znunyHome
      ? `  then clears Znuny's caches with ${cacheCommands(opts.znunyHome)[0]!.replace(/ --type \w+$/, '')} (Ticket, Article, CustomerUser, CustomerCompany) and rebuilds the escalation index`
      : `  then: clear Znuny's caches and rebuild the escalation index on the Znuny host (deskmove prints the commands; set ZNUNY_HOME when running there)`,
  ]
  return { enabled: true, counts, lines, importTimeFields: [] }
}
