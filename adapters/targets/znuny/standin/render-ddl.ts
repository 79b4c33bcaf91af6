import type { SqlDialect } from '../../../../src/kits/sql/types.js'
import type { ColumnDef, ColumnType, TableDef } from './schema.js'

/**
 * The stand-in's DDL per engine, shaped like Znuny's schema files: MySQL/MariaDB InnoDB with utf8mb4 (as 7.1
 * converts to) and DATETIME/LONGBLOB/MEDIUMTEXT; PostgreSQL serial/bigserial, timestamp(0) and bytea. Pure.
 */
export function renderZnunyDdl(t: TableDef, dialect: SqlDialect): string[] {
  const q = (n: string) => (dialect === 'mysql' ? `\`${n}\`` : `"${n}"`)
  const lines = t.columns.map((c) => `  ${q(c.name)} ${columnSql(c, dialect)}`)
  if (t.primaryKey) lines.push(`  PRIMARY KEY (${q(t.primaryKey)})`)
  // MySQL cannot index whole TEXT/long VARCHAR columns in utf8mb4; Znuny indexes prefixes there too.
  const part = (name: string) => {
    const c = t.columns.find((x) => x.name === name)
    const long = c && (c.type.kind === 'text' || c.type.kind === 'mediumtext' || (c.type.kind === 'varchar' && c.type.length > 191))
    return dialect === 'mysql' && long ? `${q(name)}(191)` : q(name)
  }
  if (dialect === 'mysql') {
    // Inline keys: one statement per table (each CREATE INDEX would rebuild the table).
    for (const i of t.indexes) lines.push(`  ${i.unique ? 'UNIQUE KEY' : 'KEY'} ${q(i.name)} (${i.columns.map(part).join(', ')})`)
    return [`CREATE TABLE ${q(t.name)} (\n${lines.join(',\n')}\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`]
  }
  const create = `CREATE TABLE ${q(t.name)} (\n${lines.join(',\n')}\n)`
  return [create, ...t.indexes.map((i) => `CREATE ${i.unique ? 'UNIQUE INDEX' : 'INDEX'} ${q(i.name)} ON ${q(t.name)} (${i.columns.map(part).join(', ')})`)]
}

function typeSql(t: ColumnType, dialect: SqlDialect): string {
  const my = dialect === 'mysql'
  switch (t.kind) {
    case 'serial':
      if (my) return `${t.size === 'small' ? 'SMALLINT' : t.size === 'big' ? 'BIGINT' : 'INTEGER'} NOT NULL AUTO_INCREMENT PRIMARY KEY`
      return `${t.size === 'small' ? 'smallserial' : t.size === 'big' ? 'bigserial' : 'serial'} PRIMARY KEY`
    case 'int':
      return t.size === 'small' ? 'SMALLINT' : t.size === 'big' ? 'BIGINT' : 'INTEGER'
    case 'varchar':
      return `VARCHAR(${t.length})`
    case 'text':
      return my ? 'TEXT' : 'VARCHAR'
    case 'mediumtext':
      return my ? 'MEDIUMTEXT' : 'VARCHAR'
    case 'blob':
      return my ? 'LONGBLOB' : 'BYTEA'
    case 'datetime':
      return my ? 'DATETIME' : 'timestamp(0) without time zone'
    case 'decimal':
      return 'DECIMAL(10,2)'
  }
}

function columnSql(c: ColumnDef, dialect: SqlDialect): string {
  if (c.type.kind === 'serial') return typeSql(c.type, dialect)
  return `${typeSql(c.type, dialect)}${c.nullable ? ' NULL' : ' NOT NULL'}${c.default === undefined ? '' : ` DEFAULT ${c.default}`}`
}
