// What keeps credentials out of a recording. Three nets, each idempotent (scrubbing twice changes nothing,
// which is what lets a replay match a live request against a recorded, scrubbed one):
// 1. structure: secret-named headers, query parameters, form fields and JSON keys lose their value;
// 2. the run's redactor: every secret it knows (config secrets, tokens the source obtained) is masked;
// 3. shapes: JWTs, cloud keys, bearer tokens and signed-URL signatures are masked even when nobody registered them.
import type { Redactor } from '../../core/redact.js'

export const MASK = '[REDACTED]'

/** Request headers worth keeping (content negotiation); every other one is left out of the recording. */
const KEPT_REQUEST_HEADERS = new Set(['accept', 'content-type', 'accept-language', 'if-none-match', 'if-modified-since'])
/** Response headers that change on every call and say nothing the adapter reads: left out to keep diffs quiet. */
const VOLATILE_RESPONSE_HEADERS = new Set(['date', 'age', 'connection', 'keep-alive', 'transfer-encoding', 'server-timing', 'x-request-id', 'x-runtime', 'cf-ray', 'x-amz-cf-id', 'x-amzn-requestid', 'x-amzn-trace-id', 'via', 'expires', 'report-to', 'nel', 'etag'])
const SECRET_HEADER = /auth|token|secret|cookie|session|api-?key|signature|credential|csrf|xsrf/i
/** JSON keys, form fields and query parameters whose value is a credential (exact names, lower-cased, `-` as `_`). */
const SECRET_NAMES = new Set([
  'access_token', 'accesstoken', 'refresh_token', 'refreshtoken', 'id_token', 'idtoken', 'token', 'auth_token', 'api_token', 'apitoken',
  'api_key', 'apikey', 'secret', 'client_secret', 'clientsecret', 'app_secret', 'appsecret', 'password', 'passwd',
  'session_id', 'sessionid', 'cookie', 'csrf_token', 'xsrf_token', 'authorization', 'private_key', 'jwt',
])
/** Query parameters of signed URLs (S3, CloudFront, GCS, Azure) and OAuth redirects; too generic as JSON keys. */
const SECRET_QUERY_NAMES = new Set(['signature', 'sig', 'x_amz_signature', 'x_amz_credential', 'x_amz_security_token', 'key_pair_id', 'policy', 'x_goog_signature', 'x_goog_credential', 'code', 'key', 'auth', 'session', 'sid'])
const SHAPES: readonly RegExp[] = [
  // JSON Web Tokens (OAuth access tokens of many vendors).
  /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/g,
  // Cloud and platform keys with a recognisable prefix.
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g,
  /\b(?:gh[pousr]_[A-Za-z0-9]{20,}|xox[abpr]-[A-Za-z0-9-]{10,}|sk_(?:live|test)_[A-Za-z0-9]{10,})\b/g,
]
const URL_IN_TEXT = /\bhttps?:\/\/[^\s"'<>\\]+/g

const norm = (name: string): string => name.toLowerCase().replace(/-/g, '_')

export function isSecretName(name: string): boolean {
  return SECRET_NAMES.has(norm(name))
}

export function isSecretQueryName(name: string): boolean {
  return SECRET_NAMES.has(norm(name)) || SECRET_QUERY_NAMES.has(norm(name))
}

export class Scrubber {
  constructor(private readonly redactor: Redactor) {}

  /** Any text: known secrets, credential shapes, and the secrets of every URL inside it. */
  text(s: string): string {
    let out = s.replace(URL_IN_TEXT, (u) => this.urlText(u))
    for (const re of SHAPES) out = out.replace(re, MASK)
    return this.redactor.redact(out)
  }

  /** A URL: user info and secret-named query parameters masked. */
  url(url: URL): URL {
    const u = new URL(url.toString())
    if (u.password) u.password = 'REDACTED'
    for (const k of [...new Set(u.searchParams.keys())]) {
      if (isSecretQueryName(k)) u.searchParams.set(k, MASK)
    }
    return u
  }

  private urlText(text: string): string {
    try {
      const u = new URL(text)
      // Only re-serialise when something changes: `new URL` normalises, and text must stay as it was.
      const scrubbed = this.url(u)
      return scrubbed.toString() === u.toString() ? text : scrubbed.toString()
    } catch {
      return text
    }
  }

  /** Deep: secret-named keys lose their value, every string is scrubbed as text. */
  json(value: unknown): unknown {
    if (typeof value === 'string') return this.text(value)
    if (Array.isArray(value)) return value.map((v) => this.json(v))
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {}
      for (const [k, v] of Object.entries(value)) out[k] = isSecretName(k) && v !== null && typeof v !== 'boolean' ? MASK : this.json(v)
      return out
    }
    return value
  }

  /** A request body: form fields and JSON keys by name, then as text. */
  body(body: string, contentType: string | undefined): string {
    const type = (contentType ?? '').toLowerCase()
    if (type.includes('json') || /^\s*[[{]/.test(body)) {
      try {
        return JSON.stringify(this.json(JSON.parse(body)))
      } catch {
        // Not JSON after all: scrubbed as text below.
      }
    }
    if (type.includes('x-www-form-urlencoded') || /^[\w.%-]+=[^&\s]*(?:&[\w.%-]+=[^&\s]*)*$/.test(body)) {
      const form = new URLSearchParams(body)
      for (const k of [...new Set(form.keys())]) form.set(k, isSecretQueryName(k) ? MASK : this.text(form.get(k) ?? ''))
      return form.toString()
    }
    return this.text(body)
  }

  requestHeaders(h: Readonly<Record<string, string>>): Record<string, string> {
    const out: Record<string, string> = {}
    for (const [name, value] of Object.entries(h)) {
      const n = name.toLowerCase()
      if (KEPT_REQUEST_HEADERS.has(n)) out[n] = this.text(value)
    }
    return out
  }

  responseHeaders(h: Readonly<Record<string, string>>): Record<string, string> {
    const out: Record<string, string> = {}
    for (const name of Object.keys(h).sort()) {
      const n = name.toLowerCase()
      if (VOLATILE_RESPONSE_HEADERS.has(n) || n === 'set-cookie' || SECRET_HEADER.test(n)) continue
      out[n] = this.text(h[name]!)
    }
    return out
  }
}

/** Secret-shaped strings left in `text` (used by tests over whole recordings; empty is the goal). */
export function findSecretShapes(text: string): string[] {
  const found: string[] = []
  for (const re of SHAPES) for (const m of text.matchAll(new RegExp(re.source, 'g'))) found.push(m[0])
  for (const m of text.matchAll(/\b(?:bearer|basic)\s+(?!\[REDACTED\])[A-Za-z0-9._~+/=-]{8,}/gi)) found.push(m[0])
  for (const m of text.matchAll(/[?&](?:x-amz-signature|signature|sig|access_token|api_key|token)=(?!%5BREDACTED%5D|\[REDACTED\])[^&\s"]+/gi)) found.push(m[0])
  for (const m of text.matchAll(/"(?:access_token|refresh_token|client_secret|password|api_key)"\s*:\s*"(?!\[REDACTED\])[^"]+"/gi)) found.push(m[0])
  for (const m of text.matchAll(/\b[a-z][a-z0-9+.-]*:\/\/[\w.%~-]+:(?!REDACTED@|\[REDACTED\]@)[^@\s/"]+@/gi)) found.push(m[0])
  return found
}
