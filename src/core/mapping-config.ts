// The mapping section of deskmove.json: how source values become target values. Read as JSONC.
import { z } from 'zod'
import { ConfigError } from './errors.js'

/** FreeScout status names (the codes live in the adapter). */
export const FS_STATUS_NAMES = ['active', 'pending', 'closed', 'spam'] as const
/** A status mapping value: a target status, or `from-canonical` (open→active, pending, closed, spam). */
export const statusTargetSchema = z.enum([...FS_STATUS_NAMES, 'from-canonical'])

/** A target object named by numeric id or by email. */
const idOrEmail = z.union([z.number().int().positive(), z.string().email()])

/** The key every map accepts as its explicit default. */
export const DEFAULT_KEY = '*'

export const unmatchedAgentPolicySchema = z.discriminatedUnion('policy', [
  z.object({ policy: z.literal('map-to'), user: idOrEmail }).strict(),
  z.object({ policy: z.literal('create-disabled') }).strict(),
])

export const placeholderPolicySchema = z.discriminatedUnion('policy', [
  z
    .object({
      policy: z.literal('placeholder'),
      /** `{sourceId}` and `{domain}` are replaced; the result must be unique per customer. */
      pattern: z.string().includes('{sourceId}').default('noemail+{sourceId}@{domain}'),
      domain: z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i),
    })
    .strict(),
  z.object({ policy: z.literal('reject') }).strict(),
])

export const mappingConfigSchema = z
  .object({
    /** Source group id (or group email) → target mailbox id or email. `*` = default for the rest. */
    mailboxes: z.record(idOrEmail).default({}),
    /** Source vendor status value → target status. `*` = default for the rest. */
    statuses: z.record(statusTargetSchema).default({}),
    /** Source agent email or id → target user email or id; overrides matching by email. */
    agents: z.record(idOrEmail).default({}),
    /** What happens to a source agent with no target user of the same email. */
    unmatchedAgents: unmatchedAgentPolicySchema.default({ policy: 'create-disabled' }),
    /** What happens to a customer without any email address. */
    customersWithoutEmail: placeholderPolicySchema.default({ policy: 'reject' }),
    /** Keep the source ticket numbers (FreeScout shows them with APP_CUSTOM_NUMBER=true). */
    keepNumbers: z.boolean().default(false),
  })
  .strict()
export type MappingConfig = z.infer<typeof mappingConfigSchema>

/** The whole deskmove.json: adapter sections are validated by their adapters; `mapping` here. */
export const deskmoveFileSchema = z
  .object({ $schema: z.string().optional(), mapping: mappingConfigSchema.default({}) })
  .passthrough()

/** A mapping with every default applied (tests, and targets that need no mapping). */
export function defaultMappingConfig(over: Partial<z.input<typeof mappingConfigSchema>> = {}): MappingConfig {
  return mappingConfigSchema.parse(over)
}

/** Removes `//` and block comments and trailing commas outside strings, so JSONC parses as JSON. */
export function stripJsonComments(text: string): string {
  let out = ''
  let i = 0
  let inStr = false
  while (i < text.length) {
    const c = text[i]!
    if (inStr) {
      out += c
      if (c === '\\') (out += text[i + 1] ?? ''), i++
      else if (c === '"') inStr = false
      i++
    } else if (c === '"') (inStr = true), (out += c), i++
    else if (c === '/' && text[i + 1] === '/') while (i < text.length && text[i] !== '\n') i++
    else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2)
      i = end < 0 ? text.length : end + 2
    } else (out += c), i++
  }
  // A comma followed only by whitespace and a closing bracket is a trailing comma.
  return out.replace(/,(\s*[}\]])/g, '$1')
}

/** Parses deskmove.json text (comments allowed). Throws `ConfigError` naming each invalid path. */
export function parseMappingConfig(text: string, fileName = 'deskmove.json'): MappingConfig {
  let json: unknown
  try {
    json = JSON.parse(stripJsonComments(text))
  } catch (e) {
    throw new ConfigError(`${fileName} is not valid JSON: ${(e as Error).message}`, { hint: `fix ${fileName}, or recreate it with \`deskmove init\`` })
  }
  const r = deskmoveFileSchema.safeParse(json)
  if (!r.success) {
    const issues = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')
    throw new ConfigError(`${fileName} is invalid: ${issues}`, { hint: 'see schemas/deskmove.schema.json' })
  }
  return r.data.mapping
}

/** Values observed in staging for one mapping section, with how many tickets use each. */
export interface ObservedValues {
  readonly mailboxes?: ReadonlyMap<string, number>
  readonly statuses?: ReadonlyMap<string, number>
}

/** One observed value without a mapping. */
export interface UnmappedValue {
  readonly section: 'mailboxes' | 'statuses'
  readonly value: string
  readonly count: number
}

/** Lists observed values that have neither a mapping nor a `*` default. */
export function findUnmapped(config: MappingConfig, observed: ObservedValues): UnmappedValue[] {
  const out: UnmappedValue[] = []
  for (const section of ['mailboxes', 'statuses'] as const) {
    const seen = observed[section]
    if (!seen) continue
    const map = config[section] as Record<string, unknown>
    if (DEFAULT_KEY in map) continue
    for (const [value, count] of [...seen].sort((a, b) => a[0].localeCompare(b[0]))) {
      if (!(value in map)) out.push({ section, value, count })
    }
  }
  return out
}

/** Throws a `ConfigError` listing every unmapped value with its count (plan refuses to guess). */
export function assertAllMapped(config: MappingConfig, observed: ObservedValues): void {
  const missing = findUnmapped(config, observed)
  if (missing.length === 0) return
  const lines = missing.map((m) => `  mapping.${m.section}[${JSON.stringify(m.value)}]: used by ${m.count} ticket(s)`)
  throw new ConfigError(`deskmove.json has no mapping for ${missing.length} observed value(s):\n${lines.join('\n')}`, {
    code: 'CONFIG_UNMAPPED',
    hint: `add each value to deskmove.json, or an explicit "${DEFAULT_KEY}" default for its section`,
  })
}

/** A commented starting deskmove.json (what `deskmove init` writes). */
export function initConfigText(): string {
  return `{
  "$schema": "./schemas/deskmove.schema.json",
  // How source values become FreeScout values. \`deskmove plan\` refuses to run while a value it sees
  // in staging has no entry here and its section has no "*" default, and lists each such value.
  "mapping": {
    // Source mailbox/group id (or its email) → FreeScout mailbox id or email.
    "mailboxes": {
      // "123456": 1,
      // "support@example.com": "support@yourcompany.com",
      // "*": 1
    },
    // Source status value (as the vendor names it) → active | pending | closed | spam | from-canonical.
    "statuses": {
      "*": "from-canonical"
    },
    // Source agent email or id → FreeScout user email or id. Agents are otherwise matched by email.
    "agents": {},
    // Agents without a FreeScout user: { "policy": "create-disabled" } or { "policy": "map-to", "user": "admin@yourcompany.com" }
    "unmatchedAgents": { "policy": "create-disabled" },
    // Customers without an email (phone or chat contacts). A placeholder keeps their conversations; the
    // reserved .invalid domain can never receive mail. Or { "policy": "reject" } to leave them (and their
    // conversations) out, each reported by \`deskmove rejects\`.
    "customersWithoutEmail": { "policy": "placeholder", "pattern": "noemail+{sourceId}@{domain}", "domain": "noemail.invalid" },
    // Keep source ticket numbers (set APP_CUSTOM_NUMBER=true in FreeScout's .env to show them).
    "keepNumbers": false
  }
}
`
}
