// Znuny's own mapping sections of deskmove.json, with Znuny's names: queues, states, priorities, types, owners.
// Every mapped value is checked against what the target has before anything is planned (`unknownValues`).
import { z } from 'zod'
import { DEFAULT_KEY, sectionOf, type MappingConfig, type MappingSection } from '../../../src/core/mapping-config.js'
import type { TicketStatus } from '../../../src/core/model/ticket.js'
import type { UnknownTargetValue } from '../../../src/core/target.js'
import type { ZnLookups } from './lookups.js'

/** `from-status`: the Znuny state that means what the source's canonical status means. */
export const FROM_STATUS = 'from-status'
export const STATE_OF_STATUS: Readonly<Record<TicketStatus, string>> = {
  open: 'open',
  pending: 'pending reminder',
  closed: 'closed successful',
  spam: 'closed unsuccessful',
}
export const PRIORITY_OF_CANONICAL: Readonly<Record<string, string>> = { low: '2 low', normal: '3 normal', high: '4 high', urgent: '5 very high', '(none)': '3 normal' }

const nameSchema = z.string().min(1).max(200)

export const queuesSection: MappingSection<string, ZnLookups> = {
  name: 'queues',
  description: 'Source group/mailbox id to a Znuny queue name (sub-queues as `Parent::Child`).',
  values: nameSchema.regex(/^[^:]+(::[^:]+)*$/, 'a queue name such as Support::L1'),
  observe: { kind: 'ticket', path: '$.groupRef.sourceId', describedBy: 'group' },
  template: `// Source group/mailbox id → Znuny queue (\`Parent::Child\` for sub-queues).
"queues": {
  "*": "Raw"
}`,
}

export const statesSection: MappingSection<string, ZnLookups> = {
  name: 'states',
  description: `Source status value to a Znuny ticket state name, or "${FROM_STATUS}" (open → open, pending → pending reminder, closed → closed successful, spam → closed unsuccessful).`,
  values: nameSchema,
  observe: { kind: 'ticket', path: '$.vendorStatus' },
  template: `// Source status → Znuny state ("${FROM_STATUS}": open, pending reminder, closed successful, closed unsuccessful).
"states": {
  "*": "${FROM_STATUS}"
}`,
}

export const prioritiesSection: MappingSection<string, ZnLookups> = {
  name: 'priorities',
  description: 'Source priority (low, normal, high, urgent, or (none)) to a Znuny priority name.',
  values: nameSchema,
  observe: { kind: 'ticket', path: '$.priority' },
  template: `"priorities": {
  "low": "2 low",
  "normal": "3 normal",
  "high": "4 high",
  "urgent": "5 very high",
  "*": "3 normal"
}`,
}

export const typesSection: MappingSection<string | null, ZnLookups> = {
  name: 'types',
  description: 'Source channel (email, chat, phone, web, …) to a Znuny ticket type, or null for Znuny\'s default (needed only when Ticket::Type is on).',
  values: nameSchema.nullable(),
  observe: { kind: 'ticket', path: '$.channel' },
  template: `// Source channel → Znuny ticket type (null: Znuny's default type).
"types": {
  "*": null
}`,
}

export const ownersSection: MappingSection<string | null, ZnLookups> = {
  name: 'owners',
  description: 'Source agent id (the ticket\'s assignee) to a Znuny agent login, or null to leave the ticket with the importing agent. Set after the import without notification (needs ZNUNY_DB_URL).',
  values: nameSchema.nullable(),
  observe: { kind: 'ticket', path: '$.assigneeRef.sourceId', describedBy: 'agent' },
  template: `// Source agent id → Znuny agent login (null: the ticket stays with the importing agent).
"owners": {
  "*": null
}`,
}

export const ZNUNY_MAPPING = [queuesSection, statesSection, prioritiesSection, typesSection, ownersSection] as const

/** The mapped value of a source value (its entry, else `*`), or undefined when neither exists. */
export function mapped<T>(config: MappingConfig, section: string, value: string): T | undefined {
  const m = sectionOf(config, section)
  return (value in m ? m[value] : m[DEFAULT_KEY]) as T | undefined
}

/** Where each mapped value must exist in the target, and what the target has. */
const CHECKS: readonly { section: string; list: (l: ZnLookups) => readonly string[] | null }[] = [
  { section: 'queues', list: (l) => l.queues },
  { section: 'states', list: (l) => l.states },
  { section: 'priorities', list: (l) => l.priorities },
  { section: 'types', list: (l) => l.types },
  { section: 'owners', list: (l) => l.agents },
]

/**
 * Mapped values the target does not have, every one of them (the plan lists them all, nothing is written).
 * Lists Znuny could not be asked for (no ZNUNY_DB_URL: the REST API has no operation listing them) are not
 * checked here; the plan says so.
 */
export function unknownValues(config: MappingConfig, l: ZnLookups): UnknownTargetValue[] {
  const out: UnknownTargetValue[] = []
  for (const c of CHECKS) {
    const have = c.list(l)
    if (!have) continue
    for (const [key, raw] of Object.entries(sectionOf(config, c.section))) {
      if (raw === null || raw === undefined) continue
      const values = c.section === 'states' && raw === FROM_STATUS ? Object.values(STATE_OF_STATUS) : [String(raw)]
      for (const v of values) if (!have.includes(v)) out.push({ section: c.section, key, value: v, available: [...have] })
    }
  }
  return out
}
