import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { StagingError } from '../core/errors.js'
import { stmt, type Db } from './store.js'

/** Who holds the staging store for writing. */
export interface LockHolder {
  readonly pid: number
  readonly host: string
  readonly command: string
  readonly since: string
}

/** A held writer lock; `release()` is idempotent. */
export interface WriterLock {
  readonly token: string
  /** The holder whose lock was taken over because its process is gone (null when the store was free). */
  readonly tookOverFrom: LockHolder | null
  /** True when this process already held the lock (a step of `migrate`): no earlier writer to clean up after. */
  readonly reentered: boolean
  release(): void
}

interface LockRow extends LockHolder {
  readonly started: string | null
  readonly token: string
}

/** The start time of a process (Linux /proc), so a pid reused by another program does not look alive. */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Field 22, counted after the parenthesised command name (which may itself contain spaces).
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null
  } catch {
    return null
  }
}

function isAlive(row: LockRow): boolean {
  if (row.host !== hostname()) return true // cannot tell for another machine: assume it runs
  try {
    process.kill(row.pid, 0)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false
  }
  const started = processStartTime(row.pid)
  return row.started === null || started === null || started === row.started
}

// One process may re-enter (migrate runs extract then apply): the lock is counted per connection file.
const held = new Map<string, { token: string; count: number }>()

/**
 * Takes the staging store's single writer lock, or throws `StagingError` (exit 7) naming the holder.
 * A lock left by a process that no longer exists is taken over in the same transaction that checks it.
 */
export function acquireWriterLock(db: Db, key: string, command: string, now: Date = new Date()): WriterLock {
  const mine = held.get(key)
  if (mine) {
    mine.count++
    return { token: mine.token, tookOverFrom: null, reentered: true, release: once(() => releaseOne(db, key)) }
  }
  const token = randomBytes(8).toString('hex')
  let tookOverFrom: LockHolder | null = null
  db.transaction(() => {
    const row = stmt(db, 'SELECT pid, host, started, command, since, token FROM writer_lock WHERE id = 1').get() as LockRow | undefined
    if (row && isAlive(row)) {
      throw new StagingError(`staging store locked by pid ${row.pid}${row.host !== hostname() ? ` on ${row.host}` : ''} (\`${row.command}\`) since ${row.since}`, {
        hint: 'wait for it to finish, or stop it; `deskmove status`, `show` and `rejects` still work meanwhile',
      })
    }
    if (row) tookOverFrom = { pid: row.pid, host: row.host, command: row.command, since: row.since }
    stmt(db, 'INSERT OR REPLACE INTO writer_lock (id, pid, host, started, command, since, token) VALUES (1, ?, ?, ?, ?, ?, ?)').run(
      process.pid,
      hostname(),
      processStartTime(process.pid),
      command,
      now.toISOString(),
      token,
    )
  }).immediate()
  held.set(key, { token, count: 1 })
  return { token, tookOverFrom, reentered: false, release: once(() => releaseOne(db, key)) }
}

function releaseOne(db: Db, key: string): void {
  const mine = held.get(key)
  if (!mine) return
  if (--mine.count > 0) return
  held.delete(key)
  if (db.open) stmt(db, 'DELETE FROM writer_lock WHERE id = 1 AND token = ?').run(mine.token)
}

function once(fn: () => void): () => void {
  let done = false
  return () => {
    if (done) return
    done = true
    fn()
  }
}

/** The current holder, for readers that want to say a writer is running (`status`). */
export function currentWriter(db: Db): LockHolder | null {
  const row = stmt(db, 'SELECT pid, host, started, command, since, token FROM writer_lock WHERE id = 1').get() as LockRow | undefined
  return row && isAlive(row) ? { pid: row.pid, host: row.host, command: row.command, since: row.since } : null
}
