// Help Scout's HAL page-number lists (sources.md §1.3) on the source kit's numbered pager: how the
// envelope reads and what a non-2xx status means here.
import { AuthError, RemoteRequestError } from '../../../src/core/errors.js'
import type { Checkpoint } from '../../../src/core/source.js'
import type { JsonResponse } from '../../../src/core/http.js'
import { describeIssues } from '../../../src/kits/source/mapping-result.js'
import { pageOf as kitPageOf } from '../../../src/kits/source/numbered-pages.js'
import type { Envelope, NumberedList } from '../../../src/kits/source/numbered-pages.js'
import { halListSchema } from './wire.js'

/** 2xx passes; 403 is an `AuthError` naming the resource; anything else is a `RemoteRequestError`. */
export function ensureOk(res: JsonResponse, what: string): void {
  if (res.status >= 200 && res.status < 300) return
  const cause = new RemoteRequestError(res.status, res.url, `HTTP ${res.status} from ${res.url}`)
  if (res.status === 403) {
    throw new AuthError(`Help Scout refused access to ${what} (HTTP 403)`, {
      hint: 'the app\'s user needs permission for this data (an account owner or admin sees everything)',
      cause,
    })
  }
  throw new RemoteRequestError(res.status, res.url, `Help Scout answered HTTP ${res.status} when reading ${what}`)
}

/**
 * Reads a HAL list envelope: items under `_embedded[key]`; the last page is `page.number >= totalPages`,
 * 0 for an empty list, or no page block at all.
 */
export function halEnvelope(key: string): (body: unknown) => Envelope {
  const schema = halListSchema(key)
  return (body) => {
    const env = schema.safeParse(body)
    if (!env.success) return { ok: false, detail: describeIssues(env.error) }
    const info = env.data.page
    const items = (env.data._embedded?.[key] as unknown[] | undefined) ?? []
    const last = !info || info.number === 0 || info.number >= info.totalPages
    return { ok: true, items, totalPages: info ? info.totalPages : null, last, number: info ? info.number : null }
  }
}

/** A Help Scout list endpoint as the kit's numbered list. */
export function halList(key: string, what: string, fetch: (page: number) => Promise<JsonResponse>, emptyOn?: readonly number[]): NumberedList {
  return { what, fetch, envelope: halEnvelope(key), ensureOk, ...(emptyOn ? { emptyOn } : {}) }
}

/** The last page a checkpoint covers (0 = start from the beginning). */
export const pageOf = (from: Checkpoint | null): number => kitPageOf(from, 'helpscout')
