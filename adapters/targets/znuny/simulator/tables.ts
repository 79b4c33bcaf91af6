// The simulator's storage: a few row operations on Znuny's tables, kept in memory or (with --db-url) in the
// stand-in database (db-tables.ts). The operations above this layer are the same for both, so whatever the
// memory mode shows, the database mode shows through TicketGet too — including UPDATEs made behind its back.
import { seedRows, type Row } from './catalog.js'

/** Equality filter; an array value means "column IN (…)". */
export type Where = Readonly<Record<string, unknown>>

export interface ZnunyTables {
  /** Inserts a row and returns its generated id (0 for tables without an `id` column). */
  insert(table: string, row: Row): Promise<number>
  /** Rows matching every filter, by `id` (or insertion order where there is no `id`). */
  select(table: string, where?: Where): Promise<Row[]>
  /** Updates the matching rows; returns how many matched. */
  update(table: string, where: Where, changes: Row): Promise<number>
  /** Deletes the matching rows; returns how many. */
  delete(table: string, where: Where): Promise<number>
  /**
   * Runs one API call's reads and writes. On a database they share one transaction, only to spare a disk flush per
   * statement: the call still commits whatever it stored before a `crash` fault, as Znuny (no transactions) does.
   */
  atomically<T>(fn: () => Promise<T>): Promise<T>
  close(): Promise<void>
}

/** Tables without an `id` column. */
export const TABLES_WITHOUT_ID = new Set([
  'user_preferences', 'personal_queues', 'customer_company', 'article_flag', 'ticket_flag', 'customer_user_customer',
  'customer_preferences', 'ticket_watcher', 'ticket_index', 'ticket_lock_index', 'link_relation',
])

/** The value a memory row compares as: dates and numbers as the database hands them back. */
function matches(row: Row, where: Where): boolean {
  for (const [k, v] of Object.entries(where)) {
    const have = row[k]
    if (Array.isArray(v)) {
      if (!v.some((x) => loosely(have, x))) return false
    } else if (!loosely(have, v)) return false
  }
  return true
}

const loosely = (a: unknown, b: unknown): boolean => (a === null || a === undefined || b === null || b === undefined ? a == b : String(a) === String(b))

/**
 * Tables in memory, seeded like a fresh Znuny. Rows are copied in and out so callers never share them. Lookups
 * by a column go through an index built on first use and kept up to date, so a run of thousands of tickets stays
 * linear.
 */
export class MemoryTables implements ZnunyTables {
  private readonly rows = new Map<string, Row[]>()
  private readonly nextId = new Map<string, number>()
  /** table → column → value (as a string) → rows */
  private readonly indexes = new Map<string, Map<string, Map<string, Row[]>>>()

  constructor(password: string, sendmailModule: string) {
    for (const [table, rows] of Object.entries(seedRows(password, sendmailModule))) {
      this.rows.set(table, rows.map((r) => ({ ...r })))
      this.nextId.set(table, rows.reduce((n, r) => Math.max(n, Number(r.id ?? 0)), 0) + 1)
    }
  }

  private table(name: string): Row[] {
    let t = this.rows.get(name)
    if (!t) this.rows.set(name, (t = []))
    return t
  }

  private index(table: string, column: string): Map<string, Row[]> {
    let byColumn = this.indexes.get(table)
    if (!byColumn) this.indexes.set(table, (byColumn = new Map()))
    let idx = byColumn.get(column)
    if (!idx) {
      idx = new Map()
      for (const r of this.table(table)) addTo(idx, r[column], r)
      byColumn.set(column, idx)
    }
    return idx
  }

  /** The stored rows matching `where` (the live objects, in table order). */
  private find(table: string, where: Where): Row[] {
    const keys = Object.keys(where)
    if (keys.length === 0) return [...this.table(table)]
    // The most selective single-value column leads (object_id before field_id), else the first list.
    const size = (k: string) => (Array.isArray(where[k]) ? Infinity : (this.index(table, k).get(keyOf(where[k]))?.length ?? 0))
    const key = keys.reduce((best, k) => (size(k) < size(best) ? k : best))
    const idx = this.index(table, key)
    const v = where[key]
    const candidates = Array.isArray(v) ? [...new Set(v.flatMap((x) => idx.get(keyOf(x)) ?? []))] : (idx.get(keyOf(v)) ?? [])
    const order = Array.isArray(v) && v.length > 1 ? new Map(this.table(table).map((r, i) => [r, i])) : null
    const hits = candidates.filter((r) => matches(r, where))
    return order ? hits.sort((a, b) => order.get(a)! - order.get(b)!) : hits
  }

  insert(table: string, row: Row): Promise<number> {
    const id = TABLES_WITHOUT_ID.has(table) ? 0 : (this.nextId.get(table) ?? 1)
    if (id) this.nextId.set(table, id + 1)
    const stored: Row = id ? { id, ...row } : { ...row }
    this.table(table).push(stored)
    for (const [column, idx] of this.indexes.get(table) ?? []) addTo(idx, stored[column], stored)
    return Promise.resolve(id)
  }

  select(table: string, where: Where = {}): Promise<Row[]> {
    return Promise.resolve(this.find(table, where).map((r) => ({ ...r })))
  }

  update(table: string, where: Where, changes: Row): Promise<number> {
    const hits = this.find(table, where)
    for (const r of hits) Object.assign(r, changes)
    // An index on a changed column is stale: drop it (rebuilt on next use).
    if (hits.length > 0) for (const column of Object.keys(changes)) this.indexes.get(table)?.delete(column)
    return Promise.resolve(hits.length)
  }

  delete(table: string, where: Where): Promise<number> {
    const gone = new Set(this.find(table, where))
    if (gone.size === 0) return Promise.resolve(0)
    this.rows.set(table, this.table(table).filter((r) => !gone.has(r)))
    this.indexes.delete(table)
    return Promise.resolve(gone.size)
  }

  atomically<T>(fn: () => Promise<T>): Promise<T> {
    return fn()
  }

  close(): Promise<void> {
    return Promise.resolve()
  }
}

const keyOf = (v: unknown): string => (v === null || v === undefined ? '\u0000null' : String(v))

function addTo(idx: Map<string, Row[]>, value: unknown, row: Row): void {
  const k = keyOf(value)
  const list = idx.get(k)
  if (list) list.push(row)
  else idx.set(k, [row])
}
