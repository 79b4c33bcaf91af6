import { describe, expect, it } from 'vitest'
import { deepJson, safeJson } from './deep-json.js'

const nested = (depth: number): unknown => {
  const root: Record<string, unknown> = {}
  let cur = root
  for (let i = 0; i < depth; i++) {
    const next: Record<string, unknown> = { i }
    cur.a = next
    cur = next
  }
  return root
}

describe('deepJson', () => {
  it('writes what JSON.stringify writes', () => {
    const samples: unknown[] = [null, 1, 'x"\n', true, [], {}, [1, undefined, () => 1, 'a'], { a: undefined, b: [{ c: null }], 'k"': NaN }, new Date(0), { d: new Date(0) }]
    for (const s of samples) expect(deepJson(s)).toBe(JSON.stringify(s))
  })

  it('serialises a value far deeper than JSON.stringify can, and it parses back', () => {
    const deep = nested(20_000)
    expect(() => JSON.stringify(deep)).toThrow(/call stack/)
    const text = safeJson(deep)
    // Compared as text: any recursive comparison would overflow too.
    expect(text.startsWith('{"a":{"i":0,"a":{"i":1,')).toBe(true)
    expect(deepJson(JSON.parse(text))).toBe(text)
    expect(text.length).toBeGreaterThan(20_000 * 10)
  })
})
