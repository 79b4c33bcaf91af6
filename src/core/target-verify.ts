// The optional verifier half of the target contract: read written objects back and compare them with the
// ops the target's own pure `plan` gives for the staged records. Without one, the engine compares
// `Target.snapshot` with each op's `summary` (the generic verify).
import type { RecordRef } from './model/common.js'
import type { WriteOpBase } from './write-op.js'

/** One field that is not what the plan says it should be. */
export interface FieldDiff {
  readonly field: string
  readonly expected: unknown
  readonly actual: unknown
}

/** A finding of the target's own consistency checks; `targetRef` set when it belongs to one object. */
export interface CheckFinding {
  readonly check: string
  readonly targetRef: string | null
  readonly detail: string
}

/** One record to compare: its expected op and where apply wrote it. */
export interface VerifyItem<Op extends WriteOpBase = WriteOpBase> {
  readonly sourceId: string
  readonly op: Op
  readonly targetRef: string
}

/** What a target's read-back found for one item. */
export type CompareOutcome =
  | { readonly status: 'found'; readonly diffs: readonly FieldDiff[] }
  | { readonly status: 'missing'; readonly detail: string }
  | { readonly status: 'error'; readonly detail: string }

export interface VerifyContext {
  /** Target ref of a loaded record (from the id map), to turn the op's symbolic references into ids. */
  resolve(ref: RecordRef): string | undefined
  readonly signal: AbortSignal
}

/** A target's own verifier: read back a batch and compare it with the planned ops. Reads only. */
export interface TargetVerifier<Op extends WriteOpBase = WriteOpBase> {
  /**
   * Returns one outcome per item, in order. Throws `RemoteUnavailableError` when the target cannot be reached
   * (verify stops); any other throw marks the whole batch as errors.
   */
  compare(items: readonly VerifyItem<Op>[], ctx: VerifyContext): Promise<CompareOutcome[]>
  /**
   * Optional consistency checks over the found objects, run once after the comparison pass. With `complete`
   * (every staged ticket was compared, no sample) the verifier may check the whole target in one pass when
   * that is cheaper: findings about objects outside `targetRefs` are then ignored.
   */
  checks?(targetRefs: readonly string[], opts: { readonly complete: boolean; readonly signal: AbortSignal }): Promise<CheckFinding[]>
  /**
   * Optional: the same checks over the whole target, for a complete pass. When present, verify starts it
   * together with the comparison pass (it needs no refs); `checks` is then not called.
   */
  checkAll?(opts: { readonly signal: AbortSignal }): Promise<CheckFinding[]>
}
