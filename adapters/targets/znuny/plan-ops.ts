// The ops of the Znuny target: plain JSON, deterministic, one per unit of its load order.
import type { RecordRef } from '../../../src/core/model/common.js'
import type { WriteOpBase } from '../../../src/core/target.js'

/** An attachment of an article; the bytes are read from the blob store at apply time. */
export interface ZnAttachmentOp {
  readonly sourceId: string
  readonly Filename: string
  readonly ContentType: string
  readonly sha256: string
  readonly size: number
  /** Inline image referenced as `cid:` in the HTML body. */
  readonly ContentID: string | null
  readonly inline: boolean
}

/** One article, as TicketCreate/TicketUpdate take it (zero-mail fields are added by the writer). */
export interface ZnArticleOp {
  /** The source message id. */
  readonly key: string
  readonly CommunicationChannel: 'Email' | 'Phone' | 'Internal'
  readonly SenderType: 'agent' | 'system' | 'customer'
  readonly IsVisibleForCustomer: 0 | 1
  /** Null: Znuny takes the customer user's address (the original was refused, or there was none). */
  readonly From: string | null
  readonly To: string
  readonly Cc: string
  readonly Subject: string
  readonly Body: string
  readonly ContentType: string
  readonly attachments: readonly ZnAttachmentOp[]
  /** When the source message was written (ISO): the database step backdates the article to it. */
  readonly createdAt: string
}

export interface ZnTicketOp extends WriteOpBase {
  readonly type: 'ticket'
  /** The provenance dynamic field value (`<source>:ticket:<sourceId>`). */
  readonly provenance: string
  readonly Title: string
  readonly Queue: string
  readonly State: string
  readonly Priority: string
  readonly Type: string | null
  /** The customer whose login the ticket names, resolved at apply time. */
  readonly customer: RecordRef
  /** Pending states: when the reminder is due (UTC, `{Year,Month,Day,Hour,Minute}`). */
  readonly PendingTime: { readonly Year: number; readonly Month: number; readonly Day: number; readonly Hour: number; readonly Minute: number } | null
  /** Ticket dynamic fields besides the provenance one (tags, custom fields that exist in Znuny). */
  readonly dynamicFields: readonly { readonly Name: string; readonly Value: string | readonly string[] }[]
  /** Agent login that owns the ticket once imported (set without notification, through the database), or null. */
  readonly owner: string | null
  /** Oldest first. */
  readonly articles: readonly ZnArticleOp[]
  /** Source instants (ISO) the database step writes; REST stamps everything "now". */
  readonly createdAt: string
  readonly changedAt: string | null
  readonly closedAt: string | null
  /** The source's ticket number, kept as Znuny's `tn` by the database step when mapping.keepNumbers; else null. */
  readonly number: number | null
}

/** A customer user: tickets name it by login; the row itself is the database step's (no REST exists for it). */
export interface ZnCustomerOp extends WriteOpBase {
  readonly type: 'customer-user'
  readonly login: string
  readonly email: string
  readonly firstName: string
  readonly lastName: string
  readonly company: RecordRef | null
}

/** A later customer sharing an address with an earlier one: it becomes that customer user. */
export interface ZnCustomerAliasOp extends WriteOpBase {
  readonly type: 'customer-alias'
  readonly into: RecordRef
}

/** A customer company (`CustomerID`); the row is the database step's. */
export interface ZnCompanyOp extends WriteOpBase {
  readonly type: 'customer-company'
  readonly customerId: string
  readonly name: string
}

export type ZnOp = ZnTicketOp | ZnCustomerOp | ZnCustomerAliasOp | ZnCompanyOp
