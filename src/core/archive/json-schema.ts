// The archive's published JSON Schema (schemas/archive/v<version>/), generated from the zod schemas so the two
// never drift: a test compares the committed files with what this generates.
import { zodToJsonSchema } from 'zod-to-json-schema'
import { ARCHIVE_VERSION, archiveSchemas } from './format.js'

/** The folder, relative to the package root, that holds the published schemas of this format version. */
export const ARCHIVE_SCHEMA_DIR = `schemas/archive/v${ARCHIVE_VERSION}`

/** Which schema each archive file's lines (or, for the manifest, the whole file) follow: the README's table. */
export const SCHEMA_OF_FILE: Readonly<Record<string, string>> = {
  'manifest.json': 'manifest',
  'records/<kind>.jsonl': 'record-<kind>',
  'raw/<kind>.jsonl': 'raw-line',
  'warnings.jsonl': 'warning-line',
  'rejects.jsonl': 'reject-line',
  'attachment-files.jsonl': 'attachment-file-line',
  'eml/index.jsonl': 'eml-index-line',
}

/** File name → text of every published schema. */
export function archiveJsonSchemaFiles(): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, schema] of Object.entries(archiveSchemas())) {
    // Unknown properties are allowed: a newer deskmove may add optional fields without a new format version.
    const json = zodToJsonSchema(schema, { target: 'jsonSchema7', $refStrategy: 'none', removeAdditionalStrategy: 'strict' }) as Record<string, unknown>
    const titled = { $schema: json.$schema, title: `deskmove archive v${ARCHIVE_VERSION}: ${name}`, ...json }
    out[`${name}.schema.json`] = `${JSON.stringify(titled, null, 2)}\n`
  }
  return out
}
