/**
 * The target contract: what a target adapter (FreeScout, Znuny, …) implements. A new target is one folder
 * under `adapters/targets/<name>/` exporting a `TargetDefinition`, plus one line in `adapters/index.ts`.
 *
 * A target author writes, in this order:
 * 1. `config`: a `ConfigSpec` (zod schema, environment variables, which fields are secret).
 * 2. `capabilities` (data, see capabilities.ts): kinds it stores, its `loadOrder` (e.g. organizations before
 *    customers), the unit written per op and whether that unit is atomic (`atomicUnit`).
 * 3. `mapping`: its own deskmove.json mapping sections (`MappingSection`: name, zod schema of the values,
 *    which staged values they must cover, the `init` template). Core adds the shared policies.
 * 4. `Target`: `check`, `prepare` (read lookups once), a PURE `plan`, `apply`, `locate`, `snapshot`,
 *    `fingerprint`, `close`; optionally `applyBatch`, `finish`, `rollback`, `verifier`, `checkMapping`.
 * Missing optional capabilities are reported by the CLI (exit 2 naming them) and skipped by the conformance
 * suite (`src/testing/target-conformance.ts`), which every target must pass.
 */
import type { Readable } from 'node:stream'
import type { Agent, Customer } from './model/person.js'
import type { Organization } from './model/organization.js'
import type { Ticket } from './model/ticket.js'
import type { Message } from './model/message.js'
import type { Attachment } from './model/attachment.js'
import type { EntityKind, RecordRef } from './model/common.js'
import type { LoadKind, TargetCapabilities } from './capabilities.js'
import type { CheckReport } from './source.js'
import type { ConfigSpec } from './config-spec.js'
import type { AdapterContext } from './context.js'
import type { MappingConfig } from './mapping-config.js'
import type { AgentSuggester, AnyMappingSection } from './mapping-section.js'
import type { RecordRejectedError } from './errors.js'
import type { SimulatorDefinition } from './simulator.js'
import type { TargetVerifier } from './target-verify.js'
import type { Alteration, IdentityDecision, PartialReject, SkipReason, WriteOpBase } from './write-op.js'

export type { Alteration, IdentityDecision, PartialReject, SkipReason, WriteOpBase }
import type { RateLimitHeaderSpec } from './http.js'

/** A target's name (`freescout`, `znuny`, …): the id map and rejects are keyed by it. */
export type TargetId = string

/** Where a record went in the target, as an opaque string (FreeScout: the numeric row id). */
export type TargetRef = string

/** `plan`'s answer when a record is not written. */
export interface Skip {
  readonly skip: true
  readonly reason: SkipReason
  readonly detail: string
}

/** An attachment handed to `plan`, with what the engine knows about its bytes (plan does no I/O). */
export interface AttachmentInput {
  readonly record: Attachment
  /** Bytes in the blob store, or null when the blob is missing. */
  readonly blobSize: number | null
}

/** One unit of planning: organizations, agents and customers alone, tickets with their whole history. */
export type PlanUnit =
  | { readonly kind: 'organization'; readonly record: Organization }
  | { readonly kind: 'agent'; readonly record: Agent }
  | { readonly kind: 'customer'; readonly record: Customer; readonly organization: Organization | null }
  | {
      readonly kind: 'ticket'
      readonly record: Ticket
      /** Ordered by `position`. */
      readonly messages: readonly Message[]
      readonly attachments: readonly AttachmentInput[]
    }

/**
 * What `plan` may consult. Everything here is data or a pure read of the run's state.
 * @typeParam M - the mapping as this target reads it: the core policies plus its declared sections.
 */
export interface PlanDeps<L, M extends MappingConfig = MappingConfig> {
  /** Reference data read once by `prepare`. */
  readonly lookups: L
  /** The validated `mapping` of deskmove.json: core policies and this target's sections, defaults applied. */
  readonly config: M
  /** Whether a referenced record exists in staging (so a write can later resolve it). */
  staged(ref: RecordRef): boolean
  /**
   * The source customer already owning an email address in this run (first owner wins), or undefined.
   * Addresses are compared lower-cased.
   */
  emailOwner(email: string): string | undefined
}

/** What `apply` and `locate` receive besides the op. */
export interface ApplyContext {
  /** Every write belongs to this run; the target stores it so rollback can find the run's objects. */
  readonly runId: string
  /** Aborted on Ctrl-C: the engine lets the current op finish; targets need not watch it. */
  readonly signal: AbortSignal
  /** Target ref of an already loaded record (the id map), or undefined. */
  resolve(ref: RecordRef): TargetRef | undefined
  /** Opens attachment bytes by sha256 (verified as read). */
  openBlob(sha256: string): Readable
  /** Content hash of the op (stored in the target so `locate` can tell a finished write). */
  readonly opHash: string
  /** The object an earlier run wrote for this record: `apply` updates it in place; null = create. */
  readonly existingRef: TargetRef | null
  /** Parts of a committed op the target had to leave out while writing (e.g. an attachment file it could not write): recorded as their own rejects. */
  readonly writeRejects?: { kind: EntityKind; sourceId: string; reason: string; detail: string }[]
}

