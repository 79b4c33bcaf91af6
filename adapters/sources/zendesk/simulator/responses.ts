import { jsonResponse, type SimResponse } from '../../../../src/kits/simulator/responses.js'

/** Zendesk's response bodies: JSON in its several error shapes, and plain text where Zendesk sends text. */

export const ZD_JSON = 'application/json; charset=utf-8'

export function zdJson(value: unknown, status = 200): SimResponse {
  return jsonResponse(status, value, ZD_JSON)
}

/** The common error shape: `{"error":"RecordNotFound","description":"Not found"}`. */
export function zdError(status: number, error: string, description: string, extra: Record<string, unknown> = {}): SimResponse {
  return zdJson({ error, description, ...extra }, status)
}

export const recordNotFound = (): SimResponse => zdError(404, 'RecordNotFound', 'Not found')

/** The error body the kit uses for 429s, unknown `/_sim/` routes and crashes. A 429 is plain text, as Zendesk's are. */
export function errorResponse(status: number, message: string): SimResponse {
  if (status === 429) return { status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: Buffer.from(`${message}. Retry after the number of seconds in Retry-After.`) }
  if (status === 404) return zdError(404, 'InvalidEndpoint', message)
  // Server errors come as `{"error":{"title","message"}}`, the object-valued shape Zendesk also uses.
  return zdJson({ error: { title: status >= 500 ? 'Internal Server Error' : 'Error', message } }, status)
}

/** An injected 5xx's JSON body. */
export function faultJson(status: number): unknown {
  return status === 503 ? { error: { title: 'Service Unavailable', message: 'The server is temporarily unavailable. Please retry.' } } : { errors: [{ code: 'InternalError', title: 'Internal error', detail: `simulated ${status}` }] }
}
