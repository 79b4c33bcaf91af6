import type { Redactor } from '../core/redact.js'
import type { HttpRequest } from '../core/http.js'

/** Segments that are record ids rather than route names: numbers, UUIDs, long hex, emails. */
const ID_SEGMENT = /^(\d+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{16,}|[^/]*@[^/]*)$/i

/** The request URL with `req.query` merged in (undefined values dropped). */
export function buildUrl(req: HttpRequest): URL {
  const url = new URL(req.url)
  for (const [key, value] of Object.entries(req.query ?? {})) {
    if (value !== undefined) url.searchParams.set(key, String(value))
  }
  return url
}

/** Stats / log key: `req.route`, else `METHOD /path/:id/...` with id-like segments replaced. */
export function routeKey(req: HttpRequest, url: URL): string {
  if (req.route !== undefined && req.route !== '') return req.route
  const path = url.pathname
    .split('/')
    .map((seg) => (seg !== '' && ID_SEGMENT.test(safeDecode(seg)) ? ':id' : seg))
    .join('/')
  return `${req.method ?? 'GET'} ${path}`
}

/** The URL as it may appear in logs and errors: registered secrets and token-shaped values masked. */
export function displayUrl(url: URL, redactor: Redactor): string {
  return redactor.redact(url.toString())
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}
