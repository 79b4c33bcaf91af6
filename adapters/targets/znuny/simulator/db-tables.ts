// The simulator's tables in a Znuny-schema database (the stand-in, or any database with that schema): the same
// row operations as MemoryTables, as parameterised SQL. Table and column names come from this code, never input.
import type { SqlDb } from '../../../../src/kits/sql/types.js'
import type { Row } from './catalog.js'
import { TABLES_WITHOUT_ID, type Where, type ZnunyTables } from './tables.js'

const ident = (name: string): string => {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a table or column name: ${name}`)
  return `"${name}"`
}

function whereSql(where: Where): { sql: string; params: unknown[] } {
  const parts: string[] = []
  const params: unknown[] = []
  for (const [k, v] of Object.entries(where)) {
    if (Array.isArray(v)) {
      if (v.length === 0) {
        parts.push('1 = 0')
        continue
      }
      parts.push(`${ident(k)} IN (${v.map(() => '?').join(', ')})`)
      params.push(...(v as unknown[]))
    } else if (v === null || v === undefined) {
      parts.push(`${ident(k)} IS NULL`)
    } else {
      parts.push(`${ident(k)} = ?`)
      params.push(v)
    }
  }
  return { sql: parts.length ? ` WHERE ${parts.join(' AND ')}` : '', params }
}

export class DbTables implements ZnunyTables {
  /** The handle statements go to: the pool, or the transaction of the call being served (calls are serial). */
  private h: SqlDb

  constructor(readonly db: SqlDb) {
    this.h = db
  }

  atomically<T>(fn: () => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) => {
      this.h = tx
      try {
        return await fn()
      } finally {
        this.h = this.db
      }
    })
  }

  async insert(table: string, row: Row): Promise<number> {
    const cols = Object.keys(row)
    const r = await this.h.execute(`INSERT INTO ${ident(table)} (${cols.map(ident).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`, cols.map((c) => row[c]))
    return TABLES_WITHOUT_ID.has(table) ? 0 : Number(r.insertId ?? 0)
  }

  select(table: string, where: Where = {}): Promise<Row[]> {
    const w = whereSql(where)
    return this.h.query<Row>(`SELECT * FROM ${ident(table)}${w.sql}${TABLES_WITHOUT_ID.has(table) ? '' : ' ORDER BY id'}`, w.params)
  }

  async update(table: string, where: Where, changes: Row): Promise<number> {
    const cols = Object.keys(changes)
    if (cols.length === 0) return 0
    const w = whereSql(where)
    const r = await this.h.execute(`UPDATE ${ident(table)} SET ${cols.map((c) => `${ident(c)} = ?`).join(', ')}${w.sql}`, [...cols.map((c) => changes[c]), ...w.params])
    return r.affectedRows
  }

  async delete(table: string, where: Where): Promise<number> {
    const w = whereSql(where)
    return (await this.h.execute(`DELETE FROM ${ident(table)}${w.sql}`, w.params)).affectedRows
  }

  close(): Promise<void> {
    return this.db.close()
  }
}
