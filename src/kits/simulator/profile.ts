import { hash32 } from './rng.js'

/**
 * Payload profiles. `full` fills every documented field; `sparse` sends what real accounts often send:
 * optional fields missing or null, embedded people without ids, empty `_embedded`
 * (see ../shared/vendor-samples/VENDOR-SHAPES.md). Every simulator accepts both.
 */
export const SIM_PROFILES = ['full', 'sparse'] as const
export type SimProfile = (typeof SIM_PROFILES)[number]

export function parseProfile(raw: string | undefined): SimProfile {
  if (raw === undefined || raw === '') return 'full'
  if (!(SIM_PROFILES as readonly string[]).includes(raw)) throw new Error(`profile must be one of ${SIM_PROFILES.join(', ')} (got "${raw}")`)
  return raw as SimProfile
}

/** Salt of the sparse-rule stream, apart from every vendor's own salts (which are small numbers). */
const SPARSE_SALT = 0x5a5e

/**
 * Deterministic sparse rules for a vendor's renderers. Each decision is a pure function of
 * (seed, rule name, record key), so the same record is thinned the same way on every request,
 * in lists and in single reads alike. With the `full` profile every helper is the identity.
 *
 * A renderer names each rule (`'customer.phone'`) and passes the record's id as the key; the rate
 * says how often the rule fires in the sparse profile.
 */
export class SparseRules {
  constructor(
    readonly profile: SimProfile,
    private readonly seed: number,
  ) {}

  get sparse(): boolean {
    return this.profile === 'sparse'
  }

  /** True when `rule` applies to the record `key` (never in the full profile). */
  applies(rule: string, key: number | string, rate = 0.5): boolean {
    if (!this.sparse || rate <= 0) return false
    return hash32(this.seed, SPARSE_SALT, stringHash(rule), typeof key === 'number' ? key : stringHash(key)) / 4294967296 < rate
  }

  /** Returns `obj` without `field` when the rule applies (the field is omitted, as optional fields are). */
  omit<T extends object, K extends keyof T>(obj: T, field: K, rule: string, key: number | string, rate?: number): T {
    if (!(field in obj) || !this.applies(rule, key, rate)) return obj
    const copy = { ...obj }
    delete copy[field]
    return copy
  }

  /** Returns `obj` with `field` set to null when the rule applies. */
  nullify<T extends object, K extends keyof T>(obj: T, field: K, rule: string, key: number | string, rate?: number): T {
    if (!this.applies(rule, key, rate)) return obj
    return { ...obj, [field]: null }
  }

  /** The value, or undefined when the rule applies: for building objects with optional spreads. */
  maybe<V>(value: V, rule: string, key: number | string, rate?: number): V | undefined {
    return this.applies(rule, key, rate) ? undefined : value
  }

  /** An embedded person (`{ id, email, … }`) without its `id` when the rule applies, as vendors send for unknown people. */
  dropId<T extends { id?: unknown }>(person: T, rule: string, key: number | string, rate?: number): T {
    return this.omit(person, 'id', rule, key, rate)
  }

  /**
   * An `_embedded` object, emptied (`{}`) or its collections emptied (`[]`) when the rule applies:
   * `mode: 'object'` gives `{}`, `mode: 'lists'` keeps the keys with empty arrays.
   */
  emptyEmbedded<T extends Record<string, unknown>>(embedded: T, rule: string, key: number | string, mode: 'object' | 'lists' = 'lists', rate?: number): T | Record<string, never> {
    if (!this.applies(rule, key, rate)) return embedded
    if (mode === 'object') return {}
    return Object.fromEntries(Object.keys(embedded).map((k) => [k, Array.isArray(embedded[k]) ? [] : embedded[k]])) as T
  }

  /** A list shortened to none when the rule applies (optional collections such as tags, cc, phones). */
  emptyList<V>(items: readonly V[], rule: string, key: number | string, rate?: number): readonly V[] {
    return this.applies(rule, key, rate) ? [] : items
  }
}

/** FNV-1a over UTF-16 units: a stable number for a rule name or string key. */
function stringHash(s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193)
  return h >>> 0
}
