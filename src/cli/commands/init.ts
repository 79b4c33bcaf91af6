import { existsSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { CommandContext, CommandResult } from '../command.js'
import { initConfigText } from '../../core/init-config.js'
import { TARGETS, findTarget } from '../../../adapters/index.js'
import { DEFAULT_CONFIG_FILE } from '../../core/config-file.js'
import { UsageError } from '../../core/errors.js'
import { EXIT } from '../../core/exit-codes.js'

/** `deskmove init`: writes a commented starting deskmove.json; never overwrites one without --force. */
export async function runInitCommand(ctx: CommandContext, o: { file?: string; force?: boolean; target?: string }): Promise<CommandResult> {
  // The mapping sections are the target's own; without a choice, the first registered target's.
  const target = findTarget(o.target ?? TARGETS[0]!.id)
  const path = resolve(ctx.cwd, o.file ?? DEFAULT_CONFIG_FILE)
  if (existsSync(path) && !o.force) throw new UsageError(`${path} already exists`, { hint: 'pass --force to overwrite it' })
  writeFileSync(path, initConfigText({ displayName: target.displayName, sections: target.mapping ?? [] }))
  return {
    exitCode: EXIT.ok,
    json: { type: 'summary', command: 'init', path },
    text: `wrote ${path}`,
    next: `edit the mapping, then \`deskmove plan ${target.id}\``,
  }
}
