// The tickets stream: conversation pages with embedded threads, plus the few extra requests the API
// forces: full thread lists for chats (the list embed truncates them) and merge redirects.
import type { Logger } from '../../../src/core/log.js'
import type { Checkpoint, SourcePage } from '../../../src/core/source.js'
import { fetchConversationAt, fetchConversationsPage, fetchThreadsPage } from './endpoints.js'
import type { Api } from './endpoints.js'
import { ensureOk, halEnvelope, halList, pageOf } from './paging.js'
import { mapConversation } from './to-canonical-ticket.js'
import { emptyMapped, mergeMapped, readableId, rejectOf } from '../../../src/kits/source/mapping-result.js'
import type { Mapped } from '../../../src/kits/source/mapping-result.js'
import { MAX_CHILD_ITEMS, readChildren } from '../../../src/kits/source/children.js'
import { ListingGuard } from '../../../src/kits/source/listing-guard.js'
import { numberedPages } from '../../../src/kits/source/numbered-pages.js'
import type { ListedPage } from '../../../src/kits/source/numbered-pages.js'

const CHAT_THREAD_TYPES = new Set(['chat', 'beaconchat'])
const threadsEnvelope = halEnvelope('threads')

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
  // An endless thread list (a page that never advances, the same threads again) ends the stream with an error.
  const guard = new ListingGuard(`threads of conversation ${conversationId}`)
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
    const env = threadsEnvelope(res.body)
    if (!env.ok) return { kind: 'failed', detail: `unreadable threads page ${page}: ${env.detail}` }
    guard.total(env.totalPages)
    guard.page(env.items)
    if (env.number != null && env.number > 0) guard.position(`page ${env.number}`)
    items.push(...env.items)
    // Memory stays bounded whatever the listing claims: past this, it is not a conversation's history.
    if (items.length > MAX_CHILD_ITEMS) guard.tooMany(MAX_CHILD_ITEMS)
    if (env.last || env.items.length === 0) return { kind: 'threads', items }
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
  const list = halList('conversations', 'conversations', (n: number) => fetchConversationsPage(api, n, since, signal))
  // Chat conversations need their threads listed: a child read per conversation (the kit bounds how many
  // are in flight); they start as soon as a page arrives, for the next pages too, so they overlap with
  // mapping and committing the current one. Other conversations map from the page alone.
  const withThreads = readChildren(numberedPages(list, pageOf(from) + 1), {
    parentsOf: (p: ListedPage) => p.items.map((raw) => ({ raw, where: `${p.url} item` })),
    read: ({ raw, where }) => conversationRecords(api, raw, where, signal),
    concurrency: THREAD_READS,
    pagesAhead: MAP_AHEAD,
  })
  for await (const { page: p, children: mappedItems } of withThreads) {
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

/** Conversations mapped (and, for chats, their threads listed) at once; the HTTP client's pacing still governs. */
const THREAD_READS = 25
