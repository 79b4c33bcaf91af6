// A throwaway Zendesk-shaped source in the test tree: the template for a source with child streams. It reads
// the incremental tickets export (its own budget: 10 requests/minute) and each ticket's comments from a
// per-ticket endpoint through the source kit's `readChildren`, so a page of tickets is committed with its
// comments under the export cursor; its attachment links expire, so the engine fetches bytes per page and
// `refreshAttachment` re-reads a ticket's comments for a fresh link. Not registered in adapters/index.ts.
import { z } from 'zod'
import type { AnySourceDefinition, AttachmentBody, Checkpoint, CheckReport, ReadOptions, Source, SourcePage, StreamSpec } from '../../core/source.js'
import type { AdapterContext } from '../../core/context.js'
import type { AttachmentRef } from '../../core/model/attachment.js'
import { AuthError, RemoteRequestError, RemoteUnavailableError, SourceContractError } from '../../core/errors.js'
import { readChildren, collectCursorChildren } from '../../kits/source/children.js'
import { cursorPages, type CursorEnvelope, type CursorList } from '../../kits/source/cursor-pages.js'
import { emptyMapped, mergeMapped, readableId } from '../../kits/source/mapping-result.js'
import { mapTicketWithComments, mapUser, attachmentWire, ticketWire } from './zendesk-like-wire.js'

const configSchema = z.object({ baseUrl: z.string().url(), email: z.string().min(1), apiToken: z.string().min(1) }).strict()
export type ZendeskLikeConfig = z.infer<typeof configSchema>

export const ZENDESK_LIKE_STREAMS: readonly StreamSpec[] = [
  { name: 'users', entities: ['agent', 'customer'], dependsOn: [], resume: 'per-page', supportsSince: false },
  {
    name: 'tickets', entities: ['ticket', 'message', 'attachment'], dependsOn: ['users'], resume: 'per-page', supportsSince: true,
    children: { entities: ['message', 'attachment'], endpoint: '/api/v2/tickets/{id}/comments.json' },
  },
]

type JsonResponse = Awaited<ReturnType<AdapterContext['http']['requestJson']>>

interface Api {
  readonly ctx: AdapterContext
  readonly baseUrl: string
  readonly auth: string
}

type Query = Readonly<Record<string, string | number | undefined>>
const get = (api: Api, path: string, route: string, query: Query, signal: AbortSignal): Promise<JsonResponse> =>
  api.ctx.http.requestJson({ method: 'GET', url: `${api.baseUrl}${path}`, query, route, headers: { authorization: api.auth }, signal })

function ensureOk(res: JsonResponse, what: string): void {
  if (res.status >= 200 && res.status < 300) return
  if (res.status === 401 || res.status === 403) throw new AuthError(`${what}: the vendor refused the credentials (HTTP ${res.status})`)
  throw new RemoteRequestError(res.status, res.url.split('?')[0] ?? '', `${what}: HTTP ${res.status}`)
}

