// Finding an imported ticket again by its provenance dynamic field. TicketSearch silently ignores a filter it
// does not understand and then returns EVERY ticket (znuny.md O2), so a hit is never trusted: each one is read
// back and kept only when its field holds exactly the value, and an answer too large to be a real match is
// refused instead of being read ticket by ticket.
import { ConfigError } from '../../../../src/core/errors.js'
import type { ZnunyRest } from './client.js'
import { dynamicFieldValue, type ZnTicket } from './schemas.js'

/** More hits than this for one source id means the filter was ignored (a source id is written once). */
export const MAX_PLAUSIBLE_HITS = 20

/** The search parameter of a dynamic field (`DynamicField_<Name>`, equality). */
export function dynamicFieldFilter(field: string, value: string): Record<string, string> {
  return { [`DynamicField_${field}`]: value }
}

function ignoredFilter(field: string, hits: number): ConfigError {
  return new ConfigError(`Znuny's TicketSearch ignored the filter on dynamic field ${field} (${hits} tickets matched one source id)`, {
    hint: `create the ticket dynamic field ${field} (type Text, valid) in Znuny (Admin → Dynamic Fields), or name an existing one with ZNUNY_SOURCE_ID_FIELD`,
  })
}

/**
 * Tickets whose provenance field holds exactly `value`, oldest first, with articles and dynamic fields.
 * Throws `ConfigError` when Znuny evidently ignored the filter.
 */
export async function findByProvenance(rest: ZnunyRest, field: string, value: string, signal?: AbortSignal): Promise<ZnTicket[]> {
  const ids = await rest.ticketSearch(dynamicFieldFilter(field, value), signal)
  if (ids.length === 0) return []
  if (ids.length > MAX_PLAUSIBLE_HITS) throw ignoredFilter(field, ids.length)
  const tickets = await rest.ticketGet(ids, { articles: true, dynamicFields: true }, signal)
  return tickets.filter((t) => dynamicFieldValue(t, field) === value).sort((a, b) => Number(a.TicketID) - Number(b.TicketID))
}

/**
 * Whether TicketSearch honours the field as a filter: a value no ticket can hold must match nothing. On an
 * empty system the probe proves nothing (`unknown`); `findByProvenance` still guards every search.
 */
export async function probeProvenanceFilter(rest: ZnunyRest, field: string, signal?: AbortSignal): Promise<'honoured' | 'ignored' | 'unknown'> {
  const hits = await rest.ticketSearch(dynamicFieldFilter(field, 'deskmove:probe:no-such-record'), signal)
  if (hits.length > 0) return 'ignored'
  const any = await rest.ticketSearch({ Limit: 1 }, signal)
  return any.length > 0 ? 'honoured' : 'unknown'
}

/**
 * The ticket dynamic fields Znuny has, read through TicketGet of any ticket (it lists every valid ticket field,
 * empty ones included); null when the system has no ticket to read.
 */
export async function ticketDynamicFieldNames(rest: ZnunyRest, signal?: AbortSignal): Promise<string[] | null> {
  const any = await rest.ticketSearch({ Limit: 1 }, signal)
  const first = any[0]
  if (first === undefined) return null
  const t = await rest.ticketGetOne(first, { dynamicFields: true }, signal)
  return t ? (t.DynamicField ?? []).map((d) => d.Name) : null
}


