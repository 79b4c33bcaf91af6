// Stream specs of the Help Scout source and the readers of its directory streams (tickets: read-tickets.ts).
import type { Checkpoint, SourcePage, StreamSpec } from '../../../src/core/source.js'
import type { NumberedList } from '../../../src/kits/source/numbered-pages.js'
import {
  fetchCustomersPage,
  fetchMailboxFieldsPage,
  fetchMailboxesPage,
  fetchOrganizationsPage,
  fetchTagsPage,
  fetchUsersPage,
} from './endpoints.js'
import type { Api } from './endpoints.js'
import { halList } from './paging.js'
import { mapCustomers, mapFields, mapMailboxes, mapOrganizations, mapTags, mapUsers } from './to-canonical.js'
import { emptyMapped, mergeMapped } from '../../../src/kits/source/mapping-result.js'
import { collect, perPage as kitPerPage } from '../../../src/kits/source/stream-pages.js'
import { mapLimited } from '../../../src/kits/source/map-ahead.js'
import type { MapItems } from '../../../src/kits/source/stream-pages.js'
import { withCustomerDetails } from './customer-details.js'

/** Users, mailboxes and tags have no delta filter (sources.md §1.4); customers and conversations do. */
export const helpscoutStreams = [
  { name: 'agents', entities: ['agent'], dependsOn: [], resume: 'per-page', supportsSince: false },
  // Field definitions are per mailbox, read while walking the mailboxes, so the pair restarts as a whole.
  { name: 'groups', entities: ['group', 'custom_field'], dependsOn: [], resume: 'restart', supportsSince: false },
  { name: 'tags', entities: ['tag'], dependsOn: [], resume: 'restart', supportsSince: false },
  {
    name: 'organizations',
    entities: ['organization'],
    dependsOn: [],
    resume: 'per-page',
    supportsSince: false,
    optional: { onForbidden: 'skip-with-warning' },
  },
  { name: 'customers', entities: ['customer'], dependsOn: [], resume: 'per-page', supportsSince: true },
  {
    name: 'tickets',
    entities: ['ticket', 'message', 'attachment'],
    dependsOn: ['agents', 'groups', 'customers'],
    resume: 'per-page',
    supportsSince: true,
  },
] as const satisfies readonly StreamSpec[]

export type HelpScoutStream = (typeof helpscoutStreams)[number]['name']

/** The checkpoint a `restart` stream reports once, when it is complete. */
export const COMPLETE: Checkpoint = { complete: true }

const list = halList
const perPage = (l: NumberedList, from: Checkpoint | null, map: MapItems): AsyncGenerator<SourcePage> => kitPerPage(l, from, 'helpscout', map)

/** Field-definition lists read at once (one per mailbox); the HTTP client's pacing still governs. */
const FIELD_READS = 4

/** Mailboxes, then each mailbox's field definitions (a child list per mailbox); one page, once all is read. */
async function* readGroups(api: Api, signal: AbortSignal): AsyncGenerator<SourcePage> {
  const mailboxes = await collect(list('mailboxes', 'mailboxes', (n) => fetchMailboxesPage(api, n, signal)), mapMailboxes)
  const out = emptyMapped()
  mergeMapped(out, mailboxes)
  const fieldsPerMailbox = await mapLimited(mailboxes.records, FIELD_READS, (mailbox) => {
    const id = mailbox.canonical.sourceId
    // A mailbox without custom fields may answer 404 rather than an empty list.
    const fields = list('fields', `fields of mailbox ${id}`, (n) => fetchMailboxFieldsPage(api, id, n, signal), [404])
    return collect(fields, (items, where) => mapFields(items, id, where))
  })
  for (const fields of fieldsPerMailbox) mergeMapped(out, fields)
  yield { ...out, checkpoint: COMPLETE }
}

async function* readTags(api: Api, signal: AbortSignal): AsyncGenerator<SourcePage> {
  const tags = await collect(list('tags', 'tags', (n) => fetchTagsPage(api, n, signal)), mapTags)
  yield { ...tags, checkpoint: COMPLETE }
}

/** Readers of the directory streams, by name. */
export function readDirectoryStream(
  stream: Exclude<HelpScoutStream, 'tickets'>,
  api: Api,
  from: Checkpoint | null,
  since: string | null,
  signal: AbortSignal,
): AsyncGenerator<SourcePage> {
  switch (stream) {
    case 'agents':
      return perPage(list('users', 'users', (n) => fetchUsersPage(api, n, signal)), from, mapUsers)
    case 'groups':
      return readGroups(api, signal)
    case 'tags':
      return readTags(api, signal)
    case 'organizations':
      // 404: the account predates organisations (sources.md §1.2), so there is nothing to read.
      return perPage(list('organizations', 'organizations', (n) => fetchOrganizationsPage(api, n, signal), [404]), from, mapOrganizations)
    case 'customers':
      return perPage(list('customers', 'customers', (n) => withCustomerDetails(api, fetchCustomersPage(api, n, since, signal), signal)), from, mapCustomers)
  }
}
