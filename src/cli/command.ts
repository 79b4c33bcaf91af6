import type { Logger } from '../core/log.js'
import type { Redactor } from '../core/redact.js'
import type { Progress } from '../core/progress.js'

// Progress is a core contract (the engine reports through it); the CLI renders it.
export type { Progress }

/** One row of the end-of-command summary table (pgloader / rclone stats style). */
export interface SummaryRow {
  readonly kind: string
  readonly read?: number
  readonly staged?: number
  readonly created?: number
  /** Linked to what the target already had (agents matched by email). */
  readonly matched?: number
  readonly updated?: number
  readonly unchanged?: number
  readonly skipped?: number
  readonly rejected?: number
  readonly seconds?: number
  /** A part carried by the row above (a ticket's messages): listed, left out of the totals. */
  readonly part?: boolean
}

export interface Reporter extends Logger {
  readonly json: boolean
  readonly quiet: boolean
  readonly verbose: boolean
  progress(): Progress
  /** Writes a result line to stdout (human mode) — tables, lists. Ignored with --json. */
  out(text: string): void
  /** With --json, writes one NDJSON event to stdout. */
  event(type: string, data: Record<string, unknown>): void
}

/** What every command receives: resolved global options, the environment, and the Ctrl-C signal. */
export interface CommandContext {
  readonly dbPath: string
  /** Path of the config file (deskmove.json) — explicit `--config`, or the default if it exists, else null. */
  readonly configPath: string | null
  readonly env: Readonly<Record<string, string | undefined>>
  readonly reporter: Reporter
  readonly redactor: Redactor
  /** Aborted on the first Ctrl-C: finish the in-flight page/op, commit, then stop. */
  readonly signal: AbortSignal
  readonly now: () => Date
  readonly cwd: string
}

/** What a command returns; `main.ts` renders it and turns `exitCode` into the process exit code. */
export interface CommandResult {
  readonly exitCode: number
  /** Final machine-readable object (printed as the last NDJSON line with --json). */
  readonly json?: unknown
  /** Summary table rows (human mode), with an optional title. */
  readonly summary?: { readonly title: string; readonly rows: readonly SummaryRow[] }
  /** Text printed after the table in human mode (lists, reports). */
  readonly text?: string
  /** The last line telling the user what to do next, e.g. "12 rejected → `deskmove rejects`". */
  readonly next?: string
}
