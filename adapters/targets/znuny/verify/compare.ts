// Pure comparison of one imported ticket as planned (ExpectedTicket, from the target's op) with what Znuny holds
// (TicketGet, with the database's times when ZNUNY_DB_URL is set). Times are compared as instants to the second.
import { createHash } from 'node:crypto'
import type { FieldDiff } from '../../../../src/core/target-verify.js'
import { CHANNEL_NAMES, type WireArticle, type WireTicket } from './wire.js'

/** An attachment as planned: name as sent, and the bytes' digest. */
export interface ExpectedAttachment {
  readonly sourceId: string
  readonly filename: string
  readonly sha256: string
  readonly size: number
}

/** An article as planned, in creation order. */
export interface ExpectedArticle {
  readonly sourceId: string
  /** Znuny's article id when the id map holds it: articles are then matched by id, else by position. */
  readonly articleId?: string | null
  readonly subject: string | null
  /** The From as sent (null: Znuny fills in the customer user's address; not compared). */
  readonly from?: string | null
  /** To and Cc as deskmove stored them (compared when `ExpectedTicket.historicalTimes`: with the database, which stores them; empty: not compared). */
  readonly to?: string
  readonly cc?: string
  readonly senderType: 'agent' | 'customer' | 'system'
  readonly channel: 'Email' | 'Phone' | 'Internal' | 'Chat'
  readonly visibleForCustomer: boolean
  /** The source instant (null: unknown to the op); compared only when `ExpectedTicket.historicalTimes`. */
  readonly createdAt: string | null
  readonly attachments: readonly ExpectedAttachment[]
}

/** A ticket as the plan says Znuny should hold it. Null fields are not compared. */
export interface ExpectedTicket {
  readonly title: string
  readonly queue: string
  readonly state: string
  readonly priority: string | null
  readonly type: string | null
  readonly customerUser: string | null
  /** The kept source number (`tn`), or null when Znuny numbers it. */
  readonly tn: string | null
  /** The agent login that owns it, or null (not compared). */
  readonly owner?: string | null
  /** Source instants (null: not compared). */
  readonly createdAt: string | null
  readonly changedAt: string | null
  /** The database step ran (ZNUNY_DB_URL): create/change/article times must be the source's. */
  readonly historicalTimes: boolean
  readonly articles: readonly ExpectedArticle[]
  /** Dynamic field values that must be there (e.g. the provenance field). */
  readonly dynamicFields?: Readonly<Record<string, string>>
}

/** Times read straight from the database (the API's may be cached): by ticket, and by article id. */
export interface DbTimes {
  readonly ticket: { readonly created: string; readonly changed: string; readonly tn: string } | null
  readonly articles: ReadonlyMap<string, { readonly created: string; readonly incoming: number }>
}

/** Znuny on MySQL/MariaDB replaces characters outside the BMP (4-byte UTF-8) with U+FFFD in titles, subjects and file names (O3). */
export const znunyText = (s: string): string => s.replace(/[\u{10000}-\u{10FFFF}]/gu, '\uFFFD')

/** The text Znuny holds for a planned one: as planned, or (MySQL-backed Znuny) with 4-byte characters as U+FFFD. */
const textAsStored = (planned: string, actual: string | null): string => (actual !== null && planned !== actual && znunyText(planned) === actual ? actual : planned)

const sec = (ms: number) => Math.floor(ms / 1000)
/** An ISO instant, or Znuny's `YYYY-MM-DD HH:MM:SS` in UTC, as epoch seconds (NaN when unreadable). */
export function instantSeconds(v: string): number {
  return sec(Date.parse(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(v) ? `${v.replace(' ', 'T')}Z` : v))
}

const iso = (s: number) => (Number.isNaN(s) ? 'unreadable' : new Date(s * 1000).toISOString().replace('.000Z', 'Z'))

function sameInstant(field: string, expected: string, actual: string | number | null, diffs: FieldDiff[]): void {
  const want = instantSeconds(expected)
  const have = actual === null ? NaN : typeof actual === 'number' ? actual : instantSeconds(actual)
  if (want !== have) diffs.push({ field, expected: iso(want), actual: actual === null ? null : iso(have) })
}

const sha256 = (b64: string) => createHash('sha256').update(Buffer.from(b64, 'base64')).digest('hex')

