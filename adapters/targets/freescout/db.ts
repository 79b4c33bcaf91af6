import mysql from 'mysql2/promise'
import pg from 'pg'
import { ConfigError, RemoteUnavailableError } from '../../../src/core/errors.js'

/** The two database engines FreeScout runs on. */
export type FreescoutDialect = 'mysql' | 'postgres'

/**
 * One small interface over a FreeScout database, identical in both dialects.
 *
 * - Placeholders are `?` everywhere (rewritten to `$1..` for PostgreSQL); a `?` inside a quoted string is left alone.
 * - Identifiers may be double-quoted in both dialects (MySQL sessions run with `ANSI_QUOTES`), which matters for the
 *   `threads."from"` / `"to"` columns.
 * - Sessions run in UTC. Params may be JS `Date`s (sent as UTC `'YYYY-MM-DD HH:MM:SS'`, sub-seconds dropped) or such
 *   strings; timestamps always come back as `'YYYY-MM-DD HH:MM:SS'` UTC strings.
 * - Numbers come back as JS numbers in both dialects (COUNT/SUM included) and PostgreSQL booleans as 0/1, like MySQL's
 *   `tinyint(1)`. PostgreSQL boolean *columns* accept 0/1 params but not integer literals or MAX/SUM: write
 *   `has_attachments = ?`, and aggregate with `MAX(CASE WHEN has_attachments THEN 1 ELSE 0 END)`.
 */
export interface FsDb {
  readonly dialect: FreescoutDialect
  /** `?` placeholders in every dialect (translated to $1.. for pg). Returns the rows ([] for statements without rows). */
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>
  /**
   * Runs a write. `insertId` is the (first) generated id of an INSERT, else null. On PostgreSQL `RETURNING id` is
   * appended to an `INSERT INTO <table>` that has no RETURNING clause when `<table>` has an `id` column (looked up once
   * per table in information_schema), so both dialects report the id the same way.
   */
  execute(sql: string, params?: readonly unknown[]): Promise<{ insertId: number | null; affectedRows: number }>
  /** Runs fn in one transaction on one connection; rolls back on throw. Nested calls use savepoints. */
  transaction<T>(fn: (tx: FsDb) => Promise<T>): Promise<T>
  /** Ends the pool. A no-op on a transaction handle (the outer handle owns the connection). */
  close(): Promise<void>
}

/** Low-level access to one connection: the dialect differences live behind this. */
interface Runner {
  run(sql: string, params: readonly unknown[]): Promise<{ rows: Record<string, unknown>[]; insertId: number | null; affectedRows: number }>
}

/** Hides the password (and `password=` query parameters) of a database URL. */
export function redactDbUrl(url: string): string {
  let out: string
  try {
    const password = new URL(url).password
    out = password ? url.replace(`:${password}@`, ':***@') : url
  } catch {
    // Not parseable: mask everything between `user:` and the last `@`, erring on the side of hiding too much.
    out = url.replace(/(\/\/[^/\s:@]*:).*@/, '$1***@')
  }
  return out.replace(/([?&](?:password|pass|pwd)=)[^&#]*/gi, '$1***')
}

/** Rewrites `?` placeholders outside quotes and comments; `render(i)` gives the text for the i-th (0-based) one. */
export function rewritePlaceholders(sql: string, dialect: FreescoutDialect, render: (index: number) => string): string {
  let out = ''
  let n = 0
  let i = 0
  while (i < sql.length) {
    const ch = sql[i] as string
    if (ch === "'" || ch === '"' || ch === '`') {
      let j = i + 1
      while (j < sql.length && sql[j] !== ch) j += dialect === 'mysql' && sql[j] === '\\' ? 2 : 1
      out += sql.slice(i, j + 1)
      i = j + 1
    } else if (ch === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i)
      const j = end < 0 ? sql.length : end
      out += sql.slice(i, j)
      i = j
    } else if (ch === '?') {
      out += render(n++)
      i++
    } else {
      out += ch
      i++
    }
  }
  return out
}

/** Formats a Date as the `'YYYY-MM-DD HH:MM:SS'` UTC string both dialects store. */
export function toSqlDateTime(d: Date): string {
  if (Number.isNaN(d.getTime())) throw new TypeError('invalid Date passed as SQL parameter')
  return d.toISOString().slice(0, 19).replace('T', ' ')
}

function normalizeParam(v: unknown): unknown {
  if (v === undefined || v === null) return null
  if (v instanceof Date) return toSqlDateTime(v)
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' || Buffer.isBuffer(v)) return v
  // Objects and arrays would be expanded differently by each driver: callers JSON.stringify them explicitly.
  throw new TypeError(`unsupported SQL parameter type: ${Object.prototype.toString.call(v)}`)
}

function bind(sql: string, params: readonly unknown[], dialect: FreescoutDialect, render: (i: number) => string): string {
  let count = 0
  const text = rewritePlaceholders(sql, dialect, (i) => {
    count++
    return render(i)
  })
  if (count !== params.length) throw new TypeError(`SQL has ${count} placeholders but ${params.length} params were given`)
  return text
}

class Handle implements FsDb {
  private depth = 0
  constructor(
    readonly dialect: FreescoutDialect,
    private readonly runner: Runner,
    private readonly begin: (<T>(fn: (tx: FsDb) => Promise<T>) => Promise<T>) | null,
    private readonly end: () => Promise<void>,
  ) {}

  async query<T = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return (await this.runner.run(sql, params)).rows as T[]
  }

  async execute(sql: string, params: readonly unknown[] = []): Promise<{ insertId: number | null; affectedRows: number }> {
    const { insertId, affectedRows } = await this.runner.run(sql, params)
    return { insertId, affectedRows }
  }

  async transaction<T>(fn: (tx: FsDb) => Promise<T>): Promise<T> {
    if (this.begin) return this.begin(fn)
    // Already inside a transaction on this connection: a savepoint gives the nested call its own rollback.
    const name = `deskmove_sp_${++this.depth}`
    await this.runner.run(`SAVEPOINT ${name}`, [])
    try {
      const result = await fn(this)
      await this.runner.run(`RELEASE SAVEPOINT ${name}`, [])
      return result
    } catch (e) {
      await this.runner.run(`ROLLBACK TO SAVEPOINT ${name}`, [])
      throw e
    } finally {
      this.depth--
    }
  }

  close(): Promise<void> {
    return this.end()
  }
}

