import type { SimResponse } from '../../../../src/kits/simulator/responses.js'
import { zdError, zdJson } from './responses.js'

/**
 * Zendesk's two list paginations. Offset (`page`, `per_page` ≤ 100; `next_page`/`previous_page`/`count`) is
 * the default and refuses anything past the first 100 pages / 10,000 records with 400. Cursor-based (CBP) is
 * chosen by `page[size]` (≤ 100): `meta {has_more, after_cursor, before_cursor}` + `links {prev, next}`, and —
 * as recorded — the last page's `links.next` is still set while `has_more` is false; asking past the end gives
 * an empty page with null cursors.
 */

export const OFFSET_LIMIT_RECORDS = 10_000
export const OFFSET_LIMIT_PAGES = 100

export function usesCursorPaging(q: URLSearchParams): boolean {
  return q.has('page[size]') || q.has('page[after]') || q.has('page[before]')
}

/** Opaque CBP cursor: base64 of `{"o":"id","v":"<base64 position>"}`, like the recorded ones. */
function cbpCursor(position: number): string {
  return Buffer.from(JSON.stringify({ o: 'id', v: Buffer.from(String(position)).toString('base64') })).toString('base64')
}

function cbpPosition(cursor: string): number | null {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8')) as { v?: unknown }
    const n = Number(Buffer.from(String(parsed.v), 'base64').toString('utf8'))
    return Number.isInteger(n) && n >= 0 ? n : null
  } catch {
    return null
  }
}

function withParams(url: string, q: URLSearchParams, set: Record<string, string | null>): string {
  const p = new URLSearchParams(q)
  for (const [k, v] of Object.entries(set)) {
    if (v === null) p.delete(k)
    else p.set(k, v)
  }
  const s = p.toString()
  return s ? `${url}?${s}` : url
}

export interface ListSpec<T> {
  key: string
  /** The list's own URL without query (absolute). */
  url: string
  query: URLSearchParams
  total: number
  slice(start: number, end: number): T[]
  render(item: T): unknown
  /** Side-loads added to the envelope for the items of this page. */
  extra?(items: T[]): Record<string, unknown>
}

export function listPage<T>(s: ListSpec<T>): SimResponse {
  return usesCursorPaging(s.query) ? cursorPage(s) : offsetPage(s)
}

function offsetPage<T>(s: ListSpec<T>): SimResponse {
  const page = Number(s.query.get('page') ?? 1)
  const perPage = Number(s.query.get('per_page') ?? 100)
  if (!Number.isInteger(page) || page < 1) return zdError(400, 'InvalidPaginationParameter', 'page must be a positive integer')
  if (!Number.isInteger(perPage) || perPage < 1) return zdError(400, 'InvalidPaginationParameter', 'per_page must be a positive integer')
  const size = Math.min(100, perPage)
  const start = (page - 1) * size
  if (page > OFFSET_LIMIT_PAGES || start >= OFFSET_LIMIT_RECORDS) {
    return zdError(400, 'InvalidPaginationParameter', 'Offset pagination is limited to the first 100 pages (10,000 records). Use cursor-based pagination (page[size]) or an incremental export.')
  }
  const end = Math.min(s.total, start + size)
  const items = start < s.total ? s.slice(start, end) : []
  return zdJson({
    [s.key]: items.map((x) => s.render(x)),
    ...(s.extra ? s.extra(items) : {}),
    next_page: end < s.total ? withParams(s.url, s.query, { page: String(page + 1) }) : null,
    previous_page: page > 1 ? withParams(s.url, s.query, { page: String(page - 1) }) : null,
    count: s.total,
  })
}

function cursorPage<T>(s: ListSpec<T>): SimResponse {
  const sizeRaw = s.query.get('page[size]') ?? '100'
  const size = Number(sizeRaw)
  if (!Number.isInteger(size) || size < 1) return zdError(400, 'InvalidPaginationParameter', 'page[size] must be a positive integer')
  if (size > 100) return zdError(400, 'InvalidPaginationParameter', 'page[size] is limited to 100')
  const after = s.query.get('page[after]')
  const before = s.query.get('page[before]')
  let start = 0
  let end: number
  if (after !== null) {
    const p = cbpPosition(after)
    if (p === null) return zdError(400, 'InvalidPaginationParameter', 'page[after] is not a valid cursor')
    start = p
    end = Math.min(s.total, start + size)
  } else if (before !== null) {
    const p = cbpPosition(before)
    if (p === null) return zdError(400, 'InvalidPaginationParameter', 'page[before] is not a valid cursor')
    end = Math.min(s.total, p)
    start = Math.max(0, end - size)
  } else {
    end = Math.min(s.total, size)
  }
  const items = start < end ? s.slice(start, end) : []
  const empty = items.length === 0
  const base = { 'page[after]': null, 'page[before]': null, 'page[size]': String(size) }
  return zdJson({
    [s.key]: items.map((x) => s.render(x)),
    ...(s.extra ? s.extra(items) : {}),
    meta: { has_more: end < s.total, after_cursor: empty ? null : cbpCursor(end), before_cursor: empty ? null : cbpCursor(start) },
    links: {
      prev: empty ? null : withParams(s.url, s.query, { ...base, 'page[before]': cbpCursor(start) }),
      next: empty ? null : withParams(s.url, s.query, { ...base, 'page[after]': cbpCursor(end) }),
    },
  })
}
