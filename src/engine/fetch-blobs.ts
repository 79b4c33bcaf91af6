import type { AttachmentBody, Source } from '../core/source.js'
import type { Logger } from '../core/log.js'
import type { Progress } from '../core/progress.js'
import type { StagingStore } from '../staging/store.js'
import type { Attachment } from '../core/model/attachment.js'
import { BlobTooLargeError } from '../staging/blob-store.js'
import { getRecord, upsertRecord } from '../staging/records.js'
import { addReject, resolveRejects } from '../staging/rejects.js'
import { replaceWarnings } from '../staging/warnings.js'
import type { AttachmentRef } from '../core/model/attachment.js'
import { InterruptedError, RemoteRequestError, AuthError, RemoteUnavailableError } from '../core/errors.js'
import { blobsToFetch, countBlobs, setBlobStatus, storedBlob } from '../staging/blob-queue.js'
import type { KindStats } from './kind-stats.js'
import { inlineImageUrlOf } from './inline-images.js'

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
  /**
   * Downloads a body's inline image by URL (attachments the engine made from the vendor's CDN images; see
   * inline-images.ts): `inlineImageOpener(http)` in the CLI. Without it such images are rejected, never skipped.
   */
  readonly openInlineImage?: (url: string, signal: AbortSignal) => Promise<AttachmentBody>
}

/** Transfers broken mid-body are retried this many times in one run before the attachment is rejected. */
const BODY_ATTEMPTS = 3

/**
 * Attachments in a row that the vendor stayed unavailable for (retries exhausted) before the vendor itself,
 * rather than those files, is taken to be down: the run then stops (resumable) instead of rejecting them all.
 */
const UNAVAILABLE_IN_A_ROW = 5

class ShortBodyError extends Error {}

/** Statuses with which a signed link says it has expired. */
const EXPIRED_LINK = new Set([403, 404, 410])

/** The host a failure names (its first URL), for a reject a person can act on. */
function hostIn(text: string): string {
  const m = /\bhttps?:\/\/([^/\s?#]+)/.exec(text)
  return m?.[1] ?? 'unknown host'
}

/** Shared by the fetchers of one run: whether the vendor, rather than single files, looks unavailable. */
interface Streak { n: number }

/**
 * Fetches every queued attachment's bytes into the content-addressed blob store, `concurrency` at a
 * time. Each finished blob is committed on its own, so an interrupted run loses at most the files in
 * flight. A file the vendor will not serve (404, expired link) or that is over the limit becomes a
 * reject and the rest go on; auth failure or an unavailable vendor stops the run (resumable).
 */
export async function fetchBlobs(o: FetchBlobsOptions): Promise<void> {
  if (!o.source.openAttachment && !o.openInlineImage) return
  const { db } = o.store
  const counts = countBlobs(db, o.sourceId)
  const total = counts.pending + counts.failed
  if (total === 0) return
  o.progress.phase('attachment files', total)
  let bytes = 0
  const started = Date.now()
  const queue = blobsToFetch(db, o.sourceId)
  let done = 0
  await fetchAll(o, (function* () {
    for (const row of queue) yield row.sourceId
  })(), (id) => {
    bytes += storedBlob(db, o.sourceId, id)?.size ?? 0
    o.progress.update(++done, `${(bytes / 1048576).toFixed(1)} MB`)
  })
  o.stats.of('attachment').ms += Date.now() - started
}

/**
 * Fetches the bytes of these attachments now (sources whose links expire: called for each page right after
 * it is committed). Same rules as `fetchBlobs`; already stored ones are skipped.
 */
export async function fetchBlobsOf(o: FetchBlobsOptions, attachmentIds: readonly string[]): Promise<void> {
  if (!o.source.openAttachment && !o.openInlineImage) return
  const started = Date.now()
  const pending = attachmentIds.filter((id) => !storedBlob(o.store.db, o.sourceId, id))
  await fetchAll(o, pending[Symbol.iterator](), () => undefined)
  o.stats.of('attachment').ms += Date.now() - started
}

async function fetchAll(o: FetchBlobsOptions, ids: Iterator<string>, onDone: (attachmentId: string) => void): Promise<void> {
  let fatal: unknown = null
  const streak: Streak = { n: 0 }
  const worker = async (): Promise<void> => {
    for (;;) {
      if (fatal || o.signal.aborted) return
      const next = ids.next()
      if (next.done) return
      try {
        await fetchOne(o, next.value, streak)
      } catch (e) {
        fatal ??= e
        return
      }
      onDone(next.value)
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, o.concurrency) }, worker))
  if (fatal) throw fatal
  if (o.signal.aborted) throw new InterruptedError('interrupted while fetching attachments; progress saved')
}

