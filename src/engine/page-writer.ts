import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { StagingStore } from '../staging/store.js'
import { StagingError } from '../core/errors.js'
import { commitJob, packJob, type CommitJob, type CommitOutcome } from './page-commit.js'

/**
 * Commits pages in order. The worker version does the SQLite work on the second core while the reading
 * thread fetches and maps the next pages; commits still happen one at a time, in submission order.
 */
export interface PageWriter {
  submit(job: CommitJob): Promise<CommitOutcome>
  close(): Promise<void>
}

export function inThreadWriter(store: StagingStore): PageWriter {
  return {
    submit: async (job) => commitJob(store.db, job),
    close: async () => undefined,
  }
}

interface Reply {
  readonly id: number
  readonly ok: boolean
  readonly outcome?: CommitOutcome
  readonly error?: { readonly message: string; readonly name: string }
}

const encoder = new TextEncoder()

function workerWriter(store: StagingStore, workerFile: string): PageWriter {
  // The writer holds one page at a time: a small young generation keeps its share of the process's memory small.
  const worker = new Worker(workerFile, { workerData: { dbPath: store.path }, resourceLimits: { maxYoungGenerationSizeMb: 8 } })
  const waiting = new Map<number, { resolve: (o: CommitOutcome) => void; reject: (e: Error) => void }>()
  let nextId = 0
  let dead: Error | null = null
  const failAll = (e: Error): void => {
    dead = e
    for (const w of waiting.values()) w.reject(e)
    waiting.clear()
  }
  worker.on('message', (r: Reply) => {
    const w = waiting.get(r.id)
    if (!w) return
    waiting.delete(r.id)
    if (r.ok) w.resolve(r.outcome!)
    else w.reject(new StagingError(`staging write failed: ${r.error?.message ?? 'unknown error'}`))
  })
  worker.on('error', (e) => failAll(new StagingError(`staging writer stopped: ${e.message}`, { cause: e })))
  worker.on('exit', (code) => {
    if (waiting.size > 0) failAll(new StagingError(`staging writer exited (${code}) with pages pending`))
  })
  return {
    submit(job) {
      if (dead) return Promise.reject(dead)
      const id = nextId++
      return new Promise<CommitOutcome>((resolve, reject) => {
        waiting.set(id, { resolve, reject })
        // UTF-8 bytes in a transferred buffer: handed over without a copy, where a string is cloned.
        const bytes = encoder.encode(packJob(job))
        worker.postMessage({ id, bytes }, [bytes.buffer])
      })
    },
    async close() {
      await worker.terminate()
    },
  }
}

/**
 * The worker writer when running compiled (the CLI), the in-thread one otherwise (tests on sources) or
 * when `DESKMOVE_STAGING_WRITER=inline`.
 */
export function createPageWriter(store: StagingStore, env: Readonly<Record<string, string | undefined>> = process.env): PageWriter {
  const workerFile = fileURLToPath(new URL('./page-writer-worker.js', import.meta.url))
  if (env.DESKMOVE_STAGING_WRITER === 'inline' || !import.meta.url.endsWith('.js') || !existsSync(workerFile)) return inThreadWriter(store)
  return workerWriter(store, workerFile)
}
