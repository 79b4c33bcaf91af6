import type { AnySourceDefinition, Source, StreamSpec } from '../core/source.js'
import type { Logger } from '../core/log.js'
import type { Progress } from '../cli/command.js'
import type { StagingStore } from '../staging/store.js'
import type { CheckpointMode } from '../staging/checkpoints.js'
import { getCheckpoint, resetCheckpoint, saveCheckpoint } from '../staging/checkpoints.js'
import { upsertRecord } from '../staging/records.js'
import { addReject, hasOpenRejects, resolveRejects } from '../staging/rejects.js'
import { AuthError, InterruptedError, RemoteRequestError, SourceContractError } from '../core/errors.js'
import { selectStreams } from './order.js'
import { KindStats } from './kind-stats.js'
import { enqueueBlob } from './blob-queue.js'

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
}

function isForbidden(e: unknown): boolean {
  const status = (x: unknown): number | undefined => (x instanceof RemoteRequestError ? x.status : undefined)
  return status(e) === 403 || (e instanceof AuthError && status(e.cause) === 403)
}

/** A signal the source sees: never aborted by the first Ctrl-C, so an in-flight page completes. */
const NEVER = new AbortController().signal

/**
 * The read loop. Pages are committed together with the checkpoint that covers them in one SQLite
 * transaction, so a crash at any moment resumes after the last durable page with nothing twice.
 */
export async function runExtract(o: ExtractOptions): Promise<ExtractResult> {
  const stats = new KindStats()
  const outcomes: StreamOutcome[] = []
  const ticketsStaged = { n: 0 }
  for (const spec of selectStreams(o.definition.streams, o.streams)) {
    const outcome = await extractStream(o, spec, stats, ticketsStaged).catch((e: unknown) => {
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
  return { stats, streams: outcomes }
}

async function extractStream(o: ExtractOptions, spec: StreamSpec, stats: KindStats, ticketsStaged: { n: number }): Promise<StreamOutcome> {
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
  const started = Date.now()
  let pages = 0
  let recordsInStream = cp && spec.resume === 'per-page' && !cp.done ? cp.records : 0
  o.progress.phase(`${spec.name}`, null)
  const iterator = o.source.read(spec.name, from, { since: mode === 'delta' ? o.since : null }, NEVER)[Symbol.asyncIterator]()
  // Restart streams buffer nothing in memory across pages but only mark progress when complete.
  const commitPage = db.transaction((page: Awaited<ReturnType<typeof iterator.next>>['value'], nowIso: string) => {
    let n = 0
    const mayResolve = hasOpenRejects(db, 'extract', source)
    for (const { canonical, raw } of page.records) {
      if (canonical.source !== source) throw new SourceContractError(`stream ${spec.name} yielded a record of source ${canonical.source}`)
      const c = stats.of(canonical.kind)
      c.read++
      const outcome = upsertRecord(db, canonical, raw, spec.name, o.runId, nowIso)
      if (outcome === 'unchanged') c.unchanged++
      else c.staged++
      if (canonical.kind === 'ticket') ticketsStaged.n++
      if (canonical.kind === 'attachment') enqueueBlob(db, canonical, o.runId, nowIso)
      if (mayResolve) resolveRejects(db, { phase: 'extract', source, kind: canonical.kind, sourceId: canonical.sourceId, runId: o.runId, now: nowIso })
      n++
    }
    for (const r of page.rejects) {
      const c = stats.of(r.kind)
      c.read++
      c.rejected++
      addReject(db, { runId: o.runId, phase: 'extract', source, stream: spec.name, kind: r.kind, sourceId: r.sourceId, reason: r.reason, detail: r.detail, raw: r.raw }, nowIso)
    }
    if (spec.resume === 'per-page') {
      saveCheckpoint(db, { source, stream: spec.name, mode, state: page.checkpoint, done: false, addPages: 1, addRecords: n, signpost, runId: o.runId, now: nowIso })
    }
    return n
  })
  for (;;) {
    const next = await iterator.next()
    if (next.done) break
    const page = next.value
    recordsInStream += commitPage.immediate(page, o.now().toISOString())
    pages++
    o.progress.update(recordsInStream, page.progress?.total != null ? `page ${page.progress.done ?? pages}/${page.progress.total}` : `page ${pages}`)
    if (page.progress?.total != null && page.progress.done != null) o.progress.phase(spec.name, page.progress.total)
    if (page.progress?.done != null) o.progress.update(page.progress.done, `${recordsInStream} records`)
    if (o.limit !== null && ticketsStaged.n >= o.limit) {
      await iterator.return?.()
      return { stream: spec.name, status: 'limited', pages, ms: Date.now() - started }
    }
    if (o.signal.aborted) {
      await iterator.return?.()
      throw new InterruptedError(`interrupted after ${spec.name} page ${pages}; progress saved`)
    }
  }
  db.transaction(() => {
    saveCheckpoint(db, { source, stream: spec.name, mode, state: null, done: true, addPages: spec.resume === 'restart' ? pages : 0, addRecords: spec.resume === 'restart' ? recordsInStream : 0, signpost, runId: o.runId, now: o.now().toISOString() })
  }).immediate()
  const ms = Date.now() - started
  for (const kind of spec.entities) stats.of(kind).ms += ms
  return { stream: spec.name, status: 'read', pages, ms }
}
