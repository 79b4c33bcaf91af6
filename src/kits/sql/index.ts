// The SQL kit: one vendor-neutral layer over MySQL/MariaDB (mysql2) and PostgreSQL (pg) for database targets.
export type { SqlConnectOptions, SqlDb, SqlDialect, SqlLocation, SqlWriteResult } from './types.js'
export { connectSqlDb, dialectOfUrl } from './connect.js'
export { bindPlaceholders, normalizeParam, rewritePlaceholders, toSqlDateTime } from './params.js'
export { redactDbUrl } from './redact.js'
export { classifySqlError, type SqlErrorKind } from './errors.js'
export { CHARS_PER_INSERT, idStrategy, insertRows, ROWS_PER_INSERT, rowChars, type IdStrategy } from './insert-rows.js'
export { currentSchemaSql, existingTables, missingTables } from './schema.js'
