// Opens a handle on a database URL and checks it answers: a database that does not answer is RemoteUnavailable,
// any other failure a ConfigError, always with the password hidden.
import { ConfigError, RemoteUnavailableError } from '../../core/errors.js'
import { openMysql } from './mysql.js'
import { openPostgres } from './postgres.js'
import { redactDbUrl } from './redact.js'
import type { SqlConnectOptions, SqlDb, SqlDialect } from './types.js'

const SCHEMES: Readonly<Record<string, SqlDialect>> = { 'mysql:': 'mysql', 'mariadb:': 'mysql', 'postgres:': 'postgres', 'postgresql:': 'postgres' }

/** The dialect a database URL names, or null for an unknown scheme or an unparseable URL. */
export function dialectOfUrl(url: string): SqlDialect | null {
  try {
    return SCHEMES[new URL(url).protocol] ?? null
  } catch {
    return null
  }
}

/** Opens a pool on `mysql://`, `mariadb://`, `postgres://` or `postgresql://` URLs and checks it answers. */
export async function connectSqlDb(url: string, opts: SqlConnectOptions): Promise<SqlDb> {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    throw new ConfigError(`not a database URL: ${redactDbUrl(url)}`, { hint: 'use mysql://user:pass@host:3306/db or postgres://…' })
  }
  const dialect = SCHEMES[u.protocol]
  if (!dialect) {
    throw new ConfigError(`unsupported database URL scheme "${u.protocol}" in ${redactDbUrl(url)}`, {
      hint: opts.schemeHint ?? 'use MySQL/MariaDB (mysql://, mariadb://) or PostgreSQL (postgres://)',
    })
  }
  const location = { host: u.hostname || '127.0.0.1', database: decodeURIComponent(u.pathname.replace(/^\//, '')) }
  const { db, end } = dialect === 'mysql' ? openMysql(u, location) : openPostgres(u, location)
  try {
    await db.query('SELECT 1 AS ok')
  } catch (e) {
    await end().catch(() => {})
    throw connectionError(url, e, opts)
  }
  return db
}

function connectionError(url: string, e: unknown, opts: SqlConnectOptions): ConfigError | RemoteUnavailableError {
  const raw = e instanceof Error ? e.message || (e as { code?: string }).code || e.name : String(e)
  const safe = redactDbUrl(url)
  // The cause is rebuilt from the redacted message only: driver errors can carry the connection config.
  const message = `cannot connect to ${opts.label} at ${safe}: ${redactDbUrl(raw)}`
  // Nothing answering (refused, timed out, no route) is the database being down: resumable, not a config error.
  if (/ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH|ECONNRESET/.test(`${(e as { code?: string })?.code ?? ''} ${raw}`)) {
    return new RemoteUnavailableError(message, { cause: new Error(redactDbUrl(raw)) })
  }
  return new ConfigError(message, { hint: opts.hint, cause: new Error(redactDbUrl(raw)) })
}
