import { readFileSync, readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { stableJson } from './hash.js'

/** The plain definition: JSON.stringify with every object's keys sorted. */
const reference = (value: unknown): string =>
  JSON.stringify(value, (_k, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>
      return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]))
    }
    return v
  })

describe('stableJson', () => {
  it('gives the sorted-keys JSON text on every fixture record and on awkward values', () => {
    const dir = new URL('../../fixtures/canonical', import.meta.url).pathname
    const values: unknown[] = readdirSync(dir).flatMap((f) => readFileSync(`${dir}/${f}`, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l)))
    values.push(
      { b: 1, a: { d: [1, undefined, null], c: 'x' } },
      { '10': 'ten', '2': 'two', b: true, a: -0, '01': 'not an index', '4294967295': 'not an index either' },
      { 'a\u0000b': 1, '': 2, 'é': 3, '"q"': 4, n: NaN, i: Infinity, u: undefined, f: () => 1 },
      { when: new Date(0), nested: [{ z: 1, y: [{ x: 'ü\u2028"\\' }] }] },
      { 'a\u0000': 1, b: 2 },
      { a: 1, 'b\u0000c': 2 },
    )
    for (const v of values) expect(stableJson(v)).toBe(reference(v))
  })
})
