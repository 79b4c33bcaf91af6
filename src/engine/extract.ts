import { setMaxListeners } from 'node:events'
import type { AnySourceDefinition, Checkpoint, Source, SourcePage, StreamSpec } from '../core/source.js'
import type { Logger } from '../core/log.js'
import type { Progress } from '../core/progress.js'
import type { StagingStore } from '../staging/store.js'
import type { CheckpointMode } from '../staging/checkpoints.js'
import { getCheckpoint, lastCompleteState, resetCheckpoint } from '../staging/checkpoints.js'
import { parentIdOf } from '../staging/records.js'
import { AuthError, InterruptedError, RemoteRequestError, SourceContractError } from '../core/errors.js'
import { selectStreams } from './order.js'
import { KindStats } from './kind-stats.js'
import { toCommitJob, type StreamPosition } from './page-commit.js'
import { inThreadWriter, type PageWriter } from './page-writer.js'
import { withInlineImages, type InlineImageCounts } from './inline-images.js'

export interface ExtractOptions {
  readonly store: StagingStore
  readonly definition: AnySourceDefinition
  readonly source: Source
  readonly runId: string
  /** Delta: only records modified since this ISO instant (streams that support it). */
  readonly since: string | null
  /** Trial runs: stop after this many tickets have been staged in this run. */
  readonly limit: number | null
  /** Narrow the run to these streams (plus their dependencies). */
  readonly streams: readonly string[] | null
  /** Counters to add to (the CLI shares them with attachment fetching); fresh when not given. */
  readonly stats?: KindStats
  /** Commits pages (a writer thread in the CLI); in-thread when not given. */
  readonly writer?: PageWriter
  /**
   * Sources whose attachment links expire: called with the attachment ids of each page right after the page
   * is committed, so the bytes are fetched while the links are fresh (the CLI passes `fetchBlobs` for them).
   */
  readonly fetchPageBlobs?: (attachmentIds: readonly string[]) => Promise<void>
  /**
   * Hosts of the vendor's inline images (the definition's plus the user's, see `inlineImageHostsOf`):
   * body images on them become inline attachments. The definition's own list when not given.
   */
  readonly inlineImageHosts?: readonly string[]
  /** Soft stop (first Ctrl-C): the current page is committed, then `InterruptedError`. */
  readonly signal: AbortSignal
  readonly progress: Progress
  readonly log: Logger
  readonly now: () => Date
}

export interface StreamOutcome {
  readonly stream: string
  readonly status: 'read' | 'already-complete' | 'limited' | 'skipped-forbidden'
  readonly pages: number
  readonly ms: number
}

export interface ExtractResult {
  readonly stats: KindStats
  readonly streams: StreamOutcome[]
  /** Body images read in this run: staged as inline attachments (vendor's) or left as links (external). */
  readonly inlineImages: InlineImageCounts
}

function isForbidden(e: unknown): boolean {
  const status = (x: unknown): number | undefined => (x instanceof RemoteRequestError ? x.status : undefined)
  return status(e) === 403 || (e instanceof AuthError && status(e.cause) === 403)
}

/** Pages read ahead of the one being committed. */
const MAX_PAGES_IN_FLIGHT = 2

/** A signal the source sees: never aborted by the first Ctrl-C, so an in-flight page completes. */
const NEVER = new AbortController().signal
// Every queued request listens on it (a page's chat conversations are fetched side by side): not a leak.
setMaxListeners(0, NEVER)

/**
 * The read loop. Pages are committed together with the checkpoint that covers them in one SQLite
 * transaction, so a crash at any moment resumes after the last durable page with nothing twice.
 */
export async function runExtract(o: ExtractOptions): Promise<ExtractResult> {
  const stats = o.stats ?? new KindStats()
  const outcomes: StreamOutcome[] = []
  const ticketsStaged = { n: 0 }
  const images: InlineImageCounts = { vendor: 0, external: 0 }
  for (const spec of selectStreams(o.definition.streams, o.streams)) {
    const outcome = await extractStream(o, spec, stats, ticketsStaged, images).catch((e: unknown) => {
      // Plan-gated endpoints (e.g. organisations on older accounts): a 403 skips the stream with a warning.
      if (spec.optional && isForbidden(e)) {
        o.log.warn(`stream ${spec.name} is not available to these credentials (403); skipped`)
        return { stream: spec.name, status: 'skipped-forbidden', pages: 0, ms: 0 } as StreamOutcome
      }
      throw e
    })
    outcomes.push(outcome)
    if (outcome.status === 'limited') break
  }
  return { stats, streams: outcomes, inlineImages: images }
}

