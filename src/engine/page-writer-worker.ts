// The staging writer thread: owns its own connection to the staging file and commits pages in order.
import { parentPort, workerData } from 'node:worker_threads'
import { openStagingStore } from '../staging/store.js'
import { commitJob, unpackJob } from './page-commit.js'

const store = openStagingStore((workerData as { dbPath: string }).dbPath)

const decoder = new TextDecoder()

parentPort!.on('message', (msg: { id: number; bytes: Uint8Array }) => {
  try {
    parentPort!.postMessage({ id: msg.id, ok: true, outcome: commitJob(store.db, unpackJob(decoder.decode(msg.bytes))) })
  } catch (e) {
    const err = e as Error
    parentPort!.postMessage({ id: msg.id, ok: false, error: { message: err.message, name: err.name } })
  }
})
