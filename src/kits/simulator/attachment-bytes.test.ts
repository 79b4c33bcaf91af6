import { crc32 as zlibCrc32, inflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { generatedFileBytes } from './attachment-bytes.js'

interface Chunk {
  type: string
  data: Buffer
  crcOk: boolean
}

/** A strict reader for the PNG container, independent of the encoder (CRC from node:zlib). */
function readPng(bytes: Buffer): Chunk[] {
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  const chunks: Chunk[] = []
  let at = 8
  while (at < bytes.length) {
    const len = bytes.readUInt32BE(at)
    const type = bytes.toString('latin1', at + 4, at + 8)
    const data = bytes.subarray(at + 8, at + 8 + len)
    const crc = bytes.readUInt32BE(at + 8 + len)
    chunks.push({ type, data, crcOk: zlibCrc32(bytes.subarray(at + 4, at + 8 + len)) === crc })
    at += 12 + len
  }
  expect(at).toBe(bytes.length)
  return chunks
}

function checkPng(bytes: Buffer, expectWidth?: number, expectHeight?: number): { width: number; height: number } {
  const chunks = readPng(bytes)
  expect(chunks.every((c) => c.crcOk)).toBe(true)
  expect(chunks[0]!.type).toBe('IHDR')
  expect(chunks.at(-1)!.type).toBe('IEND')
  const ihdr = chunks[0]!.data
  const width = ihdr.readUInt32BE(0)
  const height = ihdr.readUInt32BE(4)
  const [depth, colourType] = [ihdr[8], ihdr[9]]
  expect(colourType).toBe(3)
  expect(depth).toBe(1)
  expect(chunks.find((c) => c.type === 'PLTE')!.data.length).toBe(6)
  const idat = Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data))
  const raw = inflateSync(idat)
  expect(raw.length).toBe(height * (1 + Math.ceil(width / 8)))
  // Every row starts with a valid filter byte (0–4).
  for (let y = 0; y < height; y++) expect(raw[y * (1 + Math.ceil(width / 8))]!).toBeLessThanOrEqual(4)
  if (expectWidth !== undefined) expect(width).toBe(expectWidth)
  if (expectHeight !== undefined) expect(height).toBe(expectHeight)
  return { width, height }
}

describe('generated attachment bytes', () => {
  it('makes a valid PNG of exactly the announced size and dimensions', () => {
    for (const [id, size, width, height] of [[1, 5000, 640, 480], [2, 300_000, 1920, 1080], [3, 20_000, 17, 33]] as const) {
      const bytes = generatedFileBytes(1, { id, size, mimeType: 'image/png', width, height })
      expect(bytes.length).toBe(size)
      checkPng(bytes, width, height)
    }
  })

  it('shrinks the picture rather than break the file when the size is too small for the dimensions', () => {
    const bytes = generatedFileBytes(1, { id: 4, size: 100, mimeType: 'image/png', width: 1920, height: 1080 })
    expect(bytes.length).toBe(100)
    const { width } = checkPng(bytes)
    expect(width).toBeLessThan(1920)
  })

  it('is deterministic by seed and id, and differs between ids and seeds', () => {
    const f = { id: 7, size: 4000, mimeType: 'image/png', width: 100, height: 80 }
    const a = generatedFileBytes(3, f)
    expect(generatedFileBytes(3, f).equals(a)).toBe(true)
    expect(generatedFileBytes(4, f).equals(a)).toBe(false)
    expect(generatedFileBytes(3, { ...f, id: 8 }).equals(a)).toBe(false)
  })

  it('frames other types the way their readers look for them', () => {
    const pdf = generatedFileBytes(1, { id: 10, size: 3000, mimeType: 'application/pdf' })
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-')
    expect(pdf.subarray(-7).toString('latin1')).toBe('\n%%EOF\n')
    const jpg = generatedFileBytes(1, { id: 11, size: 3000, mimeType: 'image/jpeg' })
    expect([...jpg.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff])
    expect([...jpg.subarray(-2)]).toEqual([0xff, 0xd9])
    const zip = generatedFileBytes(1, { id: 12, size: 3000, mimeType: 'application/zip' })
    expect(zip.subarray(0, 4).toString('latin1')).toBe('PK\x03\x04')
    expect(zip.subarray(-22, -18).toString('latin1')).toBe('PK\x05\x06')
    const txt = generatedFileBytes(1, { id: 13, size: 3000, mimeType: 'text/csv' })
    expect(txt.subarray(0, 14).toString('latin1')).toBe('attachment 13\n')
    expect([...txt].every((b) => b === 0x0a || (b >= 0x20 && b < 0x7f))).toBe(true)
    for (const b of [pdf, jpg, zip, txt]) expect(b.length).toBe(3000)
  })

  it('serves empty files as zero bytes and keeps tiny files to their size', () => {
    expect(generatedFileBytes(1, { id: 14, size: 0, mimeType: 'image/png' }).length).toBe(0)
    expect(generatedFileBytes(1, { id: 15, size: 3, mimeType: 'application/zip' }).length).toBe(3)
    expect(generatedFileBytes(1, { id: 16, size: 40, mimeType: 'image/png', width: 10, height: 10 }).length).toBe(40)
  })
})
