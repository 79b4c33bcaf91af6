/** Shapes shared by the simulator's modules and by the callers of `/_sim/*`. */

/** Kinds counted by the ground-truth manifest (plural keys, as in `status --json`). */
export const MANIFEST_KINDS = [
  'agents',
  'customers',
  'organizations',
  'groups',
  'tickets',
  'messages',
  'attachments',
] as const
export type ManifestKind = (typeof MANIFEST_KINDS)[number]

/** Ground truth of a complete `status=all` extract of the generated dataset. */
export interface SimManifest {
  /** How many records of each kind a complete extract must stage. */
  counts: Record<ManifestKind, number>
  /** The Help Scout ids (as strings) of those records, per kind. */
  ids: Record<ManifestKind, string[]>
  /** Content digest and byte size of every attachment, keyed by attachment id. */
  attachments: Record<string, { sha256: string; size: number }>
  /** Fewest API calls a client needs to fetch everything (see `minimumRequestsDetail`). */
  minimumRequests: number
  minimumRequestsDetail: Record<string, number>
}

/** Traffic counters since start. `/_sim/*` requests are not counted. */
export interface SimStats {
  /** Requests per route pattern, e.g. `GET /v2/conversations/{id}`. */
  requests: Record<string, number>
  total: number
  /** 429 responses sent. */
  throttled: number
  /** Injected faults per kind (`5xx`, `reset`, `slow`, `truncate`). */
  faults: Record<string, number>
}

/** Fault kinds the simulator can inject. */
export const FAULT_KINDS = ['5xx', 'reset', 'slow', 'truncate'] as const
export type FaultKind = (typeof FAULT_KINDS)[number]

/** A fully rendered HTTP response, before faults and latency are applied. */
export interface SimResponse {
  status: number
  headers: Record<string, string>
  body: Buffer
}
