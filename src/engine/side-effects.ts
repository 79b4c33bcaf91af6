// The one choke point every target mutation passes through, so a dry run provably writes nothing.
import { TargetContractError } from '../core/errors.js'

export type GateMode = 'apply' | 'dry-run'

/**
 * Lets target writes through only in `apply` mode. In `dry-run` mode a write attempt is a bug in the engine
 * (plan paths must never reach `apply`), so it throws `TargetContractError` instead of writing.
 */
export class SideEffectGate {
  private count = 0
  constructor(readonly mode: GateMode) {}

  /** How many writes went through. */
  get writes(): number {
    return this.count
  }

  get open(): boolean {
    return this.mode === 'apply'
  }

  /** Runs `write` when the gate is open; `what` names it in the error otherwise. */
  async write<T>(what: string, write: () => Promise<T>): Promise<T> {
    if (this.mode !== 'apply') throw new TargetContractError(`dry run: refused to ${what}`)
    this.count++
    return write()
  }
}
