// Writer-neutral rules: FreeScout statuses and thread kinds by name (freescout.md 4.1–4.4).
import type { TicketStatus } from '../../../../src/core/model/ticket.js'
import type { Message, MessageType } from '../../../../src/core/model/message.js'
import type { FsMappingConfig } from '../mapping.js'
import { DEFAULT_KEY } from '../../../../src/core/mapping-config.js'
import type { FsLineItemAction, FsStatusName, FsThreadKind } from './model.js'

const CANONICAL_STATUS: Record<TicketStatus, FsStatusName> = { open: 'active', pending: 'pending', closed: 'closed', spam: 'spam' }

/**
 * The FreeScout status of a ticket: the mapping for its vendor status, else the `*` default; `from-canonical`
 * maps open→active, pending, closed, spam. Null when neither is configured.
 */
export function mapStatusName(config: FsMappingConfig, vendorStatus: string, canonical: TicketStatus): FsStatusName | null {
  const m = config.statuses[vendorStatus] ?? config.statuses[DEFAULT_KEY]
  if (m === undefined) return null
  return m === 'from-canonical' ? CANONICAL_STATUS[canonical] : m
}

/** Canonical status → FreeScout status, for per-thread `statusAfter`. */
export function canonicalStatusName(s: TicketStatus): FsStatusName {
  return CANONICAL_STATUS[s]
}

/** Thread kind (and line-item action) for a message. Unknown system events become notes so they still read well. */
export function threadKindOf(type: MessageType, event: Message['event']): { kind: FsThreadKind; action: FsLineItemAction | null } {
  if (type === 'customer_message') return { kind: 'customer', action: null }
  if (type === 'agent_reply') return { kind: 'message', action: null }
  if (type === 'internal_note') return { kind: 'note', action: null }
  const a = (event?.action ?? '').toLowerCase()
  const action: FsLineItemAction | null = /merge/.test(a)
    ? 'merged'
    : /assign|user|owner/.test(a)
      ? 'userChanged'
      : /move|mailbox/.test(a)
        ? 'movedFromMailbox'
        : /customer/.test(a)
          ? 'customerChanged'
          : /status|close|open|pending|active|spam/.test(a)
            ? 'statusChanged'
            : null
  return action === null ? { kind: 'note', action: null } : { kind: 'lineitem', action }
}
