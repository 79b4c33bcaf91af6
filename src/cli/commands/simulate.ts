import { spawn } from 'node:child_process'
import { rename, writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander'
import { SOURCES, TARGETS } from '../../../adapters/index.js'
import { isMigrationError, UsageError } from '../../core/errors.js'
import { EXIT } from '../../core/exit-codes.js'
import type { RunningSimulator, SimulatorDefinition, SimulatorOption } from '../../core/simulator.js'
import type { CommandContext, CommandResult } from '../command.js'
import { runCommand, type GlobalOptions } from '../run-command.js'

/** Every simulator the registry's adapters carry, sources first. */
export function listSimulators(): SimulatorDefinition[] {
  return [...SOURCES, ...TARGETS].flatMap((d) => (d.simulator ? [d.simulator] : []))
}

/** Set in a `--detach` child: it reports readiness over IPC instead of to a terminal. */
const DETACHED_CHILD = 'DESKMOVE_SIM_DETACHED_CHILD'

/** Quotes a value for POSIX shells (`eval`, `source`). */
export function shellQuote(v: string): string {
  return `'${v.replace(/'/g, `'\\''`)}'`
}

/** `export NAME='value'` lines, one per variable. */
export function envLines(env: Readonly<Record<string, string>>): string {
  return Object.entries(env).map(([k, v]) => `export ${k}=${shellQuote(v)}\n`).join('')
}

function toCommanderOption(o: SimulatorOption): Option {
  const opt = new Option(o.flags, o.description)
  if (o.type === 'int') {
    const min = o.min ?? 0
    opt.argParser((v: string) => {
      const n = Number(v)
      if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${o.flags.split(' ')[0]} must be a whole number ≥ ${min}`)
      return n
    })
  }
  if (o.choices) opt.choices(o.choices)
  if (o.default !== undefined && !(o.type === 'boolean' && o.flags.startsWith('--no-'))) opt.default(o.default)
  if (o.required) opt.makeOptionMandatory()
  return opt
}

interface Parsed {
  values: Record<string, unknown>
  printEnv: boolean
  envFile: string | null
  detach: boolean
}

/** Parses a simulator's own arguments; null when help was shown. */
function parseArgs(def: SimulatorDefinition, args: readonly string[]): Parsed | null {
  const cmd = new Command(`deskmove simulate ${def.name}`).description(def.description).exitOverride().allowExcessArguments(false)
  const options = def.options.map((o) => {
    const opt = toCommanderOption(o)
    cmd.addOption(opt)
    return { key: o.key, attr: opt.attributeName() }
  })
  cmd
    .option('--print-env', 'print `export NAME=value` lines (for eval) instead of the JSON line')
    // Not `--env-file`: Node 20 takes that flag for itself wherever it appears on the command line.
    .option('--save-env <path>', 'also write the `export` lines to this file (then `. <path>`)')
    .option('--detach', 'serve in the background and return once ready (with --print-env: eval "$(deskmove simulate … --print-env --detach)")')
  try {
    cmd.parse([...args], { from: 'user' })
  } catch (e) {
    if (e instanceof CommanderError && e.code === 'commander.helpDisplayed') return null
    throw e
  }
  const raw = cmd.opts<Record<string, unknown>>()
  const values = Object.fromEntries(options.map(({ key, attr }) => [key, raw[attr]]))
  return { values, printEnv: !!raw.printEnv, envFile: (raw.saveEnv as string | undefined) ?? null, detach: !!raw.detach }
}

/** The command's stdout contract: one JSON line `{url?, env}`, or `export` lines with `--print-env`. */
async function announce(ctx: CommandContext, p: Parsed, sim: { url?: string; env: Readonly<Record<string, string>> }): Promise<void> {
  process.stdout.write(p.printEnv ? envLines(sim.env) : JSON.stringify({ ...(sim.url ? { url: sim.url } : {}), env: sim.env }) + '\n')
  if (p.envFile) {
    // Written whole then renamed, so a script waiting for the file never reads half of it.
    const path = resolve(ctx.cwd, p.envFile)
    await writeFile(`${path}.tmp`, envLines(sim.env), { mode: 0o600 })
    await rename(`${path}.tmp`, path)
  }
}