function compareArticle(label: string, want: ExpectedArticle, got: WireArticle, t: ExpectedTicket, db: DbTimes | null, diffs: FieldDiff[]): void {
  const same = (field: string, e: unknown, a: unknown) => e !== a && diffs.push({ field: `${label} ${field}`, expected: e, actual: a })
  if (want.subject !== null) same('subject', textAsStored(want.subject, got.Subject), got.Subject)
  if (want.from) same('from', textAsStored(want.from, got.From), got.From)
  // TicketCreate keeps the queue name as To; the target stores the real To/Cc through the database.
  if (t.historicalTimes && (want.to || want.cc)) {
    same('to', textAsStored(want.to ?? '', got.To), got.To ?? '')
    same('cc', textAsStored(want.cc ?? '', got.Cc), got.Cc ?? '')
  }
  same('sender type', want.senderType, got.SenderType)
  same('channel', want.channel, got.CommunicationChannel || (got.CommunicationChannelID === null ? null : CHANNEL_NAMES[got.CommunicationChannelID] ?? `#${got.CommunicationChannelID}`))
  same('visible for customer', want.visibleForCustomer ? 1 : 0, got.IsVisibleForCustomer)
  if (t.historicalTimes && want.createdAt !== null) {
    const d = db?.articles.get(got.ArticleID)
    sameInstant(`${label} created`, want.createdAt, d ? d.created : got.CreateTime, diffs)
    sameInstant(`${label} incoming_time`, want.createdAt, d ? d.incoming : got.IncomingTime, diffs)
  }
  // Only real attachments: the HTML body's hidden `file-2` is not listed without HTMLBodyAsAttachment.
  const files = got.Attachment ?? []
  if (files.length !== want.attachments.length) same('attachments', want.attachments.length, files.length)
  const byName = new Map<string, (typeof files)[number][]>()
  for (const f of files) byName.set(f.Filename ?? '', [...(byName.get(f.Filename ?? '') ?? []), f])
  for (const a of want.attachments) {
    const name = byName.has(a.filename) ? a.filename : znunyText(a.filename)
    const f = byName.get(name)?.shift()
    if (!f) {
      diffs.push({ field: `${label} attachment ${a.sourceId}`, expected: name, actual: 'missing' })
      continue
    }
    const digest = f.Content === null ? null : sha256(f.Content)
    if (digest !== a.sha256) diffs.push({ field: `${label} attachment ${a.sourceId} sha256`, expected: a.sha256, actual: digest ?? 'no content' })
  }
}

/**
 * Every difference between a planned ticket and Znuny's: title, queue, state, priority, type, customer user,
 * number (when kept), dynamic fields, times (when the database step ran: from the database when read, else
 * from TicketGet), articles by position (count, subject, sender, channel, visibility, time, incoming_time) and
 * their attachments (by name, sha256 of the bytes). Articles nobody planned (a person's reply, an auto reply)
 * are differences too. PURE.
 */
export function compareTicket(t: ExpectedTicket, got: WireTicket, db: DbTimes | null): FieldDiff[] {
  const diffs: FieldDiff[] = []
  const same = (field: string, e: unknown, a: unknown) => e !== a && diffs.push({ field, expected: e, actual: a })
  same('title', textAsStored(t.title, got.Title), got.Title)
  same('queue', t.queue, got.Queue)
  same('state', t.state, got.State)
  if (t.priority !== null) same('priority', t.priority, got.Priority)
  if (t.type !== null) same('type', t.type, got.Type)
  if (t.customerUser !== null) same('customer user', t.customerUser, got.CustomerUserID)
  if (t.tn !== null) same('ticket number', t.tn, db?.ticket?.tn ?? got.TicketNumber)
  for (const [name, value] of Object.entries(t.dynamicFields ?? {})) {
    const f = got.DynamicField?.find((d) => d.Name === name)
    const v = !f || f.Value === null || f.Value === undefined || f.Value === '' ? null : Array.isArray(f.Value) ? f.Value.map(String).join(',') : String(f.Value)
    same(`dynamic field ${name}`, value, v)
  }
  if (t.owner) same('owner', t.owner, got.Owner)
  if (t.historicalTimes && t.createdAt !== null) {
    sameInstant('created', t.createdAt, db?.ticket?.created ?? got.Created, diffs)
    if (t.changedAt !== null) sameInstant('changed', t.changedAt, db?.ticket?.changed ?? got.Changed, diffs)
  }
  const arts = got.Article ?? []
  const byId = t.articles.every((a) => a.articleId) ? new Map(arts.map((a) => [a.ArticleID, a])) : null
  const used = new Set<string>()
  t.articles.forEach((want, i) => {
    const a = byId ? byId.get(want.articleId!) : arts[i]
    if (!a) return diffs.push({ field: `article ${want.sourceId}`, expected: 'present', actual: 'missing' })
    used.add(a.ArticleID)
    compareArticle(`article ${want.sourceId}`, want, a, t, db, diffs)
  })
  for (const a of arts) if (!used.has(a.ArticleID)) diffs.push({ field: `article #${a.ArticleID}`, expected: 'absent', actual: `${a.SenderType ?? '?'} article "${a.Subject ?? ''}" not written by deskmove` })
  return diffs
}
