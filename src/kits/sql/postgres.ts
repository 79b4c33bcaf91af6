// PostgreSQL through pg: UTC sessions, numbers and 0/1 booleans like MySQL, and insert ids through RETURNING.
import pg from 'pg'
import { Handle, noop, type Runner } from './handle.js'
import { bindPlaceholders, normalizeParam } from './params.js'
import type { SqlDb, SqlLocation } from './types.js'

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
      let text = bindPlaceholders(sql, values, 'postgres', (i) => `$${i + 1}`)
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

/** Opens a pool (not yet probed) on a `postgres://` / `postgresql://` URL. */
export function openPostgres(u: URL, location: SqlLocation): { db: SqlDb; end: () => Promise<void> } {
  const pool = new pg.Pool({
    host: u.hostname || '127.0.0.1',
    port: u.port ? Number(u.port) : 5432,
    user: decodeURIComponent(u.username) || undefined,
    password: decodeURIComponent(u.password) || undefined,
    database: location.database || undefined,
    // A startup parameter, so the time zone is set before any statement on every pooled connection.
    options: '-c TimeZone=UTC -c client_encoding=UTF8',
    types: pgTypes,
    max: 4,
    connectionTimeoutMillis: 10_000,
  })
  // An idle client dying (server restart) must not crash the process; the next query reconnects.
  pool.on('error', () => {})
  const idCache = new Map<string, boolean>()
  const begin = async <T>(fn: (tx: SqlDb) => Promise<T>): Promise<T> => {
    const client = await pool.connect()
    let broken = false
    try {
      await client.query('BEGIN')
      const result = await fn(new Handle('postgres', location, pgRunner(client, idCache), null, noop))
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
  const end = () => pool.end()
  return { db: new Handle('postgres', location, pgRunner(pool, idCache), begin, end), end }
}
