import { afterEach, describe, expect, it } from 'vitest'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { openStagingStore, type StagingStore } from './store.js'
import { acquireWriterLock, currentWriter, processStartTime } from './lock.js'
import { StagingError } from '../core/errors.js'

function freshStore(): StagingStore {
  return openStagingStore(join(mkdtempSync(join(tmpdir(), 'deskmove-lock-')), 'staging.db'))
}

/** Writes a lock row as another process would have. */
function plantLock(store: StagingStore, pid: number, started: string | null): void {
  store.db
    .prepare("INSERT OR REPLACE INTO writer_lock (id, pid, host, started, command, since, token) VALUES (1, ?, ?, ?, 'extract', '2026-01-02T03:04:05.000Z', 'other')")
    .run(pid, hostname(), started)
}

const children: ChildProcess[] = []
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL')
})

describe('staging writer lock', () => {
  it('refuses a second writer while the holder lives, naming its pid and start, with exit code 7', async () => {
    const store = freshStore()
    const child = spawn('sleep', ['30'])
    children.push(child)
    await new Promise((r) => child.once('spawn', r))
    plantLock(store, child.pid!, processStartTime(child.pid!))
    let err: unknown
    try {
      acquireWriterLock(store.db, store.path, 'apply')
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(StagingError)
    expect((err as StagingError).exitCode).toBe(7)
    expect((err as Error).message).toBe(`staging store locked by pid ${child.pid} (\`extract\`) since 2026-01-02T03:04:05.000Z`)
    expect(currentWriter(store.db)?.pid).toBe(child.pid)
    store.close()
  })

  it('takes over the lock of a process that no longer exists, and releases it on close', async () => {
    const store = freshStore()
    const child = spawn('true')
    await new Promise((r) => child.once('exit', r))
    plantLock(store, child.pid!, '1')
    const lock = acquireWriterLock(store.db, store.path, 'extract')
    expect(lock.tookOverFrom?.pid).toBe(child.pid)
    expect(currentWriter(store.db)?.pid).toBe(process.pid)
    lock.release()
    expect(currentWriter(store.db)).toBeNull()
    store.close()
  })

  it('treats a live pid with another start time as a reused pid, so the lock is stale', () => {
    const store = freshStore()
    plantLock(store, process.pid, 'not-my-start-time')
    const lock = acquireWriterLock(store.db, store.path + '#other', 'extract')
    expect(lock.tookOverFrom?.pid).toBe(process.pid)
    lock.release()
    store.close()
  })

  it('is re-entrant within one process (migrate holds it while its steps open the store)', () => {
    const store = freshStore()
    const outer = acquireWriterLock(store.db, store.path, 'migrate')
    const inner = acquireWriterLock(store.db, store.path, 'extract')
    expect(inner.reentered).toBe(true)
    inner.release()
    expect(currentWriter(store.db)?.command).toBe('migrate')
    outer.release()
    expect(currentWriter(store.db)).toBeNull()
    store.close()
  })
})
