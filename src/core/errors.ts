import { EXIT } from './exit-codes.js'

/**
 * Base of every error deskmove raises on purpose. `message` is for the user; internal detail goes in
 * `cause` (shown with --verbose). Classes are named by what the user or the engine should do.
 */
export class MigrationError extends Error {
  readonly code: string
  readonly exitCode: number
  readonly hint?: string
  constructor(code: string, exitCode: number, message: string, opts: { hint?: string; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause })
    this.name = new.target.name
    this.code = code
    this.exitCode = exitCode
    if (opts.hint !== undefined) this.hint = opts.hint
  }
}

/** Bad flags or arguments: nothing was touched. */
export class UsageError extends MigrationError {
  constructor(message: string, opts: { hint?: string; cause?: unknown } = {}) {
    super('USAGE', EXIT.usage, message, opts)
  }
}

/** Configuration is missing or invalid; the hint names the variable or file to fix. */
export class ConfigError extends MigrationError {
  constructor(message: string, opts: { hint?: string; cause?: unknown; code?: string } = {}) {
    super(opts.code ?? 'CONFIG_INVALID', EXIT.config, message, opts)
  }
}

/** The vendor refused the credentials (401/403 after a fresh authentication). */
export class AuthError extends ConfigError {
  constructor(message: string, opts: { hint?: string; cause?: unknown } = {}) {
    super(message, { ...opts, code: 'AUTH_FAILED' })
  }
}

/** 429, 5xx, timeouts, resets: retried inside http/, never shown to the user directly. */
export class TransientError extends MigrationError {
  readonly retryAfterMs: number | null
  readonly status: number | null
  constructor(message: string, opts: { retryAfterMs?: number | null; status?: number | null; cause?: unknown } = {}) {
    super('TRANSIENT', EXIT.remoteUnavailable, message, { cause: opts.cause })
    this.retryAfterMs = opts.retryAfterMs ?? null
    this.status = opts.status ?? null
  }
}

/** Transient retries are exhausted. Progress is saved; re-running resumes. */
export class RemoteUnavailableError extends MigrationError {
  constructor(message: string, opts: { hint?: string; cause?: unknown } = {}) {
    super('REMOTE_UNAVAILABLE', EXIT.remoteUnavailable, message, {
      hint: opts.hint ?? 're-run the same command to resume',
      cause: opts.cause,
    })
  }
}

/** A non-retryable client error from a vendor (4xx other than 401/403/429). */
export class RemoteRequestError extends MigrationError {
  readonly status: number
  readonly url: string
  constructor(status: number, url: string, message: string, opts: { cause?: unknown } = {}) {
    super('REMOTE_REJECTED', EXIT.failure, message, opts)
    this.status = status
    this.url = url
  }
}

/** One record could not be read, mapped or written. Never thrown past the engine: it becomes a reject row. */
export class RecordRejectedError extends MigrationError {
  readonly reason: string
  constructor(reason: string, message: string, opts: { cause?: unknown } = {}) {
    super('RECORD_REJECTED', EXIT.rejects, message, opts)
    this.reason = reason
  }
}

export class VerifyMismatchError extends MigrationError {
  constructor(message: string) {
    super('VERIFY_MISMATCH', EXIT.verifyMismatch, message)
  }
}

/** The staging store is locked, corrupt, or newer than this binary. */
export class StagingError extends MigrationError {
  constructor(message: string, opts: { hint?: string; cause?: unknown } = {}) {
    super('STAGING', EXIT.staging, message, opts)
  }
}

/** A reviewed plan no longer matches staging or the target. */
export class PlanStaleError extends MigrationError {
  constructor(message: string, opts: { hint?: string } = {}) {
    super('PLAN_STALE', EXIT.planStale, message, { hint: opts.hint ?? 'run `deskmove plan` again and review it' })
  }
}

/** An adapter broke its contract: a bug in that adapter. */
export class SourceContractError extends MigrationError {
  constructor(message: string) {
    super('SOURCE_CONTRACT', EXIT.bug, message)
  }
}
export class TargetContractError extends MigrationError {
  constructor(message: string) {
    super('TARGET_CONTRACT', EXIT.bug, message)
  }
}

/** First Ctrl-C: the in-flight page or op was finished and committed. */
export class InterruptedError extends MigrationError {
  constructor(message = 'interrupted; progress saved') {
    super('INTERRUPTED', EXIT.interrupted, message, { hint: 're-run the same command to resume' })
  }
}

export function isMigrationError(e: unknown): e is MigrationError {
  return e instanceof MigrationError
}
