import { jsonResponse as kitJson, redirectResponse as kitRedirect, type SimResponse } from '../../../../src/kits/simulator/responses.js'

/** Small builders for the Help Scout simulator's HTTP responses (generic ones are the kit's). */

export { contentDisposition } from '../../../../src/kits/simulator/responses.js'

export const HAL_JSON = 'application/hal+json;charset=UTF-8'

export function jsonResponse(status: number, value: unknown, contentType = HAL_JSON): SimResponse {
  return kitJson(status, value, contentType)
}

/** An error body shaped like Help Scout's (`logRef` + `message`). */
export function errorResponse(status: number, message: string): SimResponse {
  return kitJson(status, { logRef: `sim-${status}`, message }, 'application/json;charset=UTF-8')
}

export function redirectResponse(location: string): SimResponse {
  return kitRedirect(location)
}