/** What `locate` found: the object, and whether it already holds exactly this op (same op hash). */
export interface Located {
  readonly ref: TargetRef
  readonly sameOp: boolean
}

/** Counts of what a rollback removed (or would remove, in preview). */
export type RollbackCounts = Readonly<Record<string, number>>

/** What a target's rollback did: counts by object kind, and which objects it removed (or would remove). */
export interface TargetRollback {
  readonly counts: RollbackCounts
  /** Removed objects by the id-map kind that points at them (`ticket`, `customer`, `agent`). */
  readonly removed: readonly { readonly kind: EntityKind; readonly ref: TargetRef }[]
  /** Objects of the run left in place because people changed them in the target after the run (kept unless `force`), and why. */
  readonly kept?: readonly { readonly kind: EntityKind; readonly ref: TargetRef; readonly why: string }[]
}

/** A mapped value the target does not have (e.g. mailbox 7), found by `checkMapping` before planning. */
export interface UnknownTargetValue {
  /** The mapping section (`mailboxes`). */
  readonly section: string
  /** The source value whose mapping names it (`*` for the default). */
  readonly key: string
  /** The mapped target value that does not exist. */
  readonly value: string
  /** What the target has instead, for the error message (e.g. `1 (support@x.com), 2 (sales@x.com)`). */
  readonly available: readonly string[]
}

/**
 * A target-level statement for the plan file and report: what the target will do or cannot do as a whole
 * (a step that runs after the per-record writes, values it cannot keep, a risky server setting), as opposed
 * to a notice about one record. `warning` is something to act on before applying.
 */
export interface PlanRemark {
  readonly level: 'info' | 'warning'
  /** Short heading, e.g. `database step`, `e-mail`. */
  readonly topic: string
  /** One paragraph (no line breaks: the report shows it in a table cell). */
  readonly text: string
}

/** What `planRemarks` receives about the plan it comments on: counts per kind, and what the planned records carry. */
export interface PlanRemarkSummary {
  /** Per load kind: the plan's create / match / update / unchanged / skip counts. */
  readonly counts: Readonly<Partial<Record<LoadKind, Readonly<Record<'create' | 'match' | 'update' | 'unchanged' | 'skip', number>>>>>
  /** What created and updated records carry, by part kind (`message`, `attachment`, …). */
  readonly contents: Readonly<Record<string, { readonly create: number; readonly update: number }>>
}

/**
 * A connected target. Only `apply` / `applyBatch` mutate, and the engine calls them only through the
 * side-effect gate. Required members are what every target needs to be planned, applied, resumed and
 * verified; optional members are capabilities the engine and the conformance suite use only when present.
 * @typeParam Op - the target's op union; @typeParam L - what `prepare` returns; @typeParam M - its mapping.
 */
