import { createHash, randomBytes } from 'node:crypto'
import { createWriteStream, mkdirSync, renameSync, rmSync, statSync, existsSync, openSync, fsyncSync, closeSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { Transform, type Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { readVerified } from '../core/sha256-stream.js'

const SHA256 = /^[0-9a-f]{64}$/

export class BlobTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`attachment is larger than the limit of ${limit} bytes`)
  }
}

export class BlobIntegrityError extends Error {}

export interface StoredBlob {
  readonly sha256: string
  readonly size: number
}

/**
 * Content-addressed attachment bytes: `<dir>/ab/cd/<sha256>`. Names come only from the hash, so a vendor
 * file name (`../../etc/passwd`, NUL bytes) can never choose a path. Writes stream through a temp file and
 * an atomic rename; the same content is stored once; reads verify the hash as they go.
 */
export class BlobStore {
  constructor(readonly dir: string) {}

  pathFor(sha256: string): string {
    if (!SHA256.test(sha256)) throw new BlobIntegrityError(`not a sha256: ${JSON.stringify(sha256)}`)
    return join(this.dir, sha256.slice(0, 2), sha256.slice(2, 4), sha256)
  }

  has(sha256: string): boolean {
    return existsSync(this.pathFor(sha256))
  }

  sizeOf(sha256: string): number | null {
    try {
      return statSync(this.pathFor(sha256)).size
    } catch {
      return null
    }
  }

  /**
   * Removes partial files left by transfers that never finished (a killed run). Only call it while holding a
   * fresh writer lock, when no other process can be writing one. Returns how many were removed.
   */
  cleanTmp(): number {
    const tmpDir = join(this.dir, 'tmp')
    let names: string[]
    try {
      names = readdirSync(tmpDir)
    } catch {
      return 0
    }
    for (const n of names) rmSync(join(tmpDir, n), { force: true, recursive: true })
    return names.length
  }

  /** Streams `body` into the store; aborts with `BlobTooLargeError` past `maxBytes`. */
  async put(body: Readable, opts: { maxBytes?: number; signal?: AbortSignal } = {}): Promise<StoredBlob> {
    const tmpDir = join(this.dir, 'tmp')
    mkdirSync(tmpDir, { recursive: true })
    const tmp = join(tmpDir, `${process.pid}-${randomBytes(8).toString('hex')}`)
    const hash = createHash('sha256')
    let size = 0
    const limit = opts.maxBytes ?? Number.POSITIVE_INFINITY
    const meter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        size += chunk.length
        if (size > limit) return cb(new BlobTooLargeError(limit))
        hash.update(chunk)
        cb(null, chunk)
      },
    })
    // The file is created here, synchronously: a stream that opened it lazily could create it after a failed
    // transfer's cleanup below had already run, leaving an empty file behind in tmp/.
    const out = createWriteStream(tmp, { fd: openSync(tmp, 'w') })
    try {
      await pipeline(body, meter, out, opts.signal ? { signal: opts.signal } : {})
      const fd = openSync(tmp, 'r')
      try {
        fsyncSync(fd)
      } finally {
        closeSync(fd)
      }
      const sha256 = hash.digest('hex')
      const final = this.pathFor(sha256)
      mkdirSync(join(final, '..'), { recursive: true })
      if (existsSync(final)) rmSync(tmp, { force: true })
      else renameSync(tmp, final)
      return { sha256, size }
    } catch (e) {
      rmSync(tmp, { force: true })
      throw e
    }
  }

  /** Reads a blob, failing the stream with `BlobIntegrityError` if its bytes no longer match the hash. */
  open(sha256: string): Readable {
    return readVerified(this.pathFor(sha256), sha256, (got) => new BlobIntegrityError(`blob ${sha256} is corrupt (reads as ${got})`))
  }

  /** Reads a whole (small) blob into memory, verified. */
  async read(sha256: string): Promise<Buffer> {
    const chunks: Buffer[] = []
    for await (const c of this.open(sha256)) chunks.push(c as Buffer)
    return Buffer.concat(chunks)
  }
}
