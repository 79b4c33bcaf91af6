// How long-running work reports how far it is; the engine reports through it, the CLI renders it.

/** Progress of long work; the reporter renders it as a spinner (TTY) or periodic plain lines. */
export interface Progress {
  /** Starts or renames the current phase, with a total when known (drives the ETA). */
  phase(label: string, total?: number | null): void
  /** Sets how much of the phase is done (absolute count). */
  update(done: number, detail?: string): void
  stop(): void
}
