import { resolve } from 'node:path'
import { describeTargetConformance } from './target-conformance.js'
import { createMemoryTarget } from './memory-target.js'
import { defaultMappingConfig } from '../core/mapping-config.js'

describeTargetConformance(
  'memory',
  async () => {
    const target = createMemoryTarget()
    return {
      target,
      config: defaultMappingConfig(),
      count: async () => {
        const out: Record<string, number> = { agent: 0, customer: 0, ticket: 0 }
        for (const o of target.state.objects.values()) out[o.kind] = (out[o.kind] ?? 0) + 1
        return out
      },
      unreachable: async () => createMemoryTarget(undefined, { unreachable: true }),
      tamper: async (ref) => {
        target.state.objects.get(ref)!.summary.subject = 'changed behind deskmove'
      },
      close: async () => {},
    }
  },
  { definition: { id: 'memory', capabilities: createMemoryTarget().capabilities }, datasets: resolve(import.meta.dirname, '../../fixtures/canonical') },
)
