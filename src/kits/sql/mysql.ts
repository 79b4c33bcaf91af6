// MySQL / MariaDB through mysql2: UTC sessions with ANSI_QUOTES, params escaped client-side so one round trip
// carries a multi-row INSERT of any size (server-side prepared statements cap the number of placeholders).
import mysql from 'mysql2/promise'
import { Handle, noop, type Runner } from './handle.js'
import { bindPlaceholders, normalizeParam } from './params.js'
import type { SqlDb, SqlLocation } from './types.js'

type MysqlConn = mysql.PoolConnection
const mysqlReady = new WeakSet<object>()

async function mysqlSession(conn: MysqlConn): Promise<void> {
  // The session settings must be in place before the first statement, on every pooled connection.
  if (mysqlReady.has(conn.connection)) return
  await conn.query("SET time_zone = '+00:00', sql_mode = CONCAT_WS(',', NULLIF(@@SESSION.sql_mode, ''), 'ANSI_QUOTES')")
  mysqlReady.add(conn.connection)
}

function mysqlRunner(conn: MysqlConn): Runner {
  return {
    async run(sql, params) {
      const values = params.map(normalizeParam)
      const text = bindPlaceholders(sql, values, 'mysql', (i) => mysql.escape(values[i] as mysql.SqlValue))
      const [result] = await conn.query(text)
      if (Array.isArray(result)) return { rows: result as Record<string, unknown>[], insertId: null, affectedRows: 0 }
      const header = result as mysql.ResultSetHeader
      return { rows: [], insertId: header.insertId ? Number(header.insertId) : null, affectedRows: header.affectedRows }
    },
  }
}

/** Opens a pool (not yet probed) on a `mysql://` / `mariadb://` URL. */
export function openMysql(u: URL, location: SqlLocation): { db: SqlDb; end: () => Promise<void> } {
  const pool = mysql.createPool({
    host: u.hostname || '127.0.0.1',
    port: u.port ? Number(u.port) : 3306,
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: location.database || undefined,
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
  const begin = <T>(fn: (tx: SqlDb) => Promise<T>): Promise<T> =>
    withConn(async (conn) => {
      await conn.beginTransaction()
      try {
        const result = await fn(new Handle('mysql', location, mysqlRunner(conn), null, noop))
        await conn.commit()
        return result
      } catch (e) {
        await conn.rollback()
        throw e
      }
    })
  const end = () => pool.end()
  return { db: new Handle('mysql', location, root, begin, end), end }
}
