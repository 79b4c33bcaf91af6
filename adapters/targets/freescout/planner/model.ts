// The writer-neutral FreeScout conversation: every decision any FreeScout writer (database or HTTP API) needs,
// in FreeScout's own vocabulary but with no database encoding (no numeric codes, folders, derived columns or
// SQL timestamps). The database writer encodes it into an `FsConversationOp` (db-writer/encode-conversation.ts).
import type { RecordRef } from '../../../../src/core/model/common.js'
import type { Channel } from '../../../../src/core/model/ticket.js'
import type { Alteration, PartialReject } from '../../../../src/core/target.js'

/** FreeScout conversation statuses by name. */
export type FsStatusName = 'active' | 'pending' | 'closed' | 'spam'

/** FreeScout thread kinds: a customer message, an agent reply, an internal note, or a line item (an event). */
export type FsThreadKind = 'customer' | 'message' | 'note' | 'lineitem'

/** What a line item records. */
export type FsLineItemAction = 'statusChanged' | 'userChanged' | 'movedFromMailbox' | 'merged' | 'customerChanged'

/** An attachment that will be imported (bad ones are partial rejects instead). */
export interface PlannedAttachment {
  readonly sourceId: string
  readonly sha256: string
  /** Bytes of the staged blob. */
  readonly size: number
  /** Already safe for FreeScout's storage (see `sanitizeFileName`). */
  readonly fileName: string
  readonly mimeType: string
  /** Inline image referenced by `cid:` from the body. */
  readonly embedded: boolean
  readonly contentId: string | null
}

/** One thread of a conversation, oldest first; the import note is the last one (sourceId null). */
export interface PlannedThread {
  /** Null for deskmove's import note. */
  readonly sourceId: string | null
  readonly kind: FsThreadKind
  readonly action: FsLineItemAction | null
  readonly subtype: 'forward' | 'phone' | null
  /** The conversation's status after this thread. */
  readonly status: FsStatusName
  /** Clean HTML. */
  readonly body: string
  readonly from: string | null
  /** Null: the customer's main address, known only when writing. */
  readonly to: readonly string[] | null
  readonly cc: readonly string[]
  readonly bcc: readonly string[]
  /** The source's Message-ID (normalised), or null when it has none usable. */
  readonly messageId: string | null
  /** deskmove's deterministic Message-ID for this thread, used when `messageId` is null or taken. */
  readonly fallbackMessageId: string
  readonly channel: Channel
  /** Assignee at that moment. */
  readonly user: RecordRef | null
  readonly authorUser: RecordRef | null
  readonly authorCustomer: RecordRef | null
  /** A FreeScout user who authors it directly (the import note: the importing admin or the configured user). */
  readonly authorUserId?: number
  /** Merge line items: the other conversation's number as the source shows it (FreeScout reads it from `meta.mwc`). */
  readonly mergedWith?: string
  /** Epoch seconds, strictly increasing along the conversation (FreeScout orders threads by the second). */
  readonly at: number
  readonly attachments: readonly PlannedAttachment[]
}

/** One source ticket as a FreeScout conversation, before any writer's encoding. */
export interface PlannedConversation {
  readonly ref: { readonly source: string; readonly kind: 'ticket'; readonly sourceId: string }
  readonly partialRejects: readonly PartialReject[]
  /** Null: the next free number is taken when writing. */
  readonly number: number | null
  readonly channel: Channel
  readonly status: FsStatusName
  readonly deleted: boolean
  readonly subject: string
  readonly mailboxId: number
  readonly assignee: RecordRef | null
  readonly customer: RecordRef
  readonly cc: readonly string[]
  readonly bcc: readonly string[]
  readonly closedBy: RecordRef | null
  readonly createdByUser: RecordRef | null
  readonly createdByCustomer: RecordRef | null
  /** Epoch seconds (not yet checked against any storage range). */
  readonly createdAt: number
  readonly updatedAt: number
  /** Null unless closed; may be NaN when the source's time is unreadable. */
  readonly closedAt: number | null
  /** Normalised (trimmed, lower-case); empty when the Tags module is absent (they are in the import note then). */
  readonly tags: readonly string[]
  /** Values for FreeScout custom fields that exist; the others are in the import note. */
  readonly customFields: readonly { readonly fieldId: number; readonly value: string }[]
  readonly provenance: { readonly source: string; readonly sourceId: string; readonly url: string | null }
  /** Every thread, oldest first, the import note last. */
  readonly threads: readonly PlannedThread[]
  /** Values changed by a stated rule to fit FreeScout (absent: none); the full values are in the import note. */
  readonly alterations?: readonly Alteration[]
}
