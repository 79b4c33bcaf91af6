import type { FreescoutDialect } from '../db.js'
import type { ColumnDef, ColumnType, IndexDef, TableDef } from './schema.js'

/**
 * Renders the stand-in schema as the DDL Laravel's migrations would produce on each engine: MySQL `TIMESTAMP NULL`,
 * unsigned ints and `tinyint(1)` booleans in InnoDB/utf8mb4; PostgreSQL `serial`, `smallint`, `boolean` and
 * `timestamp(0) without time zone`. Pure: returns the statements, runs nothing.
 */
export function renderTableDdl(table: TableDef, dialect: FreescoutDialect): string[] {
  const q = (name: string): string => (dialect === 'mysql' ? `\`${name}\`` : `"${name}"`)
  const cols = table.columns.map((c) => `  ${q(c.name)} ${columnSql(c, dialect)}`)
  const create =
    dialect === 'mysql'
      ? `CREATE TABLE ${q(table.name)} (\n${cols.join(',\n')}\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`
      : `CREATE TABLE ${q(table.name)} (\n${cols.join(',\n')}\n)`
  return [create, ...table.indexes.map((i) => indexSql(table.name, i, dialect, q))]
}

function typeSql(t: ColumnType, dialect: FreescoutDialect): string {
  const my = dialect === 'mysql'
  switch (t.kind) {
    case 'id':
      return my ? 'int unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY' : 'serial PRIMARY KEY'
    case 'uint':
      return my ? 'int unsigned' : 'integer'
    case 'utinyint':
      return my ? 'tinyint unsigned' : 'smallint'
    case 'bool':
      return my ? 'tinyint(1)' : 'boolean'
    case 'varchar':
      return `varchar(${t.length})`
    case 'text':
      return 'text'
    case 'longtext':
      return my ? 'longtext' : 'text'
    case 'timestamp':
      return my ? 'timestamp' : 'timestamp(0) without time zone'
  }
}

function defaultSql(c: ColumnDef, dialect: FreescoutDialect): string {
  if (c.default === undefined) return ''
  if (c.type.kind === 'bool' && dialect === 'postgres') return ` DEFAULT ${c.default ? 'true' : 'false'}`
  return typeof c.default === 'number' ? ` DEFAULT ${c.default}` : ` DEFAULT '${c.default.replace(/'/g, "''")}'`
}

function columnSql(c: ColumnDef, dialect: FreescoutDialect): string {
  if (c.type.kind === 'id') return typeSql(c.type, dialect)
  // MySQL TIMESTAMP columns must say NULL explicitly, or the server may give them NOT NULL/auto-update semantics.
  const nullSql = c.nullable ? (c.type.kind === 'timestamp' && dialect === 'mysql' ? ' NULL DEFAULT NULL' : ' NULL') : ' NOT NULL'
  return `${typeSql(c.type, dialect)}${nullSql}${defaultSql(c, dialect)}`
}

function indexSql(table: string, i: IndexDef, dialect: FreescoutDialect, q: (n: string) => string): string {
  const kind = i.unique ? 'UNIQUE INDEX' : 'INDEX'
  const parts = i.columns.map((c) => {
    if (c.prefix === undefined) return q(c.name)
    // MySQL indexes a prefix; PostgreSQL gets the same semantics from an expression index on left(col, n).
    return dialect === 'mysql' ? `${q(c.name)}(${c.prefix})` : `(left(${q(c.name)}, ${c.prefix}))`
  })
  // A non-unique prefix index on PostgreSQL only exists to bound key size there; plain columns are equivalent.
  const pgParts = !i.unique ? i.columns.map((c) => q(c.name)) : parts
  return `CREATE ${kind} ${q(i.name)} ON ${q(table)} (${(dialect === 'mysql' ? parts : pgParts).join(', ')})`
}