export interface Target<Op extends WriteOpBase = WriteOpBase, L = unknown, M extends MappingConfig = MappingConfig> {
  /** Which adapter this is; the id map and rejects are keyed by it. */
  readonly id: TargetId
  /** What the target can hold, its load order and atomic unit (same as its definition's). */
  readonly capabilities: TargetCapabilities
  /** Its mapping sections (same as its definition's `mapping`); `plan` refuses while an observed value is unmapped. */
  readonly mappingSections?: readonly AnyMappingSection[]
  /** Connects and reports what works (database reachable, storage writable). Never throws for a failed check. */
  check(signal: AbortSignal): Promise<CheckReport>
  /**
   * Reads reference data once (mailboxes, users by email, existing customer emails, module tables).
   * Reads only. Throws `RemoteUnavailableError` when the target cannot be reached.
   */
  prepare(signal: AbortSignal): Promise<L>
  /**
   * Optional: mapped target values the target does not have (a mailbox id that does not exist), checked
   * against `prepare`'s lookups before anything is planned. The engine turns a non-empty answer into a
   * `ConfigError` (exit 3) naming each value and what exists. PURE.
   */
  checkMapping?(config: M, lookups: L): UnknownTargetValue[]
  /**
   * PURE: no I/O, no clock, no randomness; the same unit and deps give a deep-equal result.
   * Returns the op that writes the unit, or a `Skip` with the reason. Never throws for bad data.
   */
  plan(unit: PlanUnit, deps: PlanDeps<L, M>): Op | Skip
  /**
   * Optional, PURE: target-level remarks for the plan (see `PlanRemark`), from `prepare`'s lookups and the
   * finished plan's counts. The engine stores them in plan.json (`remarks`) and the plan report lists them.
   */
  planRemarks?(lookups: L, summary: PlanRemarkSummary): readonly PlanRemark[]
  /**
   * Writes one op (one unit of `capabilities.loadOrder`). With `atomicUnit: 'transaction'` the unit is
   * written whole or not at all; with `'none'` a failure may leave part of it, which `locate` must then find.
   * Returns the target ref of the written object.
   * Throws `RecordRejectedError` when this op cannot be written (the run goes on) and
   * `RemoteUnavailableError` when the target is unreachable (the run stops, resumable).
   */
  apply(op: Op, ctx: ApplyContext): Promise<TargetRef>
  /**
   * Optional group commit: writes several ops in ONE target transaction, each isolated (a savepoint), so a
   * bad op is rolled back alone while the rest commit together — one fsync per batch instead of per op.
   * Returns, per op, its ref or the `RecordRejectedError` that rejected it. Later ops of a batch must be able
   * to resolve earlier ones: either the target resolves them itself, or it reports each write through
   * `applied(i, ref)` before the commit (the engine's `resolve` sees those). Throws `RemoteUnavailableError`
   * when the connection or the commit fails: then nothing of the batch committed.
   */
  applyBatch?(items: readonly { readonly op: Op; readonly ctx: ApplyContext }[], applied: (index: number, ref: TargetRef) => void): Promise<(TargetRef | RecordRejectedError)[]>
  /**
   * Finds the object an earlier `apply` for this record wrote whose id-map commit was lost (crash window, or a
   * half-written unit of a non-atomic target). Returns null when nothing was written (apply again as a
   * create); `sameOp` false when an object exists but holds an older or partial version (apply again as an
   * update of `ref`). Reads only.
   */
  locate(op: Op, ctx: ApplyContext): Promise<Located | null>
  /** Current flat field values of a written object, for before → after diffs and the generic verify; null when gone. */
  snapshot(kind: EntityKind, ref: TargetRef, signal: AbortSignal): Promise<Record<string, unknown> | null>
  /** A digest of the target's state; a reviewed plan is stale when it changed. Reads only. */
  fingerprint(signal: AbortSignal): Promise<string>
  /** Optional: runs once after a load run (FreeScout: folder counters of mailboxes). Must be idempotent. */
  finish?(signal: AbortSignal): Promise<void>
  /**
   * Optional: removes exactly what run `runId` created — nothing it merely updated, nothing created by other
   * runs — keeping objects that other runs' objects still use. Lists what it removed. Objects people changed in
   * the target after the run (a reply added, status changed) are kept and listed in `kept`, unless `force`.
   * With `preview` nothing changes. A target without it (no delete in its API) cannot be rolled back; the CLI says so.
   */
  rollback?(runId: string, opts: { preview: boolean; signal: AbortSignal; force?: boolean }): Promise<TargetRollback>
  /**
   * Optional: its own verifier (read back and compare field by field, plus consistency checks). Without
   * one, verify compares `snapshot` with each planned op's `summary`.
   */
  verifier?(signal: AbortSignal): Promise<TargetVerifier<Op>>
  /** Releases connections. Safe to call twice. */
  close(): Promise<void>
}

/** An HTTP target's pacing (as sources declare theirs); `--rpm` / `--concurrency` override the defaults. */
export interface TargetHttpSettings {
  readonly rateLimitHeaders?: RateLimitHeaderSpec
  readonly defaultRpm: number | null
  readonly defaultConcurrency: number
}

/** A target adapter: static description plus a factory. */
export interface TargetDefinition<C, Op extends WriteOpBase = WriteOpBase, L = unknown, M extends MappingConfig = MappingConfig> {
  /** The name commands use (`deskmove apply freescout`). */
  readonly id: TargetId
  /** Other accepted names (e.g. `otrs` for `znuny`). */
  readonly aliases?: readonly string[]
  readonly displayName: string
  /** Fields, environment variables and secrets of the target's config. */
  readonly config: ConfigSpec<C>
  /** Known without connecting, so `plan` and help can show them. */
  readonly capabilities: TargetCapabilities
  /** Its deskmove.json mapping sections (validated, templated by `init`, in the JSON Schema). */
  readonly mapping?: readonly AnyMappingSection[]
  /** Optional: how `init` matches staged agents to the target's users (see `AgentSuggester`). */
  readonly suggestAgents?: AgentSuggester<L>
  /** Optional pacing of an HTTP target; database targets leave it out. */
  readonly http?: TargetHttpSettings
  /** Creates a target; connects lazily on first use, so creating never throws for an unreachable target. */
  create(config: C, ctx: AdapterContext): Target<Op, L, M>
  /** An offline stand-in for the target, set up by `deskmove simulate <name>`. */
  readonly simulator?: SimulatorDefinition
}

/** Type guard for `plan`'s answer. */
export function isSkip(x: WriteOpBase | Skip): x is Skip {
  return (x as Skip).skip === true
}

/** Builds a Skip. */
export function skip(reason: SkipReason, detail: string): Skip {
  return { skip: true, reason, detail }
}

export type AnyTarget = Target<any, any, any>
