// The tickets stream: conversation pages with embedded threads, plus the few extra requests the API
// forces: full thread lists for chats (the list embed truncates them) and merge redirects.
import type { Logger } from '../../../src/core/log.js'
import type { Checkpoint, SourcePage } from '../../../src/core/source.js'
import { fetchConversationAt, fetchConversationsPage, fetchThreadsPage } from './endpoints.js'
import type { Api } from './endpoints.js'
import { ensureOk, pageOf, pagesOf } from './paging.js'
import { mapConversation } from './to-canonical-ticket.js'
import { describeIssues, emptyMapped, mergeMapped, readableId, rejectOf } from './mapping-result.js'
import { halListSchema } from './wire.js'
import type { Mapped } from './mapping-result.js'

const CHAT_THREAD_TYPES = new Set(['chat', 'beaconchat'])
const threadsListSchema = halListSchema('threads')

/**
 * `embed=threads` on the list truncates chat threads by design (sources.md §1.7 #3), so chat
 * conversations, and only those, need their threads listed separately.
 */
export function needsFullThreads(raw: unknown): boolean {
  if (raw === null || typeof raw !== 'object') return false
  const c = raw as { type?: unknown; _embedded?: { threads?: unknown } }
  if (c.type === 'chat') return true
  const threads = c._embedded?.threads
  return Array.isArray(threads) && threads.some((t) => CHAT_THREAD_TYPES.has((t as { type?: unknown } | null)?.type as string))
}

type Threads =
  | { readonly kind: 'threads'; readonly items: unknown[] }
  | { readonly kind: 'moved'; readonly survivorId: string }
  | { readonly kind: 'failed'; readonly detail: string }

/**
 * The surviving conversation's id from a merge redirect. Only Help Scout conversation paths are accepted,
 * and the request goes to our own base URL: a bearer token must never follow a redirect to another host.
 */
