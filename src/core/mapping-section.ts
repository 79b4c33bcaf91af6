// A target's own mapping sections (deskmove.json `mapping.<name>`), declared as data: the engine validates
// them, finds observed source values without a mapping, writes the `init` template and the JSON Schema.
import type { z } from 'zod'
import type { EntityKind } from './model/common.js'

/** The key every map accepts as its explicit default. */
export const DEFAULT_KEY = '*'

/**
 * Where the observed source values of a section come from: a JSON path into the canonical records of one
 * kind (e.g. tickets' `$.vendorStatus`). Staging answers it with SQL, so it stays memory-flat.
 */
export interface ObservedField {
  readonly kind: EntityKind
  /** SQLite JSON path into the canonical record, e.g. `$.groupRef.sourceId`. Null values count as `(none)`. */
  readonly path: string
  /**
   * Optional: the kind of staged record whose source id the value is (e.g. `group` for `$.groupRef.sourceId`),
   * so `init` can show each value's name and email beside its count.
   */
  readonly describedBy?: EntityKind
}

/** One observed source value as `init` lists it: how many records use it, and its name and email when known. */
export interface ObservedEntry {
  readonly value: string
  readonly count: number
  readonly name?: string | null
  readonly email?: string | null
}

/** What a section suggests for one observed value: a target value (matched) or null (a commented choice). */
export interface SuggestedEntry<V = unknown> {
  readonly value: string
  readonly target: V | null
  /** Why, or what to choose from, for the comment beside it (e.g. `matched by email → Support (support@x.com)`). */
  readonly note: string
}

/** A section's suggestions for `init`: one per observed value, and the `*` default to write (or none). */
export interface SectionSuggestions<V = unknown> {
  readonly entries: readonly SuggestedEntry<V>[]
  /** The `*` default written uncommented, with its reason, or null for none. */
  readonly fallback: { readonly target: V; readonly note: string } | null
  /** The target's values, listed in a comment above the entries (e.g. `1 = Support (support@x.com)`). */
  readonly choices: readonly string[]
}

/**
 * One mapping section a target declares: `mapping.<name>` in deskmove.json is an object from source value
 * (or `*`, the default for the rest) to a target value that `values` accepts.
 */
export interface MappingSection<V = unknown, L = any> {
  /** The key under `mapping` (e.g. `mailboxes`, `statuses`, `queues`). Must not be a core policy name. */
  readonly name: string
  /** One line for the JSON Schema and `init` (what the keys and values are). */
  readonly description: string
  /** The zod schema of one mapped value (the target's status names, mailbox ids, queue names…). */
  readonly values: z.ZodType<V, z.ZodTypeDef, unknown>
  /** The staged values this section must cover; `plan` refuses while one has no entry and no `*` default. */
  readonly observe: ObservedField
  /**
   * The section as `deskmove init` writes it: JSONC lines (comments welcome) without the trailing comma,
   * starting with `"<name>": `. Indented by the caller.
   */
  readonly template: string
  /**
   * Optional: what `init` writes for each observed value, given the target's lookups (`prepare`'s answer, or
   * null when the target is not configured or cannot be read). PURE. Without it, `init` lists the observed
   * values as comments under the template.
   */
  suggest?(observed: readonly ObservedEntry[], lookups: L | null): SectionSuggestions<V>
  /**
   * Optional: how the target names this section's values in plans and reports, so a person reads
   * `closed` and `Support <support@x.com>`, never a numeric code. `field` is the op summary field holding
   * such a value (e.g. `status`, `mailbox_id`); `label` answers null for a value it does not know. PURE.
   */
  readonly display?: { readonly field: string; label(value: unknown, lookups: L): string | null }
}

/** Values observed in staging per section name, with how many records use each. */
export type ObservedValues = Readonly<Record<string, ReadonlyMap<string, number> | undefined>>

/** One observed value without a mapping. */
export interface UnmappedValue {
  readonly section: string
  readonly value: string
  readonly count: number
}

export type AnyMappingSection = MappingSection<any, any>

/**
 * Optional on a target definition: what `init` says about each staged agent (value = its email or id, with
 * name and ticket count), given the target's lookups: matched to a user (`target` set) or left for a choice.
 */
export type AgentSuggester<L = any> = (agents: readonly ObservedEntry[], lookups: L) => readonly SuggestedEntry<string | number>[]
