import type { z } from 'zod'
import type { Readable } from 'node:stream'
import type { CanonicalRecord } from './model/index.js'
import type { AttachmentRef } from './model/attachment.js'
import type { EntityKind } from './model/common.js'
import type { AdapterContext } from './context.js'
import type { ConfigSpec } from './config-spec.js'
import type { EndpointBudget, RateLimitHeaderSpec } from './http.js'
import type { SimulatorDefinition } from './simulator.js'

/*
 * The source contract: what a new source adapter implements. An adapter is one folder under
 * `adapters/sources/<id>/` exporting a `SourceDefinition`, plus one line in `adapters/index.ts`.
 *
 * What the author writes:
 * - the vendor's endpoints (one function each, over `ctx.http`, which paces, retries and redacts);
 * - zod wire schemas (lenient: what the vendor does not promise is optional) and a pure mapping to
 *   canonical records (`src/core/model`);
 * - the streams (`StreamSpec`) and a `read` per stream that yields `SourcePage`s.
 * What the author does not write, because `src/kits/source/` has it:
 * - page-number paging with read-ahead (`numberedPages`, `perPage`, `collect`) and cursor / next-link paging
 *   (`cursorPages`, whose last checkpoint is the next delta's start), both guarded against listings that never
 *   end (the same page or cursor again, far past the reported total);
 * - the mapping plumbing: wire item → records or a reject with the zod path (`mapItem`, `stageCanonical`);
 * - child streams (`readChildren`, `collectChildren`): records with their own per-parent endpoint
 *   (Zendesk ticket comments, Freshdesk conversations, Kayako posts). A tickets stream lists a page of
 *   tickets, reads each ticket's comments with bounded concurrency shared across pages, and yields ONE page
 *   holding the tickets and their comments under the tickets page's checkpoint: never a hand-rolled N+1 loop;
 * - HTML → text and entity decoding (`htmlToText`, `decodeEntities`).
 * The engine persists pages with their checkpoints, fetches attachment bytes, keeps rejects and warnings.
 */

export type SourceId = 'helpscout' | 'zendesk' | 'freshdesk' | 'kayako' | 'archive'
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
  /**
   * Child records this stream reads from a per-parent endpoint (e.g. Zendesk's tickets stream: comments from
   * `/tickets/{id}/comments`), through the kit's `readChildren`. Their kinds are listed in `entities` too;
   * the children of a parent page arrive in that page, under its checkpoint.
   */
  readonly children?: { readonly entities: readonly EntityKind[]; readonly endpoint: string }
}

/**
 * Something the source noticed about a record it staged anyway: a field the vendor left out, a declared
 * attachment size that disagrees with the bytes received. Stored beside the record and counted in `status`.
 */
export interface RecordWarning {
  /** Short machine code, e.g. `missing-field`, `size-mismatch`. */
  readonly code: string
  /** Human detail, e.g. the field path, or `declared 1000 bytes, received 500`. */
  readonly detail: string
}

/** One record as read: canonical form plus the vendor payload it came from, kept losslessly. */
export interface StagedRecord {
  readonly canonical: CanonicalRecord
  readonly raw: unknown
  /** What was odd about this record; it is staged all the same (a reject is for what cannot be staged). */
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
  /**
   * Covers exactly this page: resuming from it reads the next page. The last page's checkpoint is kept when
   * the stream completes: it is where the next delta starts (Zendesk's `after_cursor`, Freshdesk's last
   * `updated_at`), so it must describe the end of what was read, not merely "done".
   */
  readonly checkpoint: Checkpoint
  /** Progress hints for the display (total pages / items when the API says). */
  readonly progress?: { readonly done?: number; readonly total?: number }
}

export interface ReadOptions {
  /** ISO instant: only records modified since then (streams with `supportsSince`). */
  readonly since: string | null
  /**
   * The checkpoint the previous complete read of this stream ended on (null when there was none): a
   * cursor-based source starts its delta there (`from` is null on a fresh read).
   */
  readonly lastComplete?: Checkpoint | null
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
  /** Where the bytes come from (named, host only, in a reject when the transfer keeps failing). */
  readonly url?: string
  /** The response's content type, when the server said. */
  readonly contentType?: string
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
   * `RemoteRequestError` (e.g. 404, expired link) for a file that cannot be fetched. The received length is
   * what counts: `size` is only a hint, and a body without one is fine.
   */
  openAttachment?(ref: AttachmentRef, signal: AbortSignal): Promise<AttachmentBody>
  /**
   * Sources whose links expire (`attachments.links: 'expiring'`): re-reads the record that owns the
   * attachment and returns a fresh `download` ref, or null when the attachment no longer exists. The engine
   * calls it once when `openAttachment` answered 403, 404 or 410 for a signed link, then retries.
   */
  refreshAttachment?(ref: AttachmentRef, signal: AbortSignal): Promise<AttachmentRef | null>
  /**
   * The source id the records are staged under, when it is not the definition's: the `archive` source replays
   * the records of the source that was exported (`helpscout`), so staging, id maps and provenance stay that
   * source's. Known once the source is created (it depends on the config); unset for vendor sources.
   */
  readonly stagesAs?: SourceId
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
    /**
     * Budgets of single endpoints, beside the per-host one (Zendesk's incremental exports: 10 req/min;
     * Freshdesk's per-endpoint `X-Ratelimit-Total`). A request whose route matches waits for both.
     */
    readonly endpointBudgets?: readonly EndpointBudget[]
  }
  /**
   * Whether attachment links expire (Freshdesk: signed links valid ~5 minutes; Zendesk: redirects to
   * signed links). `expiring`: the engine fetches the bytes of each page right after committing it, and
   * calls `refreshAttachment` when a link has expired. Default `stable`: bytes are fetched after the read.
   */
  readonly attachments?: { readonly links: 'stable' | 'expiring' }
  /**
   * Hosts the vendor serves its users' inline (pasted) images from, as bodies reference them by URL (Help
   * Scout's CDN). The engine downloads every body image on these hosts as an inline attachment and points the
   * body at it by `cid:`; other remote images (tracking pixels) are left as links and counted. An entry is a
   * host name (sub-domains included), optionally with `:port` and a `/path/` prefix. The user adds hosts with
   * the source's `inlineImageHosts` config key (an array, or a comma-separated env value).
   */
  readonly inlineImages?: { readonly hosts: readonly string[] }
  create(config: C, ctx: AdapterContext): Source
  /** An offline stand-in for the vendor, served by `deskmove simulate <name>`. */
  readonly simulator?: SimulatorDefinition
}

export type AnySourceDefinition = SourceDefinition<any>
export type { z }
