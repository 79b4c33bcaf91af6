import type { EntityKind } from './model/common.js'

/** What a target can hold, declared as data so the engine and the conformance suite can rely on it. */
export interface TargetCapabilities {
  /** Kinds the target writes; records of other kinds are skipped as `unsupported-entity`. */
  readonly entities: readonly EntityKind[]
  /** Original timestamps are kept (not replaced by the import time). */
  readonly preservesTimestamps: boolean
  /** Internal notes are stored as notes; when false the target documents its fallback. */
  readonly internalNotes: boolean
  /** Custom field values can be stored natively. */
  readonly customFields: boolean
  /** Largest attachment the target accepts, in bytes; `null` means no limit of its own. */
  readonly maxAttachmentBytes: number | null
}

/** Capabilities default to "cannot" so a target only claims what it has declared. */
export const NO_CAPABILITIES: TargetCapabilities = {
  entities: [],
  preservesTimestamps: false,
  internalNotes: false,
  customFields: false,
  maxAttachmentBytes: null,
}

/** Fills undeclared capabilities with the conservative defaults. */
export function declareCapabilities(c: Partial<TargetCapabilities>): TargetCapabilities {
  return { ...NO_CAPABILITIES, ...c }
}
