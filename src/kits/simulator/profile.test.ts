import { describe, expect, it } from 'vitest'
import { SparseRules, parseProfile } from './profile.js'

describe('sparse rules', () => {
  const person = { id: 42, email: 'a@example.test', phone: '+1 555', tags: ['x'] }

  it('are the identity in the full profile', () => {
    const full = new SparseRules('full', 1)
    for (let k = 0; k < 50; k++) {
      expect(full.applies('any', k, 1)).toBe(false)
      expect(full.omit(person, 'phone', 'p', k, 1)).toBe(person)
      expect(full.dropId(person, 'id', k, 1)).toBe(person)
    }
  })

  it('thin records deterministically, at about the asked rate', () => {
    const a = new SparseRules('sparse', 1)
    const b = new SparseRules('sparse', 1)
    const fired = Array.from({ length: 1000 }, (_, k) => a.applies('customer.phone', k, 0.3))
    expect(fired).toEqual(Array.from({ length: 1000 }, (_, k) => b.applies('customer.phone', k, 0.3)))
    const n = fired.filter(Boolean).length
    expect(n).toBeGreaterThan(220)
    expect(n).toBeLessThan(380)
    // Different rules and seeds decide independently.
    expect(Array.from({ length: 1000 }, (_, k) => a.applies('customer.email', k, 0.3))).not.toEqual(fired)
    expect(Array.from({ length: 1000 }, (_, k) => new SparseRules('sparse', 2).applies('customer.phone', k, 0.3))).not.toEqual(fired)
  })

  it('omit, null, drop ids and empty embedded collections when the rule fires', () => {
    const s = new SparseRules('sparse', 1)
    expect(s.omit(person, 'phone', 'r', 1, 1)).toEqual({ id: 42, email: 'a@example.test', tags: ['x'] })
    expect(person.phone).toBe('+1 555')
    expect(s.nullify(person, 'email', 'r', 1, 1)).toEqual({ ...person, email: null })
    expect(s.dropId(person, 'r', 1, 1)).not.toHaveProperty('id')
    expect(s.emptyEmbedded({ threads: [1, 2], note: 'n' }, 'r', 1, 'lists', 1)).toEqual({ threads: [], note: 'n' })
    expect(s.emptyEmbedded({ threads: [1, 2] }, 'r', 1, 'object', 1)).toEqual({})
    expect(s.emptyList([1, 2], 'r', 1, 1)).toEqual([])
    expect(s.maybe('v', 'r', 1, 1)).toBeUndefined()
    expect(s.maybe('v', 'r', 1, 0)).toBe('v')
  })

  it('parses the profile option and refuses typos', () => {
    expect(parseProfile(undefined)).toBe('full')
    expect(parseProfile('sparse')).toBe('sparse')
    expect(() => parseProfile('thin')).toThrow(/full, sparse/)
  })
})
