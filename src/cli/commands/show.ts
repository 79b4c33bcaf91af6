import type { CommandContext, CommandResult } from '../command.js'
import { openStagingStore } from '../../staging/store.js'
import { traceRecord } from '../../engine/trace.js'
import { entityKindSchema } from '../../core/model/common.js'
import { EXIT } from '../../core/exit-codes.js'
import { ConfigError, UsageError } from '../../core/errors.js'
import { openTargetSession, type TargetSession } from '../target-session.js'
import { TARGETS } from '../../../adapters/index.js'
import { traceTargetFor } from '../../engine/verify-target.js'

/** `deskmove show <kind> <source-id>`: one record's path: raw → canonical → planned → applied → verified. */
export async function runShowCommand(ctx: CommandContext, kindArg: string, sourceId: string, o: { target?: string; from?: string }): Promise<CommandResult> {
  const kind = entityKindSchema.safeParse(kindArg.replace(/s$/, ''))
  if (!kind.success) throw new UsageError(`unknown kind "${kindArg}"; one of ${entityKindSchema.options.join(', ')}`)
  const store = openStagingStore(ctx.dbPath, { readonly: true })
  let session: TargetSession | null = null
  try {
    session = o.target ? openTargetSession(ctx, o.target) : defaultTargetSession(ctx)
    const target = session ? await traceTargetFor(session.target, session.mapping, ctx.signal) : null
    const trace = await traceRecord({ store, kind: kind.data, sourceId, source: o.from, target, signal: ctx.signal })
    if (!trace.staged && !trace.parent && trace.rejects.length === 0 && trace.applied.length === 0) throw new UsageError(`no ${kind.data} with source id ${sourceId} in staging`, { hint: '`deskmove status` shows what is staged; ids are the source helpdesk’s, e.g. a Help Scout conversation id' })
    const block = (title: string, value: unknown): string => `── ${title}\n${JSON.stringify(value, null, 2)}`
    const text = [
      block('raw (as the vendor sent it)', trace.staged?.raw ?? null),
      block('canonical', trace.staged?.canonical ?? null),
      trace.parent ? `── part of ticket ${trace.parent.sourceId}: the stages below are the ticket's` : '',
      block('planned', trace.planned),
      block('applied', trace.applied),
      block('verified', trace.verified),
      block('rejects', trace.rejects),
    ]
      .filter(Boolean)
      .join('\n')
    return { exitCode: EXIT.ok, json: { type: 'trace', ...trace }, text: ctx.redactor.redact(text), next: session ? undefined : 'configure a target (FREESCOUT_DB_URL, FREESCOUT_STORAGE_DIR) or pass --target to see what was planned, applied and verified' }
  } finally {
    await session?.close()
    store.close()
  }
}

/** Without --target, the one registered target whose config resolves (env or config file), if any. */
function defaultTargetSession(ctx: CommandContext): TargetSession | null {
  for (const t of TARGETS) {
    try {
      return openTargetSession(ctx, t.id)
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e
    }
  }
  return null
}
