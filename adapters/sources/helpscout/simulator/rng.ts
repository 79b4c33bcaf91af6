// Hashing and the sequential generator are the simulator kit's; the stream salts are Help Scout's.
export { hash32, unit, Rng } from '../../../../src/kits/simulator/rng.js'
import { FAULT_SALT } from '../../../../src/kits/simulator/faults.js'

/** Salts that keep the independent streams of one entity apart. */
export const SALT = {
  header: 1,
  detail: 2,
  threads: 3,
  customer: 4,
  organization: 5,
  bytes: 6,
  faults: FAULT_SALT,
  token: 8,
  noise: 9,
} as const
