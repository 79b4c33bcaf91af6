import { createHash } from 'node:crypto'
import { Rng, SALT, hash32 } from './rng.js'
import type { AttachmentSeed } from './threads.js'

/**
 * Attachment contents, generated on demand. Each file is a window into a per-seed noise pool
 * (binary or printable text) plus a per-attachment stamp, so bytes cost a memcpy rather than a
 * random draw per byte, even for multi-megabyte files.
 */

const POOL_SIZE = 1 << 20
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

interface Pools {
  binary: Buffer
  text: Buffer
}

const poolCache = new Map<number, Pools>()

function pools(seed: number): Pools {
  const cached = poolCache.get(seed)
  if (cached) return cached
  const r = new Rng(seed, SALT.noise)
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

/** The full contents of an attachment. */
export function attachmentBytes(seed: number, a: AttachmentSeed): Buffer {
  const out = Buffer.allocUnsafe(a.size)
  if (a.size === 0) return out
  const pool = a.kind === 'text' ? pools(seed).text : pools(seed).binary
  let offset = hash32(seed, a.id, SALT.bytes) % POOL_SIZE
  let written = 0
  while (written < a.size) {
    const n = Math.min(a.size - written, POOL_SIZE - offset)
    pool.copy(out, written, offset, offset + n)
    written += n
    offset = 0
  }
  const stamp = a.kind === 'png' ? Buffer.concat([PNG_SIGNATURE, Buffer.from(`${a.id}`)]) : Buffer.from(`attachment ${a.id}\n`)
  stamp.copy(out, 0, 0, Math.min(stamp.length, a.size))
  return out
}

export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex')
}
