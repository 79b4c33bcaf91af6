// What the target suite's parts share: the harness a target provides, the suite context, and count helpers
// (apart from target-conformance.ts so its capability tests do not import the suite that registers them).
import type { TestContext } from 'vitest'
import type { AnyTarget } from '../core/target.js'
import type { MappingConfig } from '../core/mapping-config.js'
import type { LoadResult } from '../engine/load.js'
import type { stageDataset } from './target-datasets.js'

/** A connected target plus what the suite needs to look inside it. */
export interface TargetHarness {
  readonly target: AnyTarget
  readonly config: MappingConfig
  /** Objects in the target by kind (e.g. conversations, threads, customers): the idempotency yardstick. */
  count(): Promise<Record<string, number>>
  /** The same kind of target pointed at a backend it cannot reach (error classification, `check`). */
  unreachable(): Promise<AnyTarget>
  /** Changes the subject/title of a written ticket behind deskmove's back: verify must see it. */
  tamper(ticketRef: string): Promise<void>
  /**
   * Non-transactional targets (`atomicUnit: 'none'`) must provide it: the connection drops right after the
   * first remote write of the next ticket (so that ticket is half-written); the returned function restores it.
   */
  injectFault?(): () => void
  close(): Promise<void>
}

/** Counts of one kind, zero when the target does not load it. */
export const countsOf = (r: LoadResult, kind: 'organization' | 'agent' | 'customer' | 'ticket') => r.counts[kind] ?? { create: 0, update: 0, unchanged: 0, skip: 0, rejected: 0 }

/** What the suite's tests share: fresh harnesses and staged datasets, closed after each test. */
export interface SuiteContext {
  readonly datasets: string
  setup(dataset: string): Promise<{ h: TargetHarness; ds: Awaited<ReturnType<typeof stageDataset>> }>
  harness(): Promise<TargetHarness>
  test(title: string, fn: (ctx: TestContext) => Promise<void>): void
}
