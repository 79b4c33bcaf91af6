// The Zendesk `Source`: reading streams, checking access, opening (and refreshing) attachment files.
import { z } from 'zod'
import { RemoteRequestError, RemoteUnavailableError, SourceContractError, UsageError, AuthError } from '../../../src/core/errors.js'
import type { AdapterContext } from '../../../src/core/context.js'
import type { AttachmentRef } from '../../../src/core/model/attachment.js'
import type { AttachmentBody, CheckReport, CheckStatus, Source } from '../../../src/core/source.js'
import type { JsonResponse } from '../../../src/core/http.js'
import { attachmentHostsOf, authorizationOf, type ZendeskConfig } from './config.js'
import { fetchListPage, fetchMe, fetchTicketExport, getStream, type Api } from './endpoints.js'
import { readComments } from './lists.js'
import { readTickets } from './read-tickets.js'
import { readDirectoryStream, zendeskStreams, type ZendeskStream } from './streams.js'
import { attachmentWire, errorText, meWire } from './wire.js'
import { remoteImageSources } from '../../../src/kits/source/body-images.js'

const refSchema = z.object({ ticketId: z.string(), commentId: z.string(), attachmentId: z.string(), url: z.string().url(), bodyImage: z.boolean().optional() })

/** Redirects followed to reach the bytes (content URL → signed link; one more hop at most). */
const MAX_REDIRECTS = 3

const isStream = (name: string): name is ZendeskStream => zendeskStreams.some((s) => s.name === name)

type CheckItem = CheckReport['items'][number]

/** One probe per stream: the cheapest request needing the same permission as the read. */
const PROBES: Readonly<Record<ZendeskStream, (api: Api, s: AbortSignal) => Promise<JsonResponse>>> = {
  groups: (api, s) => fetchListPage(api, '/groups.json', 'groups.list', null, s),
  fields: (api, s) => fetchListPage(api, '/ticket_fields.json', 'ticket_fields.list', null, s),
  organizations: (api, s) => fetchListPage(api, '/organizations.json', 'organizations.list', null, s),
  users: (api, s) => fetchListPage(api, '/users.json', 'users.list', null, s),
  // The export is what the read uses (admin only), so it is probed itself: one request of its budget.
  tickets: (api, s) => fetchTicketExport(api, { startTime: Math.floor(api.now() / 1000) - 3600 }, s),
}

function failureOf(e: unknown): { status: CheckStatus; detail: string } {
  if (e instanceof AuthError) return { status: 'auth-failed', detail: e.message }
  if (e instanceof RemoteUnavailableError) return { status: 'unreachable', detail: e.message }
  if (e instanceof RemoteRequestError) return { status: 'error', detail: e.message }
  throw e
}

async function probe(name: string, run: () => Promise<JsonResponse>): Promise<CheckItem> {
  try {
    const res = await run()
    if (res.status >= 200 && res.status < 300) return { name, status: 'ok' }
    const detail = `HTTP ${res.status}${errorText(res.body) ? `: ${errorText(res.body)}` : ''}`
    return { name, status: res.status === 401 ? 'auth-failed' : res.status === 403 ? 'forbidden' : 'error', detail }
  } catch (e) {
    return { name, ...failureOf(e) }
  }
}

async function check(api: Api, signal: AbortSignal): Promise<CheckReport> {
  const names = zendeskStreams.map((s) => s.name)
  let me: CheckItem
  try {
    const res = await fetchMe(api, signal)
    const parsed = meWire.safeParse(res.body)
    if (res.status === 401 || res.status === 403) me = { name: 'credentials', status: 'auth-failed', detail: `HTTP ${res.status}: ${errorText(res.body)}` }
    else if (res.status < 200 || res.status >= 300) me = { name: 'credentials', status: 'error', detail: `HTTP ${res.status}: ${errorText(res.body)}` }
    // Wrong credentials are not refused: Zendesk answers 200 with an anonymous user whose id is null.
    else if (!parsed.success || parsed.data.user.id == null) {
      me = { name: 'credentials', status: 'auth-failed', detail: 'Zendesk answered as an anonymous user (id null): the email, API token or OAuth token is wrong, or API token access is off in Admin Center' }
    } else me = { name: 'credentials', status: 'ok', detail: `signed in as ${parsed.data.user.role ?? 'user'} ${parsed.data.user.id}` }
  } catch (e) {
    me = { name: 'credentials', ...failureOf(e) }
  }
  if (me.status !== 'ok') return { ok: false, items: [me, ...names.map((name) => ({ name, status: me.status, detail: 'not checked: the credentials were not accepted' }))] }
  const items: CheckItem[] = [me]
  for (const name of names) items.push(await probe(name, () => PROBES[name](api, signal)))
  return { ok: items.every((i) => i.status === 'ok'), items }
}

