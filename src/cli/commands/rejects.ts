import type { CommandContext, CommandResult } from '../command.js'
import { openStagingStore } from '../../staging/store.js'
import { listRejects, type RejectPhase } from '../../staging/rejects.js'
import { EXIT } from '../../core/exit-codes.js'

export interface RejectsCommandOptions {
  readonly phase?: RejectPhase
  readonly source?: string
  readonly target?: string
  readonly run?: string
  readonly all?: boolean
  readonly limit?: number
  readonly raw?: boolean
}

/** `deskmove rejects`: every record that could not be read, fetched or written, with why (pgloader reject files). */
export async function runRejectsCommand(ctx: CommandContext, o: RejectsCommandOptions): Promise<CommandResult> {
  const store = openStagingStore(ctx.dbPath, { readonly: true })
  try {
    const rows = listRejects(store.db, { phase: o.phase, source: o.source, target: o.target, runId: o.run, includeResolved: o.all, limit: o.limit })
    const items = rows.map((r) => ({
      id: r.id,
      phase: r.phase,
      source: r.source,
      target: r.target,
      stream: r.stream,
      kind: r.kind,
      sourceId: r.sourceId,
      reason: r.reason,
      detail: r.detail,
      runId: r.runId,
      createdAt: r.createdAt,
      resolvedAt: r.resolvedAt,
      ...(o.raw ? { raw: r.raw ? (JSON.parse(r.raw) as unknown) : null } : {}),
    }))
    const lines = items.map(
      (r) => `${r.phase.padEnd(7)} ${`${r.kind} ${r.sourceId}`.padEnd(28)} ${r.reason.padEnd(22)} ${r.detail}${r.resolvedAt ? ' (resolved)' : ''}${o.raw ? `\n        raw: ${JSON.stringify(r.raw)}` : ''}`,
    )
    return {
      exitCode: EXIT.ok,
      json: { rejects: items, count: items.length },
      text: items.length ? lines.join('\n') : 'no rejects',
    }
  } finally {
    store.close()
  }
}
