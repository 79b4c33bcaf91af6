import type { SimResponse } from '../../../../src/kits/simulator/responses.js'
import { iso } from './ids.js'
import { timeExport, type ExportContext } from './exports.js'
import { renderComment } from './render-ticket.js'
import type { RouteContext } from './routes.js'
import type { ExportKey, ZdWorld } from './world.js'

/**
 * `GET /incremental/ticket_events.json?start_time=…[&include=comment_events]`: one event per ticket audit that
 * added a comment, time-based like the other exports. With `include=comment_events` each event's `child_events`
 * carries the whole comment (`event_type: "Comment"`, body, html_body, public, author_id, attachments); without
 * it, only `comment_present` / `comment_public`. Events of deleted tickets are not served (their comments are gone).
 */

interface EventKey extends ExportKey {
  slot: number
}

const cache = new WeakMap<ZdWorld, { version: number; keys: EventKey[] }>()

export function eventKeys(w: ZdWorld): EventKey[] {
  const cached = cache.get(w)
  if (cached && cached.version === w.version) return cached.keys
  const hit: EventKey[] = []
  for (let i = 0; i < w.tickets; i++) {
    if (w.header(i).deleted) continue
    for (const c of w.comments(i)) hit.push({ ts: c.createdAt, id: c.id, index: i, slot: c.slot })
  }
  hit.sort((a, b) => a.ts - b.ts || a.id - b.id)
  cache.set(w, { version: w.version, keys: hit })
  return hit
}

export function ticketEventsExport(ctx: RouteContext, q: URLSearchParams, ectx: ExportContext): SimResponse {
  const w = ctx.world
  const withComments = (q.get('include') ?? '').split(',').includes('comment_events')
  const keys = eventKeys(w)
  return timeExport({
    key: 'ticket_events',
    url: `${ctx.api}/incremental/ticket_events.json`,
    keys,
    render: (k) => {
      const slot = (k as EventKey).slot
      const c = w.comments(k.index).find((x) => x.slot === slot)!
      const comment = withComments
        ? { ...renderComment(w, ctx, c, true), event_type: 'Comment' }
        : { id: c.id, event_type: 'Comment', comment_present: true, comment_public: c.public }
      return {
        id: c.id + 1, ticket_id: w.header(k.index).id, timestamp: c.createdAt, created_at: iso(c.createdAt), updater_id: c.authorId,
        via: { channel: c.channel, source: { from: {}, to: {}, rel: c.merge ? 'merge' : null } }, system: {}, event_type: slot === 0 ? 'Create' : 'Change',
        child_events: [comment],
      }
    },
  }, q, ectx)
}
