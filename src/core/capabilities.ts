import type { EntityKind } from './model/common.js'

/** Kinds the engine loads as ops of their own (everything else travels inside one of these units). */
export const LOAD_KINDS = ['organization', 'agent', 'customer', 'ticket'] as const
export type LoadKind = (typeof LOAD_KINDS)[number]

/**
 * One step of a target's load order: the kind loaded as ops, and the child kinds each op carries
 * (a ticket unit: its messages and attachments; FreeScout's also holds its tags and custom field values).
 */
export interface LoadStep {
  readonly kind: LoadKind
  /** Child kinds written inside this unit's op (never loaded alone). */
  readonly with?: readonly EntityKind[]
}

/**
 * What a target guarantees for one op:
 * - `transaction`: an op is written whole or not at all (a database transaction per op or savepoint per op
 *   in a batch). A failed op leaves nothing behind; the conformance suite checks rollback of half-writes.
 * - `none`: an op is several remote calls (an HTTP API); a failure may leave part of it written. The engine
 *   still resumes through `locate`, which must find a half-written unit so `apply` completes it as an update.
 */
export type AtomicUnit = 'transaction' | 'none'

/** What a target can hold and how it loads, declared as data so the engine and the conformance suite can rely on it. */
export interface TargetCapabilities {
  /** Kinds the target writes; records of other kinds are skipped as `unsupported-entity`. */
  readonly entities: readonly EntityKind[]
  /** The units the engine loads, in dependency order (a step's records may refer to earlier steps' only). */
  readonly loadOrder: readonly LoadStep[]
  /** Whether one op is written atomically (see `AtomicUnit`). */
  readonly atomicUnit: AtomicUnit
  /** Original timestamps are kept (not replaced by the import time). */
  readonly preservesTimestamps: boolean
  /** Internal notes are stored as notes; when false the target documents its fallback. */
  readonly internalNotes: boolean
  /** Custom field values can be stored natively. */
  readonly customFields: boolean
  /** Largest attachment the target accepts, in bytes; `null` means no limit of its own. */
  readonly maxAttachmentBytes: number | null
}

/** The load order most helpdesks need: people first, then tickets with their whole history. */
export const PEOPLE_THEN_TICKETS: readonly LoadStep[] = [
  { kind: 'agent' },
  { kind: 'customer' },
  { kind: 'ticket', with: ['message', 'attachment'] },
]

/** Capabilities default to "cannot" (and "not atomic") so a target only claims what it has declared. */
export const NO_CAPABILITIES: TargetCapabilities = {
  entities: [],
  loadOrder: PEOPLE_THEN_TICKETS,
  atomicUnit: 'none',
  preservesTimestamps: false,
  internalNotes: false,
  customFields: false,
  maxAttachmentBytes: null,
}

/** Fills undeclared capabilities with the conservative defaults. */
export function declareCapabilities(c: Partial<TargetCapabilities>): TargetCapabilities {
  return { ...NO_CAPABILITIES, ...c }
}

/** The kinds a target loads as ops, in its declared order. */
export function loadKinds(c: TargetCapabilities): LoadKind[] {
  return c.loadOrder.map((s) => s.kind)
}
