import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { assertAllMapped, defaultMappingConfig, findUnmapped, parseMappingConfig, type MappingSection } from './mapping-config.js'
import { initConfigText } from './init-config.js'
import { parseConfigText } from './config-file.js'
import { ConfigError } from './errors.js'

// Sections shaped like a target's, declared here so core is tested without any adapter.
const boxes: MappingSection<number> = { name: 'boxes', description: 'group → box', values: z.number().int(), observe: { kind: 'ticket', path: '$.groupRef.sourceId' }, template: '"boxes": { "*": 1 }' }
const states: MappingSection<string> = { name: 'states', description: 'status → state', values: z.enum(['open', 'closed successful']), observe: { kind: 'ticket', path: '$.vendorStatus' }, template: '// states\n"states": {}' }
const sections = [boxes, states]

describe('deskmove.json', () => {
  it('reads the commented starting file that init writes, with the target\'s own sections', () => {
    const cfg = parseMappingConfig(initConfigText({ displayName: 'Test', sections }), sections)
    expect(cfg).toMatchObject({ boxes: { '*': 1 }, states: {}, unmatchedAgents: { policy: 'create-disabled' }, customersWithoutEmail: { policy: 'placeholder', domain: 'noemail.invalid' }, keepNumbers: false })
  })
  it('reads comments and trailing commas, and names line and column of a syntax error', () => {
    expect(parseConfigText('{"$schema": "http://x//y", /* b */ "mapping": {"keepNumbers": true,}, // d\n}', 'f.json')).toEqual({ $schema: 'http://x//y', mapping: { keepNumbers: true } })
    expect(() => parseConfigText('{\n  "mapping": {\n    "keepNumbers": tru\n  }\n}', 'deskmove.json')).toThrow(/deskmove\.json:3:20: /)
    expect(() => parseConfigText('{\n  "mapping": {}\n  "targets": {}\n}', 'deskmove.json')).toThrow(/deskmove\.json:3:3: CommaExpected/)
  })
  it('refuses an unknown top-level key (a typo such as "maping")', () => {
    expect(() => parseConfigText('{"maping": {}}', 'deskmove.json')).toThrow(/unknown top-level key\(s\) "maping"/)
  })
  it('rejects invalid values and unknown sections, naming the path', () => {
    expect(() => parseMappingConfig('{"mapping": {"states": {"open": "wrong"}}}', sections)).toThrow(/mapping\.states\.open/)
    expect(() => parseMappingConfig('{"mapping": {"statuses": {"open": "open"}}}', sections)).toThrow(/unknown key\(s\) "statuses" \(known: .*boxes, states\)/)
    expect(() => parseMappingConfig('{"mapping": {"customersWithoutEmail": {"policy": "placeholder", "pattern": "x@y", "domain": "a.test"}}}', sections)).toThrow(ConfigError)
  })
  it('defaults customers without email to the placeholder init writes, not to reject', () => {
    expect(parseMappingConfig('{"mapping": {}}', sections).customersWithoutEmail).toEqual({ policy: 'placeholder', pattern: 'noemail+{sourceId}@{domain}', domain: 'noemail.invalid' })
    expect(defaultMappingConfig().customersWithoutEmail).toMatchObject({ policy: 'placeholder' })
  })
  it('lists every observed value without mapping and without default, with counts', () => {
    const cfg = parseMappingConfig('{"mapping": {"boxes": {"g1": 1}}}', sections)
    const observed = { boxes: new Map([['g1', 3], ['g2', 2]]), states: new Map([['open', 4]]) }
    expect(findUnmapped(cfg, sections, observed)).toEqual([
      { section: 'boxes', value: 'g2', count: 2 },
      { section: 'states', value: 'open', count: 4 },
    ])
    expect(() => assertAllMapped(cfg, sections, observed)).toThrow(/mapping\.boxes\["g2"\]: used by 2 record/)
    const withDefault = parseMappingConfig('{"mapping": {"boxes": {"*": 1}, "states": {"*": "open"}}}', sections)
    expect(() => assertAllMapped(withDefault, sections, observed)).not.toThrow()
  })
})
