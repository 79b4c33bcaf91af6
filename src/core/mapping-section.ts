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
}

/**
 * One mapping section a target declares: `mapping.<name>` in deskmove.json is an object from source value
 * (or `*`, the default for the rest) to a target value that `values` accepts.
 */
export interface MappingSection<V = unknown> {
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
}

/** Values observed in staging per section name, with how many records use each. */
export type ObservedValues = Readonly<Record<string, ReadonlyMap<string, number> | undefined>>

/** One observed value without a mapping. */
export interface UnmappedValue {
  readonly section: string
  readonly value: string
  readonly count: number
}

export type AnyMappingSection = MappingSection<any>
