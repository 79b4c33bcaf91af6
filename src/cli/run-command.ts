import { setMaxListeners } from 'node:events'
import { resolve } from 'node:path'
import type { CommandContext, CommandResult } from './command.js'
import { createReporter } from './render/reporter.js'
import { renderSummaryTable } from './render/summary-table.js'
import { Redactor } from '../core/redact.js'
import { locateConfigFile } from '../core/config-file.js'
import { DEFAULT_DB_PATH } from '../staging/store.js'
import { setErrorRendering } from './exit.js'

export interface GlobalOptions {
  readonly db?: string
  readonly config?: string
  readonly json?: boolean
  readonly quiet?: boolean
  readonly verbose?: boolean
}

/**
 * Builds the command context (reporter, redactor, Ctrl-C signal), runs the command, renders its result.
 * First Ctrl-C asks the command to finish the in-flight page/op and save; a second one exits at once.
 */
export async function runCommand(globals: GlobalOptions, fn: (ctx: CommandContext) => Promise<CommandResult>): Promise<void> {
  const redactor = new Redactor()
  const reporter = createReporter({ json: !!globals.json, quiet: !!globals.quiet, verbose: !!globals.verbose, redactor })
  setErrorRendering(reporter, redactor)
  const controller = new AbortController()
  // Requests waiting for their turn each listen for Ctrl-C; hundreds may wait at once.
  setMaxListeners(0, controller.signal)
  let presses = 0
  const onSignal = (sig: NodeJS.Signals): void => {
    presses++
    if (presses === 1) {
      reporter.warn(`${sig === 'SIGINT' ? 'Ctrl-C' : sig}: finishing the current page and saving progress (press Ctrl-C again to stop at once)`)
      controller.abort(new Error('interrupted'))
    } else {
      process.stderr.write('stopped at once; re-run the same command to resume from the last saved page\n')
      process.exit(130)
    }
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  const cwd = process.cwd()
  try {
    const ctx: CommandContext = {
      dbPath: resolve(cwd, globals.db ?? process.env.DESKMOVE_DB ?? DEFAULT_DB_PATH),
      configPath: locateConfigFile(globals.config ?? process.env.DESKMOVE_CONFIG, cwd),
      env: process.env,
      reporter,
      redactor,
      signal: controller.signal,
      now: () => new Date(),
      cwd,
    }
    const result = await fn(ctx)
    if (reporter.json) {
      if (result.json !== undefined) process.stdout.write(redactor.redact(JSON.stringify(result.json)) + '\n')
    } else {
      if (result.summary && result.summary.rows.length) reporter.out(renderSummaryTable(result.summary.title, result.summary.rows))
      if (result.text) reporter.out(result.text)
      if (result.next && !reporter.quiet) reporter.out(`→ ${result.next}`)
    }
    process.exitCode = result.exitCode
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}
