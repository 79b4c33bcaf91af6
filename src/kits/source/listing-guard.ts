// Stops a listing that never ends: a `next` link pointing at itself, a page number that does not advance,
// the same page served again and again, or far more pages than the vendor said there were (issue 12 #4).
import { createHash } from 'node:crypto'
import { RemoteUnavailableError } from '../../core/errors.js'

/** Pages tolerated beyond the vendor's reported total (records added while reading push it a little). */
export const TOTAL_MARGIN_PAGES = 5
/** And beyond that, as a share of the total (a large, busy account grows during a long read). */
export const TOTAL_MARGIN_SHARE = 0.1

/** Identical pages in a row before the listing is declared stuck (shifting data repeats some items, never a whole page). */
const SAME_PAGE_LIMIT = 2

/** A fingerprint of a page's items that is cheap to compare: their ids when present, else their JSON. */
export function pageFingerprint(items: readonly unknown[]): string {
  const h = createHash('sha256')
  for (const item of items) {
    const id = item !== null && typeof item === 'object' ? (item as { id?: unknown }).id : undefined
    h.update(id === undefined ? JSON.stringify(item) ?? 'undefined' : `#${String(id)}`)
    h.update('\u0000')
  }
  return h.digest('hex')
}

/**
 * One guard per listing read. Every position (page number, cursor, next URL) and every page's items pass
 * through it; it throws a `RemoteUnavailableError` naming the endpoint when the listing loops. Memory stays
 * flat: only the last fingerprint and a bounded set of recent positions are kept.
 */
export class ListingGuard {
  private readonly what: string
  private readonly positions = new Set<string>()
  private lastPrint: string | null = null
  private samePrints = 0
  private pages = 0
  private reportedTotal: number | null = null

  constructor(what: string) {
    this.what = what
  }

  private stuck(detail: string): never {
    throw new RemoteUnavailableError(`the listing of ${this.what} does not end: ${detail}`, {
      hint: 'pages read before this point are staged; the vendor keeps answering with pages already seen, so re-running alone will not help — report it to the vendor, or narrow the read (--since)',
    })
  }

  /** The listing holds more items than any real one could: ends it like a loop. */
  tooMany(maxItems: number): never {
    this.stuck(`over ${maxItems} items`)
  }

  /** A position about to be requested (cursor, next URL, page number). Seeing one twice is a loop. */
  position(key: string): void {
    if (this.positions.has(key)) this.stuck(`position ${key} was requested twice`)
    // Bounded: a loop shows itself within a few steps, and a million-page read must not grow this set.
    if (this.positions.size >= 10_000) this.positions.clear()
    this.positions.add(key)
  }

  /**
   * The total number of pages the vendor announced, if it did. The first announcement is the bound: a
   * listing whose total grows with every page would otherwise never be stopped.
   */
  total(pages: number | null): void {
    if (this.reportedTotal === null && pages !== null && Number.isFinite(pages) && pages >= 0) this.reportedTotal = pages
  }

  /** One page arrived with these items. Throws when it repeats the previous ones or exceeds the bound. */
  page(items: readonly unknown[]): void {
    this.pages += 1
    if (this.reportedTotal !== null) {
      const bound = Math.ceil(this.reportedTotal * (1 + TOTAL_MARGIN_SHARE)) + TOTAL_MARGIN_PAGES
      if (this.pages > bound) this.stuck(`${this.pages} pages read where the vendor reported ${this.reportedTotal}`)
    }
    if (items.length === 0) return
    const print = pageFingerprint(items)
    this.samePrints = print === this.lastPrint ? this.samePrints + 1 : 0
    this.lastPrint = print
    if (this.samePrints + 1 >= SAME_PAGE_LIMIT) this.stuck(`the same ${items.length} items came back on ${SAME_PAGE_LIMIT} pages in a row`)
  }
}
