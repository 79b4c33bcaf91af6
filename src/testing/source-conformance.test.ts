import { describe, expect, it } from 'vitest'
import type { StreamSpec } from '../core/source.js'
import { streamOrder } from './source-conformance.js'

const spec = (name: string, dependsOn: string[] = []): StreamSpec => ({ name, entities: ['ticket'], dependsOn, resume: 'per-page', supportsSince: false })

describe('source suite stream order', () => {
  it('is the engine\'s order: dependencies first', () => {
    expect(streamOrder([spec('tickets', ['customers', 'agents']), spec('agents'), spec('customers')])?.map((s) => s.name)).toEqual(['customers', 'agents', 'tickets'])
  })
  it('refuses what the engine refuses: cycles and unknown names', () => {
    expect(streamOrder([spec('a', ['b']), spec('b', ['a'])])).toBeNull()
    expect(streamOrder([spec('a', ['nope'])])).toBeNull()
  })
})
