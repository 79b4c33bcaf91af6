/** Traffic counters since start, served at `/_sim/stats`. `/_sim/*` requests are not counted. */
export interface SimStats {
  /** Requests per route pattern, e.g. `GET /v2/conversations/{id}`. */
  requests: Record<string, number>
  total: number
  /** 429 responses sent. */
  throttled: number
  /** Injected faults per kind (`5xx`, `reset`, `slow`, `truncate`). */
  faults: Record<string, number>
}
