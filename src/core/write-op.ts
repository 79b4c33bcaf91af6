// The op every target plans, and what it says about records it leaves out: plain data that the engine, the
// verifier contract (target-verify.ts) and the targets share.
import type { EntityKind } from './model/common.js'

/** Why `plan` decided not to write a record. Each becomes a reject row with the detail. */
export type SkipReason =
  | 'dangling-reference'
  | 'unsupported-entity'
  | 'too-large'
  | 'missing-blob'
  | 'invalid'
  | 'no-customer'
  | 'unmapped'

/** Every op a target plans: plain JSON, deterministic, identified by the record it writes. */
export interface WriteOpBase {
  /** The canonical record this op writes (a ticket op carries its messages and attachments). */
  readonly ref: { readonly source: string; readonly kind: EntityKind; readonly sourceId: string }
  /** Stable key: two ops with the same key write the same target object. */
  readonly dedupeKey: string
  /** Flat field values, compared with `Target.snapshot` to show field-level before → after on updates. */
  readonly summary: Readonly<Record<string, string | number | boolean | null>>
  /** Parts of the record the op leaves out on purpose (e.g. an attachment whose blob is missing). */
  readonly partialRejects: readonly PartialReject[]
  /** Customers: lower-cased addresses this op owns; later customers sharing one merge into it. */
  readonly claimsEmails?: readonly string[]
  /** Customers: how identity was decided (shown in the plan). */
  readonly identity?: IdentityDecision
  /** A decision a person should see in the plan and the apply summary (e.g. an agent without a target user). */
  readonly notice?: string
  /** The op creates nothing: it links the record to an object the target already had (an agent matched by email). Counted as `match`. */
  readonly matchesExisting?: boolean
  /**
   * Values the target cannot hold as they are, changed by a stated rule (a subject cut to the column's length,
   * NUL bytes removed); the full values are kept where the target can hold them (FreeScout: the import note).
   * `plan` lists them with counts; `verify` reports a written record that carries any as altered-by-rule.
   */
  readonly alterations?: readonly Alteration[]
}

/** One value changed by a stated rule to fit the target. */
export interface Alteration {
  /** Which value, e.g. `subject`, `tag`, `message 17 body`, `first_name`. */
  readonly field: string
  /** The rule applied, e.g. `truncated`, `nul-removed`, `invalid-unicode-replaced`, `dropped`. */
  readonly rule: string
  /** What was done, for a person (lengths, the value before when short). */
  readonly detail: string
}

/** A child record left out of an otherwise written op; recorded as a reject of its own. */
export interface PartialReject {
  readonly kind: EntityKind
  readonly sourceId: string
  readonly reason: SkipReason
  readonly detail: string
}

/** How a customer's identity was decided: merged into another by shared email, or given a placeholder. */
export interface IdentityDecision {
  readonly sourceId: string
  readonly decision: 'own' | 'merged-into-source' | 'matched-existing' | 'placeholder-email' | 'rejected-no-email'
  readonly email: string | null
  /** The source customer it merged into, or the target customer it matched. */
  readonly into: string | null
  readonly why: string
}
