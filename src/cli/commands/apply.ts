import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { CommandContext, CommandResult } from '../command.js'
import { applyPlan, parsePlanFile } from '../../engine/plan-file.js'
import { openWritableStore } from '../writable-store.js'
import { EXIT } from '../../core/exit-codes.js'
import { InterruptedError, UsageError } from '../../core/errors.js'
import { openTargetSession, stagedSourceFor } from '../target-session.js'
import { planSummaryRows } from './plan.js'
import { loadProgressTo } from '../render/load-progress.js'
import { stmt, type Db } from '../../staging/store.js'

/** What the target holds from this source over every run (the id map's loaded records), per kind. */
function loadedTotals(db: Db, source: string, target: string): string {
  const rows = stmt(db, "SELECT kind, COUNT(*) AS n FROM id_map WHERE source = ? AND target = ? AND state = 'loaded' GROUP BY kind ORDER BY kind").all(source, target) as { kind: string; n: number }[]
  return rows.map((r) => `${r.n} ${r.kind}${r.n === 1 ? '' : 's'}`).join(', ') || 'nothing yet'
}

export interface ApplyCommandOptions {
  readonly from?: string
  readonly retryRejects?: boolean
  readonly dryRun?: boolean
}

/** `deskmove apply <target> [plan.json]`: exactly the reviewed plan, or plan-then-apply when none is given. */
export async function runApplyCommand(ctx: CommandContext, targetId: string, planPath: string | undefined, o: ApplyCommandOptions): Promise<CommandResult> {
  if (o.dryRun) {
    const { runPlanCommand } = await import('./plan.js')
    return runPlanCommand(ctx, targetId, { from: o.from })
  }
  const store = openWritableStore(ctx, 'apply', { mustExist: true })
  const session = openTargetSession(ctx, targetId)
  try {
    let plan = null
    if (planPath) {
      let text: string
      try {
        text = readFileSync(resolve(ctx.cwd, planPath), 'utf8')
      } catch (e) {
        throw new UsageError(`cannot read the plan ${planPath}: ${(e as Error).message}`)
      }
      plan = parsePlanFile(text)
    }
    const source = plan?.source ?? stagedSourceFor(store, o.from)
    const progress = ctx.reporter.progress()
    progress.phase(`applying ${source} → ${targetId}`)
    const started = Date.now()
    const onProgress = loadProgressTo(progress, `applying ${source} → ${targetId}`, 'apply')
    const res = await applyPlan({ store, source, target: session.target, config: session.mapping, now: ctx.now, signal: ctx.signal, plan, retryRejects: o.retryRejects, onProgress }).finally(() => progress.stop())
    const rows = planSummaryRows(res).map((r) => ({ ...r, seconds: (Date.now() - started) / 1000 }))
    const json = { type: 'summary', command: 'apply', runId: res.runId, resumed: !!res.resumed, source, target: targetId, counts: res.counts, rejected: res.rejectedTotal, status: res.status, notices: res.notices.length }
    if (res.status === 'interrupted') {
      const again = `deskmove apply ${targetId}${planPath ? ` ${planPath}` : ''}`
      throw Object.assign(new InterruptedError(`apply interrupted; run ${res.runId} saved what it wrote; \`${again}\` resumes it`), { partialSummary: { title: `apply ${source} → ${targetId} · run ${res.runId} (stopped)`, rows } })
    }
    const lines = [
      // The table counts this run; after a resume (or any earlier run) the total is what the target now holds.
      `in ${targetId} from ${source}, all runs together: ${loadedTotals(store.db, source, targetId)}`,
      ...res.notices.slice(0, 20).map((n) => `notice: ${n.kind} ${n.sourceId}: ${n.text}`),
      ...res.rejects.slice(0, 20).map((r) => `rejected: ${r.kind} ${r.sourceId}: ${r.reason}: ${r.detail}`),
    ]
    return {
      exitCode: res.rejectedTotal > 0 ? EXIT.rejects : EXIT.ok,
      json,
      summary: { title: `apply ${source} → ${targetId} · run ${res.runId} · this run${res.resumed ? ' (resumed the interrupted apply of this plan)' : ''}`, rows },
      text: lines.join('\n'),
      next: res.rejectedTotal > 0 ? `${res.rejectedTotal} rejected → \`deskmove rejects --phase apply\`, fix, then \`deskmove apply ${targetId} --retry-rejects\`` : `check it → \`deskmove verify ${targetId}\`; undo → \`deskmove rollback ${targetId} --run ${res.runId}\``,
    }
  } finally {
    await session.close()
    store.close()
  }
}
