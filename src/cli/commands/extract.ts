import type { CommandContext, CommandResult, SummaryRow } from '../command.js'
import { openWritableStore } from '../writable-store.js'
import { startRun, finishRun, listRuns } from '../../staging/runs.js'
import { countByKind } from '../../staging/records.js'
import { countOpenRejects } from '../../staging/rejects.js'
import { countBlobs } from '../../staging/blob-queue.js'
import { runExtract, type StreamOutcome } from '../../engine/extract.js'
import { createPageWriter } from '../../engine/page-writer.js'
import { fetchBlobs, fetchBlobsOf } from '../../engine/fetch-blobs.js'
import { KindStats } from '../../engine/kind-stats.js'
import { EXIT } from '../../core/exit-codes.js'
import { InterruptedError, isMigrationError, UsageError } from '../../core/errors.js'
import { findSource } from '../../../adapters/index.js'
import { KIND_PLURAL, REPORTED_KINDS } from '../../core/model/common.js'
import { openSourceSession } from '../source-session.js'
import { inlineImageOpener } from '../../engine/open-inline-image.js'
import type { InlineImageCounts } from '../../engine/inline-images.js'

export interface ExtractCommandOptions {
  readonly since?: string
  readonly limit?: number
  readonly rpm?: number
  readonly concurrency?: number
  readonly attachments: boolean
  readonly streams?: string[]
  readonly maxAttachmentBytes: number
}

