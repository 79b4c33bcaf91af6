import { createHash } from 'node:crypto'

/** JSON with object keys sorted, so equal content always hashes equal. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>
      return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]))
    }
    return v
  })
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
