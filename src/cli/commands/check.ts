import type { CommandContext, CommandResult } from '../command.js'
import { EXIT } from '../../core/exit-codes.js'
import { openSourceSession } from '../source-session.js'

/** `deskmove check <source>`: credentials and per-stream permissions, as a table; nothing is staged. */
export async function runCheckCommand(ctx: CommandContext, sourceId: string): Promise<CommandResult> {
  const session = openSourceSession(ctx, sourceId, {})
  try {
    const report = await session.source.check(ctx.signal)
    const lines = report.items.map((i) => `${i.status === 'ok' ? 'ok  ' : 'FAIL'}  ${i.name.padEnd(20)} ${i.status}${i.detail ? `  ${i.detail}` : ''}`)
    const authFailed = report.items.some((i) => i.status === 'auth-failed')
    return {
      exitCode: report.ok ? EXIT.ok : authFailed ? EXIT.config : EXIT.failure,
      json: { type: 'summary', command: 'check', source: sourceId, ok: report.ok, items: report.items },
      text: lines.join('\n'),
      next: report.ok ? `ready → \`deskmove extract ${sourceId}\`` : authFailed ? `fix the credentials (see \`deskmove check\` details)` : undefined,
    }
  } finally {
    await session.close()
  }
}
