import { describe, expect, it } from 'vitest'
import { assertAllMapped, findUnmapped, initConfigText, parseMappingConfig, stripJsonComments } from './mapping-config.js'
import { ConfigError } from './errors.js'

describe('deskmove.json', () => {
  it('reads the commented starting file that init writes', () => {
    const cfg = parseMappingConfig(initConfigText())
    expect(cfg).toMatchObject({ statuses: { '*': 'from-canonical' }, unmatchedAgents: { policy: 'create-disabled' }, customersWithoutEmail: { policy: 'placeholder', domain: 'noemail.invalid' }, keepNumbers: false })
  })
  it('strips comments outside strings and trailing commas', () => {
    expect(JSON.parse(stripJsonComments('{"a": "http://x//y", /* b */ "c": [1,], // d\n}'))).toEqual({ a: 'http://x//y', c: [1] })
  })
  it('rejects invalid values naming the path', () => {
    expect(() => parseMappingConfig('{"mapping": {"statuses": {"open": "wrong"}}}')).toThrow(/mapping\.statuses\.open/)
    expect(() => parseMappingConfig('{"mapping": {"customersWithoutEmail": {"policy": "placeholder", "pattern": "x@y", "domain": "a.test"}}}')).toThrow(ConfigError)
  })
  it('lists every observed value without mapping and without default, with counts', () => {
    const cfg = parseMappingConfig('{"mapping": {"mailboxes": {"g1": 1}}}')
    const observed = { mailboxes: new Map([['g1', 3], ['g2', 2]]), statuses: new Map([['active', 4]]) }
    expect(findUnmapped(cfg, observed)).toEqual([
      { section: 'mailboxes', value: 'g2', count: 2 },
      { section: 'statuses', value: 'active', count: 4 },
    ])
    expect(() => assertAllMapped(cfg, observed)).toThrow(/mapping\.mailboxes\["g2"\]: used by 2 ticket/)
    const withDefault = parseMappingConfig('{"mapping": {"mailboxes": {"*": 1}, "statuses": {"*": "from-canonical"}}}')
    expect(() => assertAllMapped(withDefault, observed)).not.toThrow()
  })
})