/** `deskmove extract <source>`: source → staging, resumable, then attachment bytes into the blob store. */
export async function runExtractCommand(ctx: CommandContext, requestedId: string, o: ExtractCommandOptions): Promise<CommandResult> {
  checkExtractOptions(ctx, requestedId, o)
  // Config first: a missing credential must not leave an empty staging store behind.
  const session = openSourceSession(ctx, requestedId, { rpm: o.rpm ?? undefined, concurrency: o.concurrency })
  // The source whose records are staged (the archive source stages the exported source's).
  const sourceId = session.definition.id
  let store
  try {
    store = openWritableStore(ctx, 'extract')
  } catch (e) {
    await session.close().catch(() => undefined)
    throw e
  }
  const runId = startRun(store.db, { command: 'extract', source: sourceId, args: { ...o }, now: ctx.now() })
  const progress = ctx.reporter.progress()
  const started = Date.now()
  const stats = new KindStats()
  let streams: readonly StreamOutcome[] = []
  let inlineImages: InlineImageCounts = { vendor: 0, external: 0 }
  let outcome: 'succeeded' | 'failed' | 'interrupted' = 'succeeded'
  let failure: unknown = null
  const writer = createPageWriter(store)
  const blobOptions = { store, sourceId, source: session.source, runId, concurrency: o.concurrency ?? session.definition.http.defaultConcurrency, maxBytes: o.maxAttachmentBytes, signal: ctx.signal, progress, log: ctx.reporter, now: ctx.now, stats, openInlineImage: inlineImageOpener(session.http) }
  // Links that expire are fetched page by page while fresh; stable ones after the whole read.
  const expiring = o.attachments && session.definition.attachments?.links === 'expiring'
  try {
    const result = await runExtract({
      store,
      writer,
      definition: session.definition,
      source: session.source,
      runId,
      since: o.since ?? null,
      limit: o.limit ?? null,
      streams: o.streams ?? null,
      signal: ctx.signal,
      progress,
      log: ctx.reporter,
      now: ctx.now,
      stats,
      inlineImageHosts: session.inlineImageHosts,
      ...(expiring ? { fetchPageBlobs: (ids: readonly string[]) => fetchBlobsOf(blobOptions, ids) } : {}),
    })
    streams = result.streams
    inlineImages = result.inlineImages
    await writer.close()
    if (o.attachments) {
      await fetchBlobs(blobOptions)
    }
  } catch (e) {
    failure = session.explain(e)
    outcome = e instanceof InterruptedError ? 'interrupted' : 'failed'
  } finally {
    await writer.close()
    progress.stop()
    await session.close().catch(() => undefined)
  }
  // What this step could not read or fetch; apply's rejects are apply's to report.
  const rejects = countOpenRejects(store.db, { source: sourceId, phase: 'extract' }) + countOpenRejects(store.db, { source: sourceId, phase: 'blob' })
  const rows: SummaryRow[] = kindsOf(stats).map(([kind, c]) => ({ kind, read: c.read, staged: c.staged, unchanged: c.unchanged, rejected: c.rejected, seconds: c.ms / 1000 }))
  const http = session.http.stats()
  const summary = { runId, outcome, seconds: (Date.now() - started) / 1000, kinds: stats.toJSON(), openRejects: rejects, requests: http.requests, throttled: http.throttled, retries: http.retries, inlineImages }
  finishRun(store.db, runId, outcome === 'succeeded' ? (rejects > 0 ? 'completed-with-rejects' : 'succeeded') : outcome, summary, ctx.now())
  const lastStart = listRuns(store.db, 20).find((r) => r.command === 'extract' && r.id !== runId && r.status !== 'running')?.startedAt
  if (failure) store.close()
  if (failure) {
    if (isMigrationError(failure)) Object.assign(failure, { partialSummary: { title: `extract ${sourceId} (stopped)`, rows } })
    throw failure
  }
  // What staging holds now, beside what this run did: after a resume the two differ.
  const held = countByKind(store.db)
  // Attachments staged as records whose bytes are not in the blob store (yet): apply leaves them out, verify says so.
  const blobs = countBlobs(store.db, sourceId)
  const withoutBytes = blobs.pending + blobs.failed + blobs['too-large'] + blobs.skipped
  store.close()
  const allComplete = streams.length > 0 && streams.every((s) => s.status === 'already-complete' || s.status === 'skipped-forbidden')
  const heldKinds = [...REPORTED_KINDS.filter((k) => held[k]), ...Object.keys(held).filter((k) => held[k as keyof typeof held] && !(REPORTED_KINDS as readonly string[]).includes(k))] as (keyof typeof held)[]
  const plural = (k: string): string => KIND_PLURAL[k as keyof typeof KIND_PLURAL] ?? k
  const totalLine =
    `staging now holds: ${heldKinds.map((k) => `${held[k]} ${plural(k)}`).join(', ') || 'nothing'}` +
    (withoutBytes > 0 ? `\nof the attachments, ${blobs.stored} with their bytes and ${withoutBytes} without (${o.attachments ? 'not fetched: see `deskmove rejects`, a re-run retries them' : '--no-attachments'}): those are left out by apply and reported by verify` : '')
  if (allComplete && !o.since && rows.every((r) => !r.read && !r.staged)) {
    const totals: SummaryRow[] = heldKinds.map((k) => ({ kind: k, staged: held[k] }))
    return {
      exitCode: rejects > 0 ? EXIT.rejects : EXIT.ok,
      json: { type: 'summary', command: 'extract', alreadyComplete: true, ...summary, staged: held },
      summary: { title: `extract ${sourceId}: already complete, nothing new was read · staging holds`, rows: totals },
      next: `for what changed since, run a delta: \`deskmove extract ${sourceId} --since <ISO date>\` (e.g. the start of the last run, ${lastStart ?? 'see `deskmove status`'})`,
    }
  }
  return {
    exitCode: rejects > 0 ? EXIT.rejects : EXIT.ok,
    // External images (tracking pixels, hot-linked pictures) stay links: say how many, so none is a surprise.
    text: inlineImages.vendor + inlineImages.external > 0 ? `${totalLine}\nbody images: ${inlineImages.vendor} of the vendor's made local (inline attachments), ${inlineImages.external} external left as links (warned on their messages)` : totalLine,
    json: { type: 'summary', command: 'extract', ...summary, attachmentsWithoutBytes: withoutBytes },
    summary: { title: `extract ${sourceId} · run ${runId} · ${http.requests} requests, ${http.throttled} throttled`, rows },
    next: rejects > 0 ? `${rejects} rejected → \`deskmove rejects\`` : 'staged → `deskmove status`, then `deskmove plan freescout`',
  }
}

/** Usage mistakes found before anything is read or written: exit 2 with the valid choices. */
export function checkExtractOptions(ctx: CommandContext, sourceId: string, o: ExtractCommandOptions): void {
  const known = findSource(sourceId).streams.map((s) => s.name)
  const unknown = (o.streams ?? []).filter((n) => !known.includes(n))
  if (unknown.length) throw new UsageError(`unknown stream${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} for ${sourceId}; valid: ${known.join(', ')}`)
  if (o.since && Date.parse(o.since) > ctx.now().getTime()) {
    ctx.reporter.warn(`--since ${o.since} is in the future: no record can have changed after it, so this delta will stage nothing new`)
  }
}

function kindsOf(stats: KindStats): [string, ReturnType<KindStats['of']>][] {
  const known = new Set<string>(REPORTED_KINDS)
  const entries = stats.entries()
  const ordered = REPORTED_KINDS.filter((k) => entries.some(([n]) => n === k)).map((k) => [k, stats.of(k)] as [string, ReturnType<KindStats['of']>])
  return [...ordered, ...entries.filter(([k]) => !known.has(k))]
}
