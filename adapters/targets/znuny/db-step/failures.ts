// Turns a failed statement into a reported failure, or stops the step when the database went away.
import { RemoteUnavailableError } from '../../../../src/core/errors.js'
import { classifySqlError, redactDbUrl } from '../../../../src/kits/sql/index.js'
import type { DbStepFailure } from './types.js'

/**
 * A lost connection throws `RemoteUnavailableError` (the step is re-run as a whole: every write is idempotent);
 * any other error is this row's failure, with the database's words.
 */
export function failureOf(e: unknown, kind: DbStepFailure['kind'], sourceId: string, what: string): DbStepFailure {
  const message = redactDbUrl(e instanceof Error ? e.message : String(e))
  const k = classifySqlError(e)
  if (k === 'connection') throw new RemoteUnavailableError(`the Znuny database went away during the database step (${what}): ${message}`, { hint: 're-run the same command: the database step resumes and changes nothing twice' })
  return { kind, sourceId, reason: k === 'duplicate' ? 'duplicate' : 'refused', detail: `${what}: ${message}` }
}
