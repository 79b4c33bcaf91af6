// The simulated Znuny's object layer over its tables: lookups read once at start, and the writes Znuny's Perl
// API makes (TicketCreate, ArticleCreate, HistoryAdd, mail queue, dynamic field values) as rows.
import { createHash } from 'node:crypto'
import type { Row } from './catalog.js'
import type { ZnunyTables } from './tables.js'
import { replaceFourByte, sqlTime, ticketNumber } from './text.js'

export interface Named {
  readonly id: number
  readonly name: string
}
export interface StateInfo extends Named {
  readonly typeId: number
  readonly typeName: string
}
export interface UserInfo {
  readonly id: number
  readonly login: string
  readonly email: string
  readonly fullName: string
}
export interface FieldInfo extends Named {
  readonly fieldType: string
  readonly objectType: string
}

/** The configuration rows the operations consult (read once: the GI caches them too). */
export interface Lookups {
  readonly queues: readonly (Named & { readonly groupId: number; readonly systemAddressId: number })[]
  readonly states: readonly StateInfo[]
  readonly priorities: readonly Named[]
  readonly types: readonly Named[]
  readonly locks: readonly Named[]
  readonly senderTypes: readonly Named[]
  readonly channels: readonly Named[]
  readonly historyTypes: readonly Named[]
  readonly autoResponseTypes: readonly Named[]
  readonly users: readonly UserInfo[]
  readonly fields: readonly FieldInfo[]
  /** Queue id → auto response type names linked to it. */
  readonly queueAutoResponses: ReadonlyMap<number, readonly { readonly type: string; readonly subject: string; readonly body: string }[]>
  /** Queue id → agents with the queue in "My Queues". */
  readonly watchers: ReadonlyMap<number, readonly number[]>
  readonly systemAddresses: ReadonlyMap<number, { readonly email: string; readonly realname: string }>
}

const byName = <T extends Named>(items: readonly T[], name: string | undefined): T | undefined =>
  name === undefined ? undefined : items.find((i) => i.name === name)
const byId = <T extends Named>(items: readonly T[], id: unknown): T | undefined =>
  id === undefined || id === null || id === '' ? undefined : items.find((i) => String(i.id) === String(id))

/** Finds a lookup row by `Name` or `NameID` (the GI accepts both; the ID wins when both are given). */
export function lookup<T extends Named>(items: readonly T[], name: unknown, id: unknown): T | undefined {
  if (id !== undefined && id !== null && id !== '') return byId(items, id)
  return typeof name === 'string' ? byName(items, name) : undefined
}

async function readLookups(t: ZnunyTables): Promise<Lookups> {
  const rows = (table: string) => t.select(table)
  const named = async (table: string): Promise<Named[]> => (await rows(table)).map((r) => ({ id: Number(r.id), name: String(r.name) }))
  const stateTypes = await named('ticket_state_type')
  const prefs = await rows('user_preferences')
  const users = (await rows('users')).map((u) => ({
    id: Number(u.id),
    login: String(u.login),
    email: String(prefs.find((p) => Number(p.user_id) === Number(u.id) && p.preferences_key === 'UserEmail')?.preferences_value ?? ''),
    fullName: `${String(u.first_name)} ${String(u.last_name)}`,
  }))
  const responses = await rows('auto_response')
  const arTypes = await named('auto_response_type')
  const queueAutoResponses = new Map<number, { type: string; subject: string; body: string }[]>()
  for (const link of await rows('queue_auto_response')) {
    const r = responses.find((x) => Number(x.id) === Number(link.auto_response_id))
    if (!r) continue
    const list = queueAutoResponses.get(Number(link.queue_id)) ?? []
    list.push({ type: byId(arTypes, r.type_id)?.name ?? '', subject: String(r.text0 ?? ''), body: String(r.text1 ?? '') })
    queueAutoResponses.set(Number(link.queue_id), list)
  }
  const watchers = new Map<number, number[]>()
  for (const p of await rows('personal_queues')) watchers.set(Number(p.queue_id), [...(watchers.get(Number(p.queue_id)) ?? []), Number(p.user_id)])
  return {
    queues: (await rows('queue')).map((q) => ({ id: Number(q.id), name: String(q.name), groupId: Number(q.group_id), systemAddressId: Number(q.system_address_id) })),
    states: (await rows('ticket_state')).map((s) => ({ id: Number(s.id), name: String(s.name), typeId: Number(s.type_id), typeName: byId(stateTypes, s.type_id)?.name ?? '' })),
    priorities: await named('ticket_priority'),
    types: await named('ticket_type'),
    locks: await named('ticket_lock_type'),
    senderTypes: await named('article_sender_type'),
    channels: await named('communication_channel'),
    historyTypes: await named('ticket_history_type'),
    autoResponseTypes: arTypes,
    users,
    fields: (await rows('dynamic_field')).filter((f) => Number(f.valid_id) === 1).map((f) => ({ id: Number(f.id), name: String(f.name), fieldType: String(f.field_type), objectType: String(f.object_type) })),
    queueAutoResponses,
    watchers,
    systemAddresses: new Map((await rows('system_address')).map((a) => [Number(a.id), { email: String(a.value0), realname: String(a.value1) }])),
  }
}

