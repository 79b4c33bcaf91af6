// The attachment writer on its own (a fake database handle): streaming, per-attachment failures, temporary files.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import type { ApplyContext } from '../../../src/core/target.js'
import type { FsDb } from './db.js'
import type { FsAttachmentPlan, FsThreadPlan } from './plan-ops.js'
import type { ConvWrite, FsWriter } from './writer.js'
import { dropFailed, placeAttachments, streamIncludes, writeFiles } from './apply-attachments.js'
import { placeFile, tempDir } from './attachment-files.js'

/** Enough of a PostgreSQL handle for placeAttachments: ids come from a counter. */
function fakeDb(): FsDb {
  let next = 1
  const db: FsDb = {
    dialect: 'postgres',
    location: { host: 'fake', database: 'fake' },
    query: async <T,>(sql: string, params: readonly unknown[] = []) =>
      (sql.includes('nextval') ? Array.from({ length: Number(params[1]) }, () => ({ id: next++ })) : []) as T[],
    execute: async () => ({ insertId: null, affectedRows: 0 }),
    transaction: (fn) => fn(db),
    close: async () => {},
  }
  return db
}

const MB = 1024 * 1024

/** A blob of `size` bytes made of one reused 1 MB chunk (so the source itself allocates nothing), `tail` at the end. */
function bigBlob(size: number, tail: string): () => Readable {
  const chunk = Buffer.alloc(MB, 0x41)
  return () =>
    Readable.from(
      (function* () {
        for (let n = 0; n < size; n += MB) yield chunk
        yield Buffer.from(tail)
      })(),
      { objectMode: false },
    )
}

function setup(attachments: FsAttachmentPlan[], open: (sha: string) => Readable) {
  const storageDir = mkdtempSync(join(tmpdir(), 'deskmove-att-'))
  const ctx = { openBlob: open, resolve: () => undefined, runId: 'r', opHash: 'h', existingRef: null, signal: new AbortController().signal } as unknown as ApplyContext
  const t = { attachments, sourceVia: 1, authorUser: null } as unknown as FsThreadPlan
  const item = { op: {}, ctx } as unknown as ConvWrite
  const w = { db: fakeDb(), storageDir } as unknown as FsWriter
  return { storageDir, w, threads: [{ item, t, threadId: 1 }] }
}

const att = (over: Partial<FsAttachmentPlan>): FsAttachmentPlan => ({ sourceId: 'a1', sha256: 'x', size: 10, fileName: 'f.bin', mimeType: 'application/octet-stream', typeCode: 3, embedded: false, contentId: null, ...over })

describe('attachment files at apply', () => {
  const dirs: string[] = []
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
  })

  it('finds the PDF script mark across chunk boundaries', async () => {
    expect(await streamIncludes(Readable.from([Buffer.from('%PDF /Java'), Buffer.from('Script x')]), '/JavaScript')).toBe(true)
    expect(await streamIncludes(Readable.from([Buffer.from('%PDF /Java'), Buffer.from(' Script')]), '/JavaScript')).toBe(false)
  })

  it('streams a large PDF (scan and write) without holding it in memory', async () => {
    const size = 96 * MB
    const { storageDir, w, threads } = setup([att({ fileName: 'big.pdf', mimeType: 'application/pdf', size })], bigBlob(size, '/JavaScript'))
    dirs.push(storageDir)
    const files = { written: [], old: [], moves: [], failed: [] }
    const base = process.memoryUsage().arrayBuffers
    let peak = base
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().arrayBuffers)), 2)
    try {
      const placed = await placeAttachments(w, w.db, threads, files)
      await writeFiles(placed)
      peak = Math.max(peak, process.memoryUsage().arrayBuffers)
      expect(placed[0]!.fileName).toBe('big.pdf_')
      expect(placed[0]!.error).toBeNull()
      expect(statSync(placed[0]!.tmp).size).toBe(size + '/JavaScript'.length)
    } finally {
      clearInterval(timer)
    }
    // Reading it whole would add at least the file's size (96 MB); streaming stays within a few chunks.
    expect(peak - base).toBeLessThan(48 * MB)
  }, 60_000)

  it('turns a failing file into that attachment alone, removes its partial file and leaves no write running', async () => {
    const broken = () =>
      new Readable({
        read() {
          this.push(Buffer.alloc(300 * 1024, 1))
          this.destroy(Object.assign(new Error('blob unreadable'), { code: 'EIO' }))
        },
      })
    const good = () => Readable.from([Buffer.alloc(400 * 1024, 2)])
    const { storageDir, w, threads } = setup(
      [att({ sourceId: 'bad', sha256: 'bad', size: 400 * 1024 }), att({ sourceId: 'ok', sha256: 'ok', size: 400 * 1024, fileName: 'g.bin' })],
      (sha) => (sha === 'bad' ? broken() : good()),
    )
    dirs.push(storageDir)
    const files = { written: [] as string[], old: [] as string[], moves: [] as { tmp: string; final: string }[], failed: [] as { sourceId: string; detail: string }[] }
    const placed = await placeAttachments(w, w.db, threads, files as never)
    await expect(writeFiles(placed)).resolves.toBeUndefined()
    const kept = await dropFailed(w.db, placed, files as never)
    expect(kept.map((p) => p.a.sourceId)).toEqual(['ok'])
    expect(files.failed.map((f) => [f.sourceId, /EIO/.test(f.detail)])).toEqual([['bad', true]])
    // Only the good file is waiting in the temporary directory; nothing is in FreeScout's layout before the commit.
    expect(readdirSync(tempDir(storageDir))).toEqual([placed[1]!.tmp.split('/').pop()])
    expect(existsSync(placed[1]!.path)).toBe(false)
    expect(files.moves).toEqual([{ tmp: placed[1]!.tmp, final: placed[1]!.path, id: placed[1]!.id, fileName: 'g.bin' }])
    expect(readFileSync(placed[1]!.tmp)).toHaveLength(400 * 1024)
  })

  it('puts a committed file in place without ever replacing another one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'deskmove-place-'))
    dirs.push(dir)
    writeFileSync(join(dir, 'tmp1'), 'ours')
    writeFileSync(join(dir, 'taken'), 'theirs')
    expect(placeFile(join(dir, 'tmp1'), join(dir, 'taken'))).toBe(false)
    expect(readFileSync(join(dir, 'taken'), 'utf8')).toBe('theirs')
    expect(placeFile(join(dir, 'tmp1'), join(dir, 'a', 'b', 'free'))).toBe(true)
    expect(readFileSync(join(dir, 'a', 'b', 'free'), 'utf8')).toBe('ours')
    expect(existsSync(join(dir, 'tmp1'))).toBe(false)
  })

  it('gives an unwritable storage directory as each attachment\'s own failure, never a rejection', async () => {
    const { storageDir, w, threads } = setup([att({ size: 5 })], () => Readable.from([Buffer.from('hello')]))
    dirs.push(storageDir)
    // A file where the temporary directory should be: every write fails (ENOTDIR / EEXIST).
    writeFileSync(join(storageDir, 'attachment'), 'not a directory')
    const files = { written: [], old: [], moves: [], failed: [] }
    const placed = await placeAttachments(w, w.db, threads, files)
    await writeFiles(placed)
    expect(placed[0]!.error).toMatch(/^E[A-Z]+: /)
  })
})
