import { BRANDS, FORMS, GROUPS, ORG_FIELDS, TICKET_FIELDS, USER_FIELDS } from './catalog.js'
import { fileDigest } from './attachments.js'
import { eventKeys } from './events.js'
import { EXPORT_PAGE_MAX, timeExportPages } from './exports.js'
import { GHOST_AGENT_ID } from './ids.js'
import { renderTicket } from './render-ticket.js'
import { listedTickets } from './routes.js'
import type { ZdWorld } from './world.js'

/** Ground truth of a complete extract, served at `/_sim/manifest`. Comments are generated one ticket at a time. */

export interface ManifestFile { sha256: string; size: number; ticketId: number; commentId: number; fileName: string; contentType: string }

export interface ManifestTicket {
  id: number
  status: string
  archived: boolean
  deleted: boolean
  scrubbed: boolean
  /** Id of the ticket it was merged into (it is closed, tagged `closed_by_merge`), or null. */
  mergedInto: number | null
  requesterId: number
  submitterId: number
  assigneeId: number | null
  /** Comments the comments endpoint serves (none for deleted tickets: it answers 404). */
  comments: number
  commentIds: number[]
  publicComments: number
  voiceComments: number
  attachmentIds: number[]
  inlineImageIds: number[]
  tags: string[]
  ccIds: number[]
  followerIds: number[]
}

/** What the manifest counts (plural keys). */
export const MANIFEST_COUNT_KEYS = [
  'tickets', 'listedTickets', 'archivedTickets', 'deletedTickets', 'scrubbedTickets', 'mergedTickets', 'ticketsWithSubmitterMinusOne',
  'comments', 'publicComments', 'privateComments', 'voiceComments', 'users', 'agents', 'endUsers', 'deletedUsers', 'usersWithoutEmail',
  'organizations', 'groups', 'brands', 'ticketForms', 'ticketFields', 'userFields', 'organizationFields',
  'attachments', 'inlineImages', 'thumbnails', 'emojiImages', 'ticketEvents',
] as const
export type ManifestCounts = Record<(typeof MANIFEST_COUNT_KEYS)[number], number>

export const MINIMUM_REQUEST_KEYS = [
  'usersMe', 'catalog', 'ticketExport', 'userExport', 'organizationExport', 'missingUserLookups', 'attachmentDownloads',
  'commentsPerTicket', 'commentsByTicketEvents', 'totalWithCommentsPerTicket', 'totalWithTicketEvents',
] as const

export interface ZendeskManifest {
  seed: number
  profile: string
  counts: ManifestCounts
  tickets: ManifestTicket[]
  attachments: Record<string, ManifestFile>
  inlineImages: Record<string, ManifestFile>
  /** User ids tickets or comments reference that `/users/{id}` answers 404 for (permanently deleted, or gone entirely). */
  missingUserIds: number[]
  /**
   * Fewest requests a client needs for everything, by part; comments either per ticket or by ticket events.
   * Missing users: one `show_many` per 100 ids (they come back absent). Downloads: two per file (302, then the link).
   */
  minimumRequests: Record<(typeof MINIMUM_REQUEST_KEYS)[number], number>
}

const pages = (n: number, size: number): number => Math.max(1, Math.ceil(n / size))
/** A cursor export's page that reaches the last record already says `end_of_stream`, so an exact multiple needs no extra page. */
const exportPages = (n: number): number => pages(n, EXPORT_PAGE_MAX)