export interface ModelOptions {
  /** Replace 4-byte UTF-8 by U+FFFD in every string written (MySQL-backed Znuny). */
  readonly replaceFourByte: boolean
  readonly now: () => Date
  /**
   * Emulate Znuny's object cache for TicketGet: ticket rows and article rows are read once and kept until an API
   * write to that ticket or `cacheDelete` (= `Maint::Cache::Delete --type Ticket|Article`). SQL changes made behind
   * the API stay invisible to TicketGet until then, as observed (znuny.md O4). Off: every read hits the tables.
   */
  readonly cache?: boolean
}

/** A new article as Znuny stores it (strings as given; the model applies the UTF-8 rule). */
export interface ArticleInput {
  readonly senderTypeId: number
  readonly channelId: number
  readonly visible: boolean
  readonly from: string
  readonly to: string
  readonly cc: string
  readonly bcc: string
  readonly subject: string
  /** Plain text body (HTML already converted). */
  readonly body: string
  readonly contentType: string
  readonly messageId: string
  readonly attachments: readonly AttachmentInput[]
}

export interface AttachmentInput {
  readonly filename: string
  readonly contentType: string
  readonly content: Buffer
  readonly disposition: 'inline' | 'attachment'
}

export class ZnunyModel {
  private readonly ticketCache = new Map<number, Row>()
  /** Ticket rows read during the current call (a call re-reads its ticket a dozen times); cleared per call. */
  private readonly callRows = new Map<number, Row>()
  private readonly articleCache = new Map<number, Row[]>()

  /** The last ticket number counter per day prefix (read once from the table, then kept). */
  private readonly perDay = new Map<string, number>()

  private constructor(
    readonly tables: ZnunyTables,
    readonly lookups: Lookups,
    private readonly opts: ModelOptions,
  ) {}

  static async open(tables: ZnunyTables, opts: ModelOptions): Promise<ZnunyModel> {
    return new ZnunyModel(tables, await readLookups(tables), opts)
  }

  now(): Date {
    return this.opts.now()
  }

  /** A string as the database keeps it. */
  text(s: string): string {
    return this.opts.replaceFourByte ? replaceFourByte(s) : s
  }

