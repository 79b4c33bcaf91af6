// Page-number pagination for any vendor: read-ahead once the total is known, malformed envelopes as
// `page` rejects, and a guard against listings that never end. The vendor supplies the request and the
// reading of its envelope; everything else is here.
import { z } from 'zod'
import { RemoteUnavailableError, SourceContractError } from '../../core/errors.js'
import type { Checkpoint, RecordReject } from '../../core/source.js'
import type { JsonResponse } from '../../core/http.js'
import { ListingGuard } from './listing-guard.js'
import { rejectOf } from './mapping-result.js'

/** What a vendor's list envelope says, or why it could not be read. */
export type Envelope =
  | {
      readonly ok: true
      readonly items: readonly unknown[]
      /** Pages the vendor says the list has (null when it does not say). */
      readonly totalPages: number | null
      /** True when the vendor says this is the last page. */
      readonly last: boolean
      /** The page number the vendor says it served, when it says (a loop check). */
      readonly number?: number | null
    }
  | { readonly ok: false; readonly detail: string }

/** A list endpoint read page by page. */
export interface NumberedList {
  /** What is being read, for messages (`customers`, `fields of mailbox 12`). Names the endpoint in errors. */
  readonly what: string
  readonly fetch: (page: number) => Promise<JsonResponse>
  /** Reads one 2xx response's envelope. */
  readonly envelope: (body: unknown) => Envelope
  /** Throws for a non-2xx status the list cannot go on from (the vendor's wording, e.g. 403 → AuthError). */
  readonly ensureOk: (res: JsonResponse, what: string) => void
  /** Statuses that mean "nothing to read here" rather than an error (a feature absent → 404). */
  readonly emptyOn?: readonly number[]
  /** Pages requested ahead once the total is known (default 3); the HTTP client's pacing still governs. */
  readonly readAhead?: number
}

/** One fetched page: its items (unvalidated) or, when the envelope was unreadable, a `page` reject. */
export interface ListedPage {
  readonly page: number
  readonly items: readonly unknown[]
  readonly totalPages: number | null
  readonly rejects: readonly RecordReject[]
  readonly url: string
}

/** Malformed envelopes in a row before the stream is declared unreadable (guards against paging forever). */
const MAX_BAD_PAGES_IN_A_ROW = 3

/**
 * Yields pages from `firstPage` until the vendor says it was the last one. A page whose envelope cannot be
 * read becomes one `page` reject and reading goes on with the next page; a listing that does not advance
 * (same page again, page number stuck, far past the reported total) ends with an error naming it.
 */
export async function* numberedPages(list: NumberedList, firstPage: number): AsyncGenerator<ListedPage> {
  const guard = new ListingGuard(list.what)
  const readAhead = list.readAhead ?? 3
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
    list.ensureOk(res, list.what)
    const env = list.envelope(res.body)
    if (!env.ok) {
      badInARow += 1
      if (badInARow >= MAX_BAD_PAGES_IN_A_ROW) {
        throw new RemoteUnavailableError(`the vendor returned ${badInARow} unreadable pages in a row for ${list.what}`)
      }
      yield { page, items: [], totalPages: total, rejects: [rejectOf('page', res.url, 'malformed-page', env.detail, res.body)], url: res.url }
      if (total !== null && page >= total) return
      continue
    }
    badInARow = 0
    total = env.totalPages
    guard.total(total)
    guard.page(env.items)
    if (env.number != null && env.number > 0) guard.position(`page ${env.number}`)
    if (total !== null) for (let ahead = page + 1; ahead <= Math.min(total, page + readAhead); ahead += 1) request(ahead)
    yield { page, items: env.items, totalPages: total, rejects: [], url: res.url }
    if (env.last || env.items.length === 0) return
  }
}

const pageCheckpointSchema = z.object({ page: z.number().int().nonnegative() }).passthrough()

/** The last page a `{ page: n }` checkpoint covers (0 = start from the beginning). */
export function pageOf(from: Checkpoint | null, sourceName: string): number {
  if (from === null) return 0
  const parsed = pageCheckpointSchema.safeParse(from)
  if (!parsed.success) throw new SourceContractError(`${sourceName}: checkpoint not understood: ${JSON.stringify(from)}`)
  return parsed.data.page
}