export function computeManifest(w: ZdWorld, origin: string): ZendeskManifest {
  const urls = { origin, api: `${origin}/api/v2` }
  const users = w.users()
  const tickets: ManifestTicket[] = []
  const attachments: Record<string, ManifestFile> = {}
  const inlineImages: Record<string, ManifestFile> = {}
  const missing = new Set<number>()
  const c = { comments: 0, publicComments: 0, voiceComments: 0, thumbnails: 0, emojiImages: 0, archived: 0, deleted: 0, scrubbed: 0, merged: 0, submitterMinusOne: 0, commentPages: 0 }
  for (let i = 0; i < w.tickets; i++) {
    const h = w.header(i)
    const d = w.detail(i)
    const wire = renderTicket(w, urls, h, d, { exported: true })
    const served = h.deleted ? [] : w.comments(i)
    const t: ManifestTicket = {
      id: h.id, status: wire.status as string, archived: h.archived, deleted: h.deleted, scrubbed: h.scrubbed, mergedInto: h.mergedInto,
      requesterId: wire.requester_id as number, submitterId: wire.submitter_id as number, assigneeId: wire.assignee_id as number | null,
      comments: served.length, commentIds: served.map((x) => x.id), publicComments: served.filter((x) => x.public).length, voiceComments: served.filter((x) => x.kind === 'VoiceComment').length,
      attachmentIds: [], inlineImageIds: [], tags: wire.tags as string[], ccIds: (wire.email_cc_ids as number[] | undefined) ?? [], followerIds: (wire.follower_ids as number[] | undefined) ?? [],
    }
    if (h.archived) c.archived++
    if (h.deleted) c.deleted++
    if (h.scrubbed) c.scrubbed++
    if (h.mergedInto !== null) c.merged++
    if (t.submitterId === -1) c.submitterMinusOne++
    if (!h.deleted) c.commentPages += pages(served.length, 100)
    for (const id of [t.requesterId, t.assigneeId]) if (id !== null && (id === GHOST_AGENT_ID || w.userById(id)?.deleted)) missing.add(id)
    for (const cm of served) {
      c.comments++
      if (cm.public) c.publicComments++
      if (cm.kind === 'VoiceComment') c.voiceComments++
      if (cm.emoji) c.emojiImages++
      if (cm.authorId === GHOST_AGENT_ID || w.userById(cm.authorId)?.deleted) missing.add(cm.authorId)
      for (const f of cm.files) {
        t.attachmentIds.push(f.id)
        if (f.thumbnail) c.thumbnails++
        attachments[String(f.id)] = { sha256: fileDigest(w, f.id), size: f.size, ticketId: h.id, commentId: cm.id, fileName: f.name, contentType: f.contentType }
      }
      for (const f of cm.inlineImages) {
        t.inlineImageIds.push(f.id)
        inlineImages[String(f.id)] = { sha256: fileDigest(w, f.id), size: f.size, ticketId: h.id, commentId: cm.id, fileName: f.name, contentType: f.contentType }
      }
    }
    tickets.push(t)
  }
  const agents = users.filter((u) => u.role !== 'end-user').length
  const fileCount = Object.keys(attachments).length + Object.keys(inlineImages).length
  const catalog = 6 // groups, brands, ticket_forms, ticket_fields, user_fields, organization_fields: one page each
  const base = { usersMe: 1, catalog, ticketExport: exportPages(w.tickets), userExport: exportPages(users.length), organizationExport: timeExportPages(w.orgsByTime()), missingUserLookups: Math.ceil(missing.size / 100), attachmentDownloads: 2 * fileCount }
  return {
    seed: w.seed,
    profile: w.profile,
    counts: {
      tickets: w.tickets, listedTickets: listedTickets(w).length, archivedTickets: c.archived, deletedTickets: c.deleted, scrubbedTickets: c.scrubbed, mergedTickets: c.merged,
      ticketsWithSubmitterMinusOne: c.submitterMinusOne, comments: c.comments, publicComments: c.publicComments, privateComments: c.comments - c.publicComments, voiceComments: c.voiceComments,
      users: users.length, agents, endUsers: users.length - agents, deletedUsers: users.filter((u) => u.deleted).length, usersWithoutEmail: users.filter((u) => u.email === null).length,
      organizations: w.orgs, groups: GROUPS.length, brands: BRANDS.length, ticketForms: FORMS.length, ticketFields: TICKET_FIELDS.length, userFields: USER_FIELDS.length, organizationFields: ORG_FIELDS.length,
      attachments: Object.keys(attachments).length, inlineImages: Object.keys(inlineImages).length, thumbnails: c.thumbnails, emojiImages: c.emojiImages,
      ticketEvents: eventKeys(w).length,
    },
    tickets,
    attachments,
    inlineImages,
    missingUserIds: [...missing].sort((a, b) => a - b),
    minimumRequests: {
      ...base,
      commentsPerTicket: c.commentPages,
      commentsByTicketEvents: timeExportPages(eventKeys(w)),
      totalWithCommentsPerTicket: Object.values(base).reduce((a, b) => a + b, 0) + c.commentPages,
      totalWithTicketEvents: Object.values(base).reduce((a, b) => a + b, 0) + timeExportPages(eventKeys(w)),
    },
  }
}
