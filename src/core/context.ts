import type { HttpClient } from './http.js'
import type { Logger } from './log.js'

/** What the engine hands an adapter. Adapters never touch SQLite, p-queue or process state. */
export interface AdapterContext {
  /** Paced, retrying, redacting. */
  readonly http: HttpClient
  readonly log: Logger
  /** Injected clock for signposts and tests. */
  readonly now: () => Date
  /** Registers a secret learned at run time (an OAuth access token) so it is redacted like configured ones. */
  readonly addSecret?: (secret: string) => void
}
