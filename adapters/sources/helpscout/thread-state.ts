// PURE: what a Help Scout thread is, by type and state. Only what was really sent or written is staged
// as a message; drafts and scheduled (not yet sent) replies stay in the ticket's raw payload and are
// reported; hidden threads and threads held for review become internal notes, so agents keep them but
// a customer never sees them as replies (README "Help Scout: thread states").
import type { Message } from '../../../src/core/model/message.js'
import type { RecordWarning } from '../../../src/core/source.js'
import type { WireThread } from './wire.js'

export interface ThreadKind {
  readonly type: Message['type']
  readonly subtype: Message['subtype']
}

export type ThreadDecision =
  | { readonly stage: true; readonly kind: ThreadKind; readonly warnings: RecordWarning[] }
  | { readonly stage: false; readonly warning: RecordWarning }

const byAuthor = (t: WireThread): Message['type'] => (t.createdBy?.type === 'customer' ? 'customer_message' : 'agent_reply')

/** Thread type → message type; chat and phone follow who wrote them. Null for a type we do not know. */
export function kindOfType(t: WireThread): ThreadKind | null {
  switch (t.type) {
    case 'customer': return { type: 'customer_message', subtype: null }
    case 'message':
    case 'reply': return { type: 'agent_reply', subtype: null }
    case 'note': return { type: 'internal_note', subtype: null }
    case 'lineitem': return { type: 'system_event', subtype: null }
    case 'chat':
    case 'beaconchat': return { type: byAuthor(t), subtype: 'chat' }
    case 'phone': return { type: byAuthor(t), subtype: 'phone' }
    case 'forwardparent':
    case 'forwardchild': return { type: 'agent_reply', subtype: 'forward' }
    default: return null
  }
}

const REVIEW_STATES = new Set(['underreview', 'review', 'under_review', 'pending-review'])

/** Decides whether and as what a thread is staged. */
export function decideThread(t: WireThread): ThreadDecision {
  const state = (t.state ?? '').toLowerCase()
  const scheduledFor = t.scheduled?.scheduledFor ?? null
  if (state === 'draft' || state === 'scheduled') {
    const what = scheduledFor !== null || state === 'scheduled' ? 'scheduled' : 'draft'
    return {
      stage: false,
      warning: {
        code: `${what}-thread-not-staged`,
        detail: `thread ${t.id} is a ${what === 'scheduled' ? `reply scheduled for ${scheduledFor ?? 'later'}` : 'draft'} (never sent); kept in the ticket's raw payload`,
      },
    }
  }
  const warnings: RecordWarning[] = []
  let kind = kindOfType(t)
  if (kind === null) {
    warnings.push({ code: 'thread-type-unknown', detail: `thread type "${t.type ?? '(none)'}" is not known; staged as an internal note` })
    kind = { type: 'internal_note', subtype: null }
  }
  if ((state === 'hidden' || REVIEW_STATES.has(state)) && kind.type !== 'system_event') {
    warnings.push({ code: state === 'hidden' ? 'thread-hidden' : 'thread-under-review', detail: `thread ${t.id} is ${state}; staged as an internal note so no customer sees it as sent` })
    kind = { type: 'internal_note', subtype: kind.subtype }
  }
  return { stage: true, kind, warnings }
}