async function fetchOne(o: FetchBlobsOptions, attachmentId: string, streak: Streak): Promise<void> {
  const { db, blobs } = o.store
  const stored = getRecord(db, o.sourceId, 'attachment', attachmentId)
  const nowIso = (): string => o.now().toISOString()
  if (!stored) {
    setBlobStatus(db, { source: o.sourceId, sourceId: attachmentId, status: 'skipped', error: 'attachment record missing', runId: o.runId, nowIso: nowIso() })
    return
  }
  const att = stored.canonical as Attachment
  // An inline image the engine made from a body's URL: fetched by that URL, and any failure names it.
  const imageUrl = inlineImageUrlOf(att.download)
  const openImage = o.openInlineImage
  const openFile = o.source.openAttachment?.bind(o.source)
  const open = imageUrl !== null ? openImage : openFile
  const reject = (reason0: string, detail0: string, status: 'failed' | 'too-large'): void => {
    const reason = imageUrl !== null && status === 'failed' ? 'download-failed' : reason0
    const detail = imageUrl !== null ? `inline image ${imageUrl}: ${detail0}` : detail0
    db.transaction(() => {
      setBlobStatus(db, { source: o.sourceId, sourceId: attachmentId, status, error: detail, runId: o.runId, nowIso: nowIso() })
      addReject(db, { runId: o.runId, phase: 'blob', source: o.sourceId, stream: 'attachments', kind: 'attachment', sourceId: attachmentId, reason, detail: `${att.fileName}: ${detail}`, raw: att.download }, nowIso())
    })()
    o.stats.of('attachment').rejected++
  }
  if (!open) return reject('download-failed', 'no downloader for this kind of attachment in this run', 'failed')
  if (att.size !== null && att.size > o.maxBytes) {
    return reject('too-large', `declared size ${att.size} bytes is over --max-attachment-bytes ${o.maxBytes}`, 'too-large')
  }
  let lastError: unknown = null
  let lastUrl: string | undefined
  let ref: AttachmentRef = att.download
  let refreshed = false
  for (let attempt = 1; attempt <= BODY_ATTEMPTS; attempt++) {
    try {
      const body = imageUrl !== null ? await openImage!(imageUrl, o.signal) : await openFile!(ref, o.signal)
      lastUrl = body.url
      const blob = await blobs.put(body.body, { maxBytes: o.maxBytes })
      // The announced length is what this transfer promised: fewer bytes means it was cut short (retried).
      if (body.size !== null && blob.size < body.size) throw new ShortBodyError(`received ${blob.size} of ${body.size} bytes announced by Content-Length`)
      streak.n = 0
      // The metadata's size is a claim, the bytes are the fact: keep what arrived, note the disagreement.
      const warnings = att.size !== null && att.size !== blob.size
        ? [{ code: 'size-mismatch', detail: `declared ${att.size} bytes, received ${blob.size}; the received bytes are kept` }]
        : []
      db.transaction(() => {
        // The content type stays the one staged (a re-read stages it again; it must not flip back and forth).
        const updated: Attachment = { ...att, download: ref, sha256: blob.sha256, size: blob.size }
        upsertRecord(db, updated, stored.raw, stored.stream, o.runId, nowIso())
        setBlobStatus(db, { source: o.sourceId, sourceId: attachmentId, status: 'stored', sha256: blob.sha256, size: blob.size, declaredSize: att.size, runId: o.runId, nowIso: nowIso() })
        replaceWarnings(db, { source: o.sourceId, kind: 'attachment', sourceId: attachmentId }, 'blob', warnings, { runId: o.runId, now: nowIso() })
        resolveRejects(db, { phase: 'blob', source: o.sourceId, kind: 'attachment', sourceId: attachmentId, runId: o.runId, now: nowIso() })
      }).immediate()
      if (warnings.length > 0) o.log.warn(`attachment ${attachmentId} (${att.fileName}): ${warnings[0]!.detail}`)
      return
    } catch (e) {
      if (e instanceof AuthError) throw e
      if (e instanceof RemoteUnavailableError) {
        // One file's URL that keeps resetting is that file's problem; many in a row, the vendor's.
        if (++streak.n >= UNAVAILABLE_IN_A_ROW) throw e
        const last = e.cause instanceof Error ? e.cause.message : e.message
        return reject('download-failed', `${hostIn(e.message)}: retries exhausted; last error: ${last}`, 'failed')
      }
      if (e instanceof BlobTooLargeError) return reject('too-large', `larger than --max-attachment-bytes ${o.maxBytes}`, 'too-large')
      if (e instanceof RemoteRequestError) {
        // An expired signed link: the owning record is re-read for a fresh one, once.
        if (EXPIRED_LINK.has(e.status) && !refreshed && o.source.refreshAttachment && imageUrl === null) {
          refreshed = true
          const fresh = await o.source.refreshAttachment(ref, o.signal)
          if (fresh !== null) {
            ref = fresh
            attempt -= 1
            continue
          }
          return reject('attachment-unavailable', `the vendor answered ${e.status} for the file, and re-reading its record gave no link`, 'failed')
        }
        return reject('attachment-unavailable', `the vendor answered ${e.status} for the file`, 'failed')
      }
      if (o.signal.aborted) throw new InterruptedError('interrupted while fetching attachments; progress saved')
      lastError = e
      o.log.debug(`attachment ${attachmentId} transfer failed (attempt ${attempt}): ${(e as Error).message}`)
    }
  }
  const cutShort = lastError instanceof ShortBodyError
  const where = lastUrl === undefined ? '' : `${hostIn(lastUrl)}: `
  reject(cutShort ? 'size-mismatch' : 'download-failed', `${where}${cutShort ? 'body cut short' : 'transfer kept failing'} after ${BODY_ATTEMPTS} attempts: ${(lastError as Error)?.message ?? 'unknown error'}`, 'failed')
}
