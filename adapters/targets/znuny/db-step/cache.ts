// Znuny caches tickets, articles and customers in files: after the database step the cache must be cleared, one
// type per command (observed: `--type` takes only the last value), before the API or the UI shows the new values.
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'

/** The cache types the step's writes affect, in the order they are cleared. */
export const CACHE_TYPES = ['Ticket', 'Article', 'CustomerUser', 'CustomerCompany'] as const

/**
 * The console script under a Znuny home: `bin/znuny.Console.pl` (7.x), else `bin/otrs.Console.pl` (6.5, OTRS 6).
 * Null when neither exists there.
 */
export function consoleScript(home: string): string | null {
  for (const name of ['znuny.Console.pl', 'otrs.Console.pl']) {
    const p = join(home, 'bin', name)
    if (existsSync(p)) return p
  }
  return null
}

/**
 * Console arguments to run after the step: one cache delete per type, then the escalation index rebuild
 * (escalation times of open tickets derive from their create time, which the step moved into the past).
 */
export const AFTER_STEP_ARGS: readonly (readonly string[])[] = [...CACHE_TYPES.map((t) => ['Maint::Cache::Delete', '--type', t]), ['Maint::Ticket::EscalationIndexRebuild']]

/** The commands a person runs on the Znuny host (as the Znuny user, e.g. `su -c '…' znuny`). */
export function cacheCommands(home: string | null): string[] {
  const script = home ? consoleScript(home) ?? join(home, 'bin', 'znuny.Console.pl') : '/opt/znuny/bin/znuny.Console.pl'
  return AFTER_STEP_ARGS.map((a) => `${script} ${a.join(' ')}`)
}

/** What `clearCaches` did: ran the commands, or why not and what to run instead. */
export interface CacheOutcome {
  readonly ran: boolean
  /** Commands to run by hand (empty when all ran). */
  readonly commands: readonly string[]
  readonly detail: string
}

export type Exec = (file: string, args: readonly string[]) => Promise<void>

const execNode: Exec = (file, args) =>
  new Promise((resolve, reject) => {
    execFile(file, [...args], { timeout: 120_000 }, (err, _out, stderr) => (err ? reject(new Error(`${err.message}${stderr ? `: ${String(stderr).trim()}` : ''}`)) : resolve()))
  })

/**
 * Clears Znuny's caches when deskmove runs on the Znuny host (`home` = ZNUNY_HOME, e.g. /opt/znuny, and its
 * console script exists). Znuny's console refuses to run as root, so as root — or without a home — nothing is
 * run and the answer lists the commands for the operator. A failing command is reported, not thrown: the
 * imported data is already complete, only its display is stale until the cache is cleared.
 */
export async function clearCaches(home: string | null, opts: { exec?: Exec; isRoot?: boolean } = {}): Promise<CacheOutcome> {
  const all = cacheCommands(home)
  const script = home ? consoleScript(home) : null
  if (!home || !script) {
    return { ran: false, commands: all, detail: home ? `no console script under ZNUNY_HOME ${home}/bin: run these on the Znuny host as the Znuny user` : 'ZNUNY_HOME is not set (deskmove does not run on the Znuny host): run these there as the Znuny user' }
  }
  if (opts.isRoot ?? process.getuid?.() === 0) return { ran: false, commands: all, detail: "Znuny's console does not run as root: run these as the Znuny user" }
  const exec = opts.exec ?? execNode
  const failed: string[] = []
  const errors: string[] = []
  for (const [i, args] of AFTER_STEP_ARGS.entries()) {
    try {
      await exec(script, args)
    } catch (e) {
      failed.push(all[i]!)
      errors.push(`${args.at(-1)}: ${(e as Error).message}`)
    }
  }
  if (!failed.length) return { ran: true, commands: [], detail: `cleared the ${CACHE_TYPES.join(', ')} caches and rebuilt the escalation index with ${script}` }
  return { ran: false, commands: failed, detail: `clearing the cache failed (${errors.join('; ')}): run these as the Znuny user` }
}
