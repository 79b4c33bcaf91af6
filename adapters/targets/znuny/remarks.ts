// The plan's target-level remarks for Znuny: whether Znuny can send mail during the import, and the database
// step — what it will write (ZNUNY_DB_URL), or which values will carry the import's time without it. PURE.
import type { PlanRemark, PlanRemarkSummary } from '../../../src/core/target.js'
import type { ZnLookups } from './lookups.js'
import { planDbStep, type DbStepCounts } from './db-step/plan.js'
import { mailWarnings } from './warnings.js'

export interface ZnRemarkOptions {
  /** ZNUNY_DB_URL is set. */
  readonly database: boolean
  readonly keepNumbers: boolean
  readonly znunyHome: string | null
}

/** What the plan will write, from its counts: created and updated records (a matched one is written nowhere). */
export function dbStepCountsFromSummary(s: PlanRemarkSummary): DbStepCounts {
  const written = (k: 'organization' | 'customer' | 'ticket') => (s.counts[k]?.create ?? 0) + (s.counts[k]?.update ?? 0)
  const messages = s.contents.message
  // Closed and numbered tickets are op details the counts do not carry: the remark then speaks per ticket.
  return { companies: written('organization'), customerUsers: written('customer'), tickets: written('ticket'), articles: (messages?.create ?? 0) + (messages?.update ?? 0), closedTickets: null, numberedTickets: null }
}

export function znunyPlanRemarks(l: ZnLookups, summary: PlanRemarkSummary, o: ZnRemarkOptions): PlanRemark[] {
  const mail = mailWarnings(l)
  const out: PlanRemark[] = mail.length
    ? mail.map((text) => ({ level: 'warning' as const, topic: 'e-mail', text }))
    : [{ level: 'info', topic: 'e-mail', text: `Znuny's SendmailModule is ${l.sendmailModule}: it sends no mail during the import${l.autoRemoveQueues ? ', and no queue has an "auto remove" auto response linked' : ''}.` }]
  const step = planDbStep(dbStepCountsFromSummary(summary), o)
  const [head = '', ...items] = step.lines
  // One paragraph: the report shows a remark in a table cell.
  const owners = step.enabled ? [] : [`owners stay with ${l.importUser}`]
  // The topic names the step already: the text starts `ON (ZNUNY_DB_URL) …` or `OFF (…) …`.
  const text = `${head.trim().replace(/^database step:? /, '')} ${[...items.map((x) => x.trim()), ...owners].join('; ')}.`
  // Without the step, original times, numbers and customer records are lost: something to decide before applying.
  out.push({ level: step.enabled ? 'info' : 'warning', topic: 'database step', text })
  return out
}
