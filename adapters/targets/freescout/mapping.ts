// FreeScout's own mapping sections of deskmove.json: source groups → mailboxes, vendor statuses → statuses.
// Declared as data; the engine validates them, lists unmapped staged values, and `init` writes the template.
import { z } from 'zod'
import type { MappingConfig, MappingSection } from '../../../src/core/mapping-config.js'
import type { UnknownTargetValue } from '../../../src/core/target.js'
import type { FsLookups } from './plan-ops.js'

/** FreeScout status names (their numeric codes live in counters.ts). */
export const FS_STATUS_NAMES = ['active', 'pending', 'closed', 'spam'] as const

/** A status mapping value: a FreeScout status, or `from-canonical` (open→active, pending, closed, spam). */
export const fsStatusTargetSchema = z.enum([...FS_STATUS_NAMES, 'from-canonical'])
export type FsStatusTarget = z.infer<typeof fsStatusTargetSchema>

/** A FreeScout mailbox named by numeric id or by its email address. */
export const fsMailboxSchema = z.union([z.number().int().positive(), z.string().email()])

export const mailboxesSection: MappingSection<number | string> = {
  name: 'mailboxes',
  description: 'Source mailbox/group id (or its email) to FreeScout mailbox id or email.',
  values: fsMailboxSchema,
  observe: { kind: 'ticket', path: '$.groupRef.sourceId' },
  template: `// Source mailbox/group id (or its email) → FreeScout mailbox id or email.
"mailboxes": {
  // "123456": 1,
  // "support@example.com": "support@yourcompany.com",
  // "*": 1
}`,
}

export const statusesSection: MappingSection<FsStatusTarget> = {
  name: 'statuses',
  description: 'Source status value (as the vendor names it) to active | pending | closed | spam | from-canonical.',
  values: fsStatusTargetSchema,
  observe: { kind: 'ticket', path: '$.vendorStatus' },
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
