import type { CommandContext, CommandResult, SummaryRow } from '../command.js'
import { EXIT } from '../../core/exit-codes.js'
import { openStagingStore } from '../../staging/store.js'
import { openWritableStore } from '../writable-store.js'
import { countOpenRejects } from '../../staging/rejects.js'
import { formatVerifyCounts, hasDifferences } from '../../engine/verify.js'
import { checkExtractOptions, runExtractCommand, type ExtractCommandOptions } from './extract.js'
import { ConfigError } from '../../core/errors.js'
import { DEFAULT_CONFIG_FILE, readConfigFile } from '../../core/config-file.js'
import { resolveAdapterConfig } from '../../core/resolve-config.js'
import { findTarget } from '../../../adapters/index.js'
import { resolve } from 'node:path'
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
  checkExtractOptions(ctx, sourceId, o)
  checkTargetReady(ctx, sourceId, targetId)
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
  const applyRun = (applied.json as { runId?: string } | undefined)?.runId
  const undo = applyRun ? `apply run ${applyRun}; to undo it: \`deskmove rollback ${targetId} --run ${applyRun}\`` : ''
  if (undo) texts.push(undo)
  return {
    exitCode,
    json: { type: 'summary', command: 'migrate', applyRunId: applyRun ?? null, rollback: applyRun ? `deskmove rollback ${targetId} --run ${applyRun}` : null, source: sourceId, target: targetId, extract: extracted.json, apply: applied.json, verify: verifyJson },
    summary: { title: `migrate ${sourceId} → ${targetId}`, rows },
    text: texts.join('\n'),
    next: exitCode === EXIT.ok ? (o.verify ? 'done: every staged record is in the target and verified' : 'done: every staged record is in the target') : exitCode === EXIT.rejects ? `${openRejects} rejected → \`deskmove rejects\`` : 'verify found differences (listed above)',
  }
}

/**
 * What can be known before an hour of extraction: the target's connection settings resolve, and a
 * deskmove.json with a mapping exists (without one, apply cannot know where mailboxes and statuses go).
 */
function checkTargetReady(ctx: CommandContext, sourceId: string, targetId: string): void {
  const definition = findTarget(targetId)
  const file = readConfigFile(ctx.configPath)
  resolveAdapterConfig(definition.config, { adapterId: definition.id, section: 'targets', env: ctx.env, file, redactor: ctx.redactor, filePath: ctx.configPath })
  const expected = ctx.configPath ?? resolve(ctx.cwd, DEFAULT_CONFIG_FILE)
  const steps = `run \`deskmove extract ${sourceId}\`, then \`deskmove init\` to write ${expected}, fill in the mapping, and run \`deskmove migrate ${sourceId} ${targetId}\` again (it resumes)`
  if (!ctx.configPath) throw new ConfigError(`no mapping: ${expected} does not exist, so it is not known where ${sourceId}’s mailboxes, statuses and agents go in ${targetId}`, { hint: steps })
  if (!('mapping' in file)) throw new ConfigError(`no mapping: ${expected} has no "mapping" section`, { hint: steps })
}
