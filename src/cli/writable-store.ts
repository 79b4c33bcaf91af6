import { existsSync } from 'node:fs'
import type { CommandContext } from './command.js'
import { UsageError } from '../core/errors.js'
import { openStagingStore, type StagingStore } from '../staging/store.js'
import { acquireWriterLock } from '../staging/lock.js'
import { markAbandonedRuns } from '../staging/runs.js'

/**
 * Opens the staging store for a command that writes to it, holding the single writer lock until `close()`.
 * A second writer fails with exit 7 naming the holder; readers open it read-only and never wait for it.
 * When the lock is newly taken, whatever earlier killed writers left behind is tidied: runs still marked
 * "running" become "interrupted", and partial attachment files are removed.
 */
export function openWritableStore(ctx: CommandContext, command: string, opts: { mustExist?: boolean } = {}): StagingStore {
  if (opts.mustExist && !existsSync(ctx.dbPath)) {
    throw new UsageError(`there is no staging store at ${ctx.dbPath}`, { hint: 'run `deskmove extract <source>` first, or pass --db PATH' })
  }
  const store = openStagingStore(ctx.dbPath)
  let lock
  try {
    lock = acquireWriterLock(store.db, store.path, command, ctx.now())
  } catch (e) {
    store.close()
    throw e
  }
  if (!lock.reentered) {
    if (lock.tookOverFrom) ctx.reporter.info(`took over the staging lock of pid ${lock.tookOverFrom.pid} (\`${lock.tookOverFrom.command}\`, since ${lock.tookOverFrom.since}): that process no longer exists`)
    const runs = markAbandonedRuns(store.db, ctx.now())
    if (runs > 0) ctx.reporter.info(`${runs} earlier run(s) that were stopped without finishing are now marked interrupted`)
    const partial = store.blobs.cleanTmp()
    if (partial > 0) ctx.reporter.debug(`removed ${partial} partial attachment file(s) left by an interrupted transfer`)
  }
  // A command that fails before its own close() (a config error after opening) still frees the lock when the
  // process ends normally; only a kill leaves it, for the next writer to take over.
  const onExit = (): void => {
    try {
      lock.release()
    } catch {
      // the database may already be closed; the next writer takes a stale lock over anyway
    }
  }
  process.once('exit', onExit)
  return {
    ...store,
    close() {
      process.off('exit', onExit)
      lock.release()
      store.close()
    },
  }
}