async function extractStream(o: ExtractOptions, spec: StreamSpec, stats: KindStats, ticketsStaged: { n: number }, images: InlineImageCounts): Promise<StreamOutcome> {
  const { db } = o.store
  const source = o.definition.id
  const mode: CheckpointMode = o.since && spec.supportsSince ? 'delta' : 'full'
  const signpost = mode === 'delta' ? o.since : null
  let cp = getCheckpoint(db, source, spec.name, mode)
  // A delta from another instant is a different read: start it afresh.
  if (cp && mode === 'delta' && cp.signpost !== signpost) {
    resetCheckpoint(db, source, spec.name, mode)
    cp = null
  }
  if (cp?.done && !(o.since && !spec.supportsSince)) {
    return { stream: spec.name, status: 'already-complete', pages: 0, ms: 0 }
  }
  const from = spec.resume === 'per-page' && cp && !cp.done ? cp.state : null
  // Where the previous complete read ended: a cursor source starts its delta there.
  const lastComplete = lastCompleteState(db, source, spec.name)
  const started = Date.now()
  let pages = 0
  let recordsInStream = cp && spec.resume === 'per-page' && !cp.done ? cp.records : 0
  o.progress.phase(`${spec.name}`, null)
  // Records of the stream's own kind read by this run (tickets for the tickets stream, not its messages).
  let primaryRead = 0
  const iterator = o.source.read(spec.name, from, { since: mode === 'delta' ? o.since : null, lastComplete }, NEVER)[Symbol.asyncIterator]()
  let lastCheckpoint: Checkpoint | null = null
  const at: StreamPosition = { source, stream: spec.name, mode, signpost, runId: o.runId, perPage: spec.resume === 'per-page' }
  const writer = o.writer ?? inThreadWriter(o.store)
  const imageHosts = o.inlineImageHosts ?? o.definition.inlineImages?.hosts ?? []
  // Pages being committed while the next ones are read; bounded so memory stays flat.
  const pending: Promise<void>[] = []
  const settle = async (): Promise<void> => {
    while (pending.length) await pending.shift()
  }
  try {
    for (;;) {
      const next = await iterator.next()
      if (next.done) break
      // `--limit N` counts tickets: a page holding more than are left is staged in part, without its checkpoint.
      const limited = o.limit === null ? next.value : withinLimit(next.value, o.limit - ticketsStaged.n)
      const partial = limited !== next.value
      // The vendor's body images become inline attachments of their messages (same page, same checkpoint).
      const { page, counts } = withInlineImages(limited, imageHosts)
      images.vendor += counts.vendor
      images.external += counts.external
      if (!partial) lastCheckpoint = page.checkpoint
      for (const { canonical } of page.records) {
        if (canonical.source !== source) throw new SourceContractError(`stream ${spec.name} yielded a record of source ${canonical.source}`)
        stats.of(canonical.kind).read++
        if (canonical.kind === 'ticket') ticketsStaged.n++
        if (canonical.kind === spec.entities[0]) primaryRead++
      }
      for (const r of page.rejects) {
        const c = stats.of(r.kind)
        c.read++
        c.rejected++
      }
      const pageNo = ++pages
      const shown = primaryRead
      pending.push(
        writer.submit(toCommitJob(page, at, o.now().toISOString(), !partial)).then(async (outcome) => {
          for (const [kind, n] of Object.entries(outcome.byKind)) {
            const c = stats.of(kind)
            c.staged += n.staged
            c.unchanged += n.unchanged
          }
          recordsInStream += outcome.records
          // The count is records of the stream's kind (tickets as tickets); the source's page position goes beside it.
          o.progress.update(shown, page.progress?.total != null ? `page ${page.progress.done ?? pageNo}/${page.progress.total}` : `page ${pageNo}`)
          if (o.fetchPageBlobs) {
            const ids = page.records.filter((r) => r.canonical.kind === 'attachment').map((r) => r.canonical.sourceId)
            if (ids.length > 0) await o.fetchPageBlobs(ids)
          }
        }),
      )
      if (pending.length >= MAX_PAGES_IN_FLIGHT) await pending.shift()
      if (o.limit !== null && ticketsStaged.n >= o.limit) {
        await settle()
        await iterator.return?.()
        return { stream: spec.name, status: 'limited', pages, ms: Date.now() - started }
      }
      if (o.signal.aborted) {
        await settle()
        await iterator.return?.()
        throw new InterruptedError(`interrupted after ${spec.name} page ${pages}; progress saved`)
      }
    }
    await settle()
  } catch (e) {
    // Whatever failed, pages already handed to the writer are committed before the error surfaces.
    await Promise.allSettled(pending)
    throw e
  }
  await writer.submit({ type: 'done', at, nowIso: o.now().toISOString(), pages, records: recordsInStream, checkpoint: lastCheckpoint })
  const ms = Date.now() - started
  for (const kind of spec.entities) stats.of(kind).ms += ms
  return { stream: spec.name, status: 'read', pages, ms }
}

/**
 * The page cut to its first `room` tickets, with their messages and attachments; records that belong to no
 * ticket (side-loaded people) and rejects are kept. The page itself when it fits.
 */
export function withinLimit(page: SourcePage, room: number): SourcePage {
  const tickets = page.records.filter((r) => r.canonical.kind === 'ticket')
  if (tickets.length <= room) return page
  const kept = new Set(tickets.slice(0, Math.max(0, room)).map((r) => r.canonical.sourceId))
  const records = page.records.filter((r) => {
    if (r.canonical.kind === 'ticket') return kept.has(r.canonical.sourceId)
    const parent = parentIdOf(r.canonical)
    return parent === null || kept.has(parent)
  })
  return { ...page, records }
}
