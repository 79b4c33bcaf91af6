/** Traffic counters since start, served at `/_sim/stats`. `/_sim/*` requests are not counted. */
export interface SimStats {
  /** Requests per route pattern, e.g. `GET /v2/conversations/{id}`. */
  requests: Record<string, number>
  total: number
  /** 429 responses sent. */
  throttled: number
  /** 429 responses per route pattern (an endpoint's own budget shows here apart from the host's). */
  throttledByRoute: Record<string, number>
  /** Injected faults per kind (`5xx`, `reset`, `slow`, `truncate`). */
  faults: Record<string, number>
  /** Requests and 429s per class of route (e.g. Zendesk's `general` vs `export`), when the vendor names classes. */
  byClass?: Record<string, { requests: number; throttled: number }>
}