async function openAttachment(api: Api, ref: AttachmentRef, signal: AbortSignal): Promise<AttachmentBody> {
  const r = refSchema.safeParse(ref)
  if (!r.success) throw new SourceContractError(`not a Zendesk attachment reference: ${JSON.stringify(ref)}`)
  let at = r.data.url
  for (let hop = 0; ; hop++) {
    // The signed link is fetched at once after the redirect: it expires within minutes.
    const res = await getStream(api, at, hop === 0 ? 'attachments.content' : 'attachments.signed', signal)
    const location = res.headers['location']
    if (res.status >= 300 && res.status < 400 && location && hop < MAX_REDIRECTS) {
      res.body.destroy()
      at = new URL(location, at).toString()
      continue
    }
    const where = at.split('?')[0] ?? ''
    if (res.status >= 200 && res.status < 300) {
      const length = res.headers['content-length']
      const type = res.headers['content-type']?.split(';')[0]?.trim()
      return { body: res.body, size: length !== undefined && Number.isFinite(Number(length)) ? Number(length) : null, url: where, ...(type ? { contentType: type } : {}) }
    }
    res.body.destroy()
    throw new RemoteRequestError(res.status, where, `attachment ${r.data.attachmentId} of ticket ${r.data.ticketId}: HTTP ${res.status}${res.status === 403 || res.status === 404 || res.status === 410 ? ' (an expired or revoked link)' : ''}`)
  }
}

/** Re-reads the owning ticket's comments for a fresh content URL; null when the attachment is gone. */
async function refreshAttachment(api: Api, ref: AttachmentRef, signal: AbortSignal): Promise<AttachmentRef | null> {
  const r = refSchema.safeParse(ref)
  if (!r.success) throw new SourceContractError(`not a Zendesk attachment reference: ${JSON.stringify(ref)}`)
  const comments = await readComments(api, r.data.ticketId, () => undefined, signal)
  if (comments === 'gone') return null
  const comment = comments.find((c) => String((c as { id?: unknown } | null)?.id) === r.data.commentId) as { attachments?: unknown[]; html_body?: unknown } | undefined
  if (!comment) return null
  // A body image keeps its URL (each GET of it redirects to a freshly signed link) while the body still shows it.
  if (r.data.bodyImage) return typeof comment.html_body === 'string' && remoteImageSources(comment.html_body).includes(r.data.url) ? { ...r.data } : null
  for (const a of comment.attachments ?? []) {
    const p = attachmentWire.safeParse(a)
    if (p.success && String(p.data.id) === r.data.attachmentId) return { ...r.data, url: p.data.content_url }
  }
  return null
}

/** Builds the Zendesk source over the engine's HTTP client. */
export function createZendeskSource(config: ZendeskConfig, ctx: AdapterContext): Source {
  const authorization = authorizationOf(config.auth)
  ctx.addSecret?.(authorization)
  const origin = new URL(config.baseUrl)
  const api: Api = { ctx, baseUrl: config.baseUrl, authorization, credentialHosts: [origin.host], now: () => ctx.now().getTime() }
  const attachmentHosts = attachmentHostsOf(config)
  return {
    check: (signal) => check(api, signal),
    read(stream, from, options, signal) {
      if (!isStream(stream)) throw new UsageError(`zendesk has no stream "${stream}"`, { hint: `streams: ${zendeskStreams.map((s) => s.name).join(', ')}` })
      if (stream === 'tickets') return readTickets(api, from, options, signal, { attachmentHosts, agentUrl: (id) => `${origin.origin}/agent/tickets/${id}` })
      return readDirectoryStream(stream, api, from, options, signal)
    },
    openAttachment: (ref, signal) => openAttachment(api, ref, signal),
    refreshAttachment: (ref, signal) => refreshAttachment(api, ref, signal),
    close: () => Promise.resolve(),
  }
}
