import { createHash, type Hash } from 'node:crypto'
import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs'
import { dirname, join } from 'node:path'

export interface WrittenFile {
  readonly sha256: string
  readonly bytes: number
  readonly lines: number
}

/** Buffered before a write: large enough that syscalls do not dominate, small enough to stay flat. */
const FLUSH_AT = 1 << 20

/**
 * Appends JSON lines to one archive file, hashing as it writes (the manifest's sha256 costs no second read).
 * Synchronous: the export is one sequential pass, and a crash leaves no manifest, so nothing half-written
 * looks complete.
 */
export class JsonlWriter {
  private readonly fd: number
  private readonly hash: Hash = createHash('sha256')
  private buffer: string[] = []
  private buffered = 0
  private bytes = 0
  private lines = 0

  constructor(root: string, readonly relPath: string) {
    const full = join(root, relPath)
    mkdirSync(dirname(full), { recursive: true })
    this.fd = openSync(full, 'w')
  }

  /** A value to serialise, or JSON text already serialised (a staged record, written as stored). */
  write(value: unknown, json?: string): void {
    const line = `${json ?? JSON.stringify(value)}\n`
    this.buffer.push(line)
    this.buffered += line.length
    this.lines++
    if (this.buffered >= FLUSH_AT) this.flush()
  }

  private flush(): void {
    if (this.buffer.length === 0) return
    const chunk = Buffer.from(this.buffer.join(''), 'utf8')
    this.buffer = []
    this.buffered = 0
    this.hash.update(chunk)
    let off = 0
    while (off < chunk.length) off += writeSync(this.fd, chunk, off)
    this.bytes += chunk.length
  }

  close(): WrittenFile {
    this.flush()
    fsyncSync(this.fd)
    closeSync(this.fd)
    return { sha256: this.hash.digest('hex'), bytes: this.bytes, lines: this.lines }
  }
}
