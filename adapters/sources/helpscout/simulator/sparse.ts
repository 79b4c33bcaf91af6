import { unit } from './rng.js'

/**
 * How sparse the simulated payloads are. Real Help Scout payloads leave out what the docs do not promise on
 * every object (ids on embedded people, `type` on assignees, empty lists, `_embedded` on customers); the
 * default profile does so at realistic rates, always in ways a careful client can recover from (an id-less
 * customer still has an email that another reference in the same conversation pairs with an id). The
 * `sparse` profile raises every rate and also serves customers without `_embedded`, whose details then live
 * only in their sub-resources.
 */
import type { SimProfile } from '../../../../src/kits/simulator/profile.js'
export type { SimProfile }

export type SparseTrait =
  | 'customerRefWithoutId'
  | 'closerWithoutId'
  | 'assigneeWithoutType'
  | 'emptyKeysOmitted'
  | 'customerWithoutEmbedded'

const RATES: Readonly<Record<SimProfile, Readonly<Record<SparseTrait, number>>>> = {
  full: { customerRefWithoutId: 0.1, closerWithoutId: 0.3, assigneeWithoutType: 0.3, emptyKeysOmitted: 0.3, customerWithoutEmbedded: 0 },
  sparse: { customerRefWithoutId: 0.6, closerWithoutId: 0.8, assigneeWithoutType: 0.8, emptyKeysOmitted: 0.9, customerWithoutEmbedded: 0.3 },
}

// Salts of independent draws: hash-based, so adding a trait never shifts the other generated values.
const SALTS: Readonly<Record<SparseTrait, number>> = {
  customerRefWithoutId: 0x5a01,
  closerWithoutId: 0x5a02,
  assigneeWithoutType: 0x5a03,
  emptyKeysOmitted: 0x5a04,
  customerWithoutEmbedded: 0x5a05,
}

/** Whether the record identified by `ids` shows `trait` under `profile`. */
export function sparse(profile: SimProfile, trait: SparseTrait, seed: number, ...ids: number[]): boolean {
  return unit(seed, SALTS[trait], ...ids) < RATES[profile][trait]
}
