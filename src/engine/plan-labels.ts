// Target values as a person reads them in a plan: each mapping section's observed source values with the
// target value they go to (by name), and names for the raw values op summaries hold (status 3 → closed).
import type { AnyTarget } from '../core/target.js'
import { DEFAULT_KEY, type MappingConfig } from '../core/mapping-config.js'
import type { StagingStore } from '../staging/store.js'
import { observedFor } from './mapping-checks.js'
import { describeRecords } from '../staging/observed.js'
import type { FieldChange } from './plan-file.js'

/** One observed source value of a mapping section, where it goes, and how many records use it. */
export interface PlannedMapping {
  readonly section: string
  readonly value: string
  readonly count: number
  /** The source record's name and email when the value is one's id (a mailbox), else absent. */
  readonly valueName?: string
  /** The target value by name (`closed`, `Support <support@x.com>`), or as written when the target does not name it. */
  readonly target: string
  /** Whether it comes from the `*` default rather than its own entry. */
  readonly byDefault: boolean
}

/** Each section's observed values and where they go, and names for the raw values in `changes`. */
export function planLabels(store: StagingStore, source: string, target: AnyTarget, config: MappingConfig, lookups: unknown, changes: readonly FieldChange[]): { mapping: PlannedMapping[]; labels: Record<string, Record<string, string>> } {
  const sections = target.mappingSections ?? []
  const observed = observedFor(store, source, target)
  const mapping: PlannedMapping[] = []
  const labels: Record<string, Record<string, string>> = {}
  const name = (s: (typeof sections)[number], v: unknown): string => {
    if (!s.display || lookups === undefined) return String(v)
    return s.display.label(v, lookups) ?? String(v)
  }
  for (const s of sections) {
    const map = (config[s.name] ?? {}) as Record<string, unknown>
    const described = s.observe.describedBy ? describeRecords(store.db, source, s.observe.describedBy) : null
    for (const [value, count] of [...(observed[s.name] ?? new Map<string, number>())].sort((a, b) => b[1] - a[1])) {
      const own = Object.hasOwn(map, value)
      const to = own ? map[value] : map[DEFAULT_KEY]
      const d = described?.get(value)
      const valueName = d ? [d.name, d.email ? `<${d.email}>` : null].filter(Boolean).join(' ') : ''
      mapping.push({ section: s.name, value, count, ...(valueName ? { valueName } : {}), target: to === undefined ? '(unmapped)' : name(s, to), byDefault: !own })
    }
    if (!s.display) continue
    for (const c of changes.filter((x) => x.field === s.display!.field)) {
      for (const v of [c.before, c.after]) {
        if (v === null || v === undefined) continue
        const label = name(s, v)
        if (label !== String(v)) (labels[s.display.field] ??= {})[String(v)] = label
      }
    }
  }
  return { mapping, labels }
}
