// The Znuny-shaped test target passes the shared target suite: organizations first, own mapping sections,
// no rollback, non-transactional HTTP-style writes resumed through `locate`.
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { describeTargetConformance } from '../target-conformance.js'
import { createZnunyShapedTarget, queuesSection, statesSection, znunyShapedTarget } from './znuny-shaped-target.js'
import { ZnunyRemote } from './znuny-remote.js'
import { defaultMappingConfig, parseMappingConfig } from '../../core/mapping-config.js'
import { ConfigError } from '../../core/errors.js'
import { assertMappedValuesExist } from '../../engine/mapping-checks.js'
import { initConfigText } from '../../core/init-config.js'

const sections = [statesSection, queuesSection]
const mapping = () => defaultMappingConfig({ states: { solved: 'closed successful', '*': 'open' }, queues: { '*': 'Support::L1' } }, sections)

describeTargetConformance(
  'znuny-shaped (test tree)',
  async () => {
    const remote = new ZnunyRemote()
    const target = createZnunyShapedTarget(remote)
    return {
      target,
      config: mapping(),
      count: async () => remote.count(),
      unreachable: async () => {
        const down = new ZnunyRemote()
        down.down = true
        return createZnunyShapedTarget(down)
      },
      tamper: async (ref) => {
        remote.get(ref)!.fields.title = 'changed behind deskmove'
      },
      injectFault: () => {
        remote.cutAfterTicketCreate = true
        return () => {
          remote.down = false
        }
      },
      close: async () => {},
    }
  },
  { definition: znunyShapedTarget, datasets: resolve(import.meta.dirname, '../../../fixtures/canonical') },
)

describe('znuny-shaped mapping sections', () => {
  it('accepts Znuny state and queue names that FreeScout would refuse', () => {
    const cfg = parseMappingConfig('{ "mapping": { "states": { "solved": "closed successful" }, "queues": { "g1": "Support::L1" } } }', sections)
    expect(cfg.states).toEqual({ solved: 'closed successful' })
    expect(cfg.queues).toEqual({ g1: 'Support::L1' })
    expect(() => parseMappingConfig('{ "mapping": { "states": { "solved": "closed" } } }', sections)).toThrow(/mapping\.states\.solved/)
    expect(() => parseMappingConfig('{ "mapping": { "mailboxes": { "*": 1 } } }', sections)).toThrow(/unknown key\(s\) "mailboxes"/)
  })

  it('a queue the target does not have is a ConfigError naming it and listing what exists', async () => {
    const target = createZnunyShapedTarget()
    const lookups = await target.prepare(new AbortController().signal)
    const cfg = defaultMappingConfig({ queues: { g1: 'Sales::L9' } }, sections)
    const err = (() => {
      try {
        assertMappedValuesExist(target, cfg, lookups)
      } catch (e) {
        return e as ConfigError
      }
      return null
    })()
    expect(err).toBeInstanceOf(ConfigError)
    expect(err!.message).toContain('"Sales::L9"')
    expect(err!.message).toContain('Support::L1')
  })

  it('init writes its own sections and the result parses', () => {
    const text = initConfigText({ displayName: znunyShapedTarget.displayName, sections })
    expect(text).toContain('"queues"')
    expect(text).not.toContain('"mailboxes"')
    expect(parseMappingConfig(text, sections).queues).toEqual({ '*': 'Raw' })
  })
})
