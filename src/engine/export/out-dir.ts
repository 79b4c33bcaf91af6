import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { UsageError } from '../../core/errors.js'
import { ARCHIVE_FORMAT, INCOMPLETE_MARKER, MANIFEST_FILE } from '../../core/archive/format.js'

/** What the output folder held before this export. */
export type PreviousArchive = 'none' | 'incomplete' | 'complete'

/** The entries an export writes (besides blobs/, which is kept: its files are reused by content hash). */
const OWN_ENTRIES = ['records', 'raw', 'eml', 'warnings.jsonl', 'rejects.jsonl', 'attachment-files.jsonl']

function previousManifest(dir: string): { createdAt?: string } | null {
  try {
    const m = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as { format?: unknown; createdAt?: string }
    return m.format === ARCHIVE_FORMAT ? m : null
  } catch {
    return null
  }
}

/**
 * Makes `dir` ready for an export and marks it incomplete. A new or empty folder is used as-is; an interrupted
 * export's folder is written over; a complete archive only with `force`; any other non-empty folder is refused
 * (an export never deletes files it did not write).
 */
export function prepareOutDir(dir: string, force: boolean): PreviousArchive {
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new UsageError(`--out ${dir} is a file, not a folder`, { hint: 'name a new or empty folder for the archive' })
  mkdirSync(dir, { recursive: true })
  const entries = readdirSync(dir)
  let previous: PreviousArchive = 'none'
  if (entries.length > 0) {
    const manifest = previousManifest(dir)
    if (entries.includes(INCOMPLETE_MARKER)) previous = 'incomplete'
    else if (manifest) {
      if (!force) {
        throw new UsageError(`--out ${dir} already holds a deskmove archive (made ${manifest.createdAt ?? 'at an unknown time'})`, {
          hint: 'pass --force to replace it (attachment files already there are reused), or name another folder',
        })
      }
      previous = 'complete'
    } else {
      throw new UsageError(`--out ${dir} is not empty and is not a deskmove archive`, { hint: 'name a new or empty folder: an export never deletes files it did not write' })
    }
  }
  // The marker goes in before anything is removed or written: from now until the manifest, the folder says it is incomplete.
  writeFileSync(join(dir, INCOMPLETE_MARKER), 'deskmove export in progress: this archive is not complete until manifest.json exists\n')
  rmSync(join(dir, MANIFEST_FILE), { force: true })
  for (const e of OWN_ENTRIES) rmSync(join(dir, e), { recursive: true, force: true })
  return previous
}

/** Blob files no record of this export references (left by a replaced archive). */
export function removeStaleBlobs(dir: string, keep: ReadonlySet<string>): number {
  const blobs = join(dir, 'blobs')
  let removed = 0
  let names: string[]
  try {
    names = readdirSync(blobs)
  } catch {
    return 0
  }
  for (const n of names) {
    if (keep.has(n)) continue
    rmSync(join(blobs, n), { recursive: true, force: true })
    removed++
  }
  return removed
}
