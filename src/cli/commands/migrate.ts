import type { CommandContext, CommandResult, SummaryRow } from '../command.js'
import { EXIT } from '../../core/exit-codes.js'
import { openStagingStore } from '../../staging/store.js'
import { openWritableStore } from '../writable-store.js'
import { countOpenRejects } from '../../staging/rejects.js'
import { formatVerifyCounts, hasDifferences } from '../../engine/verify.js'
import { runExtractCommand, type ExtractCommandOptions } from './extract.js'
import { runApplyCommand } from './apply.js'
import { runPlanCommand } from './plan.js'
import { verifyText, verifyTarget } from './verify.js'

export interface MigrateCommandOptions extends ExtractCommandOptions {
  readonly dryRun?: boolean
  readonly verify: boolean
  readonly sample?: number
  readonly combined?: string
}

/** Rows of two summaries merged by kind (extract's staged next to apply's created/updated/...). */
function mergeRows(a: readonly SummaryRow[], b: readonly SummaryRow[]): SummaryRow[] {
  const byKind = new Map<string, SummaryRow>()
  for (const r of [...a, ...b]) {
    const prev = byKind.get(r.kind)
    byKind.set(r.kind, prev ? { ...prev, ...r, rejected: (prev.rejected ?? 0) + (r.rejected ?? 0), seconds: Math.max(prev.seconds ?? 0, r.seconds ?? 0) } : r)
  }
  return [...byKind.values()]
}

/**
 * `deskmove migrate <source> <target>`: extract → plan → apply → verify in one go, one summary.
 * Each step is the same as its own command, so a stopped migrate is resumed by running it again.
 */
export async function runMigrateCommand(ctx: CommandContext, sourceId: string, targetId: string, o: MigrateCommandOptions): Promise<CommandResult> {
  const say = (step: string): void => ctx.reporter.info(`── ${step}`)
  // One writer lock across every step, so no other writer slips in between extract and apply.
  const held = openWritableStore(ctx, 'migrate')
  try {
    return await migrateSteps(ctx, sourceId, targetId, o, say)
  } finally {
    held.close()
  }
}

async function migrateSteps(ctx: CommandContext, sourceId: string, targetId: string, o: MigrateCommandOptions, say: (step: string) => void): Promise<CommandResult> {
  say(`extract ${sourceId}`)
  const extracted = await runExtractCommand(ctx, sourceId, o)
  const extractRows = (extracted.summary?.rows ?? []).map((r) => ({ kind: r.kind, read: r.read, staged: r.staged, rejected: r.rejected, seconds: r.seconds }))
  if (o.dryRun) {
    say(`plan ${targetId} (dry run: nothing is written to ${targetId})`)
    const planned = await runPlanCommand(ctx, targetId, { from: sourceId })
    return { ...planned, summary: { title: `migrate ${sourceId} → ${targetId} (dry run)`, rows: mergeRows(extractRows, planned.summary?.rows ?? []) } }
  }
  say(`plan and apply ${targetId}`)
  const applied = await runApplyCommand(ctx, targetId, undefined, { from: sourceId })
  const rows = mergeRows(extractRows, applied.summary?.rows ?? [])
  const texts = [extracted.text, applied.text].filter(Boolean) as string[]
  // Rejects still open at the end, whichever step recorded them (a later step may have resolved earlier ones).
  const store = openStagingStore(ctx.dbPath, { readonly: true })
  const openRejects = countOpenRejects(store.db, { source: sourceId })
  store.close()
  let exitCode: number = openRejects > 0 ? EXIT.rejects : EXIT.ok
  let verifyJson: unknown = null
  if (o.verify) {
    say(`verify ${targetId}`)
    const r = await verifyTarget(ctx, targetId, { from: sourceId, sample: o.sample, combined: o.combined })
    verifyJson = { ...r, examples: r.examples.length }
    texts.push(verifyText(r))
    if (hasDifferences(r)) exitCode = EXIT.verifyMismatch
    else texts.push(`verify: ${formatVerifyCounts(r)}`)
  }
  return {
    exitCode,
    json: { type: 'summary', command: 'migrate', source: sourceId, target: targetId, extract: extracted.json, apply: applied.json, verify: verifyJson },
    summary: { title: `migrate ${sourceId} → ${targetId}`, rows },
    text: texts.join('\n'),
    next: exitCode === EXIT.ok ? 'done: every staged record is in the target and verified' : exitCode === EXIT.rejects ? `${openRejects} rejected → \`deskmove rejects\`` : 'verify found differences (listed above)',
  }
}
