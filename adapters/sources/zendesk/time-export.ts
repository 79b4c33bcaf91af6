// The time-based incremental exports (users, organisations). Records of one second are never split across
// pages, so a page can be longer than asked; the `end_of_stream` page still carries a `next_page` that returns
// the boundary records again: we dedupe them by id + `updated_at` and keep that `next_page` as the place the
// next delta starts. `next_page` is followed verbatim (its form differs per resource).
import { z } from 'zod'
import { RemoteUnavailableError, SourceContractError } from '../../../src/core/errors.js'
import type { Checkpoint, ReadOptions } from '../../../src/core/source.js'
import { ensureOk, get, type Api } from './endpoints.js'
import { errorText, timeExportWire } from './wire.js'

/** Zendesk leaves out what changed in the last minute and refuses a `start_time` inside it. */
export const EXCLUSION_MS = 60_000

export interface TimePage {
  readonly items: readonly unknown[]
  readonly checkpoint: Checkpoint
  readonly url: string
}

const checkpointSchema = z.object({ next: z.string().nullable(), end: z.boolean().optional(), seen: z.array(z.string()).optional() }).passthrough()

/** `start_time` for a first read: the beginning, or `since`, never inside the exclusion window. */
export function startTimeOf(since: string | null, now: number): number {
  const at = since === null ? 0 : Math.floor(Date.parse(since) / 1000)
  return Math.max(0, Math.min(at, Math.floor((now - EXCLUSION_MS) / 1000) - 1))
}

const keyOf = (item: unknown): string | null => {
  const o = item as { id?: unknown; updated_at?: unknown } | null
  return o && (typeof o.id === 'number' || typeof o.id === 'string') ? `${String(o.id)}@${String(o.updated_at ?? '')}` : null
}

/** What the time export says about a too-recent `start_time` (a delta re-run within the minute): nothing new yet. */
const tooRecent = (status: number, body: unknown): boolean => (status === 400 || status === 422) && /too recent|older than/i.test(errorText(body))

export async function* timeExportPages(api: Api, resource: 'users' | 'organizations', from: Checkpoint | null, o: ReadOptions, signal: AbortSignal): AsyncGenerator<TimePage> {
  const what = `incremental ${resource} export`
  const resume = from ?? (o.since !== null && o.lastComplete ? o.lastComplete : null)
  let url: string
  let seen = new Set<string>()
  if (resume !== null) {
    const cp = checkpointSchema.safeParse(resume)
    if (!cp.success) throw new SourceContractError(`${what}: checkpoint not understood: ${JSON.stringify(resume)}`)
    if (cp.data.next === null) return
    url = cp.data.next
    seen = new Set(cp.data.seen ?? [])
  } else {
    url = `${api.baseUrl}/incremental/${resource}.json?start_time=${startTimeOf(o.since, api.now())}`
  }
  const followed = new Set<string>()
  for (;;) {
    if (followed.has(url)) throw new RemoteUnavailableError(`${what}: next_page points back at ${url.split('?')[0] ?? ''} already read; stopping instead of looping`)
    followed.add(url)
    const res = await get(api, url, `export.${resource}`, {}, signal)
    if (tooRecent(res.status, res.body)) {
      yield { items: [], checkpoint: { next: url, end: true, seen: [...seen] }, url }
      return
    }
    ensureOk(res, what)
    const env = timeExportWire.safeParse(res.body)
    const list = (res.body as Record<string, unknown> | null)?.[resource]
    if (!env.success || !Array.isArray(list)) throw new RemoteUnavailableError(`${what}: unreadable page at ${url.split('?')[0] ?? ''}, so no next page to follow`)
    const items = list.filter((i) => {
      const k = keyOf(i)
      return k === null || !seen.has(k)
    })
    // The boundary records (latest `updated_at` of the page) come again on the next page: remember them.
    const latest = list.reduce<string>((m, i) => {
      const u = String((i as { updated_at?: unknown } | null)?.updated_at ?? '')
      return u > m ? u : m
    }, '')
    seen = new Set(list.filter((i) => String((i as { updated_at?: unknown } | null)?.updated_at ?? '') === latest).map(keyOf).filter((k): k is string => k !== null))
    const next = env.data.next_page ?? null
    const end = env.data.end_of_stream === true || next === null || list.length === 0
    yield { items, checkpoint: { next: next ?? url, end, seen: [...seen] }, url: res.url }
    if (end) return
    url = next
  }
}