  private fix(row: Row): Row {
    return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'string' ? this.text(v) : v]))
  }

  /** create/change time and by, as every master table carries them. */
  stamps(userId: number): Row {
    const t = sqlTime(this.now())
    return { create_time: t, create_by: userId, change_time: t, change_by: userId }
  }

  async insertTicket(t: Row, userId: number): Promise<{ id: number; tn: string }> {
    const prefix = ticketNumber(this.now(), 0).slice(0, 10)
    let last = this.perDay.get(prefix)
    // The day's highest counter so far (numbers changed by hand, e.g. LEGACY-4711, no longer count).
    last ??= Math.max(0, ...(await this.tables.select('ticket')).map((r) => String(r.tn)).filter((tn) => tn.length === 16 && tn.startsWith(prefix)).map((tn) => Number(tn.slice(10, 15))))
    this.perDay.set(prefix, last + 1)
    const tn = ticketNumber(this.now(), last + 1)
    const row = {
      tn, ticket_lock_id: 1, type_id: 1, service_id: null, sla_id: null, timeout: 0, until_time: 0,
      escalation_time: 0, escalation_update_time: 0, escalation_response_time: 0, escalation_solution_time: 0,
      archive_flag: 0, ...t, ...this.stamps(userId),
    }
    return { id: await this.tables.insert('ticket', this.fix(row)), tn }
  }

  /** Starts serving a new API call: rows read before may have been changed behind the API since. */
  beginCall(): void {
    this.callRows.clear()
  }

  async updateTicket(id: number, changes: Row, userId: number): Promise<void> {
    this.ticketCache.delete(id)
    this.callRows.delete(id)
    await this.tables.update('ticket', { id }, this.fix({ ...changes, change_time: sqlTime(this.now()), change_by: userId }))
  }

  /** TicketGet's view of a ticket: through the emulated cache when it is on. */
  async cachedTicket(id: number | string): Promise<Row | undefined> {
    if (!this.opts.cache) return this.ticket(id)
    const hit = this.ticketCache.get(Number(id))
    if (hit) return { ...hit }
    const row = await this.ticket(id)
    if (row) this.ticketCache.set(Number(id), { ...row })
    return row
  }

  /** TicketGet's view of a ticket's article rows (article_data_mime is not cached, as observed). */
  async cachedArticles(ticketId: number, cached: boolean): Promise<Row[]> {
    if (!this.opts.cache || !cached) return this.tables.select('article', { ticket_id: ticketId })
    let rows = this.articleCache.get(ticketId)
    if (!rows) this.articleCache.set(ticketId, (rows = await this.tables.select('article', { ticket_id: ticketId })))
    return rows.map((r) => ({ ...r }))
  }

  /** `Maint::Cache::Delete --type <type>` (one type per run, as observed); no type clears both. */
  cacheDelete(type?: 'Ticket' | 'Article'): void {
    if (type !== 'Article') this.ticketCache.clear()
    if (type !== 'Ticket') this.articleCache.clear()
  }

  /**
   * The valid customer user a TicketCreate/TicketUpdate `CustomerUser` names: by login, else (PostMasterSearch) by
   * e-mail address; both case-insensitive like Znuny's default customer backend. Undefined for an unknown value.
   */
  async customerUser(value: string): Promise<Row | undefined> {
    const [exact] = await this.tables.select('customer_user', { login: value, valid_id: 1 })
    if (exact) return exact
    const v = value.toLowerCase()
    const all = await this.tables.select('customer_user', { valid_id: 1 })
    return all.find((c) => String(c.login).toLowerCase() === v) ?? all.find((c) => String(c.email).toLowerCase() === v)
  }

  async ticket(id: number | string): Promise<Row | undefined> {
    if (!/^\d+$/.test(String(id))) return undefined
    const known = this.callRows.get(Number(id))
    if (known) return { ...known }
    const row = (await this.tables.select('ticket', { id: Number(id) }))[0]
    if (row) this.callRows.set(Number(id), { ...row })
    return row
  }

  async insertArticle(ticketId: number, a: ArticleInput, userId: number): Promise<number> {
    this.articleCache.delete(ticketId)
    const now = this.now()
    const articleId = await this.tables.insert('article', {
      ticket_id: ticketId, article_sender_type_id: a.senderTypeId, communication_channel_id: a.channelId,
      is_visible_for_customer: a.visible ? 1 : 0, search_index_needs_rebuild: 1, insert_fingerprint: null, ...this.stamps(userId),
    })
    await this.tables.insert('article_data_mime', this.fix({
      article_id: articleId, a_from: a.from, a_reply_to: '', a_to: a.to, a_cc: a.cc, a_bcc: a.bcc, a_subject: a.subject,
      a_message_id: a.messageId, a_message_id_md5: a.messageId ? createHash('md5').update(a.messageId).digest('hex') : null,
      a_in_reply_to: '', a_references: '', a_content_type: a.contentType, a_body: a.body,
      incoming_time: Math.floor(now.getTime() / 1000), content_path: sqlTime(now).slice(0, 10).replace(/-/g, '/'), ...this.stamps(userId),
    }))
    // A new article makes the ticket "changed now", which is why backdating must come last.
    await this.updateTicket(ticketId, {}, userId)
    for (const f of a.attachments) {
      await this.tables.insert('article_data_mime_attachment', {
        article_id: articleId, filename: this.text(f.filename), content_size: String(f.content.length), content_type: f.contentType,
        content_id: '', content_alternative: '', disposition: f.disposition, content: f.content, ...this.stamps(userId),
      })
    }
    return articleId
  }

  /** A `ticket_history` row with the ticket's current queue, owner, priority, state and type. */
  async history(ticketId: number, articleId: number | null, type: string, name: string, userId: number): Promise<void> {
    const t = await this.ticket(ticketId)
    const typeId = this.lookups.historyTypes.find((h) => h.name === type)?.id
    if (!t || typeId === undefined) throw new Error(`history ${type} for ticket ${ticketId}: unknown ticket or type`)
    await this.tables.insert('ticket_history', this.fix({
      name: name.slice(0, 200), history_type_id: typeId, ticket_id: ticketId, article_id: articleId, type_id: t.type_id ?? 1,
      queue_id: t.queue_id, owner_id: t.user_id, priority_id: t.ticket_priority_id, state_id: t.ticket_state_id, ...this.stamps(userId),
    }))
  }

  /** A `mail_queue` row: what the daemon would send (raw_message holds a readable MIME text, not Perl Storable). */
  async queueMail(m: { articleId: number | null; sender: string; recipient: string; subject: string; body: string }): Promise<void> {
    const raw = `From: ${m.sender}\nTo: ${m.recipient}\nSubject: ${m.subject}\nContent-Type: text/plain; charset=utf-8\n\n${m.body}\n`
    const t = sqlTime(this.now())
    await this.tables.insert('mail_queue', {
      insert_fingerprint: null, article_id: m.articleId, attempts: 0, sender: m.sender, recipient: m.recipient,
      raw_message: Buffer.from(this.text(raw)), due_time: null, last_smtp_code: null, last_smtp_message: null, create_time: t,
    })
  }

  /** Replaces a field's values on an object (one row per value, as Znuny stores multiselects). */
  async setFieldValues(field: FieldInfo, objectId: number, values: readonly string[]): Promise<void> {
    if (field.objectType === 'Ticket') this.ticketCache.delete(objectId)
    await this.tables.delete('dynamic_field_value', { field_id: field.id, object_id: objectId })
    for (const v of values) {
      const date = field.fieldType === 'Date' || field.fieldType === 'DateTime'
      const int = field.fieldType === 'Checkbox'
      await this.tables.insert('dynamic_field_value', {
        field_id: field.id, object_id: objectId, value_text: date || int ? null : this.text(v), value_date: date ? v : null, value_int: int ? Number(v) : null,
      })
    }
  }
}