const noop = async (): Promise<void> => {}

// ---------------------------------------------------------------- MySQL / MariaDB

type MysqlConn = mysql.PoolConnection
const mysqlReady = new WeakSet<object>()

async function mysqlSession(conn: MysqlConn): Promise<void> {
  // The session settings must be in place before the first statement, on every pooled connection.
  if (mysqlReady.has(conn.connection)) return
  await conn.query(
    "SET time_zone = '+00:00', " +
      "sql_mode = CONCAT_WS(',', NULLIF(@@SESSION.sql_mode, ''), 'ANSI_QUOTES')",
  )
  mysqlReady.add(conn.connection)
}

function mysqlRunner(conn: MysqlConn): Runner {
  return {
    async run(sql, params) {
      const values = params.map(normalizeParam)
      const text = bind(sql, values, 'mysql', (i) => mysql.escape(values[i] as mysql.SqlValue))
      const [result] = await conn.query(text)
      if (Array.isArray(result)) return { rows: result as Record<string, unknown>[], insertId: null, affectedRows: 0 }
      const header = result as mysql.ResultSetHeader
      return { rows: [], insertId: header.insertId ? Number(header.insertId) : null, affectedRows: header.affectedRows }
    },
  }
}

async function connectMysql(u: URL): Promise<FsDb> {
  const pool = mysql.createPool({
    host: u.hostname || '127.0.0.1',
    port: u.port ? Number(u.port) : 3306,
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: decodeURIComponent(u.pathname.replace(/^\//, '')) || undefined,
    charset: 'UTF8MB4_UNICODE_CI',
    dateStrings: true,
    decimalNumbers: true,
    supportBigNumbers: true,
    bigNumberStrings: false,
    connectionLimit: 4,
    connectTimeout: 10_000,
  })
  const withConn = async <T>(fn: (c: MysqlConn) => Promise<T>): Promise<T> => {
    const conn = await pool.getConnection()
    try {
      await mysqlSession(conn)
      return await fn(conn)
    } finally {
      conn.release()
    }
  }
  const root: Runner = { run: (sql, params) => withConn((c) => mysqlRunner(c).run(sql, params)) }
  const begin = <T>(fn: (tx: FsDb) => Promise<T>): Promise<T> =>
    withConn(async (conn) => {
      await conn.beginTransaction()
      try {
        const result = await fn(new Handle('mysql', mysqlRunner(conn), null, noop))
        await conn.commit()
        return result
      } catch (e) {
        await conn.rollback()
        throw e
      }
    })
  const db = new Handle('mysql', root, begin, () => pool.end())
  await probe(db, pool.end.bind(pool), u)
  return db
}

// ---------------------------------------------------------------- PostgreSQL

const TIMESTAMP_OIDS = [1114, 1184]
const pgTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) => {
    if (TIMESTAMP_OIDS.includes(oid)) return (v: string) => v.slice(0, 19)
    if (oid === 20 || oid === 21 || oid === 23 || oid === 1700) return (v: string) => Number(v)
    if (oid === 16) return (v: string) => (v === 't' ? 1 : 0)
    return pg.types.getTypeParser(oid, format as 'text')
  }) as pg.CustomTypesConfig['getTypeParser'],
}

