// Attachment rows and files in FreeScout's layout, and tag links: the parts of a conversation write after its threads.
import { createWriteStream, existsSync, mkdirSync, statSync } from 'node:fs'
import { removeFile, tempPathFor } from './attachment-files.js'
import { writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import type { FsDb } from './db.js'
import type { FsAttachmentPlan, FsThreadPlan } from './plan-ops.js'
import { tagIdsByName } from './lookups.js'
import { attachmentFileDir, attachmentUrl, guardedPdfName, PDF_SCRIPT_MARK, rewriteCids } from './plan-files.js'
import { need, type ConvWrite, type FileLog, type FsWriter } from './writer.js'
import { eachLimit, insertRows, FILE_CONCURRENCY, ROWS_PER_INSERT } from './apply-sql.js'

export interface WrittenThread {
  readonly item: ConvWrite
  readonly t: FsThreadPlan
  readonly threadId: number
}

export interface PlacedAttachment {
  readonly r: WrittenThread
  readonly a: FsAttachmentPlan
  readonly id: number
  readonly fileName: string
  readonly fileDir: string
  /** Where FreeScout reads the file once the rows committed. */
  readonly path: string
  /** Where it is written first (see attachment-files.ts). */
  readonly tmp: string
  /** Why the file could not be written (the attachment is then left out and reported), else null. */
  error: string | null
  /** Bytes on disk once written. */
  size: number
}

/** Attachments no larger than this are read whole and written in one call (cheaper than two streams). */
export const SMALL_FILE = 256 * 1024

/** Inserts the attachment rows (the id names the directory, as in FreeScout's uploader) and picks each file's place. */
export async function placeAttachments(w: FsWriter, tx: FsDb, threads: readonly WrittenThread[], files: FileLog): Promise<PlacedAttachment[]> {
  const list: { r: WrittenThread; a: FsAttachmentPlan; fileName: string; error: string | null }[] = []
  for (const r of threads) {
    for (const a of r.t.attachments) {
      // PDFs are scanned as a stream (never held whole): a large one keeps memory flat.
      let guard = false
      let error: string | null = null
      if (/\.pdf$/i.test(a.fileName)) guard = await streamIncludes(r.item.ctx.openBlob(a.sha256), PDF_SCRIPT_MARK).catch((e: unknown) => ((error = fsErrorText(e)), false))
      list.push({ r, a, fileName: guard ? guardedPdfName(a.fileName) : a.fileName, error })
    }
  }
  if (list.length === 0) return []
  const rows = list.map(({ r, a, fileName }) => [r.threadId, r.t.sourceVia === 2 ? need(r.item.ctx, r.t.authorUser, 'the author') : null, fileName, a.mimeType, a.typeCode, a.size, a.embedded ? 1 : 0, 0])
  const ids = await insertRows(w, tx, 'attachments', 'thread_id, user_id, file_name, mime_type, type, size, embedded, public', rows)
  // Directories are chosen one by one (two files of the lot may want the same one), then written in parallel.
  const claimed = new Set<string>()
  return list.map((x, i) => {
    const fileDir = attachmentFileDir(ids[i]!, x.fileName, (rel) => claimed.has(rel) || existsSync(join(w.storageDir, rel)))
    claimed.add(`attachment/${fileDir}${x.fileName}`)
    const path = join(w.storageDir, 'attachment', fileDir, x.fileName)
    const tmp = tempPathFor(w.storageDir, ids[i]!)
    files.written.push(tmp)
    return { ...x, id: ids[i]!, fileDir, path, tmp, size: 0 }
  })
}

/**
 * Writes the attachment files under their temporary names, a few at a time. A file that cannot be written
 * (blob unreadable, disk full, permissions…) is removed again and marked with its `error`: that attachment is
 * left out and reported, the rest of the conversation is written. Never rejects.
 */
export function writeFiles(placed: readonly PlacedAttachment[]): Promise<void> {
  return eachLimit(placed, FILE_CONCURRENCY, async (p) => {
    if (p.error !== null) return
    try {
      // Small blobs (bounded by SMALL_FILE) are written in one call; every other one is streamed, whatever its type.
      const bytes = p.a.size <= SMALL_FILE ? await readAll(p.r.item.ctx.openBlob(p.a.sha256)) : null
      const write = async () => {
        if (bytes) await writeFile(p.tmp, bytes, { flag: 'wx' })
        else await pipeline(p.r.item.ctx.openBlob(p.a.sha256), createWriteStream(p.tmp, { flags: 'wx' }))
      }
      // The directory usually exists already; creating it only when missing saves a (slow, locking) mkdir per file.
      await write().catch(async (e: NodeJS.ErrnoException) => {
        if (e.code !== 'ENOENT') throw e
        mkdirSync(dirname(p.tmp), { recursive: true })
        await write()
      })
      p.size = bytes ? bytes.length : statSync(p.tmp).size
    } catch (e) {
      p.error = fsErrorText(e)
      removeFile(p.tmp)
    }
  })
}

/** An error's code and message, for the attachment's reject. */
function fsErrorText(e: unknown): string {
  const err = e as NodeJS.ErrnoException
  return err?.code ? `${err.code}: ${err.message}` : String(err?.message ?? e)
}

/** Drops the rows of attachments whose file could not be written; returns those left out. */
export async function dropFailed(tx: FsDb, placed: readonly PlacedAttachment[], files: FileLog): Promise<PlacedAttachment[]> {
  const failed = placed.filter((p) => p.error !== null)
  if (failed.length) await tx.execute(`DELETE FROM attachments WHERE id IN (${failed.map(() => '?').join(', ')})`, failed.map((p) => p.id))
  for (const p of failed) files.failed.push({ ctx: p.r.item.ctx, sourceId: p.a.sourceId, detail: `the file ${p.fileName} could not be written to FreeScout's storage: ${p.error}` })
  for (const p of placed) if (p.error === null) files.moves.push({ tmp: p.tmp, final: p.path, id: p.id, fileName: p.fileName })
  return placed.filter((p) => p.error === null)
}

export async function writeFileDirs(tx: FsDb, placed: readonly PlacedAttachment[]): Promise<void> {
  for (let i = 0; i < placed.length; i += ROWS_PER_INSERT) {
    const part = placed.slice(i, i + ROWS_PER_INSERT)
    await tx.execute(`UPDATE attachments SET file_dir = CASE id ${part.map(() => 'WHEN ? THEN ?').join(' ')} END WHERE id IN (${part.map(() => '?').join(', ')})`, [
      ...part.flatMap((p) => [p.id, p.fileDir]),
      ...part.map((p) => p.id),
    ])
  }
}

/** Once the files are written: sizes that differ from the plan, and inline images' `cid:` references rewritten to FreeScout URLs. */
export async function finishAttachments(w: FsWriter, tx: FsDb, placed: readonly PlacedAttachment[]): Promise<void> {
  for (const p of placed) if (p.size !== p.a.size) await tx.execute('UPDATE attachments SET size = ? WHERE id = ?', [p.size, p.id])
  if (!w.appUrl || !w.appKey) return
  const byThread = new Map<WrittenThread, PlacedAttachment[]>()
  for (const p of placed) if (p.r.item.op.rewriteCids && p.a.embedded && p.a.contentId) byThread.set(p.r, [...(byThread.get(p.r) ?? []), p])
  for (const [r, ps] of byThread) {
    const urls = new Map(ps.map((p) => [p.a.contentId!, attachmentUrl(w.appUrl!, w.appKey!, { id: p.id, fileDir: p.fileDir, fileName: p.fileName, size: p.size })]))
    const { html } = rewriteCids(r.t.body, urls)
    if (html !== r.t.body) await tx.execute('UPDATE threads SET body = ? WHERE id = ?', [html, r.threadId])
  }
}

/** Links conversations to their tags (creating missing tags) and raises each tag's counter once per link. */
export async function writeTags(w: FsWriter, tx: FsDb, convs: readonly { convId: number; tags: readonly string[] }[]): Promise<void> {
  const names = [...new Set(convs.flatMap((c) => c.tags))]
  if (names.length === 0) return
  const ids = await tagIdsByName(tx, names)
  for (const name of names) {
    if (ids.has(name)) continue
    // A tag new to FreeScout: look again (one created a moment ago may match under the server's collation).
    const again = (await tx.query<{ id: number }>('SELECT id FROM tags WHERE name = ? ORDER BY id LIMIT 1', [name]))[0]?.id
    ids.set(name, again ?? (await insertRows(w, tx, 'tags', 'name, counter, color', [[name, 0, 0]]))[0]!)
  }
  const links = convs.flatMap((c) => c.tags.map((name) => [c.convId, ids.get(name)!]))
  for (let i = 0; i < links.length; i += ROWS_PER_INSERT) {
    const part = links.slice(i, i + ROWS_PER_INSERT)
    await tx.execute(`INSERT INTO conversation_tag (conversation_id, tag_id) VALUES ${part.map(() => '(?, ?)').join(', ')}`, part.flat())
  }
  const added = new Map<number, number>()
  for (const [, tag] of links) added.set(tag!, (added.get(tag!) ?? 0) + 1)
  const byCount = new Map<number, number[]>()
  for (const [tag, n] of added) byCount.set(n, [...(byCount.get(n) ?? []), tag])
  for (const [n, tags] of byCount) await tx.execute(`UPDATE tags SET counter = counter + ? WHERE id IN (${tags.map(() => '?').join(', ')})`, [n, ...tags])
}

export async function readAll(s: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const c of s) chunks.push(c as Buffer)
  return Buffer.concat(chunks)
}

/**
 * Whether a stream contains `needle`, reading it chunk by chunk (only `needle.length - 1` bytes are carried
 * between chunks, so a match across a chunk boundary is found and memory stays flat). Stops at the first match.
 */
export async function streamIncludes(s: NodeJS.ReadableStream, needle: string): Promise<boolean> {
  const n = Buffer.from(needle)
  let carry = Buffer.alloc(0)
  for await (const c of s) {
    const chunk = typeof c === 'string' ? Buffer.from(c) : (c as Buffer)
    const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk
    if (buf.includes(n)) return true
    carry = Buffer.from(buf.subarray(Math.max(0, buf.length - n.length + 1)))
  }
  return false
}
