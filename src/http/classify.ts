import { AuthError, RemoteRequestError } from '../core/errors.js'
import { Redactor } from '../core/redact.js'
import type { HttpResponseHead } from '../core/http.js'

/**
 * What the client does with a response status:
 * - `return`: hand it to the caller (2xx, 3xx, 4xx other than 429);
 * - `throttle`: wait out the vendor's rate limit and resend (429, not counted as an attempt);
 * - `retry`: transient server failure, back off and resend (every 5xx).
 */
export type StatusAction = 'return' | 'throttle' | 'retry'

/** Maps a status to its action (Airbyte-style table, kept as code because it is three rows). */
export function classifyStatus(status: number): StatusAction {
  if (status === 429) return 'throttle'
  if (status >= 500 && status <= 599) return 'retry'
  return 'return'
}

/** Node / undici error codes that mean "the connection failed, trying again may work". */
const TRANSIENT_CODES: Readonly<Record<string, string>> = {
  ECONNRESET: 'connection reset',
  ECONNREFUSED: 'connection refused',
  ECONNABORTED: 'connection aborted',
  EPIPE: 'broken pipe',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENETDOWN: 'network down',
  EAI_AGAIN: 'DNS lookup failed temporarily',
  ENOTFOUND: 'host not found',
  UND_ERR_SOCKET: 'socket closed by the other side',
  UND_ERR_CONNECT_TIMEOUT: 'connect timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout waiting for response headers',
  UND_ERR_BODY_TIMEOUT: 'timeout reading the response body',
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: 'response body shorter than its Content-Length',
  UND_ERR_ABORTED: 'request aborted by the connection',
}

/**
 * Describes a thrown network error as a transient failure ("connection reset (ECONNRESET)"), or
 * returns null when it is not one (a programming error such as an invalid header, which must surface).
 * Walks `cause` and `AggregateError.errors`, because undici and `net` wrap the system error.
 */
export function describeTransientError(error: unknown): string | null {
  const seen = new Set<unknown>()
  const stack: unknown[] = [error]
  while (stack.length > 0) {
    const e = stack.pop()
    if (e === null || typeof e !== 'object' || seen.has(e)) continue
    seen.add(e)
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string' && code in TRANSIENT_CODES) return `${TRANSIENT_CODES[code]} (${code})`
    stack.push((e as { cause?: unknown }).cause)
    if (e instanceof AggregateError) stack.push(...e.errors)
  }
  return null
}

/** Only the generic credential patterns: `expectOk` has no access to the run's registered secrets. */
const patternRedactor = new Redactor()

/** Origin and path only: query strings may carry tokens, and the path is what identifies the call. */
function describeUrl(url: string): string {
  try {
    const u = new URL(url)
    return patternRedactor.redact(`${u.origin}${u.pathname}`)
  } catch {
    return patternRedactor.redact(url.split('?')[0] ?? '')
  }
}

/**
 * Throws unless the response is 2xx.
 * - 401 / 403 → `AuthError` (the vendor refused the credentials or their scope);
 * - any other status (3xx, 4xx, and defensively 5xx) → `RemoteRequestError` with status and URL.
 * `what` names the call for the user, e.g. "list conversations". The URL in errors has no query string.
 */
export function expectOk(res: HttpResponseHead, what: string): void {
  const { status } = res
  if (status >= 200 && status <= 299) return
  const url = describeUrl(res.url)
  if (status === 401 || status === 403) {
    throw new AuthError(`${what}: the server refused the credentials (HTTP ${status} from ${url})`, {
      hint:
        status === 401
          ? 'check the API credentials (they may be wrong, revoked or expired)'
          : 'the credentials are valid but lack permission for this call; check the account role or token scopes',
    })
  }
  const kind = status >= 300 && status <= 399 ? 'unexpected redirect' : 'request rejected'
  throw new RemoteRequestError(status, url, `${what}: ${kind} (HTTP ${status} from ${url})`)
}
