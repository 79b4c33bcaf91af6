import Database from 'better-sqlite3'
import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { StagingError } from '../core/errors.js'
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations/index.js'
import { BlobStore } from './blob-store.js'

export type Db = Database.Database

const statementCache = new WeakMap<Db, Map<string, Database.Statement>>()

/** A prepared statement, compiled once per connection: preparing per call dominated the write path. */
export function stmt(db: Db, sql: string): Database.Statement {
  let cache = statementCache.get(db)
  if (!cache) statementCache.set(db, (cache = new Map()))
  let s = cache.get(sql)
  if (!s) cache.set(sql, (s = db.prepare(sql)))
  return s
}

/** The default staging file, relative to the working directory (`--db PATH` overrides). */
export const DEFAULT_DB_PATH = './deskmove.db'

/** Attachment bytes live in a content-addressed folder beside the database, not inside SQLite. */
export function blobDirFor(dbPath: string): string {
  return resolve(dbPath).replace(/\.db$/i, '') + '.blobs'
}

export interface OpenOptions {
  readonly readonly?: boolean
}

export interface StagingStore {
  readonly path: string
  readonly db: Db
  readonly blobs: BlobStore
  close(): void
}

/**
 * Opens (creating if needed) the staging store: WAL, foreign schema check, migrations.
 * Throws `StagingError` when the file is locked, corrupt, or written by a newer deskmove.
 */
export function openStagingStore(path: string = DEFAULT_DB_PATH, opts: OpenOptions = {}): StagingStore {
  const full = resolve(path)
  let db: Db
  try {
    if (!opts.readonly) mkdirSync(dirname(full), { recursive: true })
    db = new Database(full, { readonly: opts.readonly ?? false, fileMustExist: opts.readonly ?? false, timeout: 5000 })
    if (!opts.readonly) {
      db.pragma('journal_mode = WAL')
      db.pragma('synchronous = NORMAL')
      // Fewer, larger WAL checkpoints: each one syncs the file, and staging writes hundreds of MB.
      db.pragma('wal_autocheckpoint = 8192')
    }
    db.pragma('foreign_keys = ON')
    db.pragma('busy_timeout = 5000')
  } catch (e) {
    throw new StagingError(`cannot open the staging store ${full}: ${(e as Error).message}`, {
      hint: opts.readonly ? 'run `deskmove extract …` first, or pass --db PATH' : 'check the path and that no other deskmove holds it',
      cause: e,
    })
  }
  try {
    migrate(db, !!opts.readonly)
  } catch (e) {
    db.close()
    throw e
  }
  const blobs = new BlobStore(blobDirFor(full))
  return {
    path: full,
    db,
    blobs,
    close: () => {
      if (db.open) db.close()
    },
  }
}

function migrate(db: Db, readonly: boolean): void {
  let version: number
  try {
    version = db.pragma('user_version', { simple: true }) as number
  } catch (e) {
    throw new StagingError(`the staging store is not a deskmove database or is corrupt: ${(e as Error).message}`, { cause: e })
  }
  if (version > LATEST_SCHEMA_VERSION) {
    throw new StagingError(
      `the staging store has schema version ${version}, newer than this deskmove understands (${LATEST_SCHEMA_VERSION})`,
      { hint: 'upgrade deskmove, or use another --db' },
    )
  }
  if (version === LATEST_SCHEMA_VERSION) return
  if (readonly) throw new StagingError(`the staging store needs migrating to version ${LATEST_SCHEMA_VERSION}; open it read-write once`)
  for (const m of MIGRATIONS) {
    if (m.version <= version) continue
    db.transaction(() => {
      // Two processes may open a fresh store at once: the second sees the first's work once it gets the lock.
      if ((db.pragma('user_version', { simple: true }) as number) >= m.version) return
      db.exec(m.sql)
      db.pragma(`user_version = ${m.version}`)
    }).immediate()
  }
}
