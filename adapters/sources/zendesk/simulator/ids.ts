/**
 * Id spaces and the timeline of the generated Zendesk account. Ids are arithmetic so any record can be
 * found from its id without an index; several exceed 2^32 as real Zendesk ids do (they stay below 2^53).
 */

/** Ticket `i` (0-based) has id `i + 1`: Zendesk ticket ids are small per-account numbers. */
export const TICKET_ID_BASE = 1
export const AGENT_ID_BASE = 360_000_000_000
export const END_USER_ID_BASE = 380_000_000_000
/** A former agent referenced by old comments and assignments but gone from the account (404 everywhere). */
export const GHOST_AGENT_ID = 359_999_999_999
export const ORG_ID_BASE = 154_000_000
export const GROUP_ID_BASE = 24_000_000
export const BRAND_ID_BASE = 670_000
export const FORM_ID_BASE = 6_130_000_000_000
export const FIELD_ID_BASE = 24_650_000
export const USER_FIELD_ID_BASE = 206_000
export const ORG_FIELD_ID_BASE = 207_000
export const CUSTOM_STATUS_ID_BASE = 6_130_830_355_700
/** Comment `j` of ticket index `i`: `COMMENT_ID_BASE + i * COMMENT_SLOTS + j`. */
export const COMMENT_ID_BASE = 31_000_000_000
export const COMMENT_SLOTS = 64
/** File `k` of comment slot `c`: `ATTACHMENT_ID_BASE + c * FILE_SLOTS + k`; its thumbnail is `+ THUMB_OFFSET`. */
export const ATTACHMENT_ID_BASE = 1_282_000_000_000
export const FILE_SLOTS = 8
export const THUMB_OFFSET = 4
export const AUDIT_OFFSET = 10_000_000_000

/** Timeline (unix seconds): the account's history ends well in the past, so nothing falls in the export's one-minute window. */
export const BASE_TIME = Date.parse('2021-01-04T08:00:00Z') / 1000
export const END_TIME = Date.parse('2025-06-01T00:00:00Z') / 1000
/** Closed tickets not updated for 120 days before the account's last activity are archived. */
export const ARCHIVE_CUTOFF = END_TIME - 120 * 86_400

export const iso = (seconds: number): string => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z')

export function commentId(ticketIndex: number, j: number): number {
  return COMMENT_ID_BASE + ticketIndex * COMMENT_SLOTS + j
}

export function attachmentId(ticketIndex: number, j: number, k: number): number {
  return ATTACHMENT_ID_BASE + (ticketIndex * COMMENT_SLOTS + j) * FILE_SLOTS + k
}

/** Ticket index and comment slot of an attachment (or thumbnail) id, or null when the id is outside the space. */
export function locateAttachment(id: number): { ticketIndex: number; slot: number; k: number } | null {
  const rel = id - ATTACHMENT_ID_BASE
  if (!Number.isSafeInteger(rel) || rel < 0) return null
  const commentSlot = Math.floor(rel / FILE_SLOTS)
  return { ticketIndex: Math.floor(commentSlot / COMMENT_SLOTS), slot: commentSlot % COMMENT_SLOTS, k: rel % FILE_SLOTS }
}
