// The JSON Schema of deskmove.json, generated from the zod schemas (core policies, each target's mapping
// sections, each adapter's config) so editors validate exactly what deskmove validates.
import { z } from 'zod'
import { zodToJsonSchema } from 'zod-to-json-schema'
import { corePoliciesShape, sectionSchema } from './mapping-config.js'
import type { AnyMappingSection } from './mapping-section.js'
import type { ConfigSpec } from './config-spec.js'

/** What the schema needs from a registered adapter. */
export interface SchemaAdapter {
  readonly id: string
  readonly config: ConfigSpec<unknown>
  readonly mapping?: readonly AnyMappingSection[]
}

/** An adapter's config section: every field optional in the file (environment variables may supply it). */
function adapterSection(a: SchemaAdapter): z.ZodTypeAny {
  const declared = a.config.schema as z.ZodTypeAny
  // A config that reshapes its input (`.transform`) is written in the file as the object it reads.
  const s = declared instanceof z.ZodEffects ? (declared.innerType() as z.ZodTypeAny) : declared
  return s instanceof z.ZodObject ? s.partial().describe(`${a.id} settings (environment variables take precedence)`) : z.record(z.unknown())
}

/**
 * The schema of deskmove.json for these adapters. A section declared by several targets accepts any of
 * their value schemas (the file is validated against the chosen target when a command runs).
 */
export function deskmoveJsonSchema(a: { readonly sources: readonly SchemaAdapter[]; readonly targets: readonly SchemaAdapter[] }): object {
  const byName = new Map<string, AnyMappingSection[]>()
  for (const t of a.targets) for (const s of t.mapping ?? []) byName.set(s.name, [...(byName.get(s.name) ?? []), s])
  const sections: Record<string, z.ZodTypeAny> = {}
  for (const [name, list] of [...byName].sort((x, y) => x[0].localeCompare(y[0]))) {
    const owners = a.targets.filter((t) => t.mapping?.some((s) => s.name === name)).map((t) => t.id)
    const schemas = list.map((s) => sectionSchema(s))
    const one = schemas.length === 1 ? schemas[0]! : z.union(schemas as unknown as [z.ZodTypeAny, z.ZodTypeAny])
    sections[name] = one.describe(`${list[0]!.description} "*" is the default for the rest. (${owners.join(', ')})`)
  }
  const file = z
    .object({
      $schema: z.string().optional(),
      mapping: z
        .object({ ...sections, ...corePoliciesShape })
        .strict()
        .optional()
        .describe('How source values become target values: the shared policies and the chosen target\'s own sections.'),
      sources: z.object(Object.fromEntries(a.sources.map((s) => [s.id, adapterSection(s).optional()]))).strict().optional(),
      targets: z.object(Object.fromEntries(a.targets.map((t) => [t.id, adapterSection(t).optional()]))).strict().optional(),
    })
    .strict()
    .describe('deskmove configuration: adapter sections and the mapping from source values to target values.')
  const schema = zodToJsonSchema(file, { target: 'jsonSchema7', $refStrategy: 'none' }) as Record<string, unknown>
  return { $schema: schema.$schema, $id: 'https://deskmove.dev/schemas/deskmove.schema.json', title: 'deskmove.json', ...schema }
}

/** The schema as the committed file holds it (stable formatting, trailing newline). */
export function deskmoveJsonSchemaText(a: Parameters<typeof deskmoveJsonSchema>[0]): string {
  return JSON.stringify(deskmoveJsonSchema(a), null, 2) + '\n'
}
