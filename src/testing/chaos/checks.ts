// The campaign's verdicts, as pure functions over what was read back: kept apart from the I/O so a test can
// show that each check fails when it should (a checker that cannot fail proves nothing).
import { createHash } from 'node:crypto'
import { createReadStream, readdirSync } from 'node:fs'
import { join, relative } from 'node:path'

/** Differences between the ids the source holds and the ids that arrived, per kind. */
export interface IdSetDiff {
  /** Ids in the manifest that never arrived, `kind:id`. */
  readonly lost: string[]
  /** Ids that arrived more than once, `kind:id`. */
  readonly duplicated: string[]
  /** Ids that arrived but the source never had, `kind:id`. */
  readonly unexpected: string[]
}

/** Ids seen more than once in a list. */
export function duplicatesOf(ids: readonly string[]): string[] {
  const seen = new Set<string>()
  const dup = new Set<string>()
  for (const id of ids) (seen.has(id) ? dup : seen).add(id)
  return [...dup]
}

/** Compares, kind by kind, the expected id sets with the ids read back (duplicates kept in `actual`). */
export function compareIdSets(expected: Readonly<Record<string, readonly string[]>>, actual: Readonly<Record<string, readonly string[]>>): IdSetDiff {
  const lost: string[] = []
  const duplicated: string[] = []
  const unexpected: string[] = []
  for (const [kind, ids] of Object.entries(expected)) {
    const got = actual[kind] ?? []
    const have = new Set(got)
    const want = new Set(ids)
    for (const id of want) if (!have.has(id)) lost.push(`${kind}:${id}`)
    for (const id of have) if (!want.has(id)) unexpected.push(`${kind}:${id}`)
    for (const id of duplicatesOf(got)) duplicated.push(`${kind}:${id}`)
  }
  return { lost, duplicated, unexpected }
}

/** Attachment ids whose bytes arrived with another sha256 than the source's (a missing hash counts as corrupted). */
export function corruptedAttachments(expected: Readonly<Record<string, { sha256: string }>>, actual: ReadonlyMap<string, string | null>): string[] {
  const bad: string[] = []
  for (const [id, want] of Object.entries(expected)) {
    if (!actual.has(id)) continue // a lost record is counted as lost, not twice
    if (actual.get(id) !== want.sha256) bad.push(id)
  }
  return bad
}

/**
 * Differences between two multisets of hashes (the files a target holds vs. the files it should hold):
 * `missing` once per copy short, `extra` once per copy too many.
 */
export function compareMultisets(expected: readonly string[], actual: readonly string[]): { missing: string[]; extra: string[] } {
  const count = new Map<string, number>()
  for (const h of expected) count.set(h, (count.get(h) ?? 0) + 1)
  for (const h of actual) count.set(h, (count.get(h) ?? 0) - 1)
  const missing: string[] = []
  const extra: string[] = []
  for (const [h, n] of count) {
    for (let i = 0; i < n; i++) missing.push(h)
    for (let i = 0; i < -n; i++) extra.push(h)
  }
  return { missing, extra }
}

/** Files under a storage root that no database row points to (paths relative to the root, `/`-separated). */
export function orphanFiles(filesOnDisk: readonly string[], referenced: readonly string[]): string[] {
  const norm = (p: string): string => p.replace(/\\/g, '/').replace(/^\/+/, '').replace(/\/{2,}/g, '/')
  const refs = new Set(referenced.map(norm))
  return filesOnDisk.map(norm).filter((f) => !refs.has(f))
}

/** Every regular file under `dir`, relative to it (empty when the folder does not exist). */
export function listFiles(dir: string, under = dir): string[] {
  let entries
  try {
    entries = readdirSync(dir, { withFileTypes: true })
  } catch {
    return []
  }
  const out: string[] = []
  for (const e of entries) {
    const p = join(dir, e.name)
    if (e.isDirectory()) out.push(...listFiles(p, under))
    else if (e.isFile() || e.isSymbolicLink()) out.push(relative(under, p))
  }
  return out
}

/** Files present now that were not in `before`: debris a run left outside the places it may write. */
export function newFiles(before: readonly string[], after: readonly string[], allowedPrefixes: readonly string[]): string[] {
  const had = new Set(before)
  return after.filter((f) => !had.has(f) && !allowedPrefixes.some((p) => f === p || f.startsWith(p.endsWith('/') ? p : `${p}/`)))
}

/** sha256 of a file, streamed. */
export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256')
    createReadStream(path)
      .on('data', (d) => h.update(d))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')))
  })
}

/** Exit codes a run may end with: 0 done, 4 interrupted by the remote (resume), 5 done with rejects. */
export const ACCEPTED_EXITS: readonly number[] = [0, 4, 5]

/** Why an ended run is a failure (null when acceptable): a crash (70/1), a hang, or an unknown code. */
export function badExit(code: number | null, timedOut: boolean, allowed: readonly number[] = ACCEPTED_EXITS): string | null {
  if (timedOut) return 'hang: the run outlived its time bound'
  if (code === null) return 'died from a signal'
  if (code === 70) return 'exit 70 (internal error)'
  if (!allowed.includes(code)) return `exit ${code} (expected ${allowed.join(' or ')})`
  return null
}
