import { randomBytes } from 'node:crypto'
import mysql from 'mysql2/promise'
import pg from 'pg'

/** Which local test servers answered, and why not when they did not. */
export interface DatabaseProbe {
  readonly mysql: boolean
  readonly postgres: boolean
  /** Why a server is unavailable (null when it is available); meant for `describe.skipIf` names. */
  readonly reasons: { readonly mysql: string | null; readonly postgres: string | null }
}

/** Server URLs without a database; override with DESKMOVE_TEST_MYSQL_URL / DESKMOVE_TEST_POSTGRES_URL. */
function serverUrl(dialect: 'mysql' | 'postgres'): string {
  return dialect === 'mysql'
    ? (process.env.DESKMOVE_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306')
    : (process.env.DESKMOVE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432')
}

function withDatabase(server: string, database: string): string {
  const u = new URL(server)
  u.pathname = `/${database}`
  return u.href
}

const PROBE_TIMEOUT_MS = 1500

async function adminMysql(): Promise<mysql.Connection> {
  const u = new URL(serverUrl('mysql'))
  return mysql.createConnection({
    host: u.hostname,
    port: u.port ? Number(u.port) : 3306,
    user: decodeURIComponent(u.username) || 'root',
    password: decodeURIComponent(u.password),
    connectTimeout: PROBE_TIMEOUT_MS,
  })
}

async function adminPostgres(): Promise<pg.Client> {
  const client = new pg.Client({
    connectionString: withDatabase(serverUrl('postgres'), 'postgres'),
    connectionTimeoutMillis: PROBE_TIMEOUT_MS,
  })
  await client.connect()
  return client
}

function reasonOf(e: unknown): string {
  const err = e as { code?: string; message?: string }
  return err.message || err.code || String(e)
}

let probed: Promise<DatabaseProbe> | null = null

/** Tries both local servers once per process (quick connect, short timeout). */
export function probeDatabases(): Promise<DatabaseProbe> {
  probed ??= (async () => {
    const [my, pq] = await Promise.all([
      adminMysql().then(
        async (c) => (await c.query('SELECT 1'), await c.end(), null),
        (e: unknown) => `MariaDB/MySQL not reachable at ${new URL(serverUrl('mysql')).host}: ${reasonOf(e)}`,
      ),
      adminPostgres().then(
        async (c) => (await c.query('SELECT 1'), await c.end(), null),
        (e: unknown) => `PostgreSQL not reachable at ${new URL(serverUrl('postgres')).host}: ${reasonOf(e)}`,
      ),
    ])
    return { mysql: my === null, postgres: pq === null, reasons: { mysql: my, postgres: pq } }
  })()
  return probed
}

/** A throw-away database and the URL to reach it. */
export interface ScratchDatabase {
  readonly url: string
  readonly name: string
  /** Drops the database (forcing out leftover connections on PostgreSQL). */
  drop(): Promise<void>
}

/**
 * Creates `deskmove_test_<prefix>_<random>` so test files running in parallel never share a database.
 * The name is built from [a-z0-9_] only, which is why it may be spliced into the DDL (identifiers cannot be bound).
 */
export async function createScratchDatabase(dialect: 'mysql' | 'postgres', prefix: string): Promise<ScratchDatabase> {
  const clean = prefix.toLowerCase().replace(/[^a-z0-9_]+/g, '_').slice(0, 24)
  const name = `deskmove_test_${clean}_${randomBytes(4).toString('hex')}`
  if (dialect === 'mysql') {
    const c = await adminMysql()
    try {
      await c.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`)
    } finally {
      await c.end()
    }
    return {
      url: withDatabase(serverUrl('mysql'), name),
      name,
      async drop() {
        const a = await adminMysql()
        try {
          await a.query(`DROP DATABASE IF EXISTS \`${name}\``)
        } finally {
          await a.end()
        }
      },
    }
  }
  const c = await adminPostgres()
  try {
    await c.query(`CREATE DATABASE "${name}" ENCODING 'UTF8' TEMPLATE template0`)
  } finally {
    await c.end()
  }
  return {
    url: withDatabase(serverUrl('postgres'), name),
    name,
    async drop() {
      const a = await adminPostgres()
      try {
        await a.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
      } finally {
        await a.end()
      }
    },
  }
}
