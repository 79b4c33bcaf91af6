// Finding an imported ticket again by its provenance dynamic field. TicketSearch silently ignores a filter it
// does not understand and then returns EVERY ticket (znuny.md O2), so a hit is never trusted: each one is read
// back and kept only when its field holds exactly the value, and an answer too large to be a real match is
// refused instead of being read ticket by ticket.
import { ConfigError } from '../../../../src/core/errors.js'
import type { ZnunyRest } from './client.js'
import { dynamicFieldValue, type ZnTicket } from './schemas.js'

/** More hits than this for one source id means the filter was ignored (a source id is written once). */
export const MAX_PLAUSIBLE_HITS = 20

/** The search parameter of a dynamic field as a bare value (`DynamicField_<Name>=value`, znuny.md B.2). */
export function dynamicFieldFilter(field: string, value: string): Record<string, string> {
  return { [`DynamicField_${field}`]: value }
}

/** The same filter as an operator object in the request body (what the operation code of OTRS 6 lineage reads). */
export function dynamicFieldOperator(field: string, value: string): Record<string, unknown> {
  return { [`DynamicField_${field}`]: { Equals: value } }
}

function ignoredFilter(field: string, hits: number): ConfigError {
  return new ConfigError(`Znuny's TicketSearch ignored the filter on dynamic field ${field} (${hits} tickets matched one source id)`, {
    hint: `create the ticket dynamic field ${field} (type Text, valid) in Znuny (Admin → Dynamic Fields), or name an existing one with ZNUNY_SOURCE_ID_FIELD`,
  })
}

/**
 * Ticket ids whose field may hold `value`. Which filter form a Znuny honours is unconfirmed (a bare value in the
 * query, or `{"Equals": …}` in the body), so the operator form is tried first and the bare one after it when the
 * answer is implausibly large; the form that worked is remembered. Null when neither filtered.
 */
async function searchField(rest: ZnunyRest, field: string, value: string, signal?: AbortSignal): Promise<string[] | null> {
  const forms = rest.fieldFilterForm === 'scalar' ? (['scalar'] as const) : rest.fieldFilterForm === 'operator' ? (['operator'] as const) : (['operator', 'scalar'] as const)
  for (const form of forms) {
    const ids = form === 'operator' ? await rest.ticketSearch({}, signal, dynamicFieldOperator(field, value)) : await rest.ticketSearch(dynamicFieldFilter(field, value), signal)
    if (ids.length <= MAX_PLAUSIBLE_HITS) return ids
  }
  return null
}

/**
 * Tickets whose provenance field holds exactly `value`, oldest first, with articles and dynamic fields.
 * Throws `ConfigError` when Znuny evidently ignored the filter.
 */
export async function findByProvenance(rest: ZnunyRest, field: string, value: string, signal?: AbortSignal): Promise<ZnTicket[]> {
  const ids = await searchField(rest, field, value, signal)
  if (ids === null) throw ignoredFilter(field, MAX_PLAUSIBLE_HITS + 1)
  if (ids.length === 0) return []
  const tickets = await rest.ticketGet(ids, { articles: true, dynamicFields: true }, signal)
  return tickets.filter((t) => dynamicFieldValue(t, field) === value).sort((a, b) => Number(a.TicketID) - Number(b.TicketID))
}

/**
 * Whether TicketSearch honours the field as a filter, and in which form: a value no ticket can hold must match
 * nothing. On an empty system the probe proves nothing (`unknown`); `findByProvenance` still guards every search.
 */
export async function probeProvenanceFilter(rest: ZnunyRest, field: string, signal?: AbortSignal): Promise<'honoured' | 'ignored' | 'unknown'> {
  const any = await rest.ticketSearch({ Limit: 1 }, signal)
  if (any.length === 0) return 'unknown'
  const none = 'deskmove:probe:no-such-record'
  if ((await rest.ticketSearch({}, signal, dynamicFieldOperator(field, none))).length === 0) {
    rest.fieldFilterForm = 'operator'
    return 'honoured'
  }
  if ((await rest.ticketSearch(dynamicFieldFilter(field, none), signal)).length === 0) {
    rest.fieldFilterForm = 'scalar'
    return 'honoured'
  }
  return 'ignored'
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