function pgRunner(client: pg.PoolClient | pg.Pool, idCache: Map<string, boolean>): Runner {
  const hasIdColumn = async (table: string): Promise<boolean> => {
    const cached = idCache.get(table)
    if (cached !== undefined) return cached
    const r = await client.query(
      "SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 AND column_name = 'id'",
      [table],
    )
    const found = (r.rowCount ?? 0) > 0
    idCache.set(table, found)
    return found
  }
  return {
    async run(sql, params) {
      const values = params.map(normalizeParam)
      let text = bind(sql, values, 'postgres', (i) => `$${i + 1}`)
      const insert = /^\s*INSERT\s+INTO\s+"?([A-Za-z0-9_]+)"?/i.exec(text)
      const appendReturning = insert !== null && !/\bRETURNING\b/i.test(text) && (await hasIdColumn(insert[1] as string))
      if (appendReturning) text = `${text.replace(/[\s;]+$/, '')} RETURNING id`
      const r = await client.query(text, values as unknown[])
      const rows = (r.rows ?? []) as Record<string, unknown>[]
      const first = insert && rows[0] && 'id' in rows[0] ? Number(rows[0].id) : null
      return { rows: appendReturning ? [] : rows, insertId: first, affectedRows: r.rowCount ?? 0 }
    },
  }
}

async function connectPostgres(u: URL): Promise<FsDb> {
  const pool = new pg.Pool({
    host: u.hostname || '127.0.0.1',
    port: u.port ? Number(u.port) : 5432,
    user: decodeURIComponent(u.username) || undefined,
    password: decodeURIComponent(u.password) || undefined,
    database: decodeURIComponent(u.pathname.replace(/^\//, '')) || undefined,
    // A startup parameter, so the time zone is set before any statement on every pooled connection.
    options: '-c TimeZone=UTC -c client_encoding=UTF8',
    types: pgTypes,
    max: 4,
    connectionTimeoutMillis: 10_000,
  })
  // An idle client dying (server restart) must not crash the process; the next query reconnects.
  pool.on('error', () => {})
  const idCache = new Map<string, boolean>()
  const begin = async <T>(fn: (tx: FsDb) => Promise<T>): Promise<T> => {
    const client = await pool.connect()
    let broken = false
    try {
      await client.query('BEGIN')
      const result = await fn(new Handle('postgres', pgRunner(client, idCache), null, noop))
      await client.query('COMMIT')
      return result
    } catch (e) {
      try {
        await client.query('ROLLBACK')
      } catch {
        broken = true
      }
      throw e
    } finally {
      client.release(broken)
    }
  }
  const db = new Handle('postgres', pgRunner(pool, idCache), begin, () => pool.end())
  await probe(db, () => pool.end(), u)
  return db
}

// ---------------------------------------------------------------- connect

async function probe(db: FsDb, end: () => Promise<void>, u: URL): Promise<void> {
  try {
    await db.query('SELECT 1 AS ok')
  } catch (e) {
    await end().catch(() => {})
    throw connectionError(u.href, e)
  }
}

function connectionError(url: string, e: unknown): ConfigError | RemoteUnavailableError {
  const raw = e instanceof Error ? e.message || (e as { code?: string }).code || e.name : String(e)
  const safe = redactDbUrl(url)
  // The cause is rebuilt from the redacted message only: driver errors can carry the connection config.
  const message = `cannot connect to the FreeScout database at ${safe}: ${redactDbUrl(raw)}`
  // Nothing answering (refused, timed out, no route) is the target being down: resumable, not a config error.
  if (/ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH|ECONNRESET/.test(`${(e as { code?: string })?.code ?? ''} ${raw}`)) return new RemoteUnavailableError(message, { cause: new Error(redactDbUrl(raw)) })
  return new ConfigError(message, { hint: 'check FREESCOUT_DB_URL (host, port, user, password, database name)', cause: new Error(redactDbUrl(raw)) })
}

/** Opens a pool on `mysql://`, `mariadb://`, `postgres://` or `postgresql://` URLs and checks it answers. */
export async function connectFreescoutDb(url: string): Promise<FsDb> {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    throw new ConfigError(`not a database URL: ${redactDbUrl(url)}`, { hint: 'use mysql://user:pass@host:3306/db or postgres://…' })
  }
  switch (u.protocol) {
    case 'mysql:':
    case 'mariadb:':
      return connectMysql(u)
    case 'postgres:':
    case 'postgresql:':
      return connectPostgres(u)
    default:
      throw new ConfigError(`unsupported database URL scheme "${u.protocol}" in ${redactDbUrl(url)}`, {
        hint: 'FreeScout runs on MySQL/MariaDB (mysql://, mariadb://) or PostgreSQL (postgres://)',
      })
  }
}
