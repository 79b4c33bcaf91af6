import type { Sleep } from './backoff.js'
import type { HostPolicy } from '../core/http.js'

/**
 * Share of a budget we aim for. Even spacing at 98 % keeps us under the limit in every window despite
 * network jitter bunching arrivals at the server, while still using well over 95 % of it.
 */
export const PACE_HEADROOM = 0.98

/** Our own budget (`policy.rpm`) is always per minute. */
const MINUTE_MS = 60_000

interface Sent {
  readonly at: number
  readonly cost: number
}

interface Budget {
  readonly limit: number
  readonly windowMs: number
}

/** What the pacer learned from a response's rate-limit headers. */
export interface RateLimitObservation {
  /** Server's announced limit per `windowMs`, or null when not sent. */
  readonly limit: number | null
  /** Server's remaining requests in the current window, or null when not sent. */
  readonly remaining: number | null
}

/** Reads the policy's limit / remaining headers from lower-cased response headers. */
export function readRateLimitHeaders(
  headers: Readonly<Record<string, string>>,
  spec: HostPolicy['rateLimitHeaders'],
): RateLimitObservation {
  const num = (names: string | readonly string[] | undefined): number | null => {
    for (const name of names === undefined ? [] : typeof names === 'string' ? [names] : names) {
      const raw = headers[name.toLowerCase()]
      if (raw !== undefined && /^\s*\d+(\.\d+)?\s*$/.test(raw)) return Number(raw)
    }
    return null
  }
  const plain = { limit: num(spec.limit), remaining: num(spec.remaining) }
  if (!spec.structured || (plain.limit !== null && plain.remaining !== null)) return plain
  // The tightest structured budget among the matching headers (fewest requests remaining).
  let tightest: { total: number; remaining: number } | null = null
  for (const value of structuredValues(headers, spec.structured)) {
    const total = structuredField(value, 'total')
    const remaining = structuredField(value, 'remaining')
    if (total === null || remaining === null) continue
    if (tightest === null || remaining < tightest.remaining) tightest = { total, remaining }
  }
  return { limit: plain.limit ?? tightest?.total ?? null, remaining: plain.remaining ?? tightest?.remaining ?? null }
}

/** Values of the headers named (a trailing `*` matches a prefix), from lower-cased `headers`. */
export function structuredValues(headers: Readonly<Record<string, string>>, names: readonly string[]): string[] {
  const out: string[] = []
  for (const raw of names) {
    const name = raw.toLowerCase()
    if (name.endsWith('*')) {
      const prefix = name.slice(0, -1)
      for (const [k, v] of Object.entries(headers)) if (k.startsWith(prefix)) out.push(v)
    } else if (headers[name] !== undefined) out.push(headers[name])
  }
  return out
}

/** One `key=N` of a structured value such as `total=100; remaining=95; resets=17`. */
export function structuredField(value: string, key: string): number | null {
  const m = new RegExp(`(?:^|[;,\\s])${key}\\s*=\\s*(\\d+(?:\\.\\d+)?)`, 'i').exec(value)
  return m ? Number(m[1]) : null
}

/**
 * Paces requests to one host. Starts are spread evenly at a hair under the tightest of our budget
 * (`policy.rpm`) and the server's announced limit; a sliding log of sent costs additionally guarantees
 * that no window ever holds more than either budget. Holds (after a 429 or when the server's remaining
 * count runs out) delay every later start. Acquisitions are served first come, first served.
 */
export class HostPacer {
  private readonly policy: HostPolicy
  private readonly now: () => number
  private readonly sleep: Sleep
  private serverLimit: number | null = null
  private nextAt = Number.NEGATIVE_INFINITY
  private holdUntil = Number.NEGATIVE_INFINITY
  private readonly log: Sent[] = []
  /** Serialises acquisitions so two waiters never compute the same start time. */
  private tail: Promise<void> = Promise.resolve()

  constructor(policy: HostPolicy, clock: { now: () => number; sleep: Sleep }) {
    this.policy = policy
    this.now = clock.now
    this.sleep = clock.sleep
  }

