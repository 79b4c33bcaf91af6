// Stream specs of the Zendesk source and the readers of its directory streams (tickets: read-tickets.ts).
import type { Checkpoint, ReadOptions, SourcePage, StreamSpec } from '../../../src/core/source.js'
import { emptyMapped, mergeMapped } from '../../../src/kits/source/mapping-result.js'
import type { Api } from './endpoints.js'
import { readFieldTitles, readTicketDictionaries } from './dictionaries.js'
import { readList } from './lists.js'
import { timeExportPages } from './time-export.js'
import { BRAND_FIELD, FORM_FIELD, mapGroup, mapOrganization, mapTicketField, mapUser, pseudoField } from './to-canonical.js'

/** Users and organisations come from their time-based exports (delta by `start_time`); tickets from the cursor export. */
export const zendeskStreams = [
  { name: 'groups', entities: ['group'], dependsOn: [], resume: 'restart', supportsSince: false },
  { name: 'fields', entities: ['custom_field'], dependsOn: [], resume: 'restart', supportsSince: false },
  { name: 'organizations', entities: ['organization'], dependsOn: [], resume: 'per-page', supportsSince: true },
  { name: 'users', entities: ['agent', 'customer'], dependsOn: ['organizations'], resume: 'per-page', supportsSince: true },
  {
    name: 'tickets',
    entities: ['ticket', 'message', 'attachment', 'customer'],
    dependsOn: ['groups', 'fields', 'users'],
    resume: 'per-page',
    supportsSince: true,
    children: { entities: ['message', 'attachment'], endpoint: '/api/v2/tickets/{id}/comments.json' },
  },
] as const satisfies readonly StreamSpec[]

export type ZendeskStream = (typeof zendeskStreams)[number]['name']

/** The checkpoint a `restart` stream reports once, when it is complete. */
export const COMPLETE: Checkpoint = { complete: true }

async function* readGroups(api: Api, signal: AbortSignal): AsyncGenerator<SourcePage> {
  const out = emptyMapped()
  for (const g of await readList(api, '/groups.json', 'groups', signal)) mergeMapped(out, mapGroup(g, 'groups'))
  yield { ...out, checkpoint: COMPLETE }
}

/** Ticket field definitions, plus brand and ticket form as dropdown fields (every ticket names both). */
async function* readFields(api: Api, signal: AbortSignal): AsyncGenerator<SourcePage> {
  const d = await readTicketDictionaries(api, signal)
  const out = emptyMapped()
  for (const f of d.ticketFields) mergeMapped(out, mapTicketField(f, 'ticket_fields'))
  mergeMapped(out, pseudoField(BRAND_FIELD, d.brands))
  mergeMapped(out, pseudoField(FORM_FIELD, d.forms))
  yield { ...out, checkpoint: COMPLETE }
}

async function* readPeople(api: Api, resource: 'users' | 'organizations', from: Checkpoint | null, o: ReadOptions, signal: AbortSignal): AsyncGenerator<SourcePage> {
  const titles = await readFieldTitles(api, resource === 'users' ? 'user_fields' : 'organization_fields', signal)
  for await (const p of timeExportPages(api, resource, from, o, signal)) {
    const out = emptyMapped()
    const where = p.url.split('?')[0] ?? p.url
    for (const raw of p.items) mergeMapped(out, resource === 'users' ? mapUser(raw, where, titles) : mapOrganization(raw, where, titles))
    yield { ...out, checkpoint: p.checkpoint }
  }
}

export function readDirectoryStream(stream: Exclude<ZendeskStream, 'tickets'>, api: Api, from: Checkpoint | null, o: ReadOptions, signal: AbortSignal): AsyncGenerator<SourcePage> {
  switch (stream) {
    case 'groups':
      return readGroups(api, signal)
    case 'fields':
      return readFields(api, signal)
    case 'users':
    case 'organizations':
      return readPeople(api, stream, from, o, signal)
  }
}
