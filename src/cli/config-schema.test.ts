import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SCHEMA_PATH, registeredSchemaText } from './write-config-schema.js'
import { deskmoveJsonSchema } from '../core/config-schema.js'
import { znunyShapedTarget } from '../testing/examples/znuny-shaped-target.js'
import { findTarget } from '../../adapters/index.js'

describe('schemas/deskmove.schema.json', () => {
  it('is what the zod schemas generate (run `npm run schema` after changing them)', () => {
    const committed = readFileSync(resolve(import.meta.dirname, '../..', SCHEMA_PATH), 'utf8')
    expect(committed).toBe(registeredSchemaText())
  })

  it('covers the core policies and each target\'s own sections', () => {
    const s = deskmoveJsonSchema({ sources: [], targets: [findTarget('freescout'), znunyShapedTarget] }) as { properties: { mapping: { properties: Record<string, unknown>; additionalProperties: boolean } } }
    const mapping = s.properties.mapping
    expect(Object.keys(mapping.properties).sort()).toEqual(['agents', 'customersWithoutEmail', 'keepNumbers', 'mailboxes', 'queues', 'states', 'statuses', 'unmatchedAgents'])
    expect(mapping.additionalProperties).toBe(false)
    expect(JSON.stringify(mapping.properties.states)).toContain('closed successful')
    expect(JSON.stringify(mapping.properties.statuses)).toContain('from-canonical')
  })
})
