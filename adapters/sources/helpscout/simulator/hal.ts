/** HAL envelopes and page arithmetic, shaped like Help Scout's Mailbox API 2.0 lists. */

export const PAGE_SIZE = 50
export const CONVERSATION_PAGE_SIZE = 25

export interface Link {
  href: string
  templated?: boolean
}

export function link(href: string): Link {
  return { href }
}

export function totalPages(total: number, size: number): number {
  return Math.ceil(total / size)
}

/** Reads the 1-based `page` param; null when it is not a positive integer. */
export function parsePage(params: URLSearchParams): number | null {
  const raw = params.get('page')
  if (raw === null || raw === '') return 1
  const n = Number(raw)
  return Number.isInteger(n) && n >= 1 ? n : null
}

function pageHref(url: string, params: URLSearchParams, page: number): string {
  // Help Scout's links keep the caller's query params (documented since 2018) with the page replaced.
  const p = new URLSearchParams(params)
  p.set('page', String(page))
  return `${url}?${p.toString()}`
}

export interface PageInput<T> {
  /** Absolute URL of the collection, without query. */
  url: string
  params: URLSearchParams
  key: string
  /** Items of the requested page only. */
  items: T[]
  total: number
  page: number
  size: number
}

/**
 * A list response. `_embedded` is left out entirely when the page holds no items, as the real API
 * does, and `next`/`previous` appear only when such a page exists.
 */
export function halPage<T>(p: PageInput<T>): Record<string, unknown> {
  const pages = totalPages(p.total, p.size)
  const links: Record<string, Link> = {
    self: link(pageHref(p.url, p.params, p.page)),
    first: link(pageHref(p.url, p.params, 1)),
    last: link(pageHref(p.url, p.params, Math.max(1, pages))),
  }
  if (p.page < pages) links.next = link(pageHref(p.url, p.params, p.page + 1))
  if (p.page > 1) links.previous = link(pageHref(p.url, p.params, Math.min(p.page - 1, Math.max(1, pages))))
  const template = new URLSearchParams(p.params)
  template.delete('page')
  const rest = template.toString()
  links.page = { href: `${p.url}?${rest ? `${rest}&` : ''}page={page}`, templated: true }
  const body: Record<string, unknown> = {}
  if (p.items.length > 0) body._embedded = { [p.key]: p.items }
  body._links = links
  body.page = { size: p.size, totalElements: p.total, totalPages: pages, number: p.page }
  return body
}

/** Slice bounds of a page (1-based) over `total` items. */
export function pageBounds(page: number, size: number, total: number): { start: number; end: number } {
  const start = Math.min((page - 1) * size, total)
  return { start, end: Math.min(start + size, total) }
}
