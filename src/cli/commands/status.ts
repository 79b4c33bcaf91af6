import type { CommandContext, CommandResult } from '../command.js'
import { openStagingStore } from '../../staging/store.js'
import { countByKind } from '../../staging/records.js'
import { listCheckpoints } from '../../staging/checkpoints.js'
import { countOpenRejects } from '../../staging/rejects.js'
import { countWarnings } from '../../staging/warnings.js'
import { listRuns } from '../../staging/runs.js'
import { countBlobs } from '../../staging/blob-queue.js'
import { stagedSources } from '../../staging/records.js'
import { KIND_PLURAL, REPORTED_KINDS } from '../../core/model/common.js'
import { EXIT } from '../../core/exit-codes.js'
import { currentWriter } from '../../staging/lock.js'
import { stmt, type Db } from '../../staging/store.js'
import { formatBytes } from '../render/bytes.js'

function storedBytes(db: Db, source: string): number {
  return (stmt(db, "SELECT COALESCE(SUM(size), 0) FROM blob_fetch WHERE source = ? AND status = 'stored'").pluck().get(source) as number) ?? 0
}

/** `deskmove status`: what staging holds, per kind and per stream checkpoint. */
export async function runStatusCommand(ctx: CommandContext): Promise<CommandResult> {
  const store = openStagingStore(ctx.dbPath, { readonly: true })
  try {
    const byKind = countByKind(store.db)
    const counts: Record<string, number> = {}
    for (const k of REPORTED_KINDS) counts[KIND_PLURAL[k]] = byKind[k] ?? 0
    for (const [k, n] of Object.entries(byKind)) if (!REPORTED_KINDS.includes(k as never)) counts[KIND_PLURAL[k as keyof typeof KIND_PLURAL] ?? k] = n ?? 0
    const streams: Record<string, unknown> = {}
    for (const cp of listCheckpoints(store.db)) {
      streams[`${cp.source}.${cp.stream}${cp.mode === 'delta' ? '@delta' : ''}`] = {
        done: cp.done,
        pages: cp.pages,
        records: cp.records,
        checkpoint: cp.state,
        since: cp.signpost,
        updatedAt: cp.updatedAt,
      }
    }
    const blobs: Record<string, unknown> = {}
    for (const s of stagedSources(store.db)) blobs[s] = countBlobs(store.db, s)
    const rejects = countOpenRejects(store.db)
    const runs = listRuns(store.db, 5).map((r) => ({ id: r.id, command: r.command, status: r.status, startedAt: r.startedAt, finishedAt: r.finishedAt }))
    const lines: string[] = ['streams:']
    for (const [name, s] of Object.entries(streams) as [string, { done: boolean; pages: number; records: number }][]) {
      lines.push(`  ${name.padEnd(28)} ${s.done ? 'complete' : 'in progress'}  ${s.pages} pages  ${s.records} records`)
    }
    for (const [s, b] of Object.entries(blobs) as [string, Record<string, number>][]) {
      const parts = Object.entries(b).filter(([, n]) => n > 0).map(([state, n]) => `${n} ${state}${state === 'stored' ? ` (${formatBytes(storedBytes(store.db, s))})` : ''}`)
      lines.push(`attachment files (${s}): ${parts.length ? parts.join(', ') : 'none'}`)
    }
    lines.push(`open rejects: ${rejects}`)
    // Records staged with a gap or oddity the source noticed (a field the vendor left out, a draft not staged as sent).
    const warnings = countWarnings(store.db)
    lines.push(`records staged with warnings: ${warnings.records}${warnings.total ? ` (${Object.entries(warnings.byCode).map(([c, n]) => `${c} ${n}`).join(', ')})` : ''}`)
    if (runs.length) {
      lines.push('recent runs:')
      for (const r of runs) lines.push(`  ${r.id}  ${r.command.padEnd(8)} ${r.status}`)
    }
    const writer = currentWriter(store.db)
    if (writer) lines.push(`being written now by pid ${writer.pid} (\`${writer.command}\`) since ${writer.since}`)
    return {
      exitCode: EXIT.ok,
      json: { counts, streams, attachmentsBytes: blobs, rejects, warnings, runs },
      summary: { title: `staging ${store.path}`, rows: Object.entries(counts).map(([kind, n]) => ({ kind, staged: n })) },
      text: lines.join('\n'),
      next: rejects > 0 ? `${rejects} rejected → \`deskmove rejects\`` : undefined,
    }
  } finally {
    store.close()
  }
}
