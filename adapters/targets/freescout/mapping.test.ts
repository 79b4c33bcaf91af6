import { describe, expect, it } from 'vitest'
import { defaultMappingConfig } from '../../../src/core/mapping-config.js'
import { ConfigError } from '../../../src/core/errors.js'
import { assertMappedValuesExist } from '../../../src/engine/mapping-checks.js'
import { createFreescoutTarget } from './index.js'
import { FREESCOUT_MAPPING, unknownMailboxes, type FsMappingConfig } from './mapping.js'
import type { FsLookups } from './plan-ops.js'

const lookups = { mailboxes: [{ id: 1, email: 'support@acme.test', name: 'Support' }, { id: 2, email: 'sales@acme.test', name: 'Sales' }] } as unknown as FsLookups
const config = (mailboxes: Record<string, number | string>) => defaultMappingConfig({ mailboxes }, FREESCOUT_MAPPING) as FsMappingConfig

describe('FreeScout mapping sections', () => {
  it('finds mapped mailboxes FreeScout does not have, by id or email, and lists what exists', () => {
    expect(unknownMailboxes(config({ g1: 1, g2: 'SALES@acme.test', '*': 2 }), lookups)).toEqual([])
    expect(unknownMailboxes(config({ g1: 7, g2: 'nobody@acme.test' }), lookups)).toEqual([
      { section: 'mailboxes', key: 'g1', value: '7', available: ['1 (support@acme.test)', '2 (sales@acme.test)'] },
      { section: 'mailboxes', key: 'g2', value: 'nobody@acme.test', available: ['1 (support@acme.test)', '2 (sales@acme.test)'] },
    ])
  })

  it('a missing mailbox is a ConfigError (exit 3) naming the value and the mailboxes that exist', () => {
    const target = createFreescoutTarget({ dbUrl: 'mysql://root@127.0.0.1:1/none', storageDir: '/nonexistent', appUrl: null, appKey: null })
    let err: unknown = null
    try {
      assertMappedValuesExist(target, config({ '*': 7 }), lookups)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(ConfigError)
    expect((err as ConfigError).exitCode).toBe(3)
    expect((err as Error).message).toContain('mapping.mailboxes["*"] = "7"')
    expect((err as Error).message).toContain('1 (support@acme.test), 2 (sales@acme.test)')
  })

  it('refuses a status FreeScout does not have', () => {
    expect(() => defaultMappingConfig({ statuses: { open: 'closed successful' } }, FREESCOUT_MAPPING)).toThrow(/mapping\.statuses\.open/)
  })
})
