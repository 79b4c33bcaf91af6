// Issue 8 item 9: `init` writes every observed mailbox and status, matched where FreeScout has the same one.
import { describe, expect, it } from 'vitest'
import { parseMappingConfig } from '../../../src/core/mapping-config.js'
import { initConfigText, renderSuggestedSection } from '../../../src/core/init-config.js'
import { FREESCOUT_MAPPING, mailboxesSection, statusesSection, suggestMailboxes } from './mapping.js'
import type { FsLookups } from './plan-ops.js'

const lookups = { mailboxes: [{ id: 4, email: 'help@acme.test', name: 'Help Desk' }, { id: 9, email: 'billing@acme.test', name: 'Accounts' }] } as unknown as FsLookups
const observed = [
  { value: '3001', count: 15, name: 'Billing', email: 'BILLING@acme.test' },
  { value: '3002', count: 7, name: 'help desk', email: 'other@acme.test' },
  { value: '3003', count: 2, name: 'Sales', email: 'sales@acme.test' },
]

describe('init suggestions for FreeScout mailboxes', () => {
  it('matches by email first, then by name, and leaves the rest as choices going to the first mailbox', () => {
    const s = suggestMailboxes(observed, lookups)
    expect(s.entries.map((e) => [e.value, e.target])).toEqual([['3001', 9], ['3002', 4], ['3003', null]])
    expect(s.entries[0]!.note).toMatch(/^Billing <BILLING@acme.test>: 15 tickets; matched by email → Accounts <billing@acme.test>$/)
    expect(s.entries[1]!.note).toMatch(/matched by name → Help Desk/)
    expect(s.entries[2]!.note).toMatch(/^Sales <sales@acme.test>: 2 tickets; no FreeScout mailbox/)
    expect(s.fallback).toEqual({ target: 4, note: expect.stringMatching(/^1 unmatched mailbox\(es\) go here/) })
    expect(s.choices).toEqual(['4 = Help Desk <help@acme.test>', '9 = Accounts <billing@acme.test>'])
  })

  it('without the target, lists every value as a choice and sets no default (plan then names them)', () => {
    const s = suggestMailboxes(observed, null)
    expect(s.entries.every((e) => e.target === null)).toBe(true)
    expect(s.fallback).toBeNull()
  })

  it('writes a file that parses to the matched mapping, each value with its count', () => {
    const sectionTexts = {
      mailboxes: renderSuggestedSection(mailboxesSection, suggestMailboxes(observed, lookups)),
      statuses: renderSuggestedSection(statusesSection, statusesSection.suggest!([{ value: 'closed', count: 3 }], null)),
    }
    const text = initConfigText({ displayName: 'FreeScout', sections: FREESCOUT_MAPPING }, { schemaPath: '/opt/deskmove/schemas/deskmove.schema.json', sectionTexts, agentLines: ['// "a@x.test": "user@yourcompany.com",  // A: 2 tickets assigned'] })
    expect(text).toContain('"$schema": "/opt/deskmove/schemas/deskmove.schema.json"')
    expect(text).toContain('// "3003": 4,  // Sales <sales@acme.test>: 2 tickets')
    expect(text).toContain('// "closed": "from-canonical",  // 3 tickets')
    const cfg = parseMappingConfig(text, FREESCOUT_MAPPING)
    expect(cfg.mailboxes).toEqual({ '3001': 9, '3002': 4, '*': 4 })
    expect(cfg.statuses).toEqual({ '*': 'from-canonical' })
    expect(cfg.agents).toEqual({})
  })
})

describe('FreeScout values by name in plans', () => {
  it('names statuses from their codes and mailboxes from their ids or emails', () => {
    expect(statusesSection.display!.label(3, lookups)).toBe('closed')
    expect(statusesSection.display!.label('pending', lookups)).toBe('pending')
    expect(statusesSection.display!.label(42, lookups)).toBeNull()
    expect(mailboxesSection.display!.label(9, lookups)).toBe('Accounts <billing@acme.test>')
    expect(mailboxesSection.display!.label('HELP@acme.test', lookups)).toBe('Help Desk <help@acme.test>')
    expect(mailboxesSection.display!.label(5, lookups)).toBeNull()
  })
})

describe('init suggestions for agents', () => {
  it('matches a staged agent to the FreeScout user with its email, and says what happens to the rest', async () => {
    const { suggestAgents } = await import('./mapping.js')
    const users = { 'ada@acme.test': { id: 3, status: 1 } }
    const s = suggestAgents([{ value: 'Ada@acme.test', count: 7, name: 'Ada', email: 'Ada@acme.test' }, { value: '1002', count: 1, name: 'Bo', email: null }], { users })
    expect(s).toEqual([
      { value: 'Ada@acme.test', target: 3, note: 'Ada: 7 tickets assigned; matched by email → FreeScout user 3 (no entry needed)' },
      { value: '1002', target: null, note: 'Bo: 1 ticket assigned; no FreeScout user with this email: created disabled (unmatchedAgents) unless you map it' },
    ])
  })
})
