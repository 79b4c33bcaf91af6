// How Znuny objects are named in deskmove's id map, and how an imported ticket carries its provenance.
//
// - A ticket's target ref is `<TicketID>/<TicketNumber>/<ArticleID>,<ArticleID>,…`: the ticket, the number
//   Znuny gave it, and the articles deskmove created in it, oldest first (articles a person adds later are
//   not listed, so verify and rollback can tell them apart). A bare `<TicketID>` is accepted when reading.
// - A customer's ref is the customer user login the tickets name (the lower-cased e-mail address);
//   an organization's ref is the customer company id (`CustomerID`). Both are strings in Znuny's tables.
// - Every imported ticket holds its source identity (`<source>:ticket:<sourceId>`, the op's dedupe key) in a
//   ticket dynamic field of type Text, so a ticket whose id-map commit was lost (crash) is found again.

/** The ticket dynamic field holding the source identity unless `ZNUNY_SOURCE_ID_FIELD` names another. */
export const DEFAULT_PROVENANCE_FIELD = 'DeskmoveSourceId'

/** What a ticket's target ref holds. */
export interface TicketIds {
  readonly ticketId: string
  /** Null when only the id is known. */
  readonly ticketNumber: string | null
  /** Articles deskmove created, in creation order. */
  readonly articleIds: readonly string[]
}

/** The id-map ref of an imported ticket. */
export function ticketRef(ids: TicketIds): string {
  return `${ids.ticketId}/${ids.ticketNumber ?? ''}/${ids.articleIds.join(',')}`
}

/** Reads a ticket ref (or a bare ticket id). Throws on anything else: a ref is never guessed. */
export function parseTicketRef(ref: string): TicketIds {
  const m = /^(\d+)(?:\/([^/]*)\/([\d,]*))?$/.exec(ref.trim())
  if (!m) throw new Error(`not a Znuny ticket ref: ${JSON.stringify(ref)}`)
  return { ticketId: m[1]!, ticketNumber: m[2] ? m[2] : null, articleIds: m[3] ? m[3].split(',').filter((s) => s !== '') : [] }
}

/** The value of the provenance dynamic field for a record (its dedupe key: `<source>:<kind>:<sourceId>`). */
export function provenanceValue(ref: { readonly source: string; readonly kind: string; readonly sourceId: string }): string {
  return `${ref.source}:${ref.kind}:${ref.sourceId}`
}

/** Znuny answers ids as JSON strings or numbers (znuny.md O2); inside deskmove they are decimal strings. */
export function normalizeId(v: unknown): string | null {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? String(v) : null
  if (typeof v === 'string' && /^\s*\d+\s*$/.test(v)) return v.trim().replace(/^0+(?=\d)/, '')
  return null
}
