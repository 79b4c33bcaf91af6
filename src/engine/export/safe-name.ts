import { createHash } from 'node:crypto'

const PLAIN = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,79}$/

/**
 * A vendor id as one path segment. Ids are the vendor's (`../../x`, `a/b`, NUL, 500 characters): a plain id
 * is used as-is; any other is reduced to safe characters and suffixed with a hash of the original, so two ids
 * never share a name and none can climb out of the folder.
 */
export function safeSegment(id: string): string {
  if (PLAIN.test(id) && !id.endsWith('.')) return id
  const cleaned = id.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 40)
  const hash = createHash('sha256').update(id, 'utf8').digest('hex').slice(0, 12)
  return cleaned ? `${cleaned}-${hash}` : `id-${hash}`
}

const ATEXT = /[A-Za-z0-9!#$%&'*+/?^_`{|}~-]/

/** An id as RFC 5322 dot-atom text: other characters (and `=`) become `=HH` per UTF-8 byte, reversibly. */
export function atomText(id: string): string {
  let out = ''
  for (const ch of id) {
    if (ATEXT.test(ch)) out += ch
    else for (const b of Buffer.from(ch, 'utf8')) out += `=${b.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return out
}
