// Classifies driver errors the same way for both dialects.

const CONNECTION_CODES =
  /^(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|PROTOCOL_CONNECTION_LOST|PROTOCOL_SEQUENCE_TIMEOUT|ER_SERVER_SHUTDOWN|ER_CON_COUNT_ERROR|57P0[1-3]|08\d{3}|53300)$/
const CONNECTION_MESSAGES = /connection (terminated|lost|closed)|Cannot enqueue|Pool is closed|server closed the connection/i

/**
 * What a failed statement means for the caller: `connection` (the server went away: retry later, nothing was
 * decided), `duplicate` (a unique index refused the row) or `refused` (any other error of this statement).
 */
export type SqlErrorKind = 'connection' | 'duplicate' | 'refused'

/** Classifies a driver error (mysql2 or pg) by its code and message. */
export function classifySqlError(e: unknown): SqlErrorKind {
  const err = e as { code?: unknown; message?: unknown } | null
  const code = typeof err?.code === 'string' ? err.code : ''
  const msg = typeof err?.message === 'string' ? err.message : String(e)
  if ((code && CONNECTION_CODES.test(code)) || CONNECTION_MESSAGES.test(msg)) return 'connection'
  if (code === 'ER_DUP_ENTRY' || code === '23505' || /duplicate|unique/i.test(msg)) return 'duplicate'
  return 'refused'
}
