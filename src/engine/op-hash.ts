// The content hash of a write op: the same text `stableJson` gives (staging/hash.ts), computed faster.
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

/** `stableJson` without its per-value replacer and sorted copies (the same text, faster). */
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

/** The content hash of an op: equal to `contentHash(op)` (staging/hash.ts), computed faster. */
export function hashOp(op: unknown): string {
  return createHash('sha256').update(stableText(op) ?? '').digest('hex').slice(0, 32)
}
