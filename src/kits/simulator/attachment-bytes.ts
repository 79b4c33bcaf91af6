import { createHash } from 'node:crypto'
import { pngOfSize, type PngSpec } from './png.js'
import { Rng, hash32 } from './rng.js'

/**
 * Attachment contents, generated on demand and deterministic by (seed, attachment id). Each file is
 * shaped by its MIME type so a viewer accepts it — a real PNG for `image/png`, PDF/JPEG/ZIP framing
 * around noise for those types, printable text for `text/*` — and filled from a per-seed noise pool,
 * so bytes cost a memcpy rather than a random draw per byte, even for multi-megabyte files.
 */

/** What the generator needs to know about a file. */
export interface GeneratedFile {
  id: number
  size: number
  mimeType: string
  /** Pixel size of an image, when the vendor reports one. */
  width?: number | null
  height?: number | null
}

const POOL_SIZE = 1 << 20
/** Salts of the byte streams (6 and 9 keep the Help Scout simulator's historic noise). */
const BYTES_SALT = 6
const NOISE_SALT = 9

interface Pools {
  binary: Buffer
  text: Buffer
}

const poolCache = new Map<number, Pools>()

function pools(seed: number): Pools {
  const cached = poolCache.get(seed)
  if (cached) return cached
  const r = new Rng(seed, NOISE_SALT)
  const binary = Buffer.allocUnsafe(POOL_SIZE)
  for (let i = 0; i < POOL_SIZE; i += 4) binary.writeUInt32LE(Math.floor(r.next() * 4294967296), i)
  const text = Buffer.allocUnsafe(POOL_SIZE)
  for (let i = 0; i < POOL_SIZE; i++) {
    // Printable ASCII with a line break every so often.
    const b = binary[i]!
    text[i] = b % 61 === 0 ? 0x0a : 0x20 + (b % 95)
  }
  const made = { binary, text }
  // A simulator normally serves one seed; keep the cache from growing in long test runs.
  if (poolCache.size > 4) poolCache.clear()
  poolCache.set(seed, made)
  return made
}

/** `size` bytes of the pool, starting at a place chosen by (seed, id, salt). */
function fill(seed: number, id: number, pool: Buffer, size: number, salt = 0): Buffer {
  const out = Buffer.allocUnsafe(size)
  let offset = hash32(seed, id, BYTES_SALT, salt) % POOL_SIZE
  let written = 0
  while (written < size) {
    const n = Math.min(size - written, POOL_SIZE - offset)
    pool.copy(out, written, offset, offset + n)
    written += n
    offset = 0
  }
  return out
}

/** Puts `head` at the start and `tail` at the end of `body` (as far as they fit). */
function frame(body: Buffer, head: Buffer, tail: Buffer): Buffer {
  head.copy(body, 0, 0, Math.min(head.length, body.length))
  if (body.length >= head.length + tail.length) tail.copy(body, body.length - tail.length)
  return body
}

const JPEG_HEAD = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00])
const JPEG_TAIL = Buffer.from([0xff, 0xd9])
/** A ZIP end-of-central-directory record for an empty archive (22 bytes). */
const ZIP_TAIL = Buffer.concat([Buffer.from('PK\x05\x06', 'latin1'), Buffer.alloc(18)])

function png(seed: number, f: GeneratedFile): Buffer {
  const h = hash32(seed, f.id, BYTES_SALT, 1)
  const colour = (x: number): [number, number, number] => [(x >>> 16) & 0xff, (x >>> 8) & 0xff, x & 0xff]
  let width = Math.max(1, Math.min(f.width ?? 64 + (h % 448), 4096))
  let height = Math.max(1, Math.min(f.height ?? 48 + ((h >>> 9) % 336), 4096))
  const filler = (n: number): Buffer => fill(seed, f.id, pools(seed).binary, n, 2)
  // The reported dimensions when the file is big enough for them, else a smaller picture of the same shape.
  for (;;) {
    const spec: PngSpec = { width, height, palette: [colour(hash32(h, 2)), colour(hash32(h, 3) | 0x808080)], band: 1 + (h % 24) }
    const made = pngOfSize(spec, f.size, filler)
    if (made) return made
    if (width === 1 && height === 1) break
    width = Math.max(1, width >> 1)
    height = Math.max(1, height >> 1)
  }
  // Too small for any PNG: keep the signature so the type is still recognisable.
  return frame(filler(f.size), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(0))
}

/** The full contents of a generated file: deterministic, exactly `size` bytes. */
export function generatedFileBytes(seed: number, f: GeneratedFile): Buffer {
  if (f.size === 0) return Buffer.alloc(0)
  const type = f.mimeType.toLowerCase().split(';')[0]!.trim()
  const { binary, text } = pools(seed)
  if (type === 'image/png') return png(seed, f)
  if (type.startsWith('text/')) return frame(fill(seed, f.id, text, f.size), Buffer.from(`attachment ${f.id}\n`), Buffer.alloc(0))
  if (type === 'application/pdf') {
    return frame(fill(seed, f.id, text, f.size), Buffer.from(`%PDF-1.4\n% attachment ${f.id}\n`), Buffer.from('\n%%EOF\n'))
  }
  if (type === 'image/jpeg') return frame(fill(seed, f.id, binary, f.size), JPEG_HEAD, JPEG_TAIL)
  if (type === 'application/zip') return frame(fill(seed, f.id, binary, f.size), Buffer.from('PK\x03\x04', 'latin1'), ZIP_TAIL)
  return frame(fill(seed, f.id, binary, f.size), Buffer.from(`attachment ${f.id}\n`), Buffer.alloc(0))
}

export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex')
}
