// The `mapping` section of deskmove.json: the policies every target shares live here; each target adds its
// own sections (FreeScout: mailboxes, statuses; a Znuny target: queues, states) as declared data.
import { z } from 'zod'
import { ConfigError } from './errors.js'
import { parseJsonc } from './jsonc.js'
import { DEFAULT_KEY, type AnyMappingSection, type ObservedValues, type UnmappedValue } from './mapping-section.js'

export { DEFAULT_KEY } from './mapping-section.js'
export type { MappingSection, ObservedEntry, ObservedField, ObservedValues, SectionSuggestions, SuggestedEntry, UnmappedValue } from './mapping-section.js'

/** A target object named by numeric id or by email (users in `agents` and `unmatchedAgents`). */
export const idOrEmail = z.union([z.number().int().positive(), z.string().email()])

export const unmatchedAgentPolicySchema = z.discriminatedUnion('policy', [
  z.object({ policy: z.literal('map-to'), user: idOrEmail }).strict(),
  z.object({ policy: z.literal('create-disabled') }).strict(),
])

/** The placeholder `deskmove init` writes, and the policy when deskmove.json names none. */
export const DEFAULT_PLACEHOLDER = { policy: 'placeholder', pattern: 'noemail+{sourceId}@{domain}', domain: 'noemail.invalid' } as const

export const placeholderPolicySchema = z.discriminatedUnion('policy', [
  z
    .object({
      policy: z.literal('placeholder'),
      /** `{sourceId}` and `{domain}` are replaced; the result must be unique per customer. */
      pattern: z.string().includes('{sourceId}').default(DEFAULT_PLACEHOLDER.pattern),
      domain: z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i),
    })
    .strict(),
  z.object({ policy: z.literal('reject') }).strict(),
])

/** The policies every target shares. */
export const corePoliciesShape = {
  /** Source agent email or id → target user email or id; overrides matching by email. */
  agents: z.record(idOrEmail).default({}).describe('Source agent email or id to target user email or id.'),
  /** What happens to a source agent with no target user of the same email. */
  unmatchedAgents: unmatchedAgentPolicySchema.default({ policy: 'create-disabled' }).describe('Agents without a target user: create them disabled, or map them to one user.'),
  /** What happens to a customer without any email address (default: a placeholder on the reserved .invalid domain). */
  customersWithoutEmail: placeholderPolicySchema.default({ ...DEFAULT_PLACEHOLDER }).describe('Customers without an email: a placeholder address, or reject them.'),
  /** Keep the source ticket numbers. */
  keepNumbers: z.boolean().default(false).describe('Keep source ticket numbers.'),
}
export const CORE_POLICY_NAMES = Object.keys(corePoliciesShape)

export const corePoliciesSchema = z.object(corePoliciesShape).strict()
export type CorePolicies = z.infer<typeof corePoliciesSchema>

/**
 * The parsed mapping: the core policies plus the chosen target's sections by name (each an object from
 * source value to target value). Targets read their own sections with their own type (see `PlanDeps`).
 */
export type MappingConfig = CorePolicies & { readonly [section: string]: unknown }

/** The zod schema of one section: source value (or `*`) → target value, empty by default. */
export function sectionSchema(s: AnyMappingSection): z.ZodTypeAny {
  return z.record(s.values).default({}).describe(`${s.description} "${DEFAULT_KEY}" is the default for the rest.`)
}

/** The zod schema of `mapping` for a target with these sections (unknown keys are errors). */
export function mappingSchemaFor(sections: readonly AnyMappingSection[]): z.ZodTypeAny {
  const extra: Record<string, z.ZodTypeAny> = {}
  for (const s of sections) {
    if (s.name in corePoliciesShape) throw new Error(`mapping section "${s.name}" clashes with a core policy`)
    extra[s.name] = sectionSchema(s)
  }
  return z.object({ ...corePoliciesShape, ...extra }).strict()
}

/** Validates a `mapping` value (already parsed JSON). Throws `ConfigError` naming each invalid path. */
export function validateMapping(raw: unknown, sections: readonly AnyMappingSection[], fileName = 'deskmove.json'): MappingConfig {
  const r = mappingSchemaFor(sections).safeParse(raw ?? {})
  if (r.success) return r.data as MappingConfig
  const issues = r.error.issues.map((i) => {
    const path = ['mapping', ...i.path].join('.')
    if (i.code === 'unrecognized_keys') {
      const known = [...CORE_POLICY_NAMES, ...sections.map((s) => s.name)].join(', ')
      return `${path}: unknown key(s) ${i.keys.map((k) => `"${k}"`).join(', ')} (known: ${known})`
    }
    return `${path}: ${i.message}`
  })
  throw new ConfigError(`${fileName} is invalid: ${issues.join('; ')}`, { hint: 'see schemas/deskmove.schema.json' })
}

/** Parses deskmove.json text (JSONC) and returns its validated `mapping` for a target with these sections. */
export function parseMappingConfig(text: string, sections: readonly AnyMappingSection[] = [], fileName = 'deskmove.json'): MappingConfig {
  const json = parseJsonc(text, fileName)
  const mapping = json && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>).mapping : undefined
  return validateMapping(mapping, sections, fileName)
}

/** A mapping with every default applied (tests, and targets that need no mapping); sections are validated when given. */
export function defaultMappingConfig(over: Readonly<Record<string, unknown>> = {}, sections?: readonly AnyMappingSection[]): MappingConfig {
  if (sections) return validateMapping(over, sections)
  const core: Record<string, unknown> = {}
  const rest: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(over)) (k in corePoliciesShape ? core : rest)[k] = v
  return { ...rest, ...corePoliciesSchema.parse(core) }
}

/** The map of one section (empty when absent). */
export function sectionOf(config: MappingConfig, name: string): Readonly<Record<string, unknown>> {
  const m = config[name]
  return m && typeof m === 'object' ? (m as Record<string, unknown>) : {}
}

/** Lists observed values that have neither a mapping nor a `*` default, section by section in declared order. */
export function findUnmapped(config: MappingConfig, sections: readonly AnyMappingSection[], observed: ObservedValues): UnmappedValue[] {
  const out: UnmappedValue[] = []
  for (const { name } of sections) {
    const seen = observed[name]
    if (!seen) continue
    const map = sectionOf(config, name)
    if (DEFAULT_KEY in map) continue
    for (const [value, count] of [...seen].sort((a, b) => a[0].localeCompare(b[0]))) if (!(value in map)) out.push({ section: name, value, count })
  }
  return out
}

/** Throws a `ConfigError` listing every unmapped value with its count (plan refuses to guess). */
export function assertAllMapped(config: MappingConfig, sections: readonly AnyMappingSection[], observed: ObservedValues): void {
  const missing = findUnmapped(config, sections, observed)
  if (missing.length === 0) return
  const lines = missing.map((m) => `  mapping.${m.section}[${JSON.stringify(m.value)}]: used by ${m.count} record(s)`)
  throw new ConfigError(`deskmove.json has no mapping for ${missing.length} observed value(s):\n${lines.join('\n')}`, {
    code: 'CONFIG_UNMAPPED',
    hint: `add each value to deskmove.json, or an explicit "${DEFAULT_KEY}" default for its section`,
  })
}
