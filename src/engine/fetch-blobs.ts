import type { Source } from '../core/source.js'
import type { Logger } from '../core/log.js'
import type { Progress } from '../cli/command.js'
import type { StagingStore } from '../staging/store.js'
import type { Attachment } from '../core/model/attachment.js'
import { BlobTooLargeError } from '../staging/blob-store.js'
import { getRecord, upsertRecord } from '../staging/records.js'
import { addReject, resolveRejects } from '../staging/rejects.js'
import { InterruptedError, RemoteRequestError, AuthError, RemoteUnavailableError } from '../core/errors.js'
import { blobsToFetch, countBlobs, setBlobStatus, storedBlob } from './blob-queue.js'
import type { KindStats } from './kind-stats.js'

export interface FetchBlobsOptions {
  readonly store: StagingStore
  readonly sourceId: string
  readonly source: Source
  readonly runId: string
  readonly concurrency: number
  readonly maxBytes: number
  readonly signal: AbortSignal
  readonly progress: Progress
  readonly log: Logger
  readonly now: () => Date
  readonly stats: KindStats
}

/** Transfers broken mid-body are retried this many times in one run before the attachment is rejected. */
const BODY_ATTEMPTS = 3

class ShortBodyError extends Error {}

/**
 * Fetches every queued attachment's bytes into the content-addressed blob store, `concurrency` at a
 * time. Each finished blob is committed on its own, so an interrupted run loses at most the files in
 * flight. A file the vendor will not serve (404, expired link) or that is over the limit becomes a
 * reject and the rest go on; auth failure or an unavailable vendor stops the run (resumable).
 */
export async function fetchBlobs(o: FetchBlobsOptions): Promise<void> {
  if (!o.source.openAttachment) return
  const { db } = o.store
  const counts = countBlobs(db, o.sourceId)
  const total = counts.pending + counts.failed
  if (total === 0) return
  o.progress.phase('attachment files', total)
  let bytes = 0
  const started = Date.now()
  const queue = blobsToFetch(db, o.sourceId)
  let done = 0
  let fatal: unknown = null
  const worker = async (): Promise<void> => {
    for (;;) {
      if (fatal || o.signal.aborted) return
      const next = queue.next()
      if (next.done) return
      try {
        await fetchOne(o, next.value.sourceId)
      } catch (e) {
        fatal ??= e
        return
      }
      bytes += storedBlob(db, o.sourceId, next.value.sourceId)?.size ?? 0
      o.progress.update(++done, `${(bytes / 1048576).toFixed(1)} MB`)
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, o.concurrency) }, worker))
  o.stats.of('attachment').ms += Date.now() - started
  if (fatal) throw fatal
  if (o.signal.aborted) throw new InterruptedError('interrupted while fetching attachments; progress saved')
}

async function fetchOne(o: FetchBlobsOptions, attachmentId: string): Promise<void> {
  const { db, blobs } = o.store
  const stored = getRecord(db, o.sourceId, 'attachment', attachmentId)
  const nowIso = (): string => o.now().toISOString()
  if (!stored) {
    setBlobStatus(db, { source: o.sourceId, sourceId: attachmentId, status: 'skipped', error: 'attachment record missing', runId: o.runId, nowIso: nowIso() })
    return
  }
  const att = stored.canonical as Attachment
  const reject = (reason: string, detail: string, status: 'failed' | 'too-large'): void => {
    db.transaction(() => {
      setBlobStatus(db, { source: o.sourceId, sourceId: attachmentId, status, error: detail, runId: o.runId, nowIso: nowIso() })
      addReject(db, { runId: o.runId, phase: 'blob', source: o.sourceId, stream: 'attachments', kind: 'attachment', sourceId: attachmentId, reason, detail: `${att.fileName}: ${detail}`, raw: att.download }, nowIso())
    })()
    o.stats.of('attachment').rejected++
  }
  if (att.size !== null && att.size > o.maxBytes) {
    return reject('too-large', `declared size ${att.size} bytes is over --max-attachment-bytes ${o.maxBytes}`, 'too-large')
  }
  let lastError: unknown = null
  for (let attempt = 1; attempt <= BODY_ATTEMPTS; attempt++) {
    try {
      const body = await o.source.openAttachment!(att.download, o.signal)
      const blob = await blobs.put(body.body, { maxBytes: o.maxBytes })
      const expected = body.size ?? att.size
      if (expected !== null && expected !== blob.size) throw new ShortBodyError(`received ${blob.size} of ${expected} bytes`)
      db.transaction(() => {
        const updated: Attachment = { ...att, sha256: blob.sha256, size: blob.size }
        upsertRecord(db, updated, stored.raw, stored.stream, o.runId, nowIso())
        setBlobStatus(db, { source: o.sourceId, sourceId: attachmentId, status: 'stored', sha256: blob.sha256, size: blob.size, runId: o.runId, nowIso: nowIso() })
        resolveRejects(db, { phase: 'blob', source: o.sourceId, kind: 'attachment', sourceId: attachmentId, runId: o.runId, now: nowIso() })
      }).immediate()
      return
    } catch (e) {
      if (e instanceof AuthError || e instanceof RemoteUnavailableError) throw e
      if (e instanceof BlobTooLargeError) return reject('too-large', `larger than --max-attachment-bytes ${o.maxBytes}`, 'too-large')
      if (e instanceof RemoteRequestError) return reject('attachment-unavailable', `the vendor answered ${e.status} for the file`, 'failed')
      if (o.signal.aborted) throw new InterruptedError('interrupted while fetching attachments; progress saved')
      lastError = e
      o.log.debug(`attachment ${attachmentId} transfer failed (attempt ${attempt}): ${(e as Error).message}`)
    }
  }
  reject('download-failed', `transfer kept failing: ${(lastError as Error)?.message ?? 'unknown error'}`, 'failed')
}
