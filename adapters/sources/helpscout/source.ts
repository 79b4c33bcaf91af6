// The Help Scout `Source`: reading streams, checking access, and opening attachment files.
import { z } from 'zod'
import { AuthError, RemoteRequestError, RemoteUnavailableError, UsageError } from '../../../src/core/errors.js'
import type { AdapterContext } from '../../../src/core/context.js'
import type { AttachmentRef } from '../../../src/core/model/attachment.js'
import type { AttachmentBody, CheckReport, CheckStatus, Checkpoint, ReadOptions, Source, SourcePage, StreamName } from '../../../src/core/source.js'
import type { JsonResponse } from '../../../src/core/http.js'
import type { HelpScoutConfig } from './config.js'
import { createSession } from './auth.js'
import {
  fetchAttachmentFile,
  fetchConversationsPage,
  fetchCustomersPage,
  fetchMailboxesPage,
  fetchMe,
  fetchOrganizationsPage,
  fetchTagsPage,
  fetchUsersPage,
} from './endpoints.js'
import type { Api } from './endpoints.js'
import { helpscoutStreams, readDirectoryStream } from './streams.js'
import type { HelpScoutStream } from './streams.js'
import { readTickets, survivorIdOf } from './read-tickets.js'

const attachmentRefSchema = z.object({ conversationId: z.string().min(1), attachmentId: z.string().min(1) })

const isStream = (name: string): name is HelpScoutStream => helpscoutStreams.some((s) => s.name === name)

/** One probe per stream for `check`: the cheapest request that needs the same permission as the read. */
const PROBES: Readonly<Record<HelpScoutStream, (api: Api, signal: AbortSignal) => Promise<JsonResponse>>> = {
  agents: (api, s) => fetchUsersPage(api, 1, s),
  groups: (api, s) => fetchMailboxesPage(api, 1, s),
  tags: (api, s) => fetchTagsPage(api, 1, s),
  organizations: (api, s) => fetchOrganizationsPage(api, 1, s),
  customers: (api, s) => fetchCustomersPage(api, 1, null, s),
  tickets: (api, s) => fetchConversationsPage(api, 1, null, s),
}

type CheckItem = CheckReport['items'][number]

/** Turns one probe's outcome into a check row; only unexpected errors propagate. */
async function probe(name: string, run: () => Promise<JsonResponse>, notFoundIsOk = false): Promise<CheckItem> {
  try {
    const res = await run()
    if (res.status >= 200 && res.status < 300) return { name, status: 'ok' }
    if (res.status === 404 && notFoundIsOk) return { name, status: 'ok', detail: 'not enabled on this account (HTTP 404): nothing to read' }
    const status: CheckStatus = res.status === 403 ? 'forbidden' : 'error'
    return { name, status, detail: `HTTP ${res.status}` }
  } catch (e) {
    return { name, ...failureOf(e) }
  }
}

function failureOf(e: unknown): { status: CheckStatus; detail: string } {
  if (e instanceof AuthError) return { status: 'auth-failed', detail: e.message }
  if (e instanceof RemoteUnavailableError) return { status: 'unreachable', detail: e.message }
  if (e instanceof RemoteRequestError) return { status: 'error', detail: e.message }
  throw e
}

async function check(api: Api, signal: AbortSignal): Promise<CheckReport> {
  const streamNames = helpscoutStreams.map((s) => s.name)
  try {
    await api.session.authenticate(signal)
  } catch (e) {
    const failed = failureOf(e)
    // Without a token nothing else can be asked; every row reports the same cause.
    return { ok: false, items: ['credentials', 'users/me', ...streamNames].map((name) => ({ name, ...failed })) }
  }
  const items: CheckItem[] = [{ name: 'credentials', status: 'ok' }]
  items.push(await probe('users/me', () => fetchMe(api, signal)))
  for (const spec of helpscoutStreams) {
    items.push(await probe(spec.name, () => PROBES[spec.name](api, signal), spec.name === 'organizations'))
  }
  const optional = new Set<string>(helpscoutStreams.filter((s) => 'optional' in s).map((s) => s.name))
  const ok = items.every((i) => i.status === 'ok' || (i.status === 'forbidden' && optional.has(i.name)))
  return { ok, items }
}

async function openAttachment(api: Api, ref: AttachmentRef, signal: AbortSignal): Promise<AttachmentBody> {
  const parsed = attachmentRefSchema.safeParse(ref)
  if (!parsed.success) throw new RemoteRequestError(400, '', `not a Help Scout attachment reference: ${JSON.stringify(ref)}`)
  const { conversationId, attachmentId } = parsed.data
  let res = await fetchAttachmentFile(api, conversationId, attachmentId, signal)
  // Merged after extraction: the old conversation id redirects to the survivor, which holds the file now.
  const survivorId = res.status === 301 ? survivorIdOf(res.headers['location']) : null
  if (survivorId) {
    res.body.destroy()
    res = await fetchAttachmentFile(api, survivorId, attachmentId, signal)
  }
  if (res.status >= 200 && res.status < 300) {
    const length = Number(res.headers['content-length'])
    return { body: res.body, size: Number.isFinite(length) && res.headers['content-length'] !== undefined ? length : null, url: res.url }
  }
  res.body.destroy()
  if (res.status === 403) throw new AuthError(`Help Scout refused access to attachment ${attachmentId} (HTTP 403)`)
  const gone = res.status === 404 || res.status === 410 ? 'no longer exists' : 'could not be fetched'
  throw new RemoteRequestError(res.status, res.url, `attachment ${attachmentId} of conversation ${conversationId} ${gone} (HTTP ${res.status})`)
}

/** Builds the Help Scout source over the engine's HTTP client. */
export function createHelpScoutSource(config: HelpScoutConfig, ctx: AdapterContext): Source {
  const api: Api = { session: createSession(ctx.http, config, ctx.addSecret), baseUrl: config.baseUrl }
  return {
    check: (signal) => check(api, signal),
    read(stream: StreamName, from: Checkpoint | null, options: ReadOptions, signal: AbortSignal): AsyncIterable<SourcePage> {
      if (!isStream(stream)) throw new UsageError(`helpscout has no stream "${stream}"`, { hint: `streams: ${helpscoutStreams.map((s) => s.name).join(', ')}` })
      const spec = helpscoutStreams.find((s) => s.name === stream)
      const since = spec?.supportsSince ? options.since : null
      return stream === 'tickets' ? readTickets(api, from, since, signal, ctx.log) : readDirectoryStream(stream, api, from, since, signal)
    },
    openAttachment: (ref, signal) => openAttachment(api, ref, signal),
    close: () => Promise.resolve(),
  }
}
