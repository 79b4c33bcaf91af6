/**
 * A simulator an adapter ships: an offline stand-in for the vendor or target it talks to
 * (`deskmove simulate <name>`). The CLI builds the command from this data, so a new simulator
 * touches no CLI file: the adapter's definition carries `simulator`, the registry lists the adapter.
 */

/** One command-line option of a simulator, as data the CLI turns into a commander option. */
export interface SimulatorOption {
  /** Key of the value in the options object handed to `start`, e.g. `latency` for `--latency <ms>`. */
  readonly key: string
  /** Flags as commander writes them: `--port <n>`, `--faults <spec>`, `--no-tags-module`. */
  readonly flags: string
  readonly description: string
  /** `int` parses a whole number ≥ `min` (default 0); `string` keeps the text; `boolean` is a switch. */
  readonly type: 'int' | 'string' | 'boolean'
  readonly min?: number
  readonly default?: number | string | boolean
  readonly required?: boolean
  /** Accepted values of a `string` option. */
  readonly choices?: readonly string[]
}

/** What a simulator gets from the CLI. */
export interface SimulatorContext {
  /** Directory the command runs in (relative paths in options resolve against it). */
  readonly cwd: string
  /** Registers a secret (e.g. a password inside a URL) so it never reaches logs. */
  addSecret(value: string | null): void
  /** A progress or result line for humans (stderr). */
  info(message: string): void
}

/** A started simulator. */
export interface RunningSimulator {
  /** Base URL when the simulator serves HTTP. */
  readonly url?: string
  /** Variables that point deskmove at the simulator (what `--print-env` exports). */
  readonly env: Readonly<Record<string, string>>
  /**
   * `true`: a server that runs until `close()` (the CLI keeps it up until Ctrl-C);
   * `false`: a one-shot setup that is complete when `start` resolves (e.g. a schema in a database).
   */
  readonly serving: boolean
  close(): Promise<void>
}

export interface SimulatorDefinition {
  /** The name after `deskmove simulate`. */
  readonly name: string
  /** One line for help output. */
  readonly description: string
  readonly options: readonly SimulatorOption[]
  /** Starts the simulator with the parsed options (keys as in `options`, defaults applied). */
  start(options: Readonly<Record<string, unknown>>, ctx: SimulatorContext): Promise<RunningSimulator>
}
