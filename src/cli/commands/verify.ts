import { resolve } from 'node:path'
import type { CommandContext, CommandResult } from '../command.js'
import { openWritableStore } from '../writable-store.js'
import { countByKind } from '../../staging/records.js'
import { formatVerdict, formatVerifyCounts, hasDifferences, type VerifyResult } from '../../engine/verify.js'
import { EXIT } from '../../core/exit-codes.js'
import { InterruptedError, UsageError, VerifyMismatchError } from '../../core/errors.js'
import { openTargetSession, stagedSourceFor } from '../target-session.js'
import { verifyTarget as verifyThroughContract } from '../../engine/verify-target.js'

export interface VerifyCommandOptions {
  readonly combined?: string
  readonly sample?: number
  readonly from?: string
}

/** Runs verify and returns its result (shared by `verify` and `migrate`). */
export async function verifyTarget(ctx: CommandContext, targetId: string, o: VerifyCommandOptions): Promise<VerifyResult> {
  const samplePct = o.sample ?? 100
  if (!(samplePct > 0 && samplePct <= 100)) throw new UsageError('--sample must be a percentage above 0 and at most 100')
  const store = openWritableStore(ctx, 'verify', { mustExist: true })
  const session = openTargetSession(ctx, targetId)
  const progress = ctx.reporter.progress()
  try {
    const source = stagedSourceFor(store, o.from)
    const staged = countByKind(store.db, source).ticket ?? 0
    progress.phase(`verifying ${source} → ${targetId}: conversations`, samplePct >= 100 ? staged : null)
    return await verifyThroughContract({
      store,
      source,
      target: session.target,
      config: session.mapping,
      samplePct,
      combinedPath: o.combined ? resolve(ctx.cwd, o.combined) : null,
      signal: ctx.signal,
      progress: (taken, compared) => progress.update(taken, `${compared} read back and compared`),
    })
  } finally {
    progress.stop()
    await session.close()
    store.close()
  }
}

/** The rclone-check style lines: counts, then the first differences. */
export function verifyText(r: VerifyResult): string {
  const lines = [formatVerifyCounts(r) + (r.skipped ? `, ${r.skipped} skipped by the plan` : '') + (r.samplePct < 100 ? ` (sample ${r.samplePct}%)` : '')]
  if (r.method === 'snapshot') lines.push(`compared field by field through snapshot: ${r.target} has no verifier of its own`)
  lines.push(...r.examples.map(formatVerdict))
  lines.push(...r.checks.map((c) => `! check ${c.check}: ${c.detail}`))
  const sm = r.sizeMismatches
  if (sm && sm.total > 0) {
    lines.push(`note: ${sm.total} attachment(s) arrived with a size other than the vendor declared; the bytes are kept and compared as received (\`deskmove show attachment <id>\`):`)
    lines.push(...sm.examples.map((x) => `  ${x.kind} ${x.sourceId}: ${x.detail}`))
  }
  if (r.combinedPath) lines.push(`combined report: ${r.combinedPath}`)
  return lines.join('\n')
}

/** `deskmove verify <target>`: staging vs target, per conversation; exit 6 on any difference. */
export async function runVerifyCommand(ctx: CommandContext, targetId: string, o: VerifyCommandOptions): Promise<CommandResult> {
  const r = await verifyTarget(ctx, targetId, o)
  const json = { type: 'summary', command: 'verify', ...r, examples: r.examples.map(formatVerdict) }
  if (r.interrupted) throw new InterruptedError('verify interrupted; the counts cover only what was checked')
  const text = verifyText(r)
  if (hasDifferences(r)) {
    if (ctx.reporter.json) process.stdout.write(ctx.redactor.redact(JSON.stringify(json)) + '\n')
    else ctx.reporter.out(text)
    throw new VerifyMismatchError(`verify found differences: ${formatVerifyCounts(r)}`)
  }
  return { exitCode: EXIT.ok, json, text, next: 'source and target agree' }
}
