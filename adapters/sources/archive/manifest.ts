// The archive's boundary: its manifest is read and checked (format, version, completeness) before anything
// else, and every file it lists is checked against its sha256 before the first record is read.
import { createHash } from 'node:crypto'
import { createReadStream, existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { ConfigError } from '../../../src/core/errors.js'
import { ARCHIVE_FORMAT, ARCHIVE_VERSION, INCOMPLETE_MARKER, MANIFEST_FILE, manifestSchema, type Manifest } from '../../../src/core/archive/format.js'

export interface OpenedArchive {
  readonly dir: string
  readonly manifest: Manifest
  /** The source whose records this run stages. */
  readonly source: string | null
}

function invalid(message: string, hint: string): ConfigError {
  return new ConfigError(message, { code: 'ARCHIVE_INVALID', hint })
}

const REEXPORT = 'export it again with `deskmove export --out DIR` from the staging store it came from'

/** Reads and checks `manifest.json`; throws `ConfigError` (exit 3) naming what is wrong and the fix. */
export function openArchive(dirIn: string, wanted: string | undefined): OpenedArchive {
  const dir = resolve(dirIn)
  if (!existsSync(dir)) throw invalid(`the archive folder ${dir} does not exist`, 'check the path given to --from (or DESKMOVE_ARCHIVE_DIR)')
  const path = join(dir, MANIFEST_FILE)
  if (!existsSync(path)) {
    const incomplete = existsSync(join(dir, INCOMPLETE_MARKER))
    throw invalid(
      incomplete ? `${dir} holds an export that did not finish (no ${MANIFEST_FILE})` : `${dir} is not a deskmove archive (no ${MANIFEST_FILE})`,
      incomplete ? `run the export again to complete it (${REEXPORT})` : 'point --from at the folder `deskmove export --out` wrote',
    )
  }
  let json: unknown
  try {
    json = JSON.parse(readFileSync(path, 'utf8'))
  } catch (e) {
    throw invalid(`${path} is not valid JSON: ${(e as Error).message}`, REEXPORT)
  }
  const head = json as { format?: unknown; formatVersion?: unknown }
  if (head?.format !== ARCHIVE_FORMAT) throw invalid(`${path} is not a deskmove archive manifest (format ${JSON.stringify(head?.format)})`, 'point --from at the folder `deskmove export --out` wrote')
  if (typeof head.formatVersion === 'number' && head.formatVersion > ARCHIVE_VERSION) {
    throw invalid(`the archive is format version ${head.formatVersion}; this deskmove reads up to version ${ARCHIVE_VERSION}`, 'upgrade deskmove to read it')
  }
  const parsed = manifestSchema.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw invalid(`${path} does not follow the archive schema: ${issue.path.join('.') || '(root)'}: ${issue.message}`, REEXPORT)
  }
  const manifest = parsed.data
  if (!manifest.formats.includes('jsonl')) {
    throw invalid(`the archive in ${dir} holds emails only (exported with --format eml): records cannot be read back from emails`, 'export with --format jsonl (the default writes both)')
  }
  let source: string | null = manifest.sources[0] ?? null
  if (wanted !== undefined) {
    if (!manifest.sources.includes(wanted)) throw invalid(`the archive holds no records of source "${wanted}" (it holds: ${manifest.sources.join(', ') || 'none'})`, 'set DESKMOVE_ARCHIVE_SOURCE (or sources.archive.source) to one of those')
    source = wanted
  } else if (manifest.sources.length > 1) {
    throw invalid(`the archive holds several sources (${manifest.sources.join(', ')}): which one to stage?`, 'set DESKMOVE_ARCHIVE_SOURCE (or sources.archive.source) to one of them')
  }
  return { dir, manifest, source }
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/**
 * Checks every file the manifest lists that staging reads: present, and the same bytes (sha256). Throws `ConfigError`
 * on the first that is not. The `.eml` renderings are for people and mail clients; staging never reads them, so they
 * are not hashed here (thousands of files). Attachment bytes are checked as they are read (`openAttachment`).
 */
export async function verifyArchiveFiles(a: OpenedArchive): Promise<void> {
  for (const [rel, entry] of Object.entries(a.manifest.files)) {
    if (rel.startsWith('eml/')) continue
    const path = join(a.dir, rel)
    if (rel.split('/').includes('..') || !existsSync(path)) throw invalid(`the archive file ${rel} listed in the manifest is missing`, REEXPORT)
    const got = await sha256Of(path)
    if (got !== entry.sha256) throw invalid(`the archive file ${rel} has changed since the export (sha256 ${got}, manifest says ${entry.sha256})`, `restore the file from a backup, or ${REEXPORT}`)
  }
}
