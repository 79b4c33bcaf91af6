import { describe, expect, it } from 'vitest'
import type { CanonicalOf } from '../../../src/core/model/index.js'
import type { EntityKind } from '../../../src/core/model/common.js'
import type { Mapped } from '../../../src/kits/source/mapping-result.js'
import { mapGroup, mapOrganization, mapTicketField, mapUser, pseudoField } from './to-canonical.js'
import { contentTypeOf } from './content-type.js'

const only = <K extends EntityKind>(m: Mapped, kind: K): CanonicalOf<K>[] =>
  m.records.map((r) => r.canonical).filter((c): c is CanonicalOf<K> => c.kind === kind)

describe('users → agents and customers', () => {
  it('maps an admin to an agent; a suspended one is inactive', () => {
    const [a] = only(mapUser({ id: 7, name: 'Ada Admin', email: 'ada@acme.example', role: 'admin', suspended: true, time_zone: 'Berlin', created_at: '2020-01-01T00:00:00Z', updated_at: '2021-01-01T00:00:00Z' }, 'p'), 'agent')
    expect(a).toMatchObject({ sourceId: '7', name: 'Ada Admin', email: 'ada@acme.example', role: 'admin', active: false, timezone: 'Berlin', sourceUpdatedAt: '2021-01-01T00:00:00Z' })
  })

  it('maps an end user without email (social channels) to a customer with no address, organisation and fields kept', () => {
    const m = mapUser({ id: '1202799091', name: 'Stretch', email: null, role: 'end-user', organization_id: 55, notes: 'VIP', user_fields: { plan: 'gold', empty: null } }, 'p', new Map([['plan', 'Plan']]))
    const [c] = only(m, 'customer')
    expect(c).toMatchObject({ sourceId: '1202799091', firstName: 'Stretch', emails: [], organizationRef: { kind: 'organization', sourceId: '55' }, notes: 'VIP', properties: [{ name: 'Plan', value: 'gold', text: 'gold' }] })
    expect(m.rejects).toEqual([])
  })

  it('stages a nameless user with a warning rather than rejecting it', () => {
    const m = mapUser({ id: 9, role: 'end-user', email: 'x@acme.example' }, 'p')
    expect(m.records).toHaveLength(1)
    expect(m.records[0]?.warnings).toEqual([{ code: 'missing-field', detail: 'name' }])
  })

  it('rejects a user without an id, naming the field', () => {
    const m = mapUser({ name: 'No id', role: 'agent' }, 'https://x/api/v2/incremental/users.json')
    expect(m.records).toEqual([])
    expect(m.rejects[0]).toMatchObject({ kind: 'agent', reason: 'schema-mismatch', detail: expect.stringContaining('id') })
  })
})

describe('organisations, groups, fields', () => {
  it('keeps organisation fields and notes readable in the notes', () => {
    const [o] = only(mapOrganization({ id: 3, name: 'Acme', domain_names: ['acme.example'], notes: 'Key account', organization_fields: { region: 'EU' } }, 'p', new Map([['region', 'Region']])), 'organization')
    expect(o).toMatchObject({ sourceId: '3', name: 'Acme', domains: ['acme.example'], notes: 'Key account\n\nRegion: EU' })
  })

  it('maps a group', () => {
    expect(only(mapGroup({ id: 24554931, name: 'Support', created_at: '2015-07-28T11:31:38Z' }, 'p'), 'group')[0]).toMatchObject({ sourceId: '24554931', name: 'Support', createdAt: '2015-07-28T11:31:38Z' })
  })

  it('maps custom ticket fields with their options and skips the system ones', () => {
    const m = mapTicketField({ id: 50, type: 'tagger', title: 'Plan', custom_field_options: [{ id: 1, name: 'Gold', value: 'plan_gold' }], required: true }, 'p')
    expect(only(m, 'custom_field')[0]).toMatchObject({ sourceId: '50', name: 'Plan', type: 'dropdown', options: [{ id: 'plan_gold', label: 'Gold' }], required: true })
    expect(mapTicketField({ id: 1, type: 'subject', title: 'Subject' }, 'p').records).toEqual([])
  })

  it('keeps brands and ticket forms as dropdown fields', () => {
    const [f] = only(pseudoField('brand', [{ id: 670701, name: 'Acme' }]), 'custom_field')
    expect(f).toMatchObject({ sourceId: 'brand', name: 'Brand', type: 'dropdown', options: [{ id: '670701', label: 'Acme' }] })
  })
})

describe('content types', () => {
  it('re-derives a type Zendesk guessed from the extension', () => {
    expect(contentTypeOf('README.md', 'application/x-genesis-rom')).toBe('text/markdown')
    expect(contentTypeOf('photo.JPG', 'application/octet-stream')).toBe('image/jpeg')
    expect(contentTypeOf('data.xyz', 'application/x-custom')).toBe('application/x-custom')
    expect(contentTypeOf('noext', null)).toBe('application/octet-stream')
  })
})
