import type { ConfigSpec } from './config-spec.js'
import { ConfigError } from './errors.js'
import type { Redactor } from './redact.js'

const secretOrigins = new WeakMap<object, readonly string[]>()
const valueOrigins = new WeakMap<object, Readonly<Record<string, string>>>()

/** Where each set key of a resolved config came from; keys left to the schema's default are absent. */
export function valueOriginsOf(config: unknown): Readonly<Record<string, string>> {
  return config && typeof config === 'object' ? valueOrigins.get(config) ?? {} : {}
}

/**
 * Where the secrets of a resolved config came from ("the environment variable X", "\"sources.x.key\" in
 * FILE"), so a refused credential can point at the place to fix it.
 */
export function secretOriginsOf(config: unknown): readonly string[] {
  return config && typeof config === 'object' ? secretOrigins.get(config) ?? [] : []
}

/**
 * Builds an adapter's config: environment variables first, then the config file's section
 * (`sources.<id>` / `targets.<id>`), then the schema's defaults. Secrets are registered with the redactor
 * before validation so no error can echo them. A failure names the environment variable to fix.
 */
export function resolveAdapterConfig<C>(
  spec: ConfigSpec<C>,
  a: { adapterId: string; section: 'sources' | 'targets'; env: Readonly<Record<string, string | undefined>>; file: Record<string, unknown>; redactor: Redactor; filePath?: string | null },
): C {
  const sectionAll = a.file[a.section]
  const fileSection =
    sectionAll && typeof sectionAll === 'object' ? ((sectionAll as Record<string, unknown>)[a.adapterId] as Record<string, unknown> | undefined) ?? {} : {}
  const input: Record<string, unknown> = { ...fileSection }
  const origins: Record<string, string> = {}
  for (const key of Object.keys(fileSection)) origins[key] = `"${a.section}.${a.adapterId}.${key}" in ${a.filePath ?? 'the config file'}`
  for (const [key, envName] of Object.entries(spec.env)) {
    const v = a.env[envName]
    if (v !== undefined && v !== '') {
      input[key] = v
      origins[key] = `the environment variable ${envName}`
    }
  }
  for (const key of spec.sensitive) {
    const v = input[key]
    if (typeof v === 'string') a.redactor.add(v)
  }
  const parsed = spec.schema.safeParse(input)
  if (parsed.success) {
    if (parsed.data && typeof parsed.data === 'object') {
      secretOrigins.set(parsed.data, spec.sensitive.filter((k) => origins[k]).map((k) => origins[k]!))
      valueOrigins.set(parsed.data, origins)
    }
    return parsed.data
  }
  const problems = parsed.error.issues.map((issue) => {
    const key = String(issue.path[0] ?? '')
    const envName = spec.env[key]
    const where = envName ? `${envName} (or "${a.section}.${a.adapterId}.${key}" in the config file)` : `"${a.section}.${a.adapterId}.${key}" in the config file`
    const missing = input[key] === undefined
    return missing ? `${where} is not set` : `${where} is invalid: ${issue.message}`
  })
  throw new ConfigError(`${a.adapterId} is not configured: ${problems.join('; ')}`, {
    hint: `set ${problems.length === 1 ? 'it' : 'them'} in the environment or in deskmove.json`,
  })
}
