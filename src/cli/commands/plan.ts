import { writeFileSync } from 'node:fs'
import { extname, resolve } from 'node:path'
import type { CommandContext, CommandResult, SummaryRow } from '../command.js'
import { countWarnings } from '../../staging/warnings.js'
import { loadProgressTo, loadSummaryRows } from '../render/load-progress.js'
import type { PlanFile } from '../../engine/plan-file.js'
import { buildPlan } from '../../engine/plan-file.js'
import { openWritableStore } from '../writable-store.js'
import { EXIT } from '../../core/exit-codes.js'
import { renderPlanHtml, renderPlanMarkdown } from '../render/plan-report.js'
import { openTargetSession, stagedSourceFor } from '../target-session.js'
import { compareReport, reportMismatch } from '../expect-report.js'

export interface PlanCommandOptions {
  readonly out?: string
  readonly report?: string
  readonly from?: string
  /** Compare the normalised Markdown report with this committed file; exit 6 on a difference (README "Dry-run diff in CI"). */
  readonly expectReport?: string
  readonly updateExpected?: boolean
}

export function planSummaryRows(plan: Pick<PlanFile, 'counts' | 'contents'>): SummaryRow[] {
  return loadSummaryRows(plan)
}

/** `deskmove plan <target>`: the dry run. Reads the target, writes nothing to it; exit 8 when changes are pending. */
export async function runPlanCommand(ctx: CommandContext, targetId: string, o: PlanCommandOptions): Promise<CommandResult> {
  const store = openWritableStore(ctx, 'plan', { mustExist: true })
  const session = openTargetSession(ctx, targetId)
  try {
    const source = stagedSourceFor(store, o.from)
    const progress = ctx.reporter.progress()
    progress.phase(`planning ${source} → ${targetId}`)
    const onProgress = loadProgressTo(progress, `planning ${source} → ${targetId}`, 'plan')
    const plan = await buildPlan({ store, source, target: session.target, config: session.mapping, now: ctx.now, signal: ctx.signal, onProgress }).finally(() => progress.stop())
    const written: string[] = []
    if (o.out) {
      const path = resolve(ctx.cwd, o.out)
      writeFileSync(path, JSON.stringify(plan, null, 2) + '\n')
      written.push(`plan: ${path}`)
    }
    if (o.report) {
      const path = resolve(ctx.cwd, o.report)
      writeFileSync(path, extname(path).toLowerCase().startsWith('.htm') ? renderPlanHtml(plan) : renderPlanMarkdown(plan))
      written.push(`report: ${path}`)
    }
    if (o.expectReport) {
      const path = resolve(ctx.cwd, o.expectReport)
      const update = !!o.updateExpected || ctx.env.DESKMOVE_UPDATE_GOLDEN === '1'
      const cmp = compareReport(renderPlanMarkdown(plan), path, { cwd: ctx.cwd, update })
      if (!cmp.same) {
        if (ctx.reporter.json) ctx.reporter.event('report-diff', { expected: path, diff: cmp.diff })
        else ctx.reporter.out(cmp.diff)
        throw reportMismatch(path, cmp.diff, `deskmove plan ${targetId} --expect-report ${o.expectReport}`)
      }
      written.push(cmp.updated ? `expected report rewritten: ${path}` : `the plan report matches ${path}`)
    }
    const merged = plan.identity.filter((d) => d.decision !== 'own').length
    // What extract decided on the way in (threads not staged as sent replies, people matched by email, …).
    const warned = countWarnings(store.db, source)
    const lines = [
      ...written,
      ...(plan.mapping ?? []).map((m) => `${m.section}: ${m.value}${m.valueName ? ` ${m.valueName}` : ''} → ${m.target} (${m.count}${m.byDefault ? ', by default' : ''})`),
      merged ? `identity decisions: ${merged} (customers merged by shared email, matched to existing, or given placeholders) — see the report` : '',
      // Target remarks first: a warning here (mail could go out, values cannot be kept) matters more than any one record.
      ...plan.remarks.map((r) => `${r.level === 'warning' ? 'WARNING' : 'remark'}: ${r.topic}: ${r.text}`),
      ...plan.notices.slice(0, 20).map((n) => `notice: ${n.kind} ${n.sourceId}: ${n.text}`),
      ...alterationLines(plan),
      ...(warned.total ? [`staged with warnings (\`deskmove show <kind> <id>\` for one): ${Object.entries(warned.byCode).map(([c, n]) => `${c} ${n}`).join(', ')}`] : []),
      plan.notices.length > 20 ? `… and ${plan.notices.length - 20} more notices in the plan` : '',
      ...plan.records.filter((r) => r.action === 'skip').slice(0, 20).map((r) => `skip: ${r.kind} ${r.sourceId}: ${r.reason ?? ''} ${r.detail ?? ''}`),
    ].filter(Boolean)
    return {
      // With --expect-report the question is "is it the reviewed plan?": a match is success, pending changes and all.
      exitCode: plan.changesPending && !o.expectReport ? EXIT.changesPending : EXIT.ok,
      json: { type: 'summary', command: 'plan', source, target: targetId, counts: plan.counts, changesPending: plan.changesPending, identityDecisions: merged, notices: plan.notices.length, remarks: plan.remarks, alterations: plan.alterations?.byRule ?? {}, warnings: warned.byCode, out: o.out ?? null },
      summary: { title: `plan ${source} → ${targetId} (nothing was written to ${targetId})`, rows: planSummaryRows(plan) },
      text: lines.join('\n'),
      next: plan.changesPending ? `review, then \`deskmove apply ${targetId}${o.out ? ` ${o.out}` : ''}\`` : 'nothing to apply',
    }
  } finally {
    await session.close()
    store.close()
  }
}

/** Values altered by rule to fit the target, counted per rule and field (before anything is written). */
function alterationLines(plan: { alterations?: { total: number; records: number; byRule: Record<string, number> } }): string[] {
  const a = plan.alterations
  if (!a) return []
  return [`alterations: ${a.total} value(s) in ${a.records} record(s) changed by rule to fit the target (full values kept in the import note) — see the report`, ...Object.entries(a.byRule).sort((x, y) => y[1] - x[1]).map(([g, n]) => `  ${g}: ${n}`)]
}
