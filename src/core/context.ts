import type { HttpClient } from '../http/types.js'
import type { Logger } from './log.js'

/** What the engine hands an adapter. Adapters never touch SQLite, p-queue or process state. */
export interface AdapterContext {
  /** Paced, retrying, redacting. */
  readonly http: HttpClient
  readonly log: Logger
  /** Injected clock for signposts and tests. */
  readonly now: () => Date
}
