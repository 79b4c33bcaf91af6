// Bench of the embedded PostgreSQL (PGlite) behind `deskmove demo` and `simulate freescout` without --db-url:
// startup, pglite-socket's connection handling with a pg Pool, the same SQL-kit write workload through the socket
// and directly on PGlite, and the FreeScout apply through the socket. Prints figures; nothing here fails a build.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { PGlite, type Transaction } from '@electric-sql/pglite'
import { PGLiteSocketServer } from '@electric-sql/pglite-socket'
import { connectSqlDb, insertRows, idStrategy, bindPlaceholders, normalizeParam, type SqlDb } from '../src/kits/sql/index.js'
import { Handle, noop, type Runner } from '../src/kits/sql/handle.js'
import { startEmbeddedPostgres } from '../src/kits/sql/embedded-pg.js'
import { defaultMappingConfig } from '../src/core/mapping-config.js'
import { openStagingStore } from '../src/staging/store.js'
import { applyPlan } from '../src/engine/plan-file.js'
import { verifyTarget } from '../src/engine/verify-target.js'
import { createFreescoutStandIn } from '../adapters/targets/freescout/standin/index.js'
import { createFreescoutTarget } from '../adapters/targets/freescout/index.js'
import { stageBenchDataset, type BenchFigures } from './freescout.js'

const ms = (from: number) => Math.round(performance.now() - from)
const opts = { label: 'the embedded database', hint: '' }

/** initdb in a fresh folder, reopening it, the socket server, and a first query over pg. */
export async function benchEmbeddedStartup(): Promise<BenchFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'deskmove-bench-pglite-'))
  try {
    let t = performance.now()
    const fresh = await PGlite.create(join(dir, 'pgdata'))
    const createMs = ms(t)
    await fresh.close()
    t = performance.now()
    const server = await startEmbeddedPostgres({ dataDir: dir })
    const reopenAndServeMs = ms(t)
    t = performance.now()
    const db = await connectSqlDb(server.url, opts)
    const firstQueryMs = ms(t)
    await db.close()
    await server.stop()
    return { initdbMs: createMs, reopenAndServeMs, firstPgQueryMs: firstQueryMs }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** 8 queries at once over a pg Pool of 4 against pglite-socket's default (1 connection) and ours. */
export async function benchConnections(): Promise<BenchFigures> {
  const out: BenchFigures = {}
  for (const maxConnections of [1, 32]) {
    const db = await PGlite.create()
    const server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections })
    await server.start()
    const pool = new pg.Pool({ connectionString: `postgres://postgres@127.0.0.1:${server.getServerConn().split(':').pop()}/postgres`, max: 4, connectionTimeoutMillis: 3000 })
    pool.on('error', () => {})
    const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => pool.query('SELECT $1::int AS i', [i])))
    const failed = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[]
    out[`maxConnections=${maxConnections}: failed of 8`] = failed.length
    if (failed[0]) out[`maxConnections=${maxConnections}: first error`] = String((failed[0].reason as Error).message).slice(0, 80)
    await pool.end().catch(() => undefined)
    await server.stop()
    await db.close()
  }
  return out
}

/** The SQL kit over PGlite without a socket: what a `pglite:` driver in the kit would be. */
function directRunner(q: PGlite | Transaction): Runner {
  return {
    async run(sql, params) {
      const values = params.map(normalizeParam)
      let text = bindPlaceholders(sql, values, 'postgres', (i) => `$${i + 1}`)
      const insert = /^\s*INSERT\s+INTO\s+"?([A-Za-z0-9_]+)"?/i.exec(text)
      if (insert && !/\bRETURNING\b/i.test(text)) text = `${text.replace(/[\s;]+$/, '')} RETURNING id`
      const r = await q.query<Record<string, unknown>>(text, values as unknown[])
      const first = insert && r.rows[0] && 'id' in r.rows[0] ? Number(r.rows[0].id) : null
      return { rows: insert ? [] : r.rows, insertId: first, affectedRows: r.affectedRows ?? 0 }
    },
  }
}

function directDb(pgl: PGlite): SqlDb {
  const location = { host: 'pglite', database: 'postgres' }
  const begin = <T>(fn: (tx: SqlDb) => Promise<T>): Promise<T> => pgl.transaction((tx) => fn(new Handle('postgres', location, directRunner(tx), null, noop)))
  return new Handle('postgres', location, directRunner(pgl), begin, noop)
}

