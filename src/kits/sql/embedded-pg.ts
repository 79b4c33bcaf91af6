// An embedded PostgreSQL for machines without a database service: PGlite (PostgreSQL 18 compiled to WASM, in
// process) persisted in a folder, served on 127.0.0.1 through pglite-socket so every consumer reaches it with the
// ordinary `pg` driver and a `postgres://` URL — the SQL kit, the FreeScout target and `psql` alike.
//
// Why a socket rather than calling PGlite directly (`npm run bench -- --only=embedded`, 2-core machine under load,
// README "Performance"): FreeScout-shaped multi-row writes ran 1,270–1,500 conversations/s through the socket
// against 1,200–1,770 direct, small statements 500–930/s against 920–1,210/s; the FreeScout apply into the
// embedded stand-in 220/s at 2,000 conversations. Direct would be up to ~2× faster on small statements, but needs
// a second driver in the SQL kit and a `pglite:` URL every target understands, and could not be opened by `psql`
// or by a second deskmove process (`simulate freescout --detach` then `deskmove apply`), which the socket allows.
// Startup: initdb 4.6–15.9 s in an empty folder, reopening 0.3–1.1 s.
//
// Connections: PGlite has ONE backend. pglite-socket 0.2.x accepts `maxConnections` sockets (default 1: a second
// connection is answered "Too many connections" and closed — 6 of 8 concurrent queries over a pg Pool of 4 failed
// with ECONNRESET) and multiplexes them onto that backend: statements are queued, and while a connection holds an open
// transaction block only its statements run. So a pg Pool works (transactions are isolated by serialising them),
// but work that waits, inside a transaction, for a statement on ANOTHER connection would wait for ever. FreeScout's
// apply and verify do not (the demo, the e2e tests and the bench run them through it to the end).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { ConfigError } from '../../core/errors.js'

/** Sockets accepted at once: several pg Pools (max 4 each) may be open in one process, plus a `psql`. */
export const EMBEDDED_MAX_CONNECTIONS = 32
/** The folder under the data dir that PGlite owns (kept apart from our lock file: initdb wants its own dir). */
const PGDATA = 'pgdata'
const LOCK = 'deskmove-embedded.lock'

export interface EmbeddedPostgresOptions {
  /** The folder that holds the database (created when missing). */
  readonly dataDir: string
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  readonly port?: number
  /** What holds it, written in the lock file so a second process can say who has it (`deskmove demo`). */
  readonly holder?: string
}

export interface EmbeddedPostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres`: no password, only reachable from this machine. */
  readonly url: string
  readonly port: number
  readonly dataDir: string
  /** True when this start created the database (initdb ran), false when it reopened an existing one. */
  readonly created: boolean
  /** Milliseconds PGlite took to open (or create) the database. */
  readonly openMs: number
  /** Stops serving, closes the database (flushing it to the folder) and releases the folder. Idempotent. */
  stop(): Promise<void>
}

export interface LockInfo {
  readonly pid: number
  readonly holder: string
  readonly since: string
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** The live process holding the embedded database in `dataDir`, or null when none does. */
export function embeddedHolder(dataDir: string): LockInfo | null {
  try {
    const other = JSON.parse(readFileSync(join(dataDir, LOCK), 'utf8')) as LockInfo
    return alive(other.pid) ? other : null
  } catch {
    return null
  }
}

/**
 * Takes the folder for this process. PGlite has no lock of its own and two processes writing one data dir would
 * corrupt it; a lock left by a process that no longer exists is taken over.
 */
function takeLock(dataDir: string, holder: string): () => void {
  const path = join(dataDir, LOCK)
  const mine: LockInfo = { pid: process.pid, holder, since: new Date().toISOString() }
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, JSON.stringify(mine) + '\n', { flag: 'wx' })
      return () => rmSync(path, { force: true })
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
    }
    let other: LockInfo | null = null
    try {
      other = JSON.parse(readFileSync(path, 'utf8')) as LockInfo
    } catch {
      // unreadable (a crash mid-write): treated as stale
    }
    if (other && other.pid !== process.pid && alive(other.pid)) {
      throw new ConfigError(`the embedded database in ${dataDir} is in use by pid ${other.pid} (\`${other.holder}\`) since ${other.since}`, {
        hint: `stop that process (kill ${other.pid}) or point at the database it serves (its FREESCOUT_DB_URL)`,
      })
    }
    rmSync(path, { force: true })
  }
  throw new ConfigError(`cannot take the lock ${path}`, { hint: 'remove the file if no deskmove process uses the folder' })
}

/** Opens (or creates) the database in `dataDir` and serves it on 127.0.0.1 until `stop()`. */
export async function startEmbeddedPostgres(o: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const dataDir = resolve(o.dataDir)
  mkdirSync(join(dataDir, PGDATA), { recursive: true })
  const release = takeLock(dataDir, o.holder ?? 'deskmove')
  // Loaded on demand: 27 MB of WASM that no other command needs.
  const [{ PGlite }, { PGLiteSocketServer }] = await Promise.all([import('@electric-sql/pglite'), import('@electric-sql/pglite-socket')])
  let db: InstanceType<typeof PGlite> | null = null
  try {
    const started = performance.now()
    const created = !existsPgVersion(join(dataDir, PGDATA))
    db = await PGlite.create(join(dataDir, PGDATA))
    const openMs = Math.round(performance.now() - started)
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: o.port ?? 0, maxConnections: EMBEDDED_MAX_CONNECTIONS })
    await server.start()
    const port = Number(server.getServerConn().split(':').pop())
    const opened = db
    let stopped: Promise<void> | null = null
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      port,
      dataDir,
      created,
      openMs,
      stop: () =>
        (stopped ??= (async () => {
          try {
            await server.stop()
            await opened.close()
          } finally {
            release()
          }
        })()),
    }
  } catch (e) {
    await db?.close().catch(() => undefined)
    release()
    throw new ConfigError(`cannot open the embedded database in ${dataDir}: ${e instanceof Error ? e.message : String(e)}`, {
      hint: 'give an empty folder, or one an earlier deskmove run created',
      cause: e,
    })
  }
}

function existsPgVersion(pgdata: string): boolean {
  try {
    readFileSync(join(pgdata, 'PG_VERSION'))
    return true
  } catch {
    return false
  }
}