export function survivorIdOf(location: string | undefined): string | null {
  const m = /\/conversations\/([^/?#]+)(?:\/threads)?\/?(?:[?#].*)?$/.exec(location ?? '')
  return m?.[1] ? decodeURIComponent(m[1]) : null
}

async function fetchAllThreads(api: Api, conversationId: string, signal: AbortSignal): Promise<Threads> {
  const items: unknown[] = []
  for (let page = 1; ; page += 1) {
    let res = await fetchThreadsPage(api, conversationId, page, signal)
    // A merged conversation's threads answer 404; only Get Conversation answers 301 (for 60 days).
    if (res.status === 404 && page === 1) {
      const probe = await fetchConversationAt(api, `${api.baseUrl}/conversations/${encodeURIComponent(conversationId)}`, signal)
      if (probe.status === 301) res = probe
    }
    if (res.status === 301 && page === 1) {
      const survivorId = survivorIdOf(res.headers['location'])
      return survivorId ? { kind: 'moved', survivorId } : { kind: 'failed', detail: 'HTTP 301 without a usable Location' }
    }
    if (res.status < 200 || res.status >= 300) {
      if (res.status === 403) ensureOk(res, `threads of conversation ${conversationId}`)
      return { kind: 'failed', detail: `HTTP ${res.status} from ${res.url}` }
    }
    const env = threadsListSchema.safeParse(res.body)
    if (!env.success) return { kind: 'failed', detail: `unreadable threads page ${page}: ${describeIssues(env.error)}` }
    const list = env.data._embedded?.threads ?? []
    items.push(...list)
    const info = env.data.page
    if (!info || info.number === 0 || info.number >= info.totalPages || list.length === 0) return { kind: 'threads', items }
  }
}

/** Maps one listed conversation, fetching full threads for chats and following one merge redirect. */
async function conversationRecords(api: Api, raw: unknown, where: string, signal: AbortSignal): Promise<Mapped> {
  const id = readableId(raw, '')
  if (id === '' || !needsFullThreads(raw)) return mapConversation(raw, { where })
  const threads = await fetchAllThreads(api, id, signal)
  if (threads.kind === 'threads') return mapConversation(raw, { where, threads: threads.items })
  if (threads.kind === 'failed') return withThreadsReject(mapConversation(raw, { where }), id, threads.detail, raw)
  // 301: the conversation was merged; the survivor is what exists now, and it remembers this id.
  const res = await fetchConversationAt(api, `${api.baseUrl}/conversations/${encodeURIComponent(threads.survivorId)}`, signal)
  if (res.status < 200 || res.status >= 300) {
    if (res.status === 403) ensureOk(res, `conversation ${threads.survivorId}`)
    return { records: [], rejects: [rejectOf('ticket', id, 'merged-target-unavailable', `merged into ${threads.survivorId}, which answered HTTP ${res.status}`, raw)] }
  }
  const survivor = res.body
  if (!needsFullThreads(survivor)) return mapConversation(survivor, { where, aliases: [id] })
  const full = await fetchAllThreads(api, threads.survivorId, signal)
  if (full.kind === 'threads') return mapConversation(survivor, { where, aliases: [id], threads: full.items })
  const detail = full.kind === 'moved' ? `redirected again to ${full.survivorId}` : full.detail
  return withThreadsReject(mapConversation(survivor, { where, aliases: [id] }), threads.survivorId, detail, survivor)
}

/** Chat bodies stay truncated when the full list cannot be had: staged anyway, and the loss is recorded. */
function withThreadsReject(mapped: Mapped, conversationId: string, detail: string, raw: unknown): Mapped {
  mapped.rejects.push(rejectOf('message', `conversation ${conversationId}`, 'threads-unavailable', `full threads could not be listed (${detail}); embedded (truncated) threads were staged`, raw))
  return mapped
}

/** Reads conversation pages after the checkpoint's page; each page yields tickets, messages and attachments. */
export async function* readTickets(api: Api, from: Checkpoint | null, since: string | null, signal: AbortSignal, log: Logger): AsyncGenerator<SourcePage> {
  // A merge survivor fetched through a redirect may also be listed on a later page: stage it once per read.
  const staged = new Set<string>()
  const list = { key: 'conversations', what: 'conversations', fetch: (n: number) => fetchConversationsPage(api, n, since, signal) }
  // Chat conversations need their threads listed: those requests start as soon as a page arrives, for the
  // next pages too, so they overlap with mapping and committing the current one.
  const withThreads = mapAhead(pagesOf(list, pageOf(from) + 1), MAP_AHEAD, async (p) => ({
    p,
    mappedItems: await Promise.all(p.items.map((raw) => conversationRecords(api, raw, `${p.url} item`, signal))),
  }))
  for await (const { p, mappedItems } of withThreads) {
    const out = emptyMapped()
    out.rejects.push(...p.rejects)
    for (const mapped of mappedItems) {
      const ticket = mapped.records.find((r) => r.canonical.kind === 'ticket')
      if (ticket && staged.has(ticket.canonical.sourceId)) {
        log.debug('helpscout: conversation already staged through a merge redirect', { conversation: ticket.canonical.sourceId })
        continue
      }
      if (ticket) staged.add(ticket.canonical.sourceId)
      mergeMapped(out, mapped)
    }
    yield { ...out, checkpoint: { page: p.page }, progress: { done: p.page, ...(p.totalPages === null ? {} : { total: p.totalPages }) } }
  }
}

/** Pages whose follow-up requests may be in flight ahead of the page being yielded. */
const MAP_AHEAD = 2

/**
 * Applies `fn` to up to `depth` items ahead of the consumer and yields the results in order. Errors surface
 * in order too: a failure on a later item waits until the earlier ones were yielded.
 */
export async function* mapAhead<T, R>(items: AsyncIterable<T>, depth: number, fn: (item: T) => Promise<R>): AsyncGenerator<R> {
  const it = items[Symbol.asyncIterator]()
  const queue: Promise<IteratorResult<R>>[] = []
  let exhausted = false
  const pull = (): void => {
    if (exhausted) return
    const next = it.next().then(async (r): Promise<IteratorResult<R>> => {
      if (r.done) {
        exhausted = true
        return { done: true, value: undefined }
      }
      return { done: false, value: await fn(r.value) }
    })
    next.catch(() => undefined)
    queue.push(next)
  }
  try {
    // The source is pulled one item at a time: `next()` on an async generator queues, so order holds.
    for (let i = 0; i < depth; i++) pull()
    for (;;) {
      const head = queue.shift()
      if (!head) return
      const r = await head
      if (r.done) return
      pull()
      yield r.value
    }
  } finally {
    await it.return?.()
  }
}
