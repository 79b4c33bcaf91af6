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
  close(): Promise<void>
}

/** Tables without an `id` column. */
export const TABLES_WITHOUT_ID = new Set(['user_preferences', 'personal_queues', 'customer_company', 'article_flag', 'ticket_flag'])

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

/** Tables in memory, seeded like a fresh Znuny. Rows are copied in and out so callers never share them. */
export class MemoryTables implements ZnunyTables {
  private readonly rows = new Map<string, Row[]>()
  private readonly nextId = new Map<string, number>()

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

  insert(table: string, row: Row): Promise<number> {
    const id = TABLES_WITHOUT_ID.has(table) ? 0 : (this.nextId.get(table) ?? 1)
    if (id) this.nextId.set(table, id + 1)
    this.table(table).push(id ? { id, ...row } : { ...row })
    return Promise.resolve(id)
  }

  select(table: string, where: Where = {}): Promise<Row[]> {
    return Promise.resolve(this.table(table).filter((r) => matches(r, where)).map((r) => ({ ...r })))
  }

  update(table: string, where: Where, changes: Row): Promise<number> {
    let n = 0
    for (const r of this.table(table)) {
      if (!matches(r, where)) continue
      Object.assign(r, changes)
      n++
    }
    return Promise.resolve(n)
  }

  delete(table: string, where: Where): Promise<number> {
    const t = this.table(table)
    const keep = t.filter((r) => !matches(r, where))
    const n = t.length - keep.length
    this.rows.set(table, keep)
    return Promise.resolve(n)
  }

  close(): Promise<void> {
    return Promise.resolve()
  }
}
