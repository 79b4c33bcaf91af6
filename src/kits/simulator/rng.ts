/**
 * Deterministic pseudo-randomness for simulators. Every generated value is a pure function of
 * (seed, entity index, stream salt), so any record can be rebuilt on demand without keeping state.
 */

/** Mixes 32-bit integers into one well-spread 32-bit hash (murmur3-style finaliser). */
export function hash32(...parts: number[]): number {
  let h = 0x811c9dc5
  for (const p of parts) {
    // Fold in both halves so indexes above 2^32 still change the hash.
    const lo = p >>> 0
    const hi = Math.floor(p / 4294967296) >>> 0
    h = Math.imul(h ^ lo, 0x9e3779b1)
    h = (h << 13) | (h >>> 19)
    h = Math.imul(h ^ hi, 0x85ebca6b)
  }
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/** Uniform number in [0, 1) derived from the given parts. */
export function unit(...parts: number[]): number {
  return hash32(...parts) / 4294967296
}

/** A small sequential generator (mulberry32) seeded from a hash of the given parts. */
export class Rng {
  private state: number

  constructor(...parts: number[]) {
    this.state = hash32(...parts)
  }

  /** Uniform number in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n)
  }

  /** Integer in [lo, hi] inclusive. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1)
  }

  chance(p: number): boolean {
    return this.next() < p
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)]
    if (item === undefined) throw new Error('pick from an empty list')
    return item
  }
}
