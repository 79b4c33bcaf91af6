// What the plan (and apply) must say about the target before anything is written: the e-mail module, what
// could not be checked without the database, the provenance filter, and the characters Znuny will replace.
import type { ZnLookups } from './lookups.js'
import { cacheCommands } from './db-step/cache.js'
import { IMPORT_TIME_FIELDS } from './db-step/plan.js'

export const DO_NOT_SEND = 'Kernel::System::Email::DoNotSendEmail'

/** One line each, for the log at `prepare` (shown by plan and apply). */
export function prepareWarnings(l: ZnLookups, home: string | null = null): string[] {
  const out: string[] = []
  if (l.sendmailModule === null)
    out.push(`Znuny's SendmailModule is unknown (no ZNUNY_DB_URL): deskmove sends nothing that mails, but set SendmailModule to ${DO_NOT_SEND} for the import window to be sure.`)
  else if (l.sendmailModule !== DO_NOT_SEND)
    out.push(`Znuny's SendmailModule is ${l.sendmailModule}, not ${DO_NOT_SEND}: deskmove's requests send no mail on a stock Znuny, but a queue's own auto responses or notifications configured by your admin could. Switch it for the import window.`)
  if (l.autoRemoveQueues?.length)
    out.push(`queue(s) ${l.autoRemoveQueues.join(', ')} have an "auto remove" auto response linked: deskmove's way of suppressing auto replies ("auto remove") would send it there. Unlink it for the import window, or map tickets to other queues.`)
  if (l.queues === null)
    out.push('queues, states, priorities, types and owners could not be checked (the web service cannot list them; set ZNUNY_DB_URL): a value Znuny does not have rejects each ticket that uses it.')
  if (l.provenanceFilter === 'ignored')
    out.push(`Znuny's TicketSearch ignores the dynamic field ${l.provenanceField}: create it (ticket, type Text) or set ZNUNY_SOURCE_ID_FIELD; until then every ticket is refused.`)
  if (l.dynamicFields !== null && !l.dynamicFields.includes(l.provenanceField))
    out.push(`Znuny has no ticket dynamic field ${l.provenanceField}: create it (type Text) before applying; it holds each ticket's source id so a crashed run never duplicates a ticket.`)
  if (l.dbDialect !== 'postgres')
    out.push(`${l.dbDialect === 'mysql' ? 'Znuny runs on MySQL/MariaDB' : 'Znuny\'s database is unknown (assumed MySQL/MariaDB)'}: 4-byte UTF-8 characters (emoji) in titles, addresses, bodies and file names are replaced by U+FFFD, as Znuny would; the plan counts them under the rule 4-byte-utf8-replaced.`)
  if (l.dbDialect === null)
    out.push(`database step: OFF (no ZNUNY_DB_URL) — these carry the IMPORT time: ${IMPORT_TIME_FIELDS.join('; ')}; ticket numbers are Znuny's own, owners stay with ${l.importUser}, customer users and companies are not created (tickets name customers by e-mail).`)
  else
    out.push(`database step: ON — after every REST write, Znuny's database gets the source's create/change times of tickets and articles (incoming_time as epoch), history times, customer users and companies, and kept numbers; then Znuny's caches must be cleared (${cacheCommands(home).join('; ')}), which deskmove does itself when ZNUNY_HOME is set on the Znuny host.`)
  return out
}
