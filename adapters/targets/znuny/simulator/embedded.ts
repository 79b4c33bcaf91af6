// `simulate znuny --data-dir DIR` / `--embedded`: the simulator's state in the Znuny-schema stand-in, kept in an
// embedded PostgreSQL (PGlite) in a folder and served on 127.0.0.1, so the REST simulator and anything reading
// ZNUNY_DB_URL (the Znuny target's SQL checks, `psql`) see the same rows, and a second start on the folder serves
// what the first one stored.
import { resolve } from 'node:path'
import { UsageError } from '../../../../src/core/errors.js'

/** The folder `--embedded` uses when `--data-dir` is not given. */
export const DEFAULT_ZNUNY_EMBEDDED_DIR = 'znuny-db'

/** The embedded database folder the options ask for, or null for the in-memory (or --db-url) mode. */
export function embeddedDataDir(o: Readonly<Record<string, unknown>>, cwd: string): string | null {
  const dir = o.dataDir === undefined ? (o.embedded === true ? DEFAULT_ZNUNY_EMBEDDED_DIR : null) : String(o.dataDir)
  if (dir === null) return null
  if (o.dbUrl !== undefined) {
    throw new UsageError('simulate znuny: --db-url and --data-dir/--embedded both name where the state goes', {
      hint: 'give --db-url for a database server, or --data-dir DIR (or --embedded) for the embedded PostgreSQL, not both',
    })
  }
  return resolve(cwd, dir)
}

export interface OpenedEmbedded {
  readonly url: string
  readonly port: number
  readonly dataDir: string
  readonly created: boolean
  stop(): Promise<void>
}

/** Opens (or creates: initdb, seconds) the embedded PostgreSQL in `dataDir`; the stand-in is built on it later. */
export async function openZnunyEmbedded(dataDir: string): Promise<OpenedEmbedded> {
  const { startEmbeddedPostgres } = await import('../../../../src/kits/sql/embedded-pg.js')
  return startEmbeddedPostgres({ dataDir, holder: 'deskmove simulate znuny' })
}
