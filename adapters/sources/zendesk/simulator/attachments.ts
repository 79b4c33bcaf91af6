import { generatedFileBytes, sha256Hex } from '../../../../src/kits/simulator/attachment-bytes.js'
import { hash32 } from '../../../../src/kits/simulator/rng.js'
import type { SimResponse } from '../../../../src/kits/simulator/responses.js'
import { SALT } from './people.js'
import type { ZdWorld } from './world.js'

/**
 * Attachment downloads the way Zendesk serves them: `content_url` on the account host
 * (`/attachments/token/<token>/?name=<file>`) answers 302 to a signed, expiring link on the "user content" path
 * (`/zdusercontent/attachment/<account>/<token>?token=<signed>`), which serves the bytes without credentials
 * until it expires (then 403). Inline images and thumbnails are served the same way.
 */

export const ACCOUNT_ID = 776_149
export const TOKEN_PATH = '/attachments/token/'
export const SIGNED_PATH = '/zdusercontent/attachment/'
/** Images in bodies that are not attachments (emoji) live on Zendesk's static host, which the simulator does not serve. */
export const STATIC_HOST = 'https://static.zdassets.com'

/** The opaque token of a file: 8 hex of a keyed hash, then the id in base 36 (so the server can find the file). */
export function fileToken(seed: number, id: number): string {
  return hash32(seed, id, SALT.token).toString(16).padStart(8, '0') + id.toString(36)
}

export function tokenFileId(seed: number, token: string): number | null {
  if (!/^[0-9a-f]{8}[0-9a-z]+$/.test(token)) return null
  const id = parseInt(token.slice(8), 36)
  return Number.isSafeInteger(id) && fileToken(seed, id) === token ? id : null
}

export function contentUrl(origin: string, seed: number, id: number, name: string): string {
  return `${origin}${TOKEN_PATH}${fileToken(seed, id)}/?name=${encodeURIComponent(name)}`
}

function signature(seed: number, id: number, expires: number): string {
  return [1, 2, 3].map((k) => hash32(seed, id, expires, SALT.sign, k).toString(36)).join('')
}

/** A signed link valid until `expires` (unix ms). */
export function signedUrl(origin: string, seed: number, id: number, expires: number): string {
  const claim = Buffer.from(JSON.stringify({ exp: expires })).toString('base64url')
  return `${origin}${SIGNED_PATH}${ACCOUNT_ID}/${fileToken(seed, id)}?token=${claim}.${signature(seed, id, expires)}`
}

/** The bytes of a file (attachment, inline image or thumbnail), deterministic by seed and id. */
export function fileBytes(world: ZdWorld, id: number): Buffer | null {
  const f = world.file(id)
  if (!f) return null
  return generatedFileBytes(world.seed, { id, size: f.size, mimeType: f.trueType, width: f.width, height: f.height })
}

export function fileDigest(world: ZdWorld, id: number): string {
  return sha256Hex(fileBytes(world, id)!)
}

const text = (status: number, body: string, extra: Record<string, string> = {}): SimResponse => ({ status, headers: { 'content-type': 'text/plain; charset=utf-8', ...extra }, body: Buffer.from(body) })

export interface AttachmentRouteOptions {
  world: ZdWorld
  origin: string
  now: () => number
  linkTtlMs: number
  /** True when the expiring-link fault hits this request: the redirect points at a link already expired. */
  expireNow: boolean
}

/** Answers `content_url`: 302 to a fresh signed link, like the recorded `Location: https://p18.zdusercontent.com/…`. */
export function redirectToSigned(o: AttachmentRouteOptions, token: string): SimResponse {
  const id = tokenFileId(o.world.seed, token)
  if (id === null || !o.world.file(id) || deletedTicketFile(o.world, id)) return text(404, 'Not Found')
  const expires = o.expireNow ? o.now() - 1000 : o.now() + o.linkTtlMs
  const location = signedUrl(o.origin, o.world.seed, id, expires)
  return {
    status: 302,
    headers: { location, 'content-type': 'text/html; charset=utf-8', 'cache-control': 'max-age=3600, private' },
    body: Buffer.from(`<html><body>You are being <a href="${location}">redirected</a>.</body></html>`),
  }
}

/** Answers a signed link: the bytes, or 403 once expired / when the signature does not match. */
export function serveSigned(o: AttachmentRouteOptions, token: string, query: URLSearchParams): SimResponse {
  const id = tokenFileId(o.world.seed, token)
  const [claim, sig] = (query.get('token') ?? '').split('.')
  let expires = NaN
  try {
    expires = Number((JSON.parse(Buffer.from(claim ?? '', 'base64url').toString('utf8')) as { exp?: unknown }).exp)
  } catch {
    // An unreadable claim is refused like a forged one below.
  }
  if (id === null || !Number.isFinite(expires) || sig !== signature(o.world.seed, id, expires)) return text(403, 'Forbidden: invalid token')
  if (o.now() >= expires) return text(403, 'Forbidden: this link has expired; request the attachment URL again')
  const f = o.world.file(id)
  const bytes = fileBytes(o.world, id)
  if (!f || !bytes) return text(404, 'Not Found')
  return { status: 200, headers: { 'content-type': f.contentType, 'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(f.name)}`, 'cache-control': 'private, max-age=0' }, body: bytes }
}

function deletedTicketFile(world: ZdWorld, id: number): boolean {
  const f = world.file(id)
  return f !== null && world.header(f.ticketIndex).deleted
}
