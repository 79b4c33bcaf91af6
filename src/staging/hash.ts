import { createHash } from 'node:crypto'

const INDEX_KEY = /^(?:0|[1-9]\d*)$/
const PLAIN_KEY = /^[\w$.-]*$/
const isIndexKey = (k: string) => INDEX_KEY.test(k) && Number(k) < 4294967295
/**
 * Key order and quoted key prefixes per key list, as a sorted copy enumerates them (integer-like keys first,
 * ascending). Keyed by the count and the NUL-joined keys; lists with a NUL in a key are not cached, so a hit is exact.
 */
const keyOrders = new Map<string, readonly (readonly [string, string])[]>()

function sortedKeys(o: object): readonly (readonly [string, string])[] {
  const keys = Object.keys(o)
  const sig = `${keys.length}:${keys.join('\u0000')}`
  const hit = keyOrders.get(sig)
  if (hit) return hit
  const s = keys.sort()
  const order = (s.some(isIndexKey) ? [...s.filter(isIndexKey).sort((a, b) => Number(a) - Number(b)), ...s.filter((k) => !isIndexKey(k))] : s).map(
    (k) => [k, `${PLAIN_KEY.test(k) ? `"${k}"` : JSON.stringify(k)}:`] as const,
  )
  if (!keys.some((k) => k.includes('\u0000'))) {
    if (keyOrders.size >= 1000) keyOrders.clear()
    keyOrders.set(sig, order)
  }
  return order
}

/** Walks the value once, emitting keys in sorted order: no replacer calls, no sorted copies. */
function stableText(v: unknown): string | undefined {
  if (v === null) return 'null'
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v)
    case 'number':
      return Number.isFinite(v) ? String(v) : 'null'
    case 'boolean':
      return v ? 'true' : 'false'
    case 'object': {
      if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return stableText((v as { toJSON(): unknown }).toJSON())
      if (Array.isArray(v)) {
        let out = '['
        for (let i = 0; i < v.length; i++) out += (i ? ',' : '') + (stableText(v[i]) ?? 'null')
        return out + ']'
      }
      let out = ''
      for (const [k, prefix] of sortedKeys(v)) {
        const text = stableText((v as Record<string, unknown>)[k])
        if (text !== undefined) out += (out ? ',' : '') + prefix + text
      }
      return `{${out}}`
    }
    default:
      return undefined
  }
}

/**
 * JSON with object keys sorted (as a sorted copy would enumerate them), so equal content always hashes equal.
 * Hand-written rather than a `JSON.stringify` replacer: hashing every planned op made that a hot spot.
 */
export function stableJson(value: unknown): string {
  return stableText(value) ?? ''
}

export function contentHash(value: unknown): string {
  return createHash('sha256').update(stableJson(value)).digest('hex').slice(0, 32)
}

/**
 * Hash of an already serialised record. Canonical records come out of zod in schema key order, so their
 * JSON is stable without sorting (sorting every record was a large share of the staging cost).
 */
export function hashText(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32)
}
