import { constants, deflateSync } from 'node:zlib'

/**
 * A tiny PNG encoder for generated attachments: a two-colour palette image (colour type 3, bit depth 1)
 * of horizontal bands, so the pixel data is a handful of repeated rows that deflate to almost nothing
 * whatever the size. The result opens in any browser or image viewer.
 */

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

const CRC_TABLE = (() => {
  const t = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    t[n] = c >>> 0
  }
  return t
})()

/** CRC-32 as PNG defines it (ISO 3309), over the chunk type and data. */
export function crc32(...parts: Buffer[]): number {
  let c = 0xffffffff
  for (const p of parts) for (let i = 0; i < p.length; i++) c = CRC_TABLE[(c ^ p[i]!) & 0xff]! ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

/** One chunk: length, type, data, CRC. */
export function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(data.length, 0)
  head.write(type, 4, 'latin1')
  const tail = Buffer.alloc(4)
  tail.writeUInt32BE(crc32(head.subarray(4), data), 0)
  return Buffer.concat([head, data, tail])
}

/** Bytes a chunk adds beyond its data (length + type + CRC). */
export const CHUNK_OVERHEAD = 12

export interface PngSpec {
  width: number
  height: number
  /** Two RGB colours, e.g. [[0x33,0x66,0x99],[0xee,0xee,0xee]]. */
  palette: readonly [readonly [number, number, number], readonly [number, number, number]]
  /** Band height in rows; bands alternate the two colours. */
  band: number
}

const compressedCache = new Map<string, Buffer>()

/** The IDAT payload: filter byte 0 + packed bits per row, zlib-deflated. Cached by geometry (colours live in PLTE). */
function imageData(width: number, height: number, band: number): Buffer {
  const key = `${width}x${height}/${band}`
  const hit = compressedCache.get(key)
  if (hit) return hit
  const stride = 1 + Math.ceil(width / 8)
  const raw = Buffer.alloc(stride * height)
  for (let y = 0; y < height; y++) {
    // Alternate bands, with a diagonal edge so the picture is not just stripes.
    const on = Math.floor(y / band) % 2 === 1
    const row = raw.subarray(y * stride + 1, (y + 1) * stride)
    if (on) row.fill(0xff)
    const edge = Math.floor((y * width) / Math.max(1, height))
    const byte = edge >> 3
    if (byte < row.length) row[byte] = row[byte]! ^ (0x80 >> (edge & 7))
  }
  // Run-length matching only: the rows are runs of 0x00/0xff, and RLE deflates them ~10× faster than the default.
  const made = deflateSync(raw, { level: 9, strategy: constants.Z_RLE })
  if (compressedCache.size > 256) compressedCache.clear()
  compressedCache.set(key, made)
  return made
}

/** The chunks before padding: signature, IHDR, PLTE, IDAT. IEND is appended by `finishPng`. */
export function pngHead(spec: PngSpec): Buffer {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(spec.width, 0)
  ihdr.writeUInt32BE(spec.height, 4)
  ihdr[8] = 1 // bit depth
  ihdr[9] = 3 // colour type: palette
  ihdr[10] = 0 // deflate
  ihdr[11] = 0 // adaptive filtering
  ihdr[12] = 0 // no interlace
  const plte = Buffer.from([...spec.palette[0], ...spec.palette[1]])
  return Buffer.concat([SIGNATURE, pngChunk('IHDR', ihdr), pngChunk('PLTE', plte), pngChunk('IDAT', imageData(spec.width, spec.height, spec.band))])
}

/** The IEND chunk (constant). */
export const PNG_IEND = pngChunk('IEND', Buffer.alloc(0))

/**
 * A whole PNG of exactly `size` bytes when possible: the image, then a private ancillary chunk
 * (`dmPd`, ignored by decoders) carrying `filler` to reach the size, then IEND.
 * Returns null when the image alone is larger than `size`.
 */
export function pngOfSize(spec: PngSpec, size: number, filler: (n: number) => Buffer): Buffer | null {
  const head = pngHead(spec)
  const bare = head.length + PNG_IEND.length
  if (bare === size) return Buffer.concat([head, PNG_IEND])
  if (bare + CHUNK_OVERHEAD > size) return null
  return Buffer.concat([head, pngChunk('dmPd', filler(size - bare - CHUNK_OVERHEAD)), PNG_IEND])
}
