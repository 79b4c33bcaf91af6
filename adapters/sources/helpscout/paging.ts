// Page-number pagination over Help Scout's HAL lists (sources.md §1.3), with the status and envelope rules
// every stream shares.
import { z } from 'zod'
import { AuthError, RemoteRequestError, RemoteUnavailableError, SourceContractError } from '../../../src/core/errors.js'
import type { Checkpoint, RecordReject } from '../../../src/core/source.js'
import type { JsonResponse } from '../../../src/http/types.js'
import { halListSchema } from './wire.js'
import { describeIssues, rejectOf } from './mapping-result.js'

/** A list endpoint read page by page. */
export interface PagedList {
  /** Key of the items under `_embedded`, e.g. `conversations`. */
  readonly key: string
  /** What is being read, for messages (`customers`, `fields of mailbox 12`). */
  readonly what: string
  readonly fetch: (page: number) => Promise<JsonResponse>
  /** Statuses that mean "nothing to read here" rather than an error (organisations feature absent → 404). */
  readonly emptyOn?: readonly number[]
}

/** One fetched page: its items (unvalidated) or, when the envelope was unreadable, a `page` reject. */
export interface ListedPage {
  readonly page: number
  readonly items: readonly unknown[]
  readonly totalPages: number | null
  readonly rejects: readonly RecordReject[]
  readonly url: string
}

/**
 * Pages requested ahead of the one being processed once the total is known. Paging is by number, so the
 * next pages can be in flight while this one is mapped and committed; the client's pacing still governs.
 */
const READ_AHEAD = 3

/** Malformed envelopes in a row before the stream is declared unreadable (guards against paging forever). */
const MAX_BAD_PAGES_IN_A_ROW = 3

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
 * Yields pages from `firstPage` until the API says it was the last one (`page.number >= totalPages`, or
 * 0 for an empty list, or no page block at all). A page whose envelope fails validation becomes one
 * `page` reject and reading goes on with the next page.
 */
export async function* pagesOf(list: PagedList, firstPage: number): AsyncGenerator<ListedPage> {
  const schema = halListSchema(list.key)
  let total: number | null = null
  let badInARow = 0
  const inFlight = new Map<number, Promise<JsonResponse>>()
  const request = (page: number): Promise<JsonResponse> => {
    let p = inFlight.get(page)
    if (!p) {
      p = list.fetch(page)
      // Failures surface when the page is awaited in order; until then they must not be unhandled.
      p.catch(() => undefined)
      inFlight.set(page, p)
    }
    return p
  }
  for (let page = firstPage; ; page += 1) {
    const res = await request(page)
    inFlight.delete(page)
    if (list.emptyOn?.includes(res.status)) return
    ensureOk(res, list.what)
    const env = schema.safeParse(res.body)
    if (!env.success) {
      badInARow += 1
      if (badInARow >= MAX_BAD_PAGES_IN_A_ROW) {
        throw new RemoteUnavailableError(`Help Scout returned ${badInARow} unreadable pages in a row for ${list.what}`)
      }
      const reject = rejectOf('page', res.url, 'malformed-page', describeIssues(env.error), res.body)
      yield { page, items: [], totalPages: total, rejects: [reject], url: res.url }
      if (total !== null && page >= total) return
      continue
    }
    badInARow = 0
    const info = env.data.page
    total = info ? info.totalPages : null
    if (total !== null) for (let ahead = page + 1; ahead <= Math.min(total, page + READ_AHEAD); ahead += 1) request(ahead)
    const items = (env.data._embedded?.[list.key] as unknown[] | undefined) ?? []
    yield { page, items, totalPages: total, rejects: [], url: res.url }
    if (!info || info.number === 0 || info.number >= info.totalPages || items.length === 0) return
  }
}

const pageCheckpointSchema = z.object({ page: z.number().int().nonnegative() }).passthrough()

/** The last page a checkpoint covers (0 = start from the beginning). */
export function pageOf(from: Checkpoint | null): number {
  if (from === null) return 0
  const parsed = pageCheckpointSchema.safeParse(from)
  if (!parsed.success) throw new SourceContractError(`helpscout: checkpoint not understood: ${JSON.stringify(from)}`)
  return parsed.data.page
}
