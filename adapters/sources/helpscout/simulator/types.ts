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
  /**
   * The CDN images staged messages show, keyed by path under the simulator's origin
   * (`/cdn/inline-images/{threadId}/pasted-1.png`), with the thread that shows each and its bytes' digest.
   */
  inlineImages: Record<string, { messageId: string; sha256: string; size: number }>
  /** Staged messages whose body carries the third-party tracking pixel (never downloaded). */
  trackingPixels: number
  /** Requests a run that also stores the inline images makes beyond `minimumRequests`: one per image. */
  inlineImageRequests: number
}

export type { SimStats } from '../../../../src/kits/simulator/stats.js'
export { FAULT_KINDS, type FaultKind } from '../../../../src/kits/simulator/faults.js'
export type { SimResponse } from '../../../../src/kits/simulator/responses.js'
