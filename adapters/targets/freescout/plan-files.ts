// Pure helpers for attachments: FreeScout's file-name rules, type codes, storage layout and download URLs.
import { createHash } from 'node:crypto'

const RESTRICTED_EXT = /^(php.*|phtml|phar|sh|pl)$/i
/** Longest file name most filesystems accept (ext4, XFS, APFS: 255 bytes) and FreeScout's `file_name` holds. */
export const MAX_NAME_BYTES = 255
/** Extensions longer than this are not kept whole when a name is cut. */
const MAX_KEPT_EXTENSION = 20
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' })

/**
 * Cuts a file name to `max` UTF-8 bytes on a character (grapheme) boundary, keeping its extension (at most 20
 * characters of it): 300 × `é` or 100 × 😀 must not reach the filesystem as ENAMETOOLONG.
 */
export function capFileName(name: string, max = MAX_NAME_BYTES): string {
  if (Buffer.byteLength(name) <= max) return name
  const dot = name.lastIndexOf('.')
  const tail = dot > 0 ? takeBytes(Array.from(name.slice(dot)).slice(0, MAX_KEPT_EXTENSION).join(''), max) : ''
  return takeBytes(dot > 0 ? name.slice(0, dot) : name, max - Buffer.byteLength(tail)) + tail
}

/** The longest prefix of whole graphemes within `max` UTF-8 bytes. */
function takeBytes(s: string, max: number): string {
  let out = ''
  let n = 0
  for (const { segment } of graphemes.segment(s)) {
    const b = Buffer.byteLength(segment)
    if (n + b > max) break
    out += segment
    n += b
  }
  return out
}

/**
 * Makes a vendor file name safe and FreeScout-shaped (freescout.md A.2): path separators, spaces, `#` and soft
 * hyphens become `_`; NUL, control characters and `< > : " | ? *` are removed; leading dots are dropped so `..`
 * can never be a path; restricted extensions (`php*`, `sh`, `pl`) get `_` appended; at most 255 bytes (UTF-8,
 * cut between characters) with the extension kept. An empty result becomes `attachment-<fallbackId>`.
 */
export function sanitizeFileName(name: string, fallbackId: string): string {
  let s = name
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .replace(/[<>:"|?*]/g, '')
    .replace(/[/\\\s#\u00ad]/g, '_')
    .replace(/^\.+/, '')
  if (s === '' || /^_*$/.test(s)) s = `attachment-${fallbackId.replace(/[^A-Za-z0-9_-]/g, '_')}`
  const dot = s.lastIndexOf('.')
  const ext = dot > 0 ? s.slice(dot + 1) : ''
  if (ext && RESTRICTED_EXT.test(ext)) s += '_'
  return capFileName(s)
}

/** FreeScout appends `_` to PDFs that contain JavaScript (they would run in the browser's viewer). */
export function pdfNeedsGuard(fileName: string, bytes: Buffer): boolean {
  return /\.pdf$/i.test(fileName) && bytes.includes(PDF_SCRIPT_MARK)
}

/** What marks a PDF with JavaScript. */
export const PDF_SCRIPT_MARK = '/JavaScript'

/** The name a PDF with JavaScript is stored under: `_` appended, still within the byte limit. */
export function guardedPdfName(fileName: string): string {
  return capFileName(`${fileName}_`)
}

const TYPE_CODES: Record<string, number> = { text: 0, multipart: 1, message: 2, application: 3, audio: 4, image: 5, video: 6, model: 7 }

/** `attachments.type` from the MIME type's top-level part (other → 8). */
export function attachmentTypeCode(mime: string): number {
  return TYPE_CODES[mime.split('/')[0]!.trim().toLowerCase()] ?? 8
}

/** A MIME type FreeScout can store: lower-cased, parameters dropped, at most 127 characters. */
export function cleanMimeType(mime: string): string {
  const base = mime.split(';')[0]!.trim().toLowerCase()
  return (/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(base) ? base : 'application/octet-stream').slice(0, 127)
}

/** The first two directory levels FreeScout derives from an attachment id: the first two decimal digits of md5(id). */
export function attachmentDirPrefix(id: number): string {
  const digits = createHash('md5').update(String(id)).digest('hex').replace(/[^0-9]/g, '')
  return `${digits[0] ?? '0'}/${digits[1] ?? '0'}/`
}

/**
 * `file_dir` for an attachment: the md5-digit prefix plus the first counter `i` (1, 2, …) for which
 * `attachment/<prefix><i>/<fileName>` does not exist yet, so no file is ever overwritten.
 */
export function attachmentFileDir(id: number, fileName: string, exists: (relPath: string) => boolean): string {
  const prefix = attachmentDirPrefix(id)
  for (let i = 1; ; i++) {
    const dir = `${prefix}${i}/`
    if (!exists(`attachment/${dir}${fileName}`)) return dir
  }
}

/** FreeScout's download URL for an attachment (token = md5(APP_KEY . id . size), APP_KEY as written in .env). */
export function attachmentUrl(appUrl: string, appKey: string, a: { id: number; fileDir: string; fileName: string; size: number }): string {
  const token = createHash('md5').update(`${appKey}${a.id}${a.size}`).digest('hex')
  const name = a.fileName.split('/').map(encodeURIComponent).join('/')
  return `${appUrl.replace(/\/+$/, '')}/storage/attachment/${a.fileDir}${name}?id=${a.id}&token=${token}`
}

/** Replaces `cid:<content-id>` references (with or without angle brackets) by URLs; returns the ids it could not map. */
export function rewriteCids(html: string, urls: ReadonlyMap<string, string>): { html: string; unresolved: string[] } {
  const unresolved = new Set<string>()
  const out = html.replace(/cid:(?:<|&lt;)?([^"'\s>)&]+)(?:>|&gt;)?/gi, (m, cid: string) => {
    const url = urls.get(cid) ?? urls.get(cid.toLowerCase())
    if (url) return url.replace(/&/g, '&amp;')
    unresolved.add(cid)
    return m
  })
  return { html: out, unresolved: [...unresolved] }
}

/** Content ids an HTML body references through `cid:`. */
export function referencedCids(html: string): string[] {
  return [...new Set([...html.matchAll(/cid:(?:<|&lt;)?([^"'\s>)&]+)/gi)].map((m) => m[1]!))]
}
