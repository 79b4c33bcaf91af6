import type { HttpStats } from '../core/http.js'

/** Mutable counters behind `HttpClient.stats()`; the snapshot it returns is a copy. */
export class StatsRecorder {
  private requests = 0
  private readonly byRoute: Record<string, number> = {}
  private readonly byStatus: Record<string, number> = {}
  private throttled = 0
  private retries = 0
  private bytesIn = 0

  /** One attempt went out on `route`. */
  sent(route: string): void {
    this.requests += 1
    this.byRoute[route] = (this.byRoute[route] ?? 0) + 1
  }

  /** An attempt ended with `status`, or with `'error'` when no response arrived (reset, timeout…). */
  outcome(status: number | 'error'): void {
    const key = String(status)
    this.byStatus[key] = (this.byStatus[key] ?? 0) + 1
  }

  throttle(): void {
    this.throttled += 1
  }

  retry(): void {
    this.retries += 1
  }

  received(bytes: number): void {
    this.bytesIn += bytes
  }

  snapshot(): HttpStats {
    return {
      requests: this.requests,
      byRoute: { ...this.byRoute },
      byStatus: { ...this.byStatus },
      throttled: this.throttled,
      retries: this.retries,
      bytesIn: this.bytesIn,
    }
  }
}
