import type { z } from 'zod'
import type { Readable } from 'node:stream'
import type { CanonicalRecord } from './model/index.js'
import type { AttachmentRef } from './model/attachment.js'
import type { EntityKind } from './model/common.js'
import type { AdapterContext } from './context.js'
import type { ConfigSpec } from './config-spec.js'
import type { RateLimitHeaderSpec } from '../http/types.js'
import type { SimulatorDefinition } from './simulator.js'

export type SourceId = 'helpscout' | 'zendesk' | 'freshdesk' | 'kayako'
export type StreamName = string

/** Opaque JSON a source uses to resume a stream after the page it covers. */
export type Checkpoint = Readonly<Record<string, unknown>>

export interface StreamSpec {
  readonly name: StreamName
  /** Kinds of record this stream yields (a conversations page yields tickets, messages and attachments). */
  readonly entities: readonly EntityKind[]
  /** Streams that must be complete first. The engine validates the DAG before any request. */
  readonly dependsOn: readonly StreamName[]
  /**
   * `per-page`: every page carries a checkpoint that resumes right after it (pages arrive in a stable order).
   * `restart`: the stream is re-read from the start unless it completed.
   */
  readonly resume: 'per-page' | 'restart'
  /** Whether `read` honours `since` (delta). Streams without it are re-read whole on a delta run. */
  readonly supportsSince: boolean
  /** Plan-gated endpoints: a 403 skips the stream with a warning instead of failing the run. */
  readonly optional?: { readonly onForbidden: 'skip-with-warning' }
}

/** A gap in a record that was staged anyway (a field the vendor left out, a guess the mapping made). */
export interface RecordWarning {
  readonly code: string
  readonly detail: string
}

/** One record as read: canonical form plus the vendor payload it came from, kept losslessly. */
export interface StagedRecord {
  readonly canonical: CanonicalRecord
  readonly raw: unknown
  /** What the record lacks or what the mapping had to assume; staged and counted, never a reject. */
  readonly warnings?: readonly RecordWarning[]
}

/** Something that could not be turned into a canonical record. Kept, never thrown. */
export interface RecordReject {
  readonly kind: EntityKind | 'page'
  /** The vendor id if it could be read, else a description of where (page URL). */
  readonly sourceId: string
  /** Short machine reason, e.g. `schema-mismatch`, `mapping-failed`, `malformed-page`. */
  readonly reason: string
  /** Human detail, e.g. the zod issue path and message. */
  readonly detail: string
  readonly raw: unknown
}

export interface SourcePage {
  readonly records: readonly StagedRecord[]
  readonly rejects: readonly RecordReject[]
  /** Covers exactly this page: resuming from it reads the next page. */
  readonly checkpoint: Checkpoint
  /** Progress hints for the display (total pages / items when the API says). */
  readonly progress?: { readonly done?: number; readonly total?: number }
}

export interface ReadOptions {
  /** ISO instant: only records modified since then (streams with `supportsSince`). */
  readonly since: string | null
}

export type CheckStatus = 'ok' | 'auth-failed' | 'forbidden' | 'unreachable' | 'error'
export interface CheckReport {
  readonly ok: boolean
  readonly items: readonly { readonly name: string; readonly status: CheckStatus; readonly detail?: string }[]
}

export interface AttachmentBody {
  readonly body: Readable
  /** Length the server announced, if any. */
  readonly size: number | null
}

export interface Source {
  /** Verifies credentials and each stream's permission. Never throws for 401/403: reports them per stream. */
  check(signal: AbortSignal): Promise<CheckReport>
  /**
   * Yields pages starting after `from` (null = beginning). Must not write anywhere; the engine persists
   * each page together with its checkpoint. Throws `AuthError` when credentials are refused,
   * `RemoteUnavailableError` when the vendor stays unavailable. Bad records become `rejects`, never throws.
   */
  read(stream: StreamName, from: Checkpoint | null, options: ReadOptions, signal: AbortSignal): AsyncIterable<SourcePage>
  /**
   * Streams attachment bytes for `ref` (the canonical attachment's `download`). Throws
   * `RemoteRequestError` (e.g. 404, expired link) for a file that cannot be fetched.
   */
  openAttachment?(ref: AttachmentRef, signal: AbortSignal): Promise<AttachmentBody>
  close(): Promise<void>
}

export interface SourceDefinition<C> {
  readonly id: SourceId
  readonly displayName: string
  /** Config fields, their env vars, which are secret; drives env/config-file resolution and redaction. */
  readonly config: ConfigSpec<C>
  readonly streams: readonly StreamSpec[]
  /** How the vendor announces its limits, and the defaults `--rpm` / `--concurrency` override. */
  readonly http: {
    readonly rateLimitHeaders: RateLimitHeaderSpec
    readonly defaultRpm: number | null
    readonly defaultConcurrency: number
  }
  create(config: C, ctx: AdapterContext): Source
  /** An offline stand-in for the vendor, served by `deskmove simulate <name>`. */
  readonly simulator?: SimulatorDefinition
}

export type AnySourceDefinition = SourceDefinition<any>
export type { z }
