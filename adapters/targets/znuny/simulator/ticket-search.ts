// TicketSearch (GET /Ticket): the filters znuny.md O2 saw work; every other parameter is silently ignored, so a
// search whose only filter is unknown (`Subject=`, `Body=`, an unknown dynamic field) returns EVERY ticket.
// No hit answers `{}` (no TicketID key). Ids come back as strings, newest first unless sorted otherwise.
import type { SimResponse } from '../../../../src/kits/simulator/responses.js'
import type { Row } from './catalog.js'
import type { GiUser } from './auth.js'
import { giData, type GiData } from './gi.js'
import type { ZnunyModel } from './model.js'
import { list, obj, objects, str } from './text.js'

/** A Znuny search pattern: `*` (and SQL's `%`) are wildcards, matching is case-insensitive and whole-value. */
function pattern(p: string): RegExp {
  const escaped = p.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/[*%]/g, '.*')
  return new RegExp(`^${escaped}$`, 'is')
}

const anyMatches = (patterns: readonly string[], value: unknown): boolean => patterns.some((p) => pattern(p).test(String(value ?? '')))

type Filter = (t: Row) => boolean | Promise<boolean>

function timeFilter(data: GiData, key: string, column: string, older: boolean): Filter | null {
  const v = str(data[key])
  if (v === undefined) return null
  return (t) => (older ? String(t[column]) <= v : String(t[column]) >= v)
}

/**
 * How a plain `DynamicField_<Name>=value` (a query-string scalar) is treated. znuny.md B.2 lists it as a filter
 * (`equals`); the operation code of OTRS 6 lineage keeps only hashes (`{"Equals": …}`), so a scalar would be
 * ignored and the search return every ticket (`ignored`). Which one a given Znuny does is unconfirmed.
 */
export type ScalarFieldFilter = 'equals' | 'ignored'

/**
 * Field name → operators: from `DynamicField` (`{"Name","Equals"|"Like"}` or a list of them) when given, else from
 * `DynamicField_<Name>` parameters holding `{"Equals"|"Like"}` (or, per `scalar`, a bare value).
 */
function fieldOperators(data: GiData, scalar: ScalarFieldFilter): Map<string, { equals: string[]; like: string[] }> {
  const out = new Map<string, { equals: string[]; like: string[] }>()
  const add = (name: string, v: unknown) => {
    const o = obj(v)
    if (o) out.set(name, { equals: list(o.Equals), like: list(o.Like) })
    else if (scalar === 'equals' && (typeof v === 'string' || typeof v === 'number' || Array.isArray(v))) out.set(name, { equals: list(v), like: [] })
  }
  if (data.DynamicField !== undefined) {
    for (const item of objects(data.DynamicField) ?? []) if (typeof item.Name === 'string') add(item.Name, item)
    return out
  }
  for (const [key, v] of Object.entries(data)) {
    const m = /^DynamicField_([A-Za-z\d]+)$/.exec(key)
    if (m) add(m[1]!, v)
  }
  return out
}

