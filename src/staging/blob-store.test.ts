import { describe, expect, it } from 'vitest'
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { BlobStore, BlobTooLargeError, BlobIntegrityError } from './blob-store.js'
import { openStagingStore } from './store.js'
import { StagingError } from '../core/errors.js'

const fresh = () => new BlobStore(mkdtempSync(join(tmpdir(), 'deskmove-blobs-')))

describe('blob store', () => {
  it('stores by content hash, once, and reads back verified', async () => {
    const blobs = fresh()
    const a = await blobs.put(Readable.from([Buffer.from('abc')]))
    const b = await blobs.put(Readable.from([Buffer.from('a'), Buffer.from('bc')]))
    expect(a).toEqual(b)
    expect(a.sha256).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
    expect((await blobs.read(a.sha256)).toString()).toBe('abc')
    expect(readdirSync(join(blobs.dir, 'tmp'))).toEqual([])
  })

  it('refuses a body over the limit and leaves no partial file', async () => {
    const blobs = fresh()
    await expect(blobs.put(Readable.from([Buffer.alloc(10)]), { maxBytes: 5 })).rejects.toBeInstanceOf(BlobTooLargeError)
    expect(readdirSync(join(blobs.dir, 'tmp'))).toEqual([])
  })

  it('leaves nothing in tmp/ when the transfer fails at once, however fast', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'blobs-'))
    const store = new BlobStore(dir)
    for (let i = 0; i < 20; i++) {
      const failing = new Readable({ read() { this.destroy(new Error('connection reset')) } })
      await expect(store.put(failing)).rejects.toThrow(/connection reset/)
    }
    await new Promise((r) => setTimeout(r, 50))
    expect(readdirSync(join(dir, 'tmp'))).toEqual([])
  })

  it('detects a corrupted blob on read', async () => {
    const blobs = fresh()
    const { sha256 } = await blobs.put(Readable.from([Buffer.from('original')]))
    writeFileSync(blobs.pathFor(sha256), 'tampered')
    await expect(blobs.read(sha256)).rejects.toBeInstanceOf(BlobIntegrityError)
  })

  it('never builds a path from anything but a sha256', () => {
    expect(() => fresh().pathFor('../../etc/passwd')).toThrow(BlobIntegrityError)
  })
})

describe('staging store', () => {
  it('refuses a database written by a newer deskmove', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'deskmove-db-')), 'x.db')
    const s = openStagingStore(path)
    s.db.pragma('user_version = 999')
    s.close()
    expect(() => openStagingStore(path)).toThrow(StagingError)
  })
})
