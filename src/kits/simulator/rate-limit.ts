/** Sliding-window request limiter (60 s by default); the numbers behind a vendor's rate-limit headers. */

export interface RateDecision {
  allowed: boolean
  limit: number
  /** Requests left in the window after this one. */
  remaining: number
  /** Whole seconds until a slot frees up (only meaningful when refused). */
  retryAfterSeconds: number
  /** Whole seconds until the oldest request in the window leaves it (the window's full length when it is empty). */
  resetSeconds: number
}

export class SlidingWindowLimiter {
  private readonly stamps: number[] = []
  private head = 0

  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one request if the window has room. Refused requests do not use up the window. */
  take(): RateDecision {
    const t = this.now()
    while (this.head < this.stamps.length && this.stamps[this.head]! <= t - this.windowMs) this.head++
    // Compact now and then so the array does not grow for ever.
    if (this.head > 1024) {
      this.stamps.splice(0, this.head)
      this.head = 0
    }
    const used = this.stamps.length - this.head
    if (used >= this.limit) {
      const oldest = this.stamps[this.head]!
      const wait = Math.max(1, Math.ceil((oldest + this.windowMs - t) / 1000))
      return { allowed: false, limit: this.limit, remaining: 0, retryAfterSeconds: wait, resetSeconds: wait }
    }
    this.stamps.push(t)
    const oldest = this.stamps[this.head]!
    return { allowed: true, limit: this.limit, remaining: this.limit - used - 1, retryAfterSeconds: 0, resetSeconds: Math.max(1, Math.ceil((oldest + this.windowMs - t) / 1000)) }
  }
}
