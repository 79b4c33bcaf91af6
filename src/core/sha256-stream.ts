// A file whose name is its sha256 (blob store, archive blobs) is read through this: bytes that no longer match fail
// the stream at its end instead of being passed on as good.
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { Transform, type Readable } from 'node:stream'

/** Streams `path`, failing with `mismatch(got)` when its bytes do not hash to `sha256`. */
export function readVerified(path: string, sha256: string, mismatch: (got: string) => Error): Readable {
  const hash = createHash('sha256')
  const verify = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk)
      cb(null, chunk)
    },
    flush(cb) {
      const got = hash.digest('hex')
      cb(got === sha256 ? null : mismatch(got))
    },
  })
  const src = createReadStream(path)
  src.on('error', (e) => verify.destroy(e))
  return src.pipe(verify)
}
