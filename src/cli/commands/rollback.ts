import type { CommandContext, CommandResult } from '../command.js'
import { rollbackLoadRun } from '../../engine/load.js'
import { openWritableStore } from '../writable-store.js'
import { getRun } from '../../staging/runs.js'
import { EXIT } from '../../core/exit-codes.js'
import { UsageError } from '../../core/errors.js'
import { openTargetSession } from '../target-session.js'

/**
 * `deskmove rollback <target> --run ID [--preview] [--force]`: removes exactly what that run created, nothing
 * else. What people changed in the target after the run is kept and listed first, unless `--force`.
 */
export async function runRollbackCommand(ctx: CommandContext, targetId: string, o: { run: string; preview?: boolean; force?: boolean }): Promise<CommandResult> {
  const store = openWritableStore(ctx, 'rollback', { mustExist: true })
  const session = openTargetSession(ctx, targetId)
  try {
    if (!session.target.rollback) throw new UsageError(`${targetId} has no rollback capability: deskmove cannot remove what a run wrote there`, { hint: `remove run ${o.run}'s objects with ${session.definition.displayName}'s own tools` })
    const run = getRun(store.db, o.run)
    if (!run) throw new UsageError(`no run ${o.run} in ${store.path}`, { hint: '`deskmove status --json` lists recent runs' })
    if (run.command !== 'apply' && run.command !== 'migrate') throw new UsageError(`run ${o.run} was a ${run.command}; only apply runs write to a target`)
    const res = await rollbackLoadRun({ store, target: session.target, runId: o.run, preview: !!o.preview, force: !!o.force, signal: ctx.signal })
    // What people changed after the import comes first: it is what an operator must decide about.
    const keptLines = res.kept.length
      ? [
          `${o.preview ? 'would keep' : 'kept'} ${res.kept.length} object(s) changed in ${targetId} after the run (\`--force\` removes them too):`,
          ...res.kept.slice(0, 50).map((k) => `  ${k.why}`),
          ...(res.kept.length > 50 ? [`  … and ${res.kept.length - 50} more (see --json)`] : []),
        ]
      : []
    const lines = [
      ...keptLines,
      ...Object.entries(res.counts).map(([kind, n]) =>
        kind === 'conversationsKept'
          ? `${o.preview ? 'would keep' : 'kept'} ${n} conversations (changed after the run)`
          : kind.endsWith('Kept')
            ? `${o.preview ? 'would keep' : 'kept'} ${n} ${kind.slice(0, -4)} (other runs or kept conversations still use them)`
            : `${o.preview ? 'would remove' : 'removed'} ${n} ${kind}`,
      ),
    ]
    lines.push(`${o.preview ? 'would forget' : 'forgot'} ${res.idMapRows} id-map rows (a later apply re-creates those records)`)
    return {
      exitCode: EXIT.ok,
      json: { type: 'summary', command: 'rollback', runId: o.run, preview: !!o.preview, force: !!o.force, counts: res.counts, idMapRows: res.idMapRows, kept: res.kept },
      text: lines.join('\n'),
      next: o.preview ? `remove them → \`deskmove rollback ${targetId} --run ${o.run}\`` : undefined,
    }
  } finally {
    await session.close()
    store.close()
  }
}
