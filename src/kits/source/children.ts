// Child streams: records that live under a parent and have their own endpoint (Zendesk ticket comments,
// Freshdesk conversations, Kayako posts, Help Scout chat threads). Reading them is N+1 requests per parent
// page; this is the one place that does it, with bounded concurrency shared across pages and a guard on
// child listings that never end.
import { RemoteUnavailableError } from '../../core/errors.js'
import { ListingGuard } from './listing-guard.js'
import { mapAhead } from './map-ahead.js'
import { numberedPages } from './numbered-pages.js'
import type { NumberedList } from './numbered-pages.js'
import { cursorPages } from './cursor-pages.js'
import type { CursorList } from './cursor-pages.js'

export interface ChildReadOptions<Page, Parent, R> {
  /** The parents on one listed page whose children must be read (all of them, or only some: chats). */
  readonly parentsOf: (page: Page) => readonly Parent[]
  /** Reads one parent's children (all their pages); a thrown error ends the stream, in page order. */
  readonly read: (parent: Parent) => Promise<R>
  /** Child reads in flight at once, across pages (default 4; the HTTP client's pacing still governs). */
  readonly concurrency?: number
  /** Parent pages whose children may be read ahead of the page being consumed (default 2). */
  readonly pagesAhead?: number
}

/** One parent page with the result of reading each of its parents' children, aligned with `parentsOf`. */
export interface PageWithChildren<Page, R> {
  readonly page: Page
  readonly children: readonly R[]
}

/** A counting semaphore: `run` waits for a free slot. */
function limiter(slots: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let free = Math.max(1, slots)
  const waiting: (() => void)[] = []
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (free > 0) free -= 1
    else await new Promise<void>((resolve) => waiting.push(resolve))
    try {
      return await fn()
    } finally {
      const next = waiting.shift()
      if (next) next()
      else free += 1
    }
  }
}

/**
 * Reads the children of every parent on each page, `concurrency` at a time across pages, while later pages
 * are already listed; yields pages in order with their children, so the page, its children and its
 * checkpoint are committed together (a crash never leaves a parent without the children it was read with).
 *
 * A Zendesk-like tickets stream:
 * ```ts
 * const pages = perPageListing(...)                      // tickets pages
 * for await (const { page, children } of readChildren(pages, {
 *   parentsOf: (p) => p.items,                          // every ticket
 *   read: (ticket) => collectChildren(commentsList(ticket.id)),
 * })) { yield mapTicketsWithComments(page, children) }
 * ```
 */
export function readChildren<Page, Parent, R>(pages: AsyncIterable<Page>, o: ChildReadOptions<Page, Parent, R>): AsyncGenerator<PageWithChildren<Page, R>> {
  const slot = limiter(o.concurrency ?? 4)
  return mapAhead(pages, o.pagesAhead ?? 2, async (page) => {
    const parents = o.parentsOf(page)
    // Every child read starts now (each waits for its slot); results are collected in parent order.
    const reads = parents.map((parent) => slot(() => o.read(parent)))
    reads.forEach((r) => r.catch(() => undefined))
    return { page, children: await Promise.all(reads) }
  })
}

/** Children read per parent before the listing is called endless (far above any real ticket's history). */
export const MAX_CHILD_ITEMS = 100_000

/**
 * All items of one parent's child listing (a numbered list), guarded: a listing that repeats pages or runs
 * past the reported total ends with an error naming it, and one that grows beyond `maxItems` too, so memory
 * stays bounded while paging children.
 */
export async function collectChildren(list: NumberedList, maxItems = MAX_CHILD_ITEMS): Promise<unknown[]> {
  const items: unknown[] = []
  const guard = new ListingGuard(list.what)
  for await (const p of numberedPages(list, 1)) {
    if (p.rejects.length > 0) throw new RemoteUnavailableError(`unreadable page in ${list.what}: ${p.rejects[0]?.detail ?? ''}`)
    items.push(...p.items)
    if (items.length > maxItems) guard.tooMany(maxItems)
  }
  return items
}

/**
 * All items of one parent's child listing paged by cursor (Zendesk's `page[after]` on ticket comments, which
 * its offset paging caps at 100 pages), with the same guards as `collectChildren`.
 */
export async function collectCursorChildren(list: CursorList, maxItems = MAX_CHILD_ITEMS): Promise<unknown[]> {
  const items: unknown[] = []
  const guard = new ListingGuard(list.what)
  for await (const p of cursorPages(list, null)) {
    items.push(...p.items)
    if (items.length > maxItems) guard.tooMany(maxItems)
  }
  return items
}
