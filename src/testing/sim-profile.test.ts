import { describe, expect, it } from 'vitest'
import { testSimProfile } from './sim-profile.js'

describe('testSimProfile', () => {
  const files = Array.from({ length: 40 }, (_, i) => `file:///repo/src/x/case-${i}.test.ts`)

  it('gives each test file a fixed profile, about half of them sparse', () => {
    const picks = files.map((f) => testSimProfile(f, {}))
    expect(files.map((f) => testSimProfile(f, {}))).toEqual(picks)
    const sparse = picks.filter((p) => p === 'sparse').length
    expect(sparse).toBeGreaterThan(8)
    expect(sparse).toBeLessThan(32)
  })

  it('flips every choice with DESKMOVE_SIM_PROFILE_FLIP=1 and obeys a forced profile', () => {
    for (const f of files) {
      expect(testSimProfile(f, { DESKMOVE_SIM_PROFILE_FLIP: '1' })).not.toBe(testSimProfile(f, {}))
      expect(testSimProfile(f, { DESKMOVE_SIM_PROFILE: 'sparse' })).toBe('sparse')
      expect(testSimProfile(f, { DESKMOVE_SIM_PROFILE: 'full' })).toBe('full')
    }
    expect(() => testSimProfile(files[0]!, { DESKMOVE_SIM_PROFILE: 'thin' })).toThrow(/full, sparse/)
  })
})
