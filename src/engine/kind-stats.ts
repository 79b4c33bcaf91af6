import type { EntityKind } from '../core/model/common.js'

export interface KindCounter {
  read: number
  staged: number
  unchanged: number
  rejected: number
  ms: number
}

/** Per-kind counters for the end-of-run summary. */
export class KindStats {
  private readonly byKind = new Map<string, KindCounter>()

  of(kind: EntityKind | string): KindCounter {
    let c = this.byKind.get(kind)
    if (!c) this.byKind.set(kind, (c = { read: 0, staged: 0, unchanged: 0, rejected: 0, ms: 0 }))
    return c
  }

  entries(): [string, KindCounter][] {
    return [...this.byKind.entries()]
  }

  toJSON(): Record<string, KindCounter> {
    return Object.fromEntries(this.byKind)
  }
}
