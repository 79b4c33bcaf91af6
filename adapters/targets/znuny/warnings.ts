// What plan and apply must say about the target before anything is written: the e-mail module, what could
// not be checked without the database, the provenance filter, and the characters Znuny will replace.
import type { ZnLookups } from './lookups.js'

export const DO_NOT_SEND = 'Kernel::System::Email::DoNotSendEmail'

/** Whether Znuny itself could mail during the import: its e-mail module, and auto responses deskmove's suppression would trigger. */
export function mailWarnings(l: ZnLookups): string[] {
  const out: string[] = []
  if (l.sendmailModule === null)
    out.push(`Znuny's SendmailModule is unknown (no ZNUNY_DB_URL): deskmove sends nothing that mails, but set SendmailModule to ${DO_NOT_SEND} for the import window to be sure.`)
  else if (l.sendmailModule !== DO_NOT_SEND)
    out.push(`Znuny's SendmailModule is ${l.sendmailModule}, not ${DO_NOT_SEND}: deskmove's requests send no mail on a stock Znuny, but a queue's own auto responses or notifications configured by your admin could. Switch it for the import window.`)
  if (l.autoRemoveQueues?.length)
    out.push(`queue(s) ${l.autoRemoveQueues.join(', ')} have an "auto remove" auto response linked: deskmove's way of suppressing auto replies ("auto remove") would send it there. Unlink it for the import window, or map tickets to other queues.`)
  return out
}

/**
 * One line each, for the log at `prepare` (shown by plan and apply). The mail lines are also plan remarks
 * (`znunyPlanRemarks`) but stay here so an apply without a fresh plan still hears them; the database step's
 * account is in the plan only.
 */
export function prepareWarnings(l: ZnLookups): string[] {
  const out = mailWarnings(l)
  if (l.queues === null)
    out.push('queues, states, priorities, types and owners could not be checked (the web service cannot list them; set ZNUNY_DB_URL): a value Znuny does not have rejects each ticket that uses it.')
  if (l.provenanceFilter === 'ignored')
    out.push(`Znuny's TicketSearch ignores the dynamic field ${l.provenanceField}: create it (ticket, type Text) or set ZNUNY_SOURCE_ID_FIELD; until then every ticket is refused.`)
  if (l.dynamicFields !== null && !l.dynamicFields.includes(l.provenanceField))
    out.push(`Znuny has no ticket dynamic field ${l.provenanceField}: create it (type Text) before applying; it holds each ticket's source id so a crashed run never duplicates a ticket.`)
  if (l.dbDialect !== 'postgres')
    out.push(`${l.dbDialect === 'mysql' ? 'Znuny runs on MySQL/MariaDB' : 'Znuny\'s database is unknown (assumed MySQL/MariaDB)'}: 4-byte UTF-8 characters (emoji) in titles, addresses, bodies and file names are replaced by U+FFFD, as Znuny would; the plan counts them under the rule 4-byte-utf8-replaced.`)
  return out
}
