// One function per Help Scout endpoint deskmove reads. Each returns the response as-is: status handling
// belongs to the stream readers, which know whether a 403 or 404 is fatal there.
import type { JsonResponse, StreamResponse } from '../../../src/core/http.js'
import type { HelpScoutSession } from './auth.js'

/** What every endpoint needs: the signed session and the API root (with `/v2`). */
export interface Api {
  readonly session: HelpScoutSession
  readonly baseUrl: string
}

type Query = Readonly<Record<string, string | number | undefined>>

const get = (api: Api, path: string, route: string, query: Query, signal: AbortSignal): Promise<JsonResponse> =>
  api.session.requestJson({ method: 'GET', url: `${api.baseUrl}${path}`, query, route, signal })

/** Help Scout's `modifiedSince` takes whole seconds: `YYYY-MM-DDTHH:MM:SSZ` (sources.md §1.2). */
export function toModifiedSince(iso: string): string {
  return new Date(iso).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** https://developer.helpscout.com/mailbox-api/endpoints/users/me/ */
export const fetchMe = (api: Api, signal: AbortSignal): Promise<JsonResponse> => get(api, '/users/me', 'users.me', {}, signal)

/** https://developer.helpscout.com/mailbox-api/endpoints/users/list/ */
export const fetchUsersPage = (api: Api, page: number, signal: AbortSignal): Promise<JsonResponse> =>
  get(api, '/users', 'users.list', { page }, signal)

/** https://developer.helpscout.com/mailbox-api/endpoints/mailboxes/list/ */
export const fetchMailboxesPage = (api: Api, page: number, signal: AbortSignal): Promise<JsonResponse> =>
  get(api, '/mailboxes', 'mailboxes.list', { page }, signal)

/** https://developer.helpscout.com/mailbox-api/endpoints/mailboxes/mailbox-fields/ */
export const fetchMailboxFieldsPage = (api: Api, mailboxId: string, page: number, signal: AbortSignal): Promise<JsonResponse> =>
  get(api, `/mailboxes/${encodeURIComponent(mailboxId)}/fields`, 'mailboxes.fields', { page }, signal)

/** https://developer.helpscout.com/mailbox-api/endpoints/tags/list/ */
export const fetchTagsPage = (api: Api, page: number, signal: AbortSignal): Promise<JsonResponse> =>
  get(api, '/tags', 'tags.list', { page }, signal)

/** https://developer.helpscout.com/mailbox-api/endpoints/organizations/list/ */
export const fetchOrganizationsPage = (api: Api, page: number, signal: AbortSignal): Promise<JsonResponse> =>
  get(api, '/organizations', 'organizations.list', { page }, signal)

/** https://developer.helpscout.com/mailbox-api/endpoints/customers/list/ (oldest first, so pages stay stable). */
export const fetchCustomersPage = (api: Api, page: number, since: string | null, signal: AbortSignal): Promise<JsonResponse> =>
  get(api, '/customers', 'customers.list', {
    page,
    sortField: 'createdAt',
    sortOrder: 'asc',
    modifiedSince: since === null ? undefined : toModifiedSince(since),
  }, signal)

/**
 * https://developer.helpscout.com/mailbox-api/endpoints/conversations/list/ — `status=all` or only active
 * ones come back (sources.md §1.7 #1); threads embedded so one request covers a page of 25 conversations.
 */
export const fetchConversationsPage = (api: Api, page: number, since: string | null, signal: AbortSignal): Promise<JsonResponse> =>
  get(api, '/conversations', 'conversations.list', {
    page,
    status: 'all',
    embed: 'threads',
    sortOrder: 'asc',
    ...(since === null ? { sortField: 'createdAt' } : { sortField: 'modifiedAt', modifiedSince: toModifiedSince(since) }),
  }, signal)

/** https://developer.helpscout.com/mailbox-api/endpoints/conversations/threads/list/ */
export const fetchThreadsPage = (api: Api, conversationId: string, page: number, signal: AbortSignal): Promise<JsonResponse> =>
  get(api, `/conversations/${encodeURIComponent(conversationId)}/threads`, 'conversations.threads', { page }, signal)

/**
 * https://developer.helpscout.com/mailbox-api/endpoints/conversations/get/ — by absolute URL, because it is
 * reached by following a merge redirect's `Location`.
 */
export const fetchConversationAt = (api: Api, url: string, signal: AbortSignal): Promise<JsonResponse> =>
  api.session.requestJson({ method: 'GET', url, query: { embed: 'threads' }, route: 'conversations.get', signal })

/** https://developer.helpscout.com/mailbox-api/endpoints/conversations/attachments/get-attachment-file/ */
export const fetchAttachmentFile = (api: Api, conversationId: string, attachmentId: string, signal: AbortSignal): Promise<StreamResponse> =>
  api.session.requestStream({
    method: 'GET',
    url: `${api.baseUrl}/conversations/${encodeURIComponent(conversationId)}/attachments/${encodeURIComponent(attachmentId)}/file`,
    headers: { accept: '*/*' },
    route: 'attachments.file',
    signal,
  })
