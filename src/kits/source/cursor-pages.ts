// Cursor (or next-link) pagination for any vendor: Zendesk's `after_cursor` / `links.next`, Kayako's `next_url`.
// Pages are sequential by nature (the next cursor is in this page), so there is no read-ahead; the listing
// guard stops a `next` that points back at itself or at any cursor already followed.
import { z } from 'zod'
import { RemoteUnavailableError, SourceContractError } from '../../core/errors.js'
import type { Checkpoint, RecordReject } from '../../core/source.js'
import type { JsonResponse } from '../../core/http.js'
import { ListingGuard } from './listing-guard.js'

/** What a cursor page says: its items and where the next page is (null: this was the last). */
export type CursorEnvelope =
  | { readonly ok: true; readonly items: readonly unknown[]; readonly next: string | null; readonly totalPages?: number | null }
  | { readonly ok: false; readonly detail: string }

export interface CursorList {
  /** What is being read; names the endpoint in errors (`incremental tickets`). */
  readonly what: string
  /** Requests the page at `cursor` (null: the first page; a next URL or an opaque cursor otherwise). */
  readonly fetch: (cursor: string | null) => Promise<JsonResponse>
  readonly envelope: (body: unknown) => CursorEnvelope
  /** Throws for a non-2xx status the list cannot go on from. */
  readonly ensureOk: (res: JsonResponse, what: string) => void
}

export interface CursorPage {
  readonly items: readonly unknown[]
  /** Resumes right after this page: `{ cursor: next }` (the end of the listing keeps its last cursor). */
  readonly checkpoint: Checkpoint
  readonly rejects: readonly RecordReject[]
  readonly url: string
}

/**
 * Yields pages from `from` (a checkpoint this function wrote, or null) until a page has no next cursor.
 * An unreadable envelope ends the read with an error: without it there is no next cursor to follow.
 */
export async function* cursorPages(list: CursorList, from: Checkpoint | null): AsyncGenerator<CursorPage> {
  const guard = new ListingGuard(list.what)
  let cursor = cursorOf(from)
  for (;;) {
    if (cursor !== null) guard.position(cursor)
    const res = await list.fetch(cursor)
    list.ensureOk(res, list.what)
    const env = list.envelope(res.body)
    if (!env.ok) throw new RemoteUnavailableError(`${list.what}: unreadable page at ${res.url}, so no next cursor to follow: ${env.detail}`)
    guard.total(env.totalPages ?? null)
    guard.page(env.items)
    // The last page keeps the cursor it was read at: completing the stream keeps it, and the next delta
    // starts there (Zendesk's incremental exports answer an empty page with the same cursor until new data).
    const next = env.next !== null && env.next !== '' ? env.next : null
    yield { items: env.items, checkpoint: { cursor: next ?? cursor, end: next === null }, rejects: [], url: res.url }
    if (next === null || env.items.length === 0) return
    cursor = next
  }
}

const cursorCheckpointSchema = z.object({ cursor: z.string().nullable(), end: z.boolean().optional() }).passthrough()

/** The cursor a checkpoint resumes at (null = the beginning). */
export function cursorOf(from: Checkpoint | null): string | null {
  if (from === null) return null
  const parsed = cursorCheckpointSchema.safeParse(from)
  if (!parsed.success) throw new SourceContractError(`checkpoint not understood as a cursor: ${JSON.stringify(from)}`)
  return parsed.data.cursor
}
