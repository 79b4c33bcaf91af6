// What `prepare` reads once: the target's queues, states, priorities, types, agents and ticket dynamic fields,
// the e-mail module, and whether TicketSearch honours the provenance filter. The REST API has no operation
// listing queues, states, … (znuny.md B.2): those lists come from the database when ZNUNY_DB_URL is set and are
// null (unchecked, said in the plan) otherwise. Dynamic field names are also readable through TicketGet.
import { createHash } from 'node:crypto'
import type { SqlDb } from '../../../src/kits/sql/index.js'
import type { ZnunyRest } from './rest/client.js'
import { probeProvenanceFilter, ticketDynamicFieldNames } from './rest/find.js'
import { ZnunyApiError } from './rest/errors.js'

export interface ZnLookups {
  readonly queues: readonly string[] | null
  readonly states: readonly string[] | null
  readonly priorities: readonly string[] | null
  readonly types: readonly string[] | null
  /** Agent logins. */
  readonly agents: readonly string[] | null
  /** Ticket dynamic field names, or null when nothing could be read (no database and no ticket yet). */
  readonly dynamicFields: readonly string[] | null
  readonly provenanceField: string
  readonly provenanceFilter: 'honoured' | 'ignored' | 'unknown'
  /** SysConfig `SendmailModule`, or null when it could not be read (no database). */
  readonly sendmailModule: string | null
  /** The database engine when ZNUNY_DB_URL is set: on MySQL/MariaDB Znuny replaces 4-byte UTF-8 by U+FFFD. */
  readonly dbDialect: 'mysql' | 'postgres' | null
  /** The importing agent (owner of every ticket until the owners are set). */
  readonly importUser: string
  readonly version: 'auto' | '7.1' | '7.0'
  /**
   * Queues with an "auto remove" response linked (null: unknown without the database). deskmove suppresses auto
   * replies with AutoResponseType "auto remove", which only works while no such response is linked (znuny.md O5).
   */
  readonly autoRemoveQueues: readonly string[] | null
}

const valid = async (db: SqlDb, table: string, column: string): Promise<string[]> =>
  (await db.query<{ v: string }>(`SELECT ${column} AS v FROM ${table} WHERE valid_id = 1 ORDER BY ${column}`)).map((r) => String(r.v))

/** The effective value of a SysConfig setting (modified first, then default), without YAML quoting. */
export async function readSetting(db: SqlDb, name: string): Promise<string | null> {
  for (const table of ['sysconfig_modified', 'sysconfig_default']) {
    try {
      const rows = await db.query<{ v: unknown }>(`SELECT effective_value AS v FROM ${table} WHERE name = ? ORDER BY id DESC`, [name])
      const v = rows[0]?.v
      if (v !== undefined && v !== null) return yamlScalar(Buffer.isBuffer(v) ? v.toString('utf8') : String(v))
    } catch {
      // The table may not exist on this schema; the next one is tried.
    }
  }
  return null
}

async function autoRemoveQueues(db: SqlDb): Promise<string[] | null> {
  try {
    const rows = await db.query<{ v: string }>(
      `SELECT DISTINCT q.name AS v FROM queue_auto_response qa JOIN queue q ON q.id = qa.queue_id JOIN auto_response r ON r.id = qa.auto_response_id
       JOIN auto_response_type t ON t.id = r.type_id WHERE t.name = ? AND r.valid_id = 1 ORDER BY q.name`,
      ['auto remove'],
    )
    return rows.map((r) => String(r.v))
  } catch {
    return null
  }
}

/** Znuny stores SysConfig values as YAML (`--- Kernel::System::Email::DoNotSendEmail`). */
function yamlScalar(s: string): string {
  return s.replace(/^---\s*/, '').trim().replace(/^['"]|['"]$/g, '')
}

/**
 * Which request shape the target takes (no version operation exists): a TicketCreate that every version refuses
 * before creating anything — a title only, and `Article` as a list. Znuny 6.5/7.0 refuse the list ("Article
 * parameter is missing or not valid!"); 7.1+ accept it and refuse the missing CustomerUser. `auto` when unclear.
 */
export async function probeVersion(rest: ZnunyRest, signal?: AbortSignal): Promise<ZnLookups['version']> {
  try {
    await rest.ticketCreate({ Ticket: { Title: 'deskmove version probe (creates nothing)' }, Article: [{ Subject: 'probe' }] }, signal)
  } catch (e) {
    if (!(e instanceof ZnunyApiError)) return 'auto'
    if (/Article parameter/i.test(e.errorMessage)) return '7.0'
    if (/CustomerUser|Queue|State|Priority/.test(e.errorMessage)) return '7.1'
  }
  return 'auto'
}

export async function readLookups(rest: ZnunyRest, db: SqlDb | null, o: { provenanceField: string; user: string; version: ZnLookups['version'] }, signal?: AbortSignal): Promise<ZnLookups> {
  const provenanceFilter = await probeProvenanceFilter(rest, o.provenanceField, signal)
  const version = o.version === 'auto' ? await probeVersion(rest, signal) : o.version
  const base = { provenanceField: o.provenanceField, provenanceFilter, importUser: o.user, version }
  if (!db) {
    return { ...base, queues: null, states: null, priorities: null, types: null, agents: null, dynamicFields: await ticketDynamicFieldNames(rest, signal), sendmailModule: null, dbDialect: null, autoRemoveQueues: null }
  }
  const dynamicFields = (await db.query<{ v: string }>("SELECT name AS v FROM dynamic_field WHERE valid_id = 1 AND object_type = 'Ticket' ORDER BY name")).map((r) => String(r.v))
  return {
    ...base,
    queues: await valid(db, 'queue', 'name'),
    states: await valid(db, 'ticket_state', 'name'),
    priorities: await valid(db, 'ticket_priority', 'name'),
    types: await valid(db, 'ticket_type', 'name'),
    agents: await valid(db, 'users', 'login'),
    dynamicFields,
    sendmailModule: await readSetting(db, 'SendmailModule'),
    dbDialect: db.dialect,
    autoRemoveQueues: await autoRemoveQueues(db),
  }
}

/**
 * A digest of the target's state for plan staleness: the newest tickets (ids and change times) and, with the
 * database, the reference lists. Reads only.
 */
export async function fingerprintZnuny(rest: ZnunyRest, db: SqlDb | null, signal?: AbortSignal): Promise<string> {
  const h = createHash('sha256')
  const newest = await rest.ticketSearch({ SortBy: 'Age', OrderBy: 'Down', Limit: 20 }, signal)
  const top = newest.slice(0, 20)
  const tickets = top.length ? await rest.ticketGet(top, {}, signal) : []
  h.update(JSON.stringify(tickets.map((t) => [t.TicketID, t.Changed ?? '', t.State ?? ''])))
  if (db) for (const t of ['queue', 'ticket_state', 'ticket_priority', 'ticket_type', 'users', 'dynamic_field']) h.update(JSON.stringify(await valid(db, t, t === 'users' ? 'login' : 'name')))
  return h.digest('hex').slice(0, 32)
}
