// FreeScout's own mapping sections of deskmove.json: source groups → mailboxes, vendor statuses → statuses.
// Declared as data; the engine validates them, lists unmapped staged values, and `init` writes the template.
import { z } from 'zod'
import type { MappingConfig, MappingSection, ObservedEntry, SectionSuggestions, SuggestedEntry } from '../../../src/core/mapping-config.js'
import type { UnknownTargetValue } from '../../../src/core/target.js'
import type { FsLookups } from './plan-ops.js'
import { CONVERSATION_STATUS } from './counters.js'

/** FreeScout status names (their numeric codes live in counters.ts). */
export const FS_STATUS_NAMES = ['active', 'pending', 'closed', 'spam'] as const

/** A FreeScout status by name, from its numeric code (what the database and op summaries hold) or its name. */
export function statusName(v: unknown): string | null {
  if (typeof v === 'string' && (FS_STATUS_NAMES as readonly string[]).concat('from-canonical').includes(v)) return v
  return (Object.entries(CONVERSATION_STATUS).find(([, code]) => code === Number(v))?.[0] as string | undefined) ?? null
}

/** A status mapping value: a FreeScout status, or `from-canonical` (open→active, pending, closed, spam). */
export const fsStatusTargetSchema = z.enum([...FS_STATUS_NAMES, 'from-canonical'])
export type FsStatusTarget = z.infer<typeof fsStatusTargetSchema>

/** A FreeScout mailbox named by numeric id or by its email address. */
export const fsMailboxSchema = z.union([z.number().int().positive(), z.string().email()])

const label = (o: { name?: string | null; email?: string | null }) => [o.name, o.email ? `<${o.email}>` : null].filter(Boolean).join(' ')
const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`

/**
 * `init`'s suggestion for mailboxes: each source mailbox matched to the FreeScout mailbox with the same email,
 * else the same name; the rest stay commented choices and go to the first mailbox (`*`) until chosen, so the
 * file plans as written and the plan shows where each went.
 */
export function suggestMailboxes(observed: readonly ObservedEntry[], l: Pick<FsLookups, 'mailboxes'> | null): SectionSuggestions<number> {
  const boxes = l?.mailboxes ?? []
  const choices = boxes.map((m) => `${m.id} = ${label(m)}`)
  const entries = observed.map((o) => {
    const byEmail = o.email ? boxes.find((m) => m.email.toLowerCase() === o.email!.toLowerCase()) : undefined
    const byName = o.name ? boxes.find((m) => m.name.trim().toLowerCase() === o.name!.trim().toLowerCase()) : undefined
    const match = byEmail ?? byName
    const what = `${label(o) || 'source mailbox'}: ${plural(o.count, 'ticket')}`
    if (match) return { value: o.value, target: match.id, note: `${what}; matched by ${byEmail ? 'email' : 'name'} → ${label(match)}` }
    return { value: o.value, target: null, note: `${what}; no FreeScout mailbox with this email or name: choose one of the ids above` }
  })
  const first = boxes[0]
  const unmatched = entries.filter((e) => e.target === null).length
  const fallback = first && unmatched > 0 ? { target: first.id, note: `${unmatched} unmatched mailbox(es) go here until you choose above: ${label(first)}` } : null
  return { entries, fallback, choices }
}

/** `init`'s suggestion for statuses: every observed status listed, all following `from-canonical` by default. */
export function suggestStatuses(observed: readonly ObservedEntry[]): SectionSuggestions<FsStatusTarget> {
  return {
    entries: observed.map((o) => ({ value: o.value, target: null, note: `${plural(o.count, 'ticket')}; by default from-canonical` })),
    fallback: { target: 'from-canonical', note: 'open → active, pending, closed, spam as the source meant them' },
    choices: [...FS_STATUS_NAMES, 'from-canonical'],
  }
}

export const mailboxesSection: MappingSection<number | string, FsLookups> = {
  name: 'mailboxes',
  description: 'Source mailbox/group id (or its email) to FreeScout mailbox id or email.',
  values: fsMailboxSchema,
  observe: { kind: 'ticket', path: '$.groupRef.sourceId', describedBy: 'group' },
  suggest: suggestMailboxes,
  display: {
    field: 'mailbox_id',
    label: (v, l) => {
      const m = l.mailboxes.find((x) => x.id === Number(v) || (typeof v === 'string' && x.email.toLowerCase() === v.toLowerCase()))
      return m ? label(m) : null
    },
  },
  template: `// Source mailbox/group id (or its email) → FreeScout mailbox id or email.
"mailboxes": {
  // "123456": 1,
  // "support@example.com": "support@yourcompany.com",
  // "*": 1
}`,
}

export const statusesSection: MappingSection<FsStatusTarget, FsLookups> = {
  name: 'statuses',
  description: 'Source status value (as the vendor names it) to active | pending | closed | spam | from-canonical.',
  values: fsStatusTargetSchema,
  observe: { kind: 'ticket', path: '$.vendorStatus' },
  suggest: suggestStatuses,
  display: { field: 'status', label: (v) => statusName(v) },
  template: `// Source status value (as the vendor names it) → active | pending | closed | spam | from-canonical.
"statuses": {
  "*": "from-canonical"
}`,
}

/** FreeScout's sections, in the order `init` writes them. */
export const FREESCOUT_MAPPING = [mailboxesSection, statusesSection] as const

/** The mapping as FreeScout's planner reads it. */
export type FsMappingConfig = MappingConfig & {
  readonly mailboxes: Readonly<Record<string, number | string>>
  readonly statuses: Readonly<Record<string, FsStatusTarget>>
}

/** Mailboxes named in `mapping.mailboxes` that FreeScout does not have (checked before planning). */
export function unknownMailboxes(config: FsMappingConfig, l: FsLookups): UnknownTargetValue[] {
  const out: UnknownTargetValue[] = []
  const available = l.mailboxes.map((m) => `${m.id} (${m.email})`)
  for (const [key, v] of Object.entries(config.mailboxes ?? {})) {
    const found = typeof v === 'number' ? l.mailboxes.some((m) => m.id === v) : l.mailboxes.some((m) => m.email.toLowerCase() === v.toLowerCase())
    if (!found) out.push({ section: 'mailboxes', key, value: String(v), available })
  }
  return out
}

/** `init`'s word on each staged agent: the FreeScout user with the same email (no entry needed), or a choice. */
export function suggestAgents(agents: readonly ObservedEntry[], l: Pick<FsLookups, 'users'>): SuggestedEntry<number>[] {
  return agents.map((a) => {
    const what = `${a.name ?? 'agent'}: ${plural(a.count, 'ticket')} assigned`
    const user = a.email ? l.users[a.email.toLowerCase()] : undefined
    if (user) return { value: a.value, target: user.id, note: `${what}; matched by email → FreeScout user ${user.id} (no entry needed)` }
    return { value: a.value, target: null, note: `${what}; no FreeScout user with this email: created disabled (unmatchedAgents) unless you map it` }
  })
}
