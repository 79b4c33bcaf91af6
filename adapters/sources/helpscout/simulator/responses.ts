import type { SimResponse } from './types.js'

/** Small builders for the simulator's HTTP responses. */

export const HAL_JSON = 'application/hal+json;charset=UTF-8'

export function jsonResponse(status: number, value: unknown, contentType = HAL_JSON): SimResponse {
  return { status, headers: { 'content-type': contentType }, body: Buffer.from(JSON.stringify(value), 'utf8') }
}

/** An error body shaped like Help Scout's (`logRef` + `message`). */
export function errorResponse(status: number, message: string): SimResponse {
  return jsonResponse(status, { logRef: `sim-${status}`, message }, 'application/json;charset=UTF-8')
}

export function redirectResponse(location: string): SimResponse {
  return { status: 301, headers: { location, 'content-type': 'application/json;charset=UTF-8' }, body: Buffer.from('{}') }
}

/** A `content-disposition` value that survives odd names (quotes, NUL, non-Latin-1) via RFC 6266 `filename*`. */
export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_') || 'file'
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`
}
