import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { ConfigError } from './errors.js'
import { stripJsonComments } from './mapping-config.js'

/** The default config file name, looked up in the working directory. */
export const DEFAULT_CONFIG_FILE = 'deskmove.json'

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

/** Reads the config file as JSON with comments allowed; {} when there is none. */
export function readConfigFile(path: string | null): Record<string, unknown> {
  if (!path) return {}
  let parsed: unknown
  try {
    parsed = JSON.parse(stripJsonComments(readFileSync(path, 'utf8')))
  } catch (e) {
    throw new ConfigError(`config file ${path} is not valid JSON: ${(e as Error).message}`, { cause: e })
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new ConfigError(`config file ${path} must hold a JSON object`)
  return parsed as Record<string, unknown>
}