  /** The budgets in force: ours (per minute) and the server's announced one (per its window). */
  private budgets(): Budget[] {
    const out: Budget[] = []
    if (this.policy.rpm !== null && this.policy.rpm > 0) out.push({ limit: this.policy.rpm, windowMs: MINUTE_MS })
    if (this.serverLimit !== null && this.serverLimit > 0) {
      out.push({ limit: this.serverLimit, windowMs: this.policy.rateLimitHeaders.windowMs })
    }
    return out
  }

  /** Current even spacing per unit of cost, in ms (0 when unlimited). */
  intervalMs(): number {
    let interval = 0
    for (const b of this.budgets()) interval = Math.max(interval, b.windowMs / (b.limit * PACE_HEADROOM))
    return interval
  }

  /** Earliest time the sliding log lets `cost` more units go out under budget `b`. */
  private logFreeAt(b: Budget, cost: number, now: number): number {
    let used = 0
    for (const s of this.log) if (s.at > now - b.windowMs) used += s.cost
    // A request costing more than the whole budget could never fit: it goes once the window is empty.
    const allowed = Math.max(0, b.limit - cost)
    if (used <= allowed) return now
    for (const s of this.log) {
      if (s.at <= now - b.windowMs) continue
      used -= s.cost
      if (used <= allowed) return s.at + b.windowMs
    }
    return now
  }

  private startAt(cost: number, now: number): number {
    let at = Math.max(now, this.nextAt, this.holdUntil)
    for (const b of this.budgets()) at = Math.max(at, this.logFreeAt(b, cost, now))
    return at
  }

  private prune(now: number): void {
    let keep = MINUTE_MS
    for (const b of this.budgets()) keep = Math.max(keep, b.windowMs)
    while (this.log.length > 0 && (this.log[0]?.at ?? now) <= now - keep) this.log.shift()
  }

  /**
   * Waits until a request costing `cost` may start, then records it as sent.
   * Rejects with `signal.reason` if the signal aborts while waiting.
   */
  async acquire(cost: number, signal?: AbortSignal): Promise<void> {
    const prev = this.tail
    let release!: () => void
    this.tail = new Promise<void>((resolve) => (release = resolve))
    try {
      await raceAbort(prev, signal)
    } catch (e) {
      // Keep the chain intact: our successor must still wait for our predecessor.
      void prev.then(release)
      throw e
    }
    try {
      for (;;) {
        signal?.throwIfAborted()
        const now = this.now()
        const at = this.startAt(cost, now)
        if (at <= now) {
          this.nextAt = now + cost * this.intervalMs()
          // Unlimited hosts keep no log; a limit announced later starts counting from then.
          if (this.budgets().length > 0) this.log.push({ at: now, cost })
          this.prune(now)
          return
        }
        // Re-evaluate after waking: a hold or a lower server limit may have arrived meanwhile.
        await this.sleep(at - now, signal)
      }
    } finally {
      release()
    }
  }

  /** Delays every start until `ms` from now (a 429's Retry-After applies to the whole host). */
  holdFor(ms: number): void {
    this.holdUntil = Math.max(this.holdUntil, this.now() + Math.max(0, ms))
  }

  /**
   * Adapts to a response's rate-limit headers. A lower server limit lowers our pace; when the server's
   * remaining count no longer covers the `othersInFlight` requests already on their way, starts are held
   * for the slots needed to free up (a full window when the limit is unknown) instead of earning a 429.
   * Returns the hold imposed in ms (0 when none).
   */
  observe(obs: RateLimitObservation, othersInFlight: number): number {
    if (obs.limit !== null && obs.limit > 0) this.serverLimit = obs.limit
    if (obs.remaining === null || obs.remaining > othersInFlight) return 0
    const windowMs = this.policy.rateLimitHeaders.windowMs
    const needed = othersInFlight + 1 - obs.remaining
    const hold = this.serverLimit !== null ? (windowMs / this.serverLimit) * needed : obs.remaining === 0 ? windowMs : 0
    this.holdFor(hold)
    return hold
  }
}

/** Resolves with `p`, or rejects with the signal's reason as soon as it aborts. */
export function raceAbort<T>(p: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return p
  if (signal.aborted) return Promise.reject(signal.reason)
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort)
        resolve(v)
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(e)
      },
    )
  })
}
