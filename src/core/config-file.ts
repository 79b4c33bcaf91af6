import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { ConfigError } from './errors.js'
import { parseJsonc } from './jsonc.js'

/** The default config file name, looked up in the working directory. */
export const DEFAULT_CONFIG_FILE = 'deskmove.json'

/** Keys deskmove.json may hold at its top level; anything else (a typo such as `maping`) is an error. */
export const TOP_LEVEL_KEYS = ['$schema', 'mapping', 'sources', 'targets'] as const

/** Finds the config file: an explicit path must exist; the default is used only when present. */
export function locateConfigFile(explicit: string | undefined, cwd: string): string | null {
  if (explicit) {
    const p = resolve(cwd, explicit)
    if (!existsSync(p)) throw new ConfigError(`config file not found: ${p}`, { hint: 'check --config, or run `deskmove init`' })
    return p
  }
  const p = resolve(cwd, DEFAULT_CONFIG_FILE)
  return existsSync(p) ? p : null
}

/**
 * Parses deskmove.json text (comments and trailing commas allowed). Throws `ConfigError` with the line and
 * column of a syntax error, or naming an unknown top-level key.
 */
export function parseConfigText(text: string, fileName: string): Record<string, unknown> {
  const parsed = parseJsonc(text, fileName)
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new ConfigError(`config file ${fileName} must hold a JSON object`)
  const unknown = Object.keys(parsed).filter((k) => !(TOP_LEVEL_KEYS as readonly string[]).includes(k))
  if (unknown.length)
    throw new ConfigError(`${fileName}: unknown top-level key(s) ${unknown.map((k) => `"${k}"`).join(', ')}`, {
      hint: `deskmove.json holds only ${TOP_LEVEL_KEYS.map((k) => `"${k}"`).join(', ')}`,
    })
  return parsed as Record<string, unknown>
}

/** Reads the config file as JSON with comments allowed; {} when there is none. */
export function readConfigFile(path: string | null): Record<string, unknown> {
  if (!path) return {}
  return parseConfigText(readFileSync(path, 'utf8'), path)
}
