// How a GenericInterface answer is classified (znuny.md O3): errors arrive inside HTTP 200, internal failures
// as HTTP 500, and a crashing operation may answer with no HTTP status line at all.
import { MigrationError, RemoteUnavailableError } from '../../../../src/core/errors.js'
import { EXIT } from '../../../../src/core/exit-codes.js'

/** An operation-level error (`{"Error":{"ErrorCode","ErrorMessage"}}` in an HTTP 200). */
export class ZnunyApiError extends MigrationError {
  /** E.g. `TicketCreate.InvalidParameter`. */
  readonly errorCode: string
  readonly errorMessage: string
  constructor(operation: string, errorCode: string, errorMessage: string) {
    super('ZNUNY_API_ERROR', EXIT.failure, `${operation}: ${errorCode}: ${errorMessage}`)
    this.errorCode = errorCode
    this.errorMessage = errorMessage
  }

  /** `AuthFail`, `MissingParameter`, `InvalidParameter`, `AccessDenied`, … (the part after the dot). */
  get kind(): string {
    return this.errorCode.split('.').pop() ?? this.errorCode
  }
}

/**
 * A reply that leaves open whether the server acted: HTTP 5xx, an empty reply (connection closed), a timeout,
 * or an answer that is not HTTP (Znuny's crash page without a status line). Repeating an idempotent request is
 * safe; after a TicketCreate the caller must look for what may have been created.
 */
export class AmbiguousReplyError extends RemoteUnavailableError {}

/** An undici/llhttp error for a reply that is not HTTP at all (e.g. an HTML page with no status line). */
export function isGarbledReply(e: unknown): boolean {
  for (let c: unknown = e, i = 0; c && typeof c === 'object' && i < 5; c = (c as { cause?: unknown }).cause, i++) {
    const code = (c as { code?: unknown }).code
    const name = (c as { name?: unknown }).name
    if ((typeof code === 'string' && code.startsWith('HPE_')) || name === 'HTTPParserError') return true
  }
  return false
}