/** Starts the same command in a detached child and returns once it serves, printing what it announced. */
async function detach(ctx: CommandContext, name: string, args: readonly string[], p: Parsed): Promise<CommandResult> {
  const childArgs = args.filter((a) => a !== '--detach')
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, 'simulate', name, ...childArgs], {
    detached: true,
    cwd: ctx.cwd,
    // No stdout/stderr pipes: `$(…)` in the caller's shell must not wait for the background server.
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    env: { ...process.env, [DETACHED_CHILD]: '1' },
  })
  const ready = await new Promise<{ url?: string; env: Record<string, string> }>((resolveReady, reject) => {
    child.once('message', (m) => resolveReady(m as { url?: string; env: Record<string, string> }))
    child.once('exit', (code) => reject(new UsageError(`the simulator stopped before serving (exit code ${code ?? 'signal'})`, { hint: 'run the same command without --detach to see why' })))
    child.once('error', reject)
  })
  child.disconnect()
  child.unref()
  const env = { ...ready.env, DESKMOVE_SIM_PID: String(child.pid) }
  await announce(ctx, p, { ...ready, env })
  ctx.reporter.info(`${name} simulator serving in the background (pid ${child.pid}); stop it with: kill ${child.pid}`)
  return { exitCode: EXIT.ok }
}

async function run(ctx: CommandContext, def: SimulatorDefinition, args: readonly string[], p: Parsed): Promise<CommandResult> {
  if (p.detach && !process.env[DETACHED_CHILD]) return detach(ctx, def.name, args, p)
  let sim: RunningSimulator
  try {
    sim = await def.start(p.values, { cwd: ctx.cwd, addSecret: (s) => ctx.redactor.add(s), info: (m) => ctx.reporter.info(m) })
  } catch (e) {
    // Bad option values and busy ports are the user's to fix, not deskmove bugs.
    if (isMigrationError(e)) throw e
    throw new UsageError(`simulate ${def.name}: ${e instanceof Error ? e.message : String(e)}`, { cause: e })
  }
  if (process.env[DETACHED_CHILD] && process.send) {
    process.send({ url: sim.url, env: sim.env })
    process.disconnect()
  } else {
    await announce(ctx, p, sim)
  }
  if (!sim.serving) return { exitCode: EXIT.ok }
  if (!ctx.signal.aborted) await new Promise<void>((r) => ctx.signal.addEventListener('abort', () => r(), { once: true }))
  await sim.close()
  return { exitCode: EXIT.ok }
}

function listing(): string {
  const sims = listSimulators()
  const width = Math.max(...sims.map((s) => s.name.length))
  return ['Usage: deskmove simulate <name> [options]   (`deskmove simulate <name> --help` for its options)', '', 'Simulators:', ...sims.map((s) => `  ${s.name.padEnd(width)}  ${s.description}`), ''].join('\n')
}

/** `deskmove simulate [name] [options…]`: the simulator comes from the registry, its options from its definition. */
export async function runSimulateCommand(globals: GlobalOptions, name: string | undefined, args: readonly string[]): Promise<void> {
  if (!name || name === '--help' || name === '-h') {
    process.stdout.write(listing() + '\n')
    return
  }
  const def = listSimulators().find((s) => s.name === name)
  if (!def) {
    await runCommand(globals, async () => {
      throw new UsageError(`unknown simulator "${name}"; available: ${listSimulators().map((s) => s.name).join(', ')}`)
    })
    return
  }
  const parsed = parseArgs(def, args)
  if (!parsed) return
  await runCommand(globals, (ctx) => run(ctx, def, args, parsed))
}
