// The tickets stream: the cursor-based incremental export (archived and deleted tickets included, which the
// plain list omits), each ticket's comments as a child stream through the kit's `readChildren`, and the users
// the page names resolved so authors and requesters map to the right kind. One page of up to 1000 tickets
// is committed with its comments under the export's cursor.
//
// Why comments per ticket and not `incremental/ticket_events?include=comment_events` (measured, `npm run bench`:
// 2,000 simulated tickets, 8,272 comments): the events export needs far fewer requests (9 against 1,944), but
// (1) a page of tickets is committed with ALL its comments under one checkpoint, so a crash, a Ctrl-C or a
// `migrate` between pages never leaves a ticket with part of its history; events arrive by time across every
// ticket, so a ticket's comments span pages of their own stream; (2) all event pages draw on the export's
// 10-per-minute budget, and a real account's events are every audit (field changes, notifications), several per
// comment, so the simulator's one event per comment is the events export's best case; (3) the per-ticket list
// takes `include_inline_images`. The per-ticket reads run on the account's budget (200–2,500/min), 4 at a time.
import { z } from 'zod'
import { RemoteUnavailableError, SourceContractError } from '../../../src/core/errors.js'
import type { Checkpoint, ReadOptions, RecordWarning, SourcePage } from '../../../src/core/source.js'
import { readChildren } from '../../../src/kits/source/children.js'
import { emptyMapped, mergeMapped, readableId } from '../../../src/kits/source/mapping-result.js'
import { ensureOk, fetchTicketExport, type Api } from './endpoints.js'
import { fieldDicts, readFieldTitles, readTicketDictionaries } from './dictionaries.js'
import { readComments } from './lists.js'
import { People } from './people.js'
import { startTimeOf } from './time-export.js'
import { mapTicket, type TicketContext } from './to-canonical-ticket.js'
import { commentWire, cursorExportWire, ticketWire, type TicketWire } from './wire.js'

interface ExportPage {
  readonly tickets: readonly unknown[]
  readonly users: readonly unknown[]
  readonly checkpoint: Checkpoint
  readonly url: string
}

const checkpointSchema = z.object({ cursor: z.string().nullable(), end: z.boolean().optional() }).passthrough()

/**
 * Export pages from a checkpoint (a kept `after_cursor`) or a start time. The `end_of_stream` page's own
 * `after_cursor` is kept: the next delta starts there and reads only what changed since.
 */
export async function* ticketExportPages(api: Api, from: Checkpoint | null, o: ReadOptions, signal: AbortSignal): AsyncGenerator<ExportPage> {
  const resume = from ?? (o.since !== null && o.lastComplete ? o.lastComplete : null)
  let cursor: string | null = null
  if (resume !== null) {
    const cp = checkpointSchema.safeParse(resume)
    if (!cp.success) throw new SourceContractError(`incremental tickets export: checkpoint not understood: ${JSON.stringify(resume)}`)
    cursor = cp.data.cursor
  }
  const followed = new Set<string>()
  for (;;) {
    const res = await fetchTicketExport(api, cursor === null ? { startTime: startTimeOf(o.since, api.now()) } : { cursor }, signal)
    ensureOk(res, 'incremental tickets export')
    const env = cursorExportWire.safeParse(res.body)
    if (!env.success) throw new RemoteUnavailableError(`incremental tickets export: unreadable page at ${res.url.split('?')[0] ?? ''}, so no cursor to follow`)
    const next = env.data.after_cursor ?? null
    const end = env.data.end_of_stream === true || next === null || next === cursor
    yield { tickets: env.data.tickets, users: env.data.users ?? [], checkpoint: { cursor: next ?? cursor, end }, url: res.url }
    if (end) return
    if (followed.has(next)) throw new RemoteUnavailableError('incremental tickets export: after_cursor repeats an earlier one; stopping instead of looping')
    followed.add(next)
    cursor = next
  }
}

/** User ids a ticket and its comments name. */
function idsOf(t: TicketWire, comments: readonly unknown[]): number[] {
  const ids = [t.requester_id, t.submitter_id, t.assignee_id, ...(t.collaborator_ids ?? []), ...(t.email_cc_ids ?? []), ...(t.follower_ids ?? [])]
  for (const c of comments) {
    const p = commentWire.safeParse(c)
    if (p.success) ids.push(p.data.author_id)
  }
  return ids.filter((id): id is number => typeof id === 'number' && id > 0)
}

export interface TicketsReadDeps {
  readonly attachmentHosts: readonly string[]
  readonly agentUrl: (id: number) => string
  readonly concurrency?: number
}

export async function* readTickets(api: Api, from: Checkpoint | null, o: ReadOptions, signal: AbortSignal, deps: TicketsReadDeps): AsyncGenerator<SourcePage> {
  const dictionaries = await readTicketDictionaries(api, signal)
  const userFields = await readFieldTitles(api, 'user_fields', signal)
  const fields = fieldDicts(dictionaries)
  const pages = readChildren(ticketExportPages(api, from, o, signal), {
    // Deleted tickets' comments answer 404 (sources.md §2.7 #4): not asked for.
    parentsOf: (page: ExportPage) => page.tickets.flatMap((t) => {
      const p = ticketWire.safeParse(t)
      return p.success && p.data.status !== 'deleted' ? [p.data] : []
    }),
    read: async (t: TicketWire) => {
      const users: unknown[] = []
      const comments = await readComments(api, String(t.id), (u) => users.push(...u), signal)
      return { id: t.id, comments, users }
    },
    concurrency: deps.concurrency ?? 4,
  })
  for await (const { page, children } of pages) {
    const people = new People()
    people.add(page.users)
    const byTicket = new Map(children.map((c) => [c.id, c]))
    for (const c of children) people.add(c.users)
    const parsed = page.tickets.flatMap((t) => {
      const p = ticketWire.safeParse(t)
      return p.success ? [p.data] : []
    })
    const commentsOf = (id: number): readonly unknown[] => {
      const c = byTicket.get(id)?.comments
      return c === undefined || c === 'gone' ? [] : c
    }
    await people.resolve(api, parsed.flatMap((t) => idsOf(t, commentsOf(t.id))), signal)
    const ctx: TicketContext = { agentUrl: deps.agentUrl, people: people.index(), fields, attachmentHosts: deps.attachmentHosts }
    const out = emptyMapped()
    out.records.push(...people.requesterRecords(parsed.flatMap((t) => (t.requester_id != null ? [t.requester_id] : [])), userFields))
    for (const raw of page.tickets) {
      const id = Number(readableId(raw, 'NaN'))
      const child = byTicket.get(id)
      const warnings: RecordWarning[] = []
      const status = (raw as { status?: unknown } | null)?.status
      if (status === 'deleted') warnings.push({ code: 'deleted-in-source', detail: 'deleted in Zendesk: its comments are no longer readable (HTTP 404), the ticket is staged as deleted' })
      else if (child?.comments === 'gone') warnings.push({ code: 'comments-unavailable', detail: 'comments answered 404 (deleted since it was listed)' })
      const requester = (raw as { requester_id?: unknown } | null)?.requester_id
      if (typeof requester === 'number' && ctx.people.get(requester) === 'missing') warnings.push({ code: 'missing-user', detail: `requester ${requester} no longer exists in Zendesk: a placeholder customer stands in` })
      mergeMapped(out, mapTicket(raw, commentsOf(id), page.url.split('?')[0] ?? page.url, ctx, warnings))
    }
    yield { records: out.records, rejects: out.rejects, checkpoint: page.checkpoint }
  }
}
