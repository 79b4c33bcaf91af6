/** A fully rendered HTTP response, before faults and latency are applied. */
export interface SimResponse {
  status: number
  headers: Record<string, string>
  body: Buffer
  /**
   * Written to the socket as is, with no status line or headers, and the connection closed: a crashed CGI
   * script's HTML page, or (empty) a server that hangs up without answering. `status`/`headers`/`body` are then unused.
   */
  rawSocket?: Buffer
}

/** A JSON response; the content type is the vendor's (HAL, plain JSON…). */
export function jsonResponse(status: number, value: unknown, contentType = 'application/json'): SimResponse {
  return { status, headers: { 'content-type': contentType }, body: Buffer.from(JSON.stringify(value), 'utf8') }
}

/** A redirect (301 unless told) with a small JSON body, as JSON APIs send them. */
export function redirectResponse(location: string, status = 301, contentType = 'application/json;charset=UTF-8'): SimResponse {
  return { status, headers: { location, 'content-type': contentType }, body: Buffer.from('{}') }
}

/** Raw bytes, e.g. an attachment download. */
export function bytesResponse(body: Buffer, contentType: string, headers: Record<string, string> = {}): SimResponse {
  return { status: 200, headers: { 'content-type': contentType, ...headers }, body }
}

/** A `content-disposition` value that survives odd names (quotes, NUL, non-Latin-1) via RFC 6266 `filename*`. */
export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_') || 'file'
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`
}
