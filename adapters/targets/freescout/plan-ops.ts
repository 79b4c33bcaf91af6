// The FreeScout op union: plain JSON that `plan` builds and `apply` writes. References to other records
// stay symbolic (RecordRef) and are resolved through the id map when applying.
import type { RecordRef } from '../../../src/core/model/common.js'
import type { WriteOpBase } from '../../../src/core/target.js'

export interface FsUserOp extends WriteOpBase {
  readonly type: 'user'
  /** `match`: same email; `map-to`: configured user; `create-disabled`: a disabled user is created. */
  readonly action: 'match' | 'map-to' | 'create-disabled'
  readonly userId: number | null
  readonly email: string
  readonly firstName: string
  readonly lastName: string
  readonly createdAt: string | null
}

export interface FsCustomerRow {
  readonly firstName: string | null
  readonly lastName: string | null
  readonly company: string | null
  readonly jobTitle: string | null
  readonly notes: string | null
  readonly phones: string | null
  readonly websites: string | null
  readonly createdAt: string | null
  readonly updatedAt: string | null
}

export interface FsCustomerOp extends WriteOpBase {
  readonly type: 'customer'
  readonly row: FsCustomerRow
  /** Lower-cased; the first is the main address. */
  readonly emails: readonly string[]
}

/** A source customer that becomes an existing customer: merged by email, or matched in FreeScout. */
export interface FsCustomerLinkOp extends WriteOpBase {
  readonly type: 'customer-link'
  readonly into: RecordRef | null
  readonly existingCustomerId: number | null
}

export interface FsAttachmentPlan {
  readonly sourceId: string
  readonly sha256: string
  readonly size: number
  readonly fileName: string
  readonly mimeType: string
  readonly typeCode: number
  readonly embedded: boolean
  readonly contentId: string | null
}

export interface FsThreadPlan {
  /** Null for deskmove's import note. */
  readonly sourceId: string | null
  readonly type: number
  readonly subtype: number | null
  readonly status: number
  readonly actionType: number | null
  readonly body: string
  readonly from: string | null
  /** Null: filled with the customer's main address when applying. */
  readonly to: readonly string[] | null
  readonly cc: readonly string[]
  readonly bcc: readonly string[]
  readonly messageId: string
  readonly sourceVia: number
  readonly sourceType: number
  /** Assignee at that moment. */
  readonly user: RecordRef | null
  readonly authorUser: RecordRef | null
  readonly authorCustomer: RecordRef | null
  /** A FreeScout user id authoring it directly (the import note), instead of `authorUser`. */
  readonly authorUserId?: number
  /** Keys FreeScout reads from `threads.meta` (merge line items: `mwc`), stored beside deskmove's provenance. */
  readonly meta?: Readonly<Record<string, string>>
  readonly first: boolean
  readonly hasAttachments: boolean
  readonly createdAt: string
  readonly attachments: readonly FsAttachmentPlan[]
}

export interface FsConversationOp extends WriteOpBase {
  readonly type: 'conversation'
  /** Null: the next free number is taken when applying. */
  readonly number: number | null
  readonly convType: number
  readonly status: number
  readonly state: number
  readonly subject: string
  readonly mailboxId: number
  readonly folderId: number
  readonly assignee: RecordRef | null
  readonly customer: RecordRef
  readonly cc: readonly string[]
  readonly bcc: readonly string[]
  readonly preview: string
  readonly threadsCount: number
  readonly hasAttachments: boolean
  readonly lastReplyAt: string | null
  readonly lastReplyFrom: number | null
  readonly userUpdatedAt: string | null
  readonly closedAt: string | null
  readonly closedBy: RecordRef | null
  readonly createdByUser: RecordRef | null
  readonly createdByCustomer: RecordRef | null
  readonly sourceVia: number
  readonly sourceType: number
  readonly createdAt: string
  readonly updatedAt: string
  /** Normalised (trimmed, lower-case); written only when the Tags module's tables exist. */
  readonly tags: readonly string[]
  readonly customFields: readonly { readonly fieldId: number; readonly value: string }[]
  readonly provenance: { readonly source: string; readonly sourceId: string; readonly url: string | null }
  /** Rewrite `cid:` references to attachment URLs (APP_URL and APP_KEY configured). */
  readonly rewriteCids: boolean
  /** Oldest first; the import note last. */
  readonly threads: readonly FsThreadPlan[]
}

export type FsOp = FsUserOp | FsCustomerOp | FsCustomerLinkOp | FsConversationOp

/** What `prepare` reads (plain JSON so plan stays comparable). */
export interface FsLookups {
  readonly mailboxes: readonly { readonly id: number; readonly email: string; readonly name: string }[]
  /** mailbox id → folder type → public folder id. */
  readonly folders: Readonly<Record<string, Readonly<Record<string, number>>>>
  /** lower-cased email → user. */
  readonly users: Readonly<Record<string, { readonly id: number; readonly status: number }>>
  readonly userIds: readonly number[]
  /** Addresses of customers deskmove did not create → their id (imports attach to them instead of duplicating). */
  readonly existingEmails: Readonly<Record<string, number>>
  readonly modules: { readonly tags: boolean; readonly customFields: boolean }
  /** mailbox id → lower-cased field name → custom field id. */
  readonly customFields: Readonly<Record<string, Readonly<Record<string, number>>>>
  readonly settings: {
    readonly rewriteCids: boolean
    readonly maxAttachmentBytes: number
    readonly messageIdHost: string
    /** FreeScout's APP_TIMEZONE: every timestamp is written as wall-clock time in it (absent: UTC). */
    readonly timeZone?: string
    /** The FreeScout user who authors deskmove's import notes (configured, else the first active admin). */
    readonly importUserId?: number | null
  }
}
