// Small lists read whole by cursor (`page[size]`): loop on `meta.has_more`, since the last page still has a
// `links.next` (VENDOR-SHAPES.md Zendesk #5). Optional lists (a plan without brands or forms) may 403/404.
import { RemoteUnavailableError } from '../../../src/core/errors.js'
import { collectCursorChildren } from '../../../src/kits/source/children.js'
import type { CursorEnvelope, CursorList } from '../../../src/kits/source/cursor-pages.js'
import type { JsonResponse } from '../../../src/core/http.js'
import { ensureOk, fetchCommentsPage, fetchListPage, type Api } from './endpoints.js'
import { cbpWire } from './wire.js'

/** The envelope of a cursor page under `key`; side-loaded `users` are handed to `onUsers`. */
export const cbpEnvelope = (key: string, onUsers?: (users: unknown[]) => void) => (body: unknown): CursorEnvelope => {
  const env = cbpWire.safeParse(body)
  const items = (body as Record<string, unknown> | null)?.[key]
  if (!env.success || !Array.isArray(items)) return { ok: false, detail: env.success ? `${key}: not a list` : env.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') }
  const users = (body as { users?: unknown }).users
  if (onUsers && Array.isArray(users)) onUsers(users)
  return { ok: true, items, next: env.data.meta.has_more === true ? env.data.meta.after_cursor ?? null : null }
}

/** Every item of a small list; `optional`: a 403/404 (not on this plan, not an admin) reads as empty. */
export async function readList(api: Api, path: string, key: string, signal: AbortSignal, optional = false): Promise<unknown[]> {
  const list: CursorList = {
    what: key.replace(/_/g, ' '),
    fetch: (after) => fetchListPage(api, path, `${key}.list`, after, signal),
    envelope: cbpEnvelope(key),
    ensureOk: (res: JsonResponse, what: string) => {
      if (optional && (res.status === 403 || res.status === 404)) throw new Skipped()
      ensureOk(res, what)
    },
  }
  try {
    return await collectCursorChildren(list)
  } catch (e) {
    if (e instanceof Skipped) return []
    throw e
  }
}

class Skipped extends Error {}

/** A ticket's comments; 404 (a deleted ticket, or one deleted since it was listed) reads as none. */
export async function readComments(api: Api, ticketId: string, onUsers: (users: unknown[]) => void, signal: AbortSignal): Promise<unknown[] | 'gone'> {
  const list: CursorList = {
    what: `comments of ticket ${ticketId}`,
    fetch: (after) => fetchCommentsPage(api, ticketId, after, signal),
    envelope: cbpEnvelope('comments', onUsers),
    ensureOk: (res, what) => {
      if (res.status === 404) throw new Skipped()
      ensureOk(res, what)
    },
  }
  try {
    return await collectCursorChildren(list)
  } catch (e) {
    if (e instanceof Skipped) return 'gone'
    if (e instanceof RemoteUnavailableError) throw e
    throw e
  }
}
