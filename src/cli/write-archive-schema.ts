// `npm run schema` (second step): regenerates schemas/archive/v<N>/ from the archive's zod schemas.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ARCHIVE_SCHEMA_DIR, archiveJsonSchemaFiles } from '../core/archive/json-schema.js'

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = resolve(process.argv[2] ?? process.cwd(), ARCHIVE_SCHEMA_DIR)
  mkdirSync(dir, { recursive: true })
  for (const [name, text] of Object.entries(archiveJsonSchemaFiles())) writeFileSync(join(dir, name), text)
  process.stdout.write(`wrote ${ARCHIVE_SCHEMA_DIR}/\n`)
}
