// FreeScout's database handle: the SQL kit's, with FreeScout's wording for connection errors.
import { connectSqlDb, type SqlDb, type SqlDialect } from '../../../src/kits/sql/index.js'

export { redactDbUrl, rewritePlaceholders, toSqlDateTime } from '../../../src/kits/sql/index.js'

/** The two database engines FreeScout runs on. */
export type FreescoutDialect = SqlDialect

/** A handle on a FreeScout database (see `SqlDb` in the SQL kit). */
export type FsDb = SqlDb

/** Opens a pool on a FreeScout database URL (`mysql://`, `mariadb://`, `postgres://`) and checks it answers. */
export function connectFreescoutDb(url: string): Promise<FsDb> {
  return connectSqlDb(url, {
    label: 'the FreeScout database',
    hint: 'check FREESCOUT_DB_URL (host, port, user, password, database name)',
    schemeHint: 'FreeScout runs on MySQL/MariaDB (mysql://, mariadb://) or PostgreSQL (postgres://)',
  })
}
