import type { CommandContext, CommandResult } from '../command.js'
import type { CheckReport } from '../../core/source.js'
import { EXIT } from '../../core/exit-codes.js'
import { AuthError, RemoteUnavailableError, UsageError } from '../../core/errors.js'
import { openSourceSession } from '../source-session.js'
import { openTargetSession } from '../target-session.js'
import { SOURCES, TARGETS } from '../../../adapters/index.js'

const table = (report: CheckReport) =>
  report.items.map((i) => `${i.status === 'ok' ? 'ok  ' : 'FAIL'}  ${i.name.padEnd(20)} ${i.status}${i.detail ? `  ${i.detail}` : ''}`).join('\n')

/** `deskmove check <source|target>`: credentials and permissions (source) or the target's readiness, as a table. */
export async function runCheckCommand(ctx: CommandContext, name: string): Promise<CommandResult> {
  if (SOURCES.some((s) => s.id === name)) return checkSource(ctx, name)
  if (TARGETS.some((t) => t.id === name || t.aliases?.includes(name))) return checkTarget(ctx, name)
  throw new UsageError(`unknown source or target "${name}"; sources: ${SOURCES.map((s) => s.id).join(', ')}; targets: ${TARGETS.map((t) => t.id).join(', ')}`)
}

async function checkSource(ctx: CommandContext, sourceId: string): Promise<CommandResult> {
  const session = openSourceSession(ctx, sourceId, {})
  try {
    const report = await session.source.check(ctx.signal).catch((e: unknown) => {
      throw session.explain(e)
    })
    const authFailed = report.items.some((i) => i.status === 'auth-failed')
    // The same exit code as `extract` meeting the same failure: 4 when the remote cannot be reached.
    const unreachable = report.items.find((i) => i.status === 'unreachable')
    const dns = unreachable ? session.explain(new RemoteUnavailableError(unreachable.detail ?? '')) : null
    if (dns instanceof RemoteUnavailableError && dns.message !== (unreachable?.detail ?? '')) ctx.reporter.error(`${dns.message}\nhint: ${dns.hint ?? ''}`)
    return {
      exitCode: report.ok ? EXIT.ok : authFailed ? EXIT.config : unreachable ? EXIT.remoteUnavailable : EXIT.failure,
      json: { type: 'summary', command: 'check', source: sourceId, ok: report.ok, items: report.items },
      text: table(report),
      next: report.ok ? `ready → \`deskmove extract ${sourceId}\`` : authFailed ? `fix the credentials: ${String((session.explain(new AuthError('')) as AuthError).hint ?? 'see the details above')}` : undefined,
    }
  } finally {
    await session.close()
  }
}

/**
 * A target's check: an item in error (not the target's database, storage not writable) is a setting to fix
 * (exit 3, as `plan` and `apply` say for the same fault); an unreachable one is exit 4.
 */
async function checkTarget(ctx: CommandContext, targetId: string): Promise<CommandResult> {
  const session = openTargetSession(ctx, targetId)
  try {
    const report = await session.target.check(ctx.signal)
    const failed = report.items.filter((i) => i.status !== 'ok')
    const config = failed.some((i) => i.status === 'error' || i.status === 'auth-failed' || i.status === 'forbidden')
    for (const i of failed) ctx.reporter.error(`${i.name}: ${i.detail ?? i.status}`)
    return {
      exitCode: report.ok ? EXIT.ok : config ? EXIT.config : EXIT.remoteUnavailable,
      json: { type: 'summary', command: 'check', target: session.definition.id, ok: report.ok, items: report.items },
      text: table(report),
      next: report.ok ? `ready → \`deskmove plan ${session.definition.id}\`` : `fix the ${session.definition.displayName} settings above, then re-run \`deskmove check ${session.definition.id}\``,
    }
  } finally {
    await session.close()
  }
}
