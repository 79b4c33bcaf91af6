// Attachment files are written under a temporary name and moved into place only once their rows committed,
// so a kill -9 during apply never leaves a file that no row points to. Files of a killed run are finished
// (moved into place) or removed by `sweepTempFiles` at the next apply.
import { existsSync, linkSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { FsDb } from './db.js'
import { queryInChunks } from './lookups.js'
import { attachmentFileDir } from './plan-files.js'

/** Where files wait for their commit: one flat directory on the same filesystem, so the final move is a rename. */
export function tempDir(storageDir: string): string {
  return join(storageDir, 'attachment', '.deskmove-tmp')
}

/** The temporary path of an attachment row's file: its id and the writing process, so a sweep can tell them apart. */
export function tempPathFor(storageDir: string, attachmentId: number): string {
  return join(tempDir(storageDir), `${attachmentId}.${process.pid}.part`)
}

/** Where an attachment row's file lives for FreeScout. */
export function finalPathOf(storageDir: string, row: { file_dir: string; file_name: string }): string {
  return join(storageDir, 'attachment', row.file_dir, row.file_name)
}

/** Removes a file if it is there; a storage that cannot even be read leaves nothing to remove, so errors are ignored. */
export function removeFile(path: string): void {
  try {
    rmSync(path, { force: true })
  } catch {
    // ENOTDIR, EACCES…: the write that would have created it failed the same way.
  }
}

/** Errors of filesystems without hard links: the file is renamed instead. */
const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'EMLINK', 'ENOSYS'])

function linkOrRename(tmp: string, final: string): void {
  try {
    linkSync(tmp, final)
  } catch (e) {
    if (!NO_LINKS.has((e as NodeJS.ErrnoException).code ?? '')) throw e
    // A rename would replace a file that appeared meanwhile: look first (a narrow window, on such filesystems only).
    if (existsSync(final)) throw Object.assign(new Error(`${final} exists`), { code: 'EEXIST' })
    renameSync(tmp, final)
    return
  }
  rmSync(tmp, { force: true })
}

/**
 * Puts a committed file in place, never replacing another file (a hard link fails on an existing name, where a
 * rename would silently overwrite e.g. an upload FreeScout made meanwhile). False when `final` is taken.
 */
export function placeFile(tmp: string, final: string): boolean {
  try {
    linkOrRename(tmp, final)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code === 'EEXIST') return false
    if (code !== 'ENOENT' || !existsSync(tmp)) throw e
    mkdirSync(dirname(final), { recursive: true })
    try {
      linkOrRename(tmp, final)
    } catch (again) {
      if ((again as NodeJS.ErrnoException).code === 'EEXIST') return false
      throw again
    }
  }
  return true
}

/**
 * Places a committed file whose chosen path was taken after all: the row moves to the next free directory (one
 * UPDATE after the commit) and the file goes there. Returns the new file_dir.
 */
export async function relocateFile(db: FsDb, storageDir: string, tmp: string, row: { id: number; file_name: string }): Promise<string> {
  for (;;) {
    const fileDir = attachmentFileDir(row.id, row.file_name, (rel) => existsSync(join(storageDir, rel)))
    await db.execute('UPDATE attachments SET file_dir = ? WHERE id = ?', [fileDir, row.id])
    if (placeFile(tmp, finalPathOf(storageDir, { file_dir: fileDir, file_name: row.file_name }))) return fileDir
  }
}

function sameFile(a: string, b: string): boolean {
  const x = statSync(a)
  const y = statSync(b)
  return x.ino === y.ino && x.dev === y.dev
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Temporary files left by processes that are gone (a live writer's files are its own business). */
function deadTempFiles(storageDir: string): { path: string; id: number }[] {
  const dir = tempDir(storageDir)
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    // Missing, or not a directory (writes there fail and are reported per attachment): nothing to sweep.
    return []
  }
  const out: { path: string; id: number }[] = []
  for (const name of names) {
    const m = /^(\d+)\.(\d+)\.part$/.exec(name)
    if (m && alive(Number(m[2]))) continue
    out.push({ path: join(dir, name), id: m ? Number(m[1]) : NaN })
  }
  return out
}

/**
 * Finishes what a killed apply left in the temporary directory: a file whose row committed is moved into place
 * (the kill fell between the commit and the move); any other is removed (its transaction never committed).
 * Returns the counts.
 */
export async function sweepTempFiles(db: FsDb, storageDir: string): Promise<{ moved: number; removed: number }> {
  const files = deadTempFiles(storageDir)
  if (files.length === 0) return { moved: 0, removed: 0 }
  const ids = files.map((f) => f.id).filter((id) => Number.isFinite(id))
  const rows = await queryInChunks(ids, (part, marks) => db.query<{ id: number; file_dir: string | null; file_name: string }>(`SELECT id, file_dir, file_name FROM attachments WHERE id IN (${marks})`, part))
  const byId = new Map(rows.map((r) => [Number(r.id), r]))
  let moved = 0
  let removed = 0
  for (const f of files) {
    const row = byId.get(f.id)
    if (!row?.file_dir) {
      rmSync(f.path, { force: true })
      removed++
      continue
    }
    const final = finalPathOf(storageDir, { file_dir: row.file_dir, file_name: row.file_name })
    if (existsSync(final) && sameFile(final, f.path)) {
      // Killed between the link and the removal of the temporary name: the file is in place already.
      rmSync(f.path, { force: true })
      removed++
    } else {
      if (!placeFile(f.path, final)) await relocateFile(db, storageDir, f.path, { id: row.id, file_name: row.file_name })
      moved++
    }
  }
  return { moved, removed }
}

/**
 * Files in the import's attachment directories (those of attachments deskmove wrote) that no `attachments` row
 * points to, and temporary files of dead processes; paths relative to the storage directory. Reads only.
 */
export async function listOrphanFiles(db: FsDb, storageDir: string): Promise<string[]> {
  const dirs = await db.query<{ file_dir: string }>(
    `SELECT DISTINCT a.file_dir FROM attachments a JOIN threads t ON t.id = a.thread_id JOIN conversations c ON c.id = t.conversation_id
     WHERE a.file_dir IS NOT NULL AND c.meta LIKE '%"deskmove":%'`,
  )
  const out: string[] = []
  const dirList = dirs.map((d) => d.file_dir)
  const pointed = await queryInChunks(dirList, (part, marks) => db.query<{ file_dir: string; file_name: string }>(`SELECT file_dir, file_name FROM attachments WHERE file_dir IN (${marks})`, part))
  const known = new Set(pointed.map((r) => `${r.file_dir}${r.file_name}`))
  for (const dir of dirList) {
    const abs = join(storageDir, 'attachment', dir)
    if (!existsSync(abs)) continue
    for (const e of readdirSync(abs, { withFileTypes: true })) if (e.isFile() && !known.has(`${dir}${e.name}`)) out.push(join('attachment', dir, e.name))
  }
  for (const f of deadTempFiles(storageDir)) out.push(join('attachment', '.deskmove-tmp', f.path.slice(tempDir(storageDir).length + 1)))
  return out.sort()
}
