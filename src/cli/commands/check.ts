import type { CommandContext, CommandResult } from '../command.js'
import { EXIT } from '../../core/exit-codes.js'
import { AuthError, RemoteUnavailableError } from '../../core/errors.js'
import { openSourceSession } from '../source-session.js'

/** `deskmove check <source>`: credentials and per-stream permissions, as a table; nothing is staged. */
export async function runCheckCommand(ctx: CommandContext, sourceId: string): Promise<CommandResult> {
  const session = openSourceSession(ctx, sourceId, {})
  try {
    const report = await session.source.check(ctx.signal).catch((e: unknown) => {
      throw session.explain(e)
    })
    const lines = report.items.map((i) => `${i.status === 'ok' ? 'ok  ' : 'FAIL'}  ${i.name.padEnd(20)} ${i.status}${i.detail ? `  ${i.detail}` : ''}`)
    const authFailed = report.items.some((i) => i.status === 'auth-failed')
    // The same exit code as `extract` meeting the same failure: 4 when the remote cannot be reached.
    const unreachable = report.items.find((i) => i.status === 'unreachable')
    const dns = unreachable ? session.explain(new RemoteUnavailableError(unreachable.detail ?? '')) : null
    if (dns instanceof RemoteUnavailableError && dns.message !== (unreachable?.detail ?? '')) ctx.reporter.error(`${dns.message}\nhint: ${dns.hint ?? ''}`)
    return {
      exitCode: report.ok ? EXIT.ok : authFailed ? EXIT.config : unreachable ? EXIT.remoteUnavailable : EXIT.failure,
      json: { type: 'summary', command: 'check', source: sourceId, ok: report.ok, items: report.items },
      text: lines.join('\n'),
      next: report.ok ? `ready → \`deskmove extract ${sourceId}\`` : authFailed ? `fix the credentials: ${String((session.explain(new AuthError('')) as AuthError).hint ?? 'see the details above')}` : undefined,
    }
  } finally {
    await session.close()
  }
}