const metaEnvelope = (key: string) => (body: unknown): CursorEnvelope => {
  const parsed = z.object({ [key]: z.array(z.unknown()), meta: z.object({ has_more: z.boolean(), after_cursor: z.string().nullable() }) }).safeParse(body)
  if (!parsed.success) return { ok: false, detail: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') }
  const { meta } = parsed.data as { meta: { has_more: boolean; after_cursor: string | null } }
  return { ok: true, items: parsed.data[key] as unknown[], next: meta.has_more ? meta.after_cursor : null }
}

const exportEnvelope = (body: unknown): CursorEnvelope => {
  const parsed = z.object({ tickets: z.array(z.unknown()), after_cursor: z.string().nullable(), end_of_stream: z.boolean() }).safeParse(body)
  if (!parsed.success) return { ok: false, detail: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') }
  return { ok: true, items: parsed.data.tickets, next: parsed.data.end_of_stream ? null : parsed.data.after_cursor }
}

/** A ticket's comments, paged by cursor (Zendesk caps offset paging at 100 pages). */
const commentsList = (api: Api, ticketId: string, signal: AbortSignal): CursorList => ({
  what: `comments of ticket ${ticketId}`,
  fetch: (after) => get(api, `/tickets/${encodeURIComponent(ticketId)}/comments.json`, 'tickets.comments', { 'page[size]': 100, 'page[after]': after ?? undefined }, signal),
  envelope: metaEnvelope('comments'),
  ensureOk,
})

async function* readUsers(api: Api, from: Checkpoint | null, signal: AbortSignal): AsyncGenerator<SourcePage> {
  const list: CursorList = {
    what: 'users',
    fetch: (after) => get(api, '/users.json', 'users.list', { 'page[size]': 100, 'page[after]': after ?? undefined }, signal),
    envelope: metaEnvelope('users'),
    ensureOk,
  }
  for await (const p of cursorPages(list, from)) {
    const out = emptyMapped()
    for (const raw of p.items) mergeMapped(out, mapUser(raw, p.url))
    yield { records: out.records, rejects: out.rejects, checkpoint: p.checkpoint }
  }
}

async function* readTickets(api: Api, from: Checkpoint | null, o: ReadOptions, signal: AbortSignal): AsyncGenerator<SourcePage> {
  // A delta goes on from where the last complete read ended; a first read starts at the beginning of time.
  const start = from ?? (o.since !== null && o.lastComplete ? o.lastComplete : null)
  const startTime = o.since === null ? 0 : Math.floor(Date.parse(o.since) / 1000)
  const list: CursorList = {
    what: 'incremental tickets export',
    fetch: (cursor) => get(api, '/incremental/tickets/cursor.json', 'tickets.export', cursor === null ? { start_time: startTime } : { cursor }, signal),
    envelope: exportEnvelope,
    ensureOk,
  }
  const origin = new URL(api.baseUrl).origin
  const pages = readChildren(cursorPages(list, start), {
    // Only tickets that parse get their comments read: a rejected ticket's comments would point nowhere.
    parentsOf: (page) => page.items.filter((t) => ticketWire.safeParse(t).success).map((t) => readableId(t, '')),
    read: (ticketId) => collectCursorChildren(commentsList(api, ticketId, signal)),
  })
  for await (const { page, children } of pages) {
    const byTicket = new Map(page.items.filter((t) => ticketWire.safeParse(t).success).map((t, i) => [readableId(t, ''), children[i] ?? []]))
    const out = emptyMapped()
    for (const raw of page.items) mergeMapped(out, mapTicketWithComments(raw, byTicket.get(readableId(raw, '')) ?? [], page.url, (id) => `${origin}/agent/tickets/${id}`))
    yield { records: out.records, rejects: out.rejects, checkpoint: page.checkpoint }
  }
}

const refSchema = z.object({ ticketId: z.string(), commentId: z.string(), attachmentId: z.string(), url: z.string().url() })

async function openAttachment(api: Api, ref: AttachmentRef, signal: AbortSignal): Promise<AttachmentBody> {
  const r = refSchema.safeParse(ref)
  if (!r.success) throw new SourceContractError(`not an attachment reference of this source: ${JSON.stringify(ref)}`)
  // A signed link carries its own authorisation: the API credentials are not sent to the file host.
  const res = await api.ctx.http.requestStream({ method: 'GET', url: r.data.url, route: 'attachments.file', signal })
  const where = r.data.url.split('?')[0] ?? ''
  if (res.status >= 200 && res.status < 300) {
    const length = res.headers['content-length']
    return { body: res.body, size: length === undefined ? null : Number(length), url: where }
  }
  res.body.destroy()
  throw new RemoteRequestError(res.status, where, `attachment ${r.data.attachmentId}: HTTP ${res.status} (an expired or revoked link)`)
}

/** Re-reads the owning ticket's comments for a fresh link; null when the attachment is gone. */
async function refreshAttachment(api: Api, ref: AttachmentRef, signal: AbortSignal): Promise<AttachmentRef | null> {
  const r = refSchema.safeParse(ref)
  if (!r.success) throw new SourceContractError(`not an attachment reference of this source: ${JSON.stringify(ref)}`)
  const comments = await collectCursorChildren(commentsList(api, r.data.ticketId, signal))
  for (const c of comments) {
    for (const a of (c as { attachments?: unknown[] }).attachments ?? []) {
      const parsed = attachmentWire.safeParse(a)
      if (parsed.success && String(parsed.data.id) === r.data.attachmentId) return { ...r.data, url: parsed.data.content_url }
    }
  }
  return null
}

async function check(api: Api, signal: AbortSignal): Promise<CheckReport> {
  const row = (status: CheckReport['items'][number]['status'], detail?: string) =>
    ({ ok: status === 'ok', items: ZENDESK_LIKE_STREAMS.map((s) => ({ name: s.name, status, ...(detail ? { detail } : {}) })) })
  try {
    const res = await get(api, '/users/me.json', 'users.me', {}, signal)
    if (res.status === 401) return row('auth-failed', 'the vendor refused the credentials (HTTP 401)')
    if (res.status === 403) return row('forbidden', 'the credentials lack permission (HTTP 403)')
    return res.status >= 200 && res.status < 300 ? row('ok') : row('error', `HTTP ${res.status}`)
  } catch (e) {
    if (e instanceof RemoteUnavailableError) return row('unreachable', e.message)
    throw e
  }
}

export function createZendeskLikeSource(config: ZendeskLikeConfig, ctx: AdapterContext): Source {
  const auth = `Basic ${Buffer.from(`${config.email}/token:${config.apiToken}`).toString('base64')}`
  ctx.addSecret?.(auth)
  const api: Api = { ctx, baseUrl: config.baseUrl.replace(/\/+$/, ''), auth }
  return {
    check: (signal) => check(api, signal),
    read(stream, from, options, signal) {
      if (stream === 'users') return readUsers(api, from, signal)
      if (stream === 'tickets') return readTickets(api, from, options, signal)
      throw new SourceContractError(`unknown stream ${stream}`)
    },
    openAttachment: (ref, signal) => openAttachment(api, ref, signal),
    refreshAttachment: (ref, signal) => refreshAttachment(api, ref, signal),
    close: () => Promise.resolve(),
  }
}

export const zendeskLikeSource: AnySourceDefinition = {
  id: 'zendesk',
  displayName: 'Zendesk-shaped example (test tree)',
  config: { schema: configSchema, env: { baseUrl: 'ZENDESK_LIKE_BASE_URL', email: 'ZENDESK_LIKE_EMAIL', apiToken: 'ZENDESK_LIKE_API_TOKEN' }, sensitive: ['apiToken'] },
  streams: ZENDESK_LIKE_STREAMS,
  http: {
    rateLimitHeaders: { limit: 'x-rate-limit', remaining: 'x-rate-limit-remaining', retryAfter: ['retry-after'], windowMs: 60_000 },
    defaultRpm: 700,
    defaultConcurrency: 4,
    // The export's own budget; every other endpoint shares the host's.
    endpointBudgets: [{ match: { route: 'tickets.export' }, rpm: 10 }],
  },
  attachments: { links: 'expiring' },
  create: (config: ZendeskLikeConfig, ctx) => createZendeskLikeSource(config, ctx),
}