export async function ticketSearch(model: ZnunyModel, user: GiUser, data: GiData, scalarFieldFilter: ScalarFieldFilter = 'equals'): Promise<SimResponse> {
  const L = model.lookups
  const filters: Filter[] = []
  const byNames = (key: string, items: readonly { id: number; name: string }[], column: string) => {
    const names = list(data[key])
    if (names.length) filters.push((t) => items.some((i) => names.includes(i.name) && i.id === Number(t[column])))
  }
  const byIds = (key: string, column: string) => {
    const ids = list(data[key])
    if (ids.length) filters.push((t) => ids.includes(String(t[column])))
  }
  const title = list(data.Title)
  if (title.length) filters.push((t) => anyMatches(title, t.title))
  const tn = list(data.TicketNumber)
  if (tn.length) filters.push((t) => anyMatches(tn, t.tn))
  const login = list(data.CustomerUserLogin)
  if (login.length) filters.push((t) => anyMatches(login, t.customer_user_id))
  const cid = list(data.CustomerID)
  if (cid.length) filters.push((t) => anyMatches(cid, t.customer_id))
  byNames('Queues', L.queues, 'queue_id')
  byIds('QueueIDs', 'queue_id')
  byNames('States', L.states, 'ticket_state_id')
  byIds('StateIDs', 'ticket_state_id')
  const stateTypes = list(data.StateType)
  if (stateTypes.length) filters.push((t) => stateTypes.includes(L.states.find((s) => s.id === Number(t.ticket_state_id))?.typeName ?? ''))
  byNames('Priorities', L.priorities, 'ticket_priority_id')
  byIds('PriorityIDs', 'ticket_priority_id')
  byNames('Types', L.types, 'type_id')
  byIds('TypeIDs', 'type_id')
  byIds('OwnerIDs', 'user_id')
  byIds('TicketID', 'id')
  for (const [key, column, older] of [
    ['TicketCreateTimeOlderDate', 'create_time', true], ['TicketCreateTimeNewerDate', 'create_time', false],
    ['TicketChangeTimeOlderDate', 'change_time', true], ['TicketChangeTimeNewerDate', 'change_time', false],
  ] as const) {
    const f = timeFilter(data, key, column, older)
    if (f) filters.push(f)
  }
  for (const [key, column] of [['MIMEBase_Subject', 'a_subject'], ['MIMEBase_Body', 'a_body'], ['MIMEBase_From', 'a_from'], ['MIMEBase_To', 'a_to']] as const) {
    const patterns = list(data[key])
    if (!patterns.length) continue
    // Article body search matches words inside the body (fulltext), the other fields as whole values.
    const ps = key === 'MIMEBase_Body' ? patterns.map((p) => `*${p}*`) : patterns
    filters.push(async (t) => {
      const articles = await model.tables.select('article', { ticket_id: t.id })
      if (!articles.length) return false
      const mimes = await model.tables.select('article_data_mime', { article_id: articles.map((a) => a.id) })
      return mimes.some((m) => anyMatches(ps, m[column]))
    })
  }
  const operators = fieldOperators(data, scalarFieldFilter)
  for (const field of L.fields) {
    const op = operators.get(field.name)
    if (!op) continue
    const { equals, like } = op
    if (!equals.length && !like.length) continue
    const objectIds = async () => new Set((await model.tables.select('dynamic_field_value', { field_id: field.id })).filter((v) => equals.includes(String(v.value_text ?? v.value_int ?? v.value_date)) || anyMatches(like, v.value_text)).map((v) => Number(v.object_id)))
    if (field.objectType === 'Ticket') {
      const ids = await objectIds()
      filters.push((t) => ids.has(Number(t.id)))
    } else if (field.objectType === 'Article') {
      const articleIds = [...(await objectIds())]
      const tickets = new Set((articleIds.length ? await model.tables.select('article', { id: articleIds }) : []).map((a) => Number(a.ticket_id)))
      filters.push((t) => tickets.has(Number(t.id)))
    }
  }
  if (user.kind === 'customer') filters.push((t) => t.customer_user_id === user.login)

  const hits: Row[] = []
  for (const t of await model.tables.select('ticket')) {
    let keep = true
    for (const f of filters) if (!(keep = await f(t))) break
    if (keep) hits.push(t)
  }
  const sortBy = str(data.SortBy) ?? 'Age'
  const up = str(data.OrderBy) === 'Up'
  const key = (t: Row): string | number => (sortBy === 'TicketNumber' ? String(t.tn) : sortBy === 'Title' ? String(t.title) : Number(t.id))
  // Age sorts by creation (the id order here); the default order is Down, i.e. newest first.
  hits.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0) * (up ? 1 : -1))
  const limit = Number(data.Limit ?? 10000)
  const ids = hits.slice(0, Number.isInteger(limit) && limit > 0 ? limit : 10000).map((t) => String(t.id))
  return giData(ids.length ? { TicketID: ids } : {})
}
