// The GenericInterface's answer shapes (znuny.md B.2, O2, O3): data and operation errors both as HTTP 200 JSON,
// internal failures as HTTP 500, transport failures as plain text, and the two "no HTTP at all" cases.
import { jsonResponse, type SimResponse } from '../../../../src/kits/simulator/responses.js'

const JSON_TYPE = 'application/json; charset=UTF-8'

/** An operation's data. */
export const giData = (data: unknown): SimResponse => jsonResponse(200, data, JSON_TYPE)

/** An operation error: `{"Error":{"ErrorCode":"<Op>.<Code>","ErrorMessage":"<Op>: <message>"}}` with HTTP 200. */
export function giError(op: string, code: 'MissingParameter' | 'InvalidParameter' | 'AuthFail' | 'AccessDenied' | string, message: string): SimResponse {
  return jsonResponse(200, { Error: { ErrorCode: `${op}.${code}`, ErrorMessage: `${op}: ${message}` } }, JSON_TYPE)
}

/** An operation that returned Success=0 (e.g. "Ticket could not be created"): HTTP 500 with a SOAP-like fault. */
export const giFault = (message: string): SimResponse => jsonResponse(500, { faultcode: 'Server', faultstring: message }, JSON_TYPE)

/** A transport-level failure (bad JSON, unknown route): HTTP 500 with a plain-text message. */
export function transportError(message: string): SimResponse {
  return { status: 500, headers: { 'content-type': 'text/plain; charset=UTF-8' }, body: Buffer.from(message) }
}

/** The web service name is unknown: Znuny closes the connection without any reply (curl exit 52). */
export const noReply = (): SimResponse => ({ status: 0, headers: {}, body: Buffer.alloc(0), rawSocket: Buffer.alloc(0) })

/** A Perl die inside an operation: the nph script prints an HTML error page with no status line, then hangs up. */
export function crashPage(): SimResponse {
  const html = '<html><head><title>Internal Server Error</title></head><body><h1>Software error:</h1>' +
    '<pre>Can\'t locate object method via package "Kernel::System::Email::Sendmail"</pre></body></html>\n'
  return { status: 0, headers: {}, body: Buffer.alloc(0), rawSocket: Buffer.from(html) }
}

/** GI data as one object: query string, then the JSON body, then path parameters (which win). */
export type GiData = Record<string, unknown>

const HEADER_AUTH: Readonly<Record<string, string>> = {
  'x-otrs-header-userlogin': 'UserLogin',
  'x-otrs-header-customeruserlogin': 'CustomerUserLogin',
  'x-otrs-header-sessionid': 'SessionID',
  'x-otrs-header-password': 'Password',
}

/**
 * Merges a request's inputs as the REST transport does; null when the body is not a JSON object or array.
 * Repeated query keys become lists. A JSON body is read on GET too: znuny.md B.2 says GET ignores bodies (code
 * reading, not observed), but PyOTRS sends every call, TicketGet and TicketSearch included, as a JSON body and
 * works against real systems, so the body is honoured here.
 */
export function requestData(method: string, url: URL, headers: Readonly<Record<string, string | string[] | undefined>>, body: Buffer, pathParams: GiData): GiData | null {
  const data: GiData = {}
  for (const [k, v] of url.searchParams) {
    const have = data[k]
    data[k] = have === undefined ? v : Array.isArray(have) ? [...(have as unknown[]), v] : [have, v]
  }
  if (body.length > 0) {
    let parsed: unknown
    try {
      parsed = JSON.parse(body.toString('utf8'))
    } catch {
      return null
    }
    if (parsed === null || typeof parsed !== 'object') return null
    if (!Array.isArray(parsed)) Object.assign(data, parsed)
  }
  for (const [h, key] of Object.entries(HEADER_AUTH)) {
    const v = headers[h]
    if (typeof v === 'string' && data[key] === undefined) data[key] = v
  }
  return Object.assign(data, pathParams)
}
