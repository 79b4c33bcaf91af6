// Checks of the mapping before anything is planned: every staged value a target's section must cover has an
// entry (or a `*` default), and every mapped target value exists in the target.
import type { AnyTarget } from '../core/target.js'
import type { MappingConfig, ObservedValues } from '../core/mapping-config.js'
import { assertAllMapped } from '../core/mapping-config.js'
import { ConfigError } from '../core/errors.js'
import type { StagingStore } from '../staging/store.js'
import { observedValues } from '../staging/observed.js'

/** Values the target's declared sections must cover, read from staging with SQL (memory-flat). */
export function observedFor(store: StagingStore, source: string, target: AnyTarget): ObservedValues {
  return Object.fromEntries((target.mappingSections ?? []).map((s) => [s.name, observedValues(store.db, source, s.observe)]))
}

/** Throws `ConfigError` (exit 3) listing every staged value a declared section does not map. */
export function assertMappingCovers(store: StagingStore, source: string, target: AnyTarget, config: MappingConfig): void {
  const sections = target.mappingSections ?? []
  if (sections.length) assertAllMapped(config, sections, observedFor(store, source, target))
}

/**
 * Throws `ConfigError` (exit 3) when the mapping names target values the target does not have (e.g. mailbox 7),
 * naming each and listing what exists. Uses the target's optional `checkMapping` over `prepare`'s lookups.
 */
export function assertMappedValuesExist(target: AnyTarget, config: MappingConfig, lookups: unknown): void {
  const unknown = target.checkMapping?.(config, lookups) ?? []
  if (unknown.length === 0) return
  const lines = unknown.map((u) => `  mapping.${u.section}[${JSON.stringify(u.key)}] = ${JSON.stringify(u.value)}: no such ${u.section.replace(/s$/, '')} in ${target.id} (it has: ${u.available.join(', ') || 'none'})`)
  throw new ConfigError(`deskmove.json maps to ${unknown.length} value(s) ${target.id} does not have:\n${lines.join('\n')}`, {
    code: 'CONFIG_UNKNOWN_TARGET_VALUE',
    hint: 'use one of the listed values in deskmove.json',
  })
}