/** FreeScout-apply-shaped writes: per transaction 300 conversations (multi-row) and 1,500 threads, ids learnt. */
async function writeWorkload(db: SqlDb, batches: number): Promise<number> {
  await db.execute('CREATE TABLE conv (id SERIAL PRIMARY KEY, subject TEXT, created_at TIMESTAMP)')
  await db.execute('CREATE TABLE thr (id SERIAL PRIMARY KEY, conversation_id INT, body TEXT, created_at TIMESTAMP)')
  const strategy = await idStrategy(db, ['conv', 'thr'])
  const started = performance.now()
  for (let b = 0; b < batches; b++) {
    await db.transaction(async (tx) => {
      const when = new Date(Date.UTC(2024, 0, 1, 0, b))
      const ids = await insertRows(tx, strategy, 'conv', 'subject, created_at', Array.from({ length: 300 }, (_, i) => [`Subject ${b}.${i}`, when]))
      const threads = ids.flatMap((id) => Array.from({ length: 5 }, (_, k) => [id, `<p>body ${k} ${'words '.repeat(40)}</p>`, when]))
      await insertRows(tx, strategy, 'thr', 'conversation_id, body, created_at', threads)
    })
  }
  return (batches * 300) / ((performance.now() - started) / 1000)
}

/** Small statements, the other half of an apply: per conversation a savepoint, a lookup and a one-row write. */
async function statementWorkload(db: SqlDb, conversations: number): Promise<number> {
  await db.execute('CREATE TABLE one (id SERIAL PRIMARY KEY, k TEXT UNIQUE, v TEXT)')
  const started = performance.now()
  for (let b = 0; b < conversations; b += 100) {
    await db.transaction(async (tx) => {
      for (let i = b; i < b + 100; i++) {
        await tx.transaction(async (sp) => {
          await sp.query('SELECT id FROM one WHERE k = ?', [`k${i}`])
          await sp.execute('INSERT INTO one (k, v) VALUES (?, ?)', [`k${i}`, 'value'])
        })
      }
    })
  }
  // 5 statements per conversation: SAVEPOINT, SELECT, INSERT, RELEASE (+ the batch's BEGIN/COMMIT).
  return (conversations * 4) / ((performance.now() - started) / 1000)
}

/** The same SQL-kit workloads through pglite-socket + pg, and on PGlite directly. */
export async function benchSocketVsDirect(batches: number): Promise<BenchFigures> {
  const dirs = [mkdtempSync(join(tmpdir(), 'deskmove-bench-pglite-')), mkdtempSync(join(tmpdir(), 'deskmove-bench-pglite-'))]
  try {
    const server = await startEmbeddedPostgres({ dataDir: dirs[0]! })
    const viaSocket = await connectSqlDb(server.url, opts)
    const socketRate = await writeWorkload(viaSocket, batches)
    const socketStatements = await statementWorkload(viaSocket, batches * 100)
    await viaSocket.close()
    await server.stop()
    const pgl = await PGlite.create(join(dirs[1]!, 'pgdata'))
    const directRate = await writeWorkload(directDb(pgl), batches)
    const directStatements = await statementWorkload(directDb(pgl), batches * 100)
    await pgl.close()
    return {
      conversations: batches * 300,
      'multi-row, socket + pg: conversations/s (5 threads each)': Math.round(socketRate),
      'multi-row, direct PGlite: conversations/s': Math.round(directRate),
      'small statements, socket + pg: statements/s': Math.round(socketStatements),
      'small statements, direct PGlite: statements/s': Math.round(directStatements),
    }
  } finally {
    for (const d of dirs) rmSync(d, { recursive: true, force: true })
  }
}

/** The real FreeScout apply and verify into a stand-in on the embedded PostgreSQL, through the socket. */
export async function benchFreescoutEmbedded(conversations: number): Promise<BenchFigures> {
  const tmp = mkdtempSync(join(tmpdir(), 'deskmove-bench-fs-embedded-'))
  const store = openStagingStore(join(tmp, 'staging.db'))
  const server = await startEmbeddedPostgres({ dataDir: join(tmp, 'db') })
  try {
    stageBenchDataset(store, { dialect: 'postgres', conversations })
    let t = performance.now()
    const standIn = await createFreescoutStandIn({ dbUrl: server.url, storageDir: join(tmp, 'storage'), mailboxes: 1 })
    const standInMs = ms(t)
    const target = createFreescoutTarget({ dbUrl: server.url, storageDir: join(tmp, 'storage'), appUrl: null, appKey: null })
    const config = defaultMappingConfig({ mailboxes: { '*': standIn.mailboxes[0]!.id }, statuses: { '*': 'from-canonical' } })
    const signal = new AbortController().signal
    t = performance.now()
    const applied = await applyPlan({ store, source: 'helpscout', target, config, now: () => new Date(), signal })
    const applySeconds = (performance.now() - t) / 1000
    t = performance.now()
    const verified = await verifyTarget({ store, source: 'helpscout', target, config, signal })
    const verifySeconds = (performance.now() - t) / 1000
    await target.close()
    return {
      conversations,
      standInBuildMs: standInMs,
      applied: (applied.counts.ticket?.create ?? 0) + (applied.counts.ticket?.update ?? 0),
      rejected: applied.rejectedTotal,
      applyConversationsPerSecond: Math.round(conversations / applySeconds),
      verifyConversationsPerSecond: Math.round(verified.checked / verifySeconds),
      verifyDiffer: verified.differ + verified.missing + verified.errors,
    }
  } finally {
    await server.stop()
    store.close()
    rmSync(tmp, { recursive: true, force: true })
  }
}
