// The Znuny-schema stand-in database (MariaDB/MySQL and PostgreSQL).
export { createZnunyStandIn, connectStandIn, DEFAULT_STANDIN_PASSWORD, type ZnunyStandIn, type ZnunyStandInOptions } from './create.js'
export { ZNUNY_TABLES, ZNUNY_TABLE_NAMES, type TableDef, type ColumnDef, type IndexDef } from './schema.js'
export { renderZnunyDdl } from './render-ddl.js'
export { openStandInTables } from './open.js'
