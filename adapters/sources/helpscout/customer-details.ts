// Completes customers that a list page served without `_embedded`: their emails, phones and the rest then
// live only in the customer's own resources. Cheapest first: Get Customer (1 request) usually embeds them;
// only when it does not are the seven sub-resources read. Customers that came whole cost nothing extra.
import type { JsonResponse } from '../../../src/core/http.js'
import type { Api } from './endpoints.js'
import { CUSTOMER_PARTS, needsCustomerParts, withCustomerParts } from './to-canonical-customer.js'
import type { CustomerParts } from './to-canonical-customer.js'

type Json = Record<string, unknown>

const PART_KEY: Readonly<Record<(typeof CUSTOMER_PARTS)[number], keyof CustomerParts>> = {
  emails: 'emails',
  phones: 'phones',
  chats: 'chats',
  'social-profiles': 'socialProfiles',
  websites: 'websites',
  address: 'address',
  properties: 'properties',
}

const getJson = (api: Api, path: string, route: string, signal: AbortSignal): Promise<JsonResponse> =>
  api.session.requestJson({ method: 'GET', url: `${api.baseUrl}${path}`, route, signal })

/**
 * The customer with its details folded into `_embedded`, or the payload unchanged when a detail could not
 * be read (the mapping then stages it with a `customer-details-missing` warning rather than guessing).
 */
export async function completeCustomer(api: Api, raw: unknown, signal: AbortSignal): Promise<unknown> {
  const id = encodeURIComponent(String((raw as { id: unknown }).id))
  const single = await getJson(api, `/customers/${id}`, 'customers.get', signal)
  const embedded = (single.body as Json | null)?._embedded
  if (single.status === 200 && embedded !== null && typeof embedded === 'object') {
    return { ...(raw as Json), _embedded: embedded }
  }
  const parts: Record<string, unknown> = {}
  const results = await Promise.all(CUSTOMER_PARTS.map(async (part) => [part, await getJson(api, `/customers/${id}/${part}`, `customers.${part}`, signal)] as const))
  for (const [part, res] of results) {
    if (res.status === 404) continue // no address (or no such list): nothing to add
    if (res.status !== 200) return raw
    const body = (res.body ?? {}) as Json
    if (part === 'address') {
      const { _links: _ignored, ...address } = body
      parts[PART_KEY[part]] = address
    } else {
      const list = (body._embedded as Json | undefined)?.[part]
      parts[PART_KEY[part]] = Array.isArray(list) ? list : []
    }
  }
  return withCustomerParts(raw, parts as CustomerParts)
}

/** A customers page whose items lacking `_embedded` have been completed from their own resources. */
export async function withCustomerDetails(api: Api, page: Promise<JsonResponse>, signal: AbortSignal): Promise<JsonResponse> {
  const res = await page
  const body = res.body as Json | null
  const emb = body?._embedded as Json | undefined
  const items = emb?.customers
  if (res.status !== 200 || !Array.isArray(items) || !items.some(needsCustomerParts)) return res
  const whole = await Promise.all(items.map((raw) => (needsCustomerParts(raw) ? completeCustomer(api, raw, signal) : raw)))
  return { ...res, body: { ...body, _embedded: { ...emb, customers: whole } } }
}
