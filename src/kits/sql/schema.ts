// Questions about the schema a handle points at (the current database on MySQL, the current schema on PostgreSQL).
import type { SqlDb } from './types.js'

/** The SQL expression naming the schema that unqualified table names resolve to. */
export function currentSchemaSql(db: SqlDb): string {
  return db.dialect === 'mysql' ? 'DATABASE()' : 'current_schema()'
}

/** Which of `tables` exist in the current schema (names compared as stored, lower-case in practice). */
export async function existingTables(db: SqlDb, tables: readonly string[]): Promise<Set<string>> {
  if (tables.length === 0) return new Set()
  const rows = await db.query<Record<string, unknown>>(
    `SELECT table_name AS table_name FROM information_schema.tables WHERE table_schema = ${currentSchemaSql(db)} AND table_name IN (${tables.map(() => '?').join(', ')})`,
    tables,
  )
  // MySQL 8 reports the alias in upper case on some versions: read both spellings.
  return new Set(rows.map((r) => String(r.table_name ?? r.TABLE_NAME)))
}

/** The tables of `tables` that the current schema lacks, in the order given. */
export async function missingTables(db: SqlDb, tables: readonly string[]): Promise<string[]> {
  const found = await existingTables(db, tables)
  return tables.filter((t) => !found.has(t))
}
