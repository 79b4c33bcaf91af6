/**
 * Waiting: exponential backoff with full jitter, `Retry-After` parsing and an abortable sleep.
 * All pure apart from `sleep`, so the client can inject a fake clock in tests.
 */

/** Sleeps `ms`, or rejects with `signal.reason` as soon as the signal aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>

/** Real-timer `Sleep`. */
export const sleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason)
      return
    }
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, Math.max(0, ms))
    signal?.addEventListener('abort', onAbort, { once: true })
  })

/**
 * Delay before retry number `retry` (0-based): a uniform draw from [0, min(max, base·2^retry)).
 * Full jitter spreads retries of many clients instead of having them collide again.
 */
export function backoffDelay(retry: number, baseMs: number, maxMs: number, random: () => number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(retry, 30))
  return Math.floor(Math.min(1, Math.max(0, random())) * ceiling)
}

/**
 * Parses a `Retry-After`-style value: delta seconds (decimals allowed) or an HTTP date.
 * Returns the wait in ms (never negative), or null when the value is missing or unreadable.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | null {
  if (value === undefined) return null
  const text = value.trim()
  if (text === '') return null
  if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000)
  // HTTP dates always name a month or weekday; this keeps `Date.parse` from reading "-3" as a year.
  if (!/[a-z]{3}/i.test(text)) return null
  const at = Date.parse(text)
  if (Number.isNaN(at)) return null
  return Math.max(0, at - nowMs)
}

/** First readable wait among `names` (checked in order, lower-cased) in lower-cased `headers`. */
export function retryAfterFromHeaders(
  headers: Readonly<Record<string, string>>,
  names: readonly string[],
  nowMs: number,
): number | null {
  for (const name of names) {
    const value = headers[name.toLowerCase()]
    // A structured value (`total=…; remaining=0; resets=17`) says when its window resets.
    const resets = value === undefined ? null : /(?:^|[;,\s])resets\s*=\s*(\d+(?:\.\d+)?)/i.exec(value)
    const ms = resets ? Math.ceil(Number(resets[1]) * 1000) : parseRetryAfter(value, nowMs)
    if (ms !== null) return ms
  }
  return null
}
