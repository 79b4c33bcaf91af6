// `npm run schema`: regenerates schemas/deskmove.schema.json from the zod schemas of the registered adapters.
import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { deskmoveJsonSchemaText } from '../core/config-schema.js'
import { SOURCES, TARGETS } from '../../adapters/index.js'

/** The committed schema file, relative to the package root. */
export const SCHEMA_PATH = 'schemas/deskmove.schema.json'

/** The schema text for every registered adapter. */
export function registeredSchemaText(): string {
  return deskmoveJsonSchemaText({ sources: SOURCES, targets: TARGETS })
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = process.argv[2] ?? process.cwd()
  writeFileSync(resolve(root, SCHEMA_PATH), registeredSchemaText())
  process.stdout.write(`wrote ${SCHEMA_PATH}\n`)
}
