// The FreeScout stand-in behind `deskmove simulate freescout`.
export { createFreescoutStandIn, bcryptShapedHash, type StandInOptions, type StandInResult } from './create-stand-in.js'
export { CORE_TABLES, TAGS_TABLES, CUSTOM_FIELDS_TABLES, type TableDef, type ColumnDef, type IndexDef } from './schema.js'
export { renderTableDdl } from './render-ddl.js'
export { freescoutStandInSimulator } from './definition.js'
