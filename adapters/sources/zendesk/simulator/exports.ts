import type { SimResponse } from '../../../../src/kits/simulator/responses.js'
import { zdError, zdJson } from './responses.js'
import { firstAfter, firstAtOrAfter, type ExportKey } from './world.js'

/**
 * The incremental exports' paging, on a time-ordered key list.
 *
 * Cursor-based (`…/cursor.json`): `start_time` or `cursor` (base64 of `"<ts>.0||<id>|"`, as recorded);
 * envelope `{<key>, after_url, before_url: null, after_cursor, before_cursor: null, end_of_stream}`; even the
 * end_of_stream page carries `after_cursor` / `after_url` to resume from.
 *
 * Time-based: `start_time`; envelope `{<key>, next_page, count, end_of_stream, end_time}`. Records of one second
 * are never split (a page grows past `per_page` to keep them together); a page that is not the last has
 * `end_time` = last second + 1; the last page has `end_time` = its last second, and its `next_page` returns the
 * boundary records again.
 *
 * Both refuse a `start_time` within the last minute and leave out records changed in that minute.
 */

export const EXPORT_PAGE_MAX = 1000
const WINDOW_SECONDS = 60

export interface ExportContext {
  /** Current time, unix ms. */
  nowMs: number
}

function pageSize(q: URLSearchParams): number | SimResponse {
  const raw = q.get('per_page')
  if (raw === null) return EXPORT_PAGE_MAX
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 1) return zdError(400, 'InvalidPaginationParameter', 'per_page must be a positive integer')
  return Math.min(EXPORT_PAGE_MAX, n)
}

function startTime(q: URLSearchParams, ctx: ExportContext): number | SimResponse {
  const raw = q.get('start_time')
  const n = Number(raw)
  // Validation errors carry `details` per parameter, the shape Zendesk's record errors have.
  const invalid = (description: string) => zdError(422, 'InvalidValue', description, { details: { start_time: [{ description, error: 'InvalidValue' }] } })
  if (raw === null || raw.trim() === '' || !Number.isInteger(n) || n < 0) return invalid('start_time is missing or not a unix time in seconds')
  if (n > ctx.nowMs / 1000 - WINDOW_SECONDS) return invalid('Too recent start_time. Use a start_time older than 1 minute.')
  return n
}

/** Records changed within the last minute are not exported yet. */
function visibleEnd(keys: readonly ExportKey[], ctx: ExportContext): number {
  return firstAfter(keys, Math.floor(ctx.nowMs / 1000) - WINDOW_SECONDS, Infinity)
}

export function encodeExportCursor(ts: number, id: number): string {
  return Buffer.from(`${ts}.0||${id}|`).toString('base64')
}

export function decodeExportCursor(cursor: string): { ts: number; id: number } | null {
  const m = /^(\d+)(?:\.\d+)?\|\|(-?\d+)\|$/.exec(Buffer.from(cursor, 'base64').toString('utf8'))
  return m ? { ts: Number(m[1]), id: Number(m[2]) } : null
}

export interface ExportSpec {
  key: string
  /** Absolute URL of the endpoint as its `after_url` / `next_page` spell it. */
  url: string
  keys: readonly ExportKey[]
  render(k: ExportKey): unknown
  /** Side-loads for the records of the page (`include=`). */
  extra?(page: readonly ExportKey[]): Record<string, unknown>
}

export function cursorExport(s: ExportSpec, q: URLSearchParams, ctx: ExportContext): SimResponse {
  // As documented: the cursor variant cannot side-load audits.
  if ((q.get('include') ?? '').split(',').includes('last_audits')) return zdError(400, 'InvalidValue', 'last_audits is not supported by cursor-based incremental exports')
  const size = pageSize(q)
  if (typeof size !== 'number') return size
  const end = visibleEnd(s.keys, ctx)
  let from: number
  let resume: { ts: number; id: number }
  const cursor = q.get('cursor')
  if (cursor !== null) {
    const c = decodeExportCursor(cursor)
    if (!c) return zdError(400, 'InvalidCursor', 'The cursor is not valid')
    from = firstAfter(s.keys, c.ts, c.id)
    resume = c
  } else {
    const st = startTime(q, ctx)
    if (typeof st !== 'number') return st
    from = firstAtOrAfter(s.keys, st)
    resume = { ts: st, id: -1 }
  }
  const to = Math.min(end, from + size)
  const page = s.keys.slice(Math.min(from, to), to)
  const last = page.at(-1)
  const after = last ? encodeExportCursor(last.ts, last.id) : cursor ?? encodeExportCursor(resume.ts, resume.id)
  const rest = otherParams(q)
  const afterUrl = `${s.url}?cursor=${encodeURIComponent(after)}${rest ? `&${rest}` : ''}`
  return zdJson({
    [s.key]: page.map((k) => s.render(k)),
    ...(s.extra ? s.extra(page) : {}),
    after_url: afterUrl,
    before_url: null,
    after_cursor: after,
    before_cursor: null,
    end_of_stream: to >= end,
  })
}

export function timeExport(s: ExportSpec, q: URLSearchParams, ctx: ExportContext): SimResponse {
  const size = pageSize(q)
  if (typeof size !== 'number') return size
  const st = startTime(q, ctx)
  if (typeof st !== 'number') return st
  const end = visibleEnd(s.keys, ctx)
  const from = firstAtOrAfter(s.keys, st)
  let to = Math.min(end, from + size)
  // Never split a second: take every record sharing the last one's timestamp.
  while (to > from && to < end && s.keys[to]!.ts === s.keys[to - 1]!.ts) to++
  const page = s.keys.slice(Math.min(from, to), to)
  const last = page.at(-1)
  const endOfStream = to >= end
  const endTime = last ? (endOfStream ? last.ts : last.ts + 1) : st
  const rest = otherParams(q)
  return zdJson({
    [s.key]: page.map((k) => s.render(k)),
    ...(s.extra ? s.extra(page) : {}),
    next_page: `${s.url}?${rest ? `${rest}&` : ''}start_time=${endTime}`,
    count: page.length,
    end_of_stream: endOfStream,
    end_time: endTime,
  })
}

/** The request's parameters other than the position (`per_page`, `include`…), kept in the follow-up URLs. */
function otherParams(q: URLSearchParams): string {
  const p = new URLSearchParams(q)
  p.delete('start_time')
  p.delete('cursor')
  return p.toString()
}

/** Pages a client reads to follow a time-based export from `start_time=0` to its end_of_stream page. */
export function timeExportPages(keys: readonly ExportKey[], size = EXPORT_PAGE_MAX): number {
  let pages = 1
  let from = 0
  for (;;) {
    let to = Math.min(keys.length, from + size)
    while (to > from && to < keys.length && keys[to]!.ts === keys[to - 1]!.ts) to++
    if (to >= keys.length) return pages
    pages++
    from = to
  }
}
