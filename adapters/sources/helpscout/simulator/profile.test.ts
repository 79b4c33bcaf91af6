import { afterEach, describe, expect, it, vi } from 'vitest'
import type { World as WorldType } from './world.js'
import type * as WorldModule from './world.js'

// Records every World the simulator builds: the renderers read the profile from the world they are given.
const built = vi.hoisted(() => [] as WorldType[])
vi.mock('./world.js', async (importOriginal) => {
  const real = await importOriginal<typeof WorldModule>()
  class RecordedWorld extends real.World {
    constructor(...args: ConstructorParameters<typeof real.World>) {
      super(...args)
      built.push(this)
    }
  }
  return { ...real, World: RecordedWorld }
})

const { startHelpScoutSimulator } = await import('./server.js')

describe('Help Scout simulator profile', () => {
  afterEach(() => {
    built.length = 0
  })

  for (const profile of ['full', 'sparse'] as const) {
    it(`hands the ${profile} profile to the world the renderers use`, async () => {
      const sim = await startHelpScoutSimulator({ seed: 3, conversations: 5, rpm: null, profile })
      try {
        expect(sim.profile).toBe(profile)
        expect(built).toHaveLength(1)
        expect(built[0]!.profile).toBe(profile)
        expect(built[0]!.sparse.sparse).toBe(profile === 'sparse')
        expect(await (await fetch(`${sim.url}/_sim/info`)).json()).toEqual({ seed: 3, profile })
      } finally {
        await sim.close()
      }
    })
  }

  it('defaults to the full profile and refuses an unknown one', async () => {
    const sim = await startHelpScoutSimulator({ conversations: 1, rpm: null })
    await sim.close()
    expect(sim.profile).toBe('full')
    // @ts-expect-error -- a typo from a config file or test
    await expect(startHelpScoutSimulator({ profile: 'thin' })).rejects.toThrow(/full, sparse/)
  })
})
