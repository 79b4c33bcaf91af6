import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

let cached: string | null = null

/** deskmove's own version, from its package.json (found upward from this file, in src/ or dist/). */
export function deskmoveVersion(): string {
  if (cached !== null) return cached
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string }
      if (pkg.name === 'deskmove' && pkg.version) return (cached = pkg.version)
    } catch {
      // not here: one level up
    }
    dir = dirname(dir)
  }
  return (cached = 'unknown')
}
