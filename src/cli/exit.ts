import { CommanderError } from 'commander'
import { isMigrationError } from '../core/errors.js'
import { EXIT } from '../core/exit-codes.js'
import type { Redactor } from '../core/redact.js'
import type { Reporter, SummaryRow } from './command.js'
import { renderSummaryTable } from './render/summary-table.js'

let activeReporter: Reporter | null = null
let activeRedactor: Redactor | null = null

/** main.ts resolves errors through the reporter of the running command, when one started. */
export function setErrorRendering(reporter: Reporter, redactor: Redactor): void {
  activeReporter = reporter
  activeRedactor = redactor
}

/** Prints an error the way the user needs it and returns the exit code (architecture §6). */
export function resolveExitCode(e: unknown): number {
  if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage
  const redact = (s: string): string => (activeRedactor ? activeRedactor.redact(s) : s)
  const out = (s: string): void => void process.stderr.write(redact(s) + '\n')
  if (isMigrationError(e)) {
    const partial = (e as { partialSummary?: { title: string; rows: SummaryRow[] } }).partialSummary
    if (activeReporter?.json) {
      process.stdout.write(redact(JSON.stringify({ type: 'error', code: e.code, exitCode: e.exitCode, message: e.message, hint: e.hint ?? null })) + '\n')
    } else {
      if (partial && partial.rows.length) process.stdout.write(redact(renderSummaryTable(partial.title, partial.rows)) + '\n')
      out(`error: ${e.message}`)
      if (e.hint) out(`hint: ${e.hint}`)
      if (activeReporter?.verbose && e.cause) out(`cause: ${String((e.cause as Error).stack ?? e.cause)}`)
    }
    return e.exitCode
  }
  const err = e as Error
  if (activeReporter?.json) {
    process.stdout.write(redact(JSON.stringify({ type: 'error', code: 'INTERNAL', exitCode: EXIT.bug, message: String(err?.message ?? e) })) + '\n')
  } else {
    out(`error: ${String(err?.message ?? e)}`)
    out('this is a bug in deskmove: please report it with the command you ran and the output above (secrets are redacted).')
    out(String(err?.stack ?? ''))
  }
  return EXIT.bug
}
