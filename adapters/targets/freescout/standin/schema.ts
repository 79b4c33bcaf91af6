/**
 * The stand-in FreeScout schema, written by this project from the facts in docs/freescout.md (A.1, 4.2) — not copied
 * from FreeScout. Types are dialect-neutral here and rendered per dialect by render-ddl.ts, so MySQL and PostgreSQL
 * cannot drift apart. Only columns an importer or a check can touch are modelled with care; "assumed" marks columns
 * whose exact type or default the doc does not state.
 */

/** Dialect-neutral column types (rendered as Laravel's migrations would on each engine). */
export type ColumnType =
  | { kind: 'id' }
  | { kind: 'uint' }
  | { kind: 'utinyint' }
  | { kind: 'bool' }
  | { kind: 'varchar'; length: number }
  | { kind: 'text' }
  | { kind: 'longtext' }
  | { kind: 'timestamp' }

export interface ColumnDef {
  readonly name: string
  readonly type: ColumnType
  readonly nullable: boolean
  readonly default?: number | string
}

export interface IndexDef {
  readonly name: string
  readonly columns: readonly { readonly name: string; readonly prefix?: number }[]
  readonly unique: boolean
}

export interface TableDef {
  readonly name: string
  readonly columns: readonly ColumnDef[]
  readonly indexes: readonly IndexDef[]
}

const id: ColumnDef = { name: 'id', type: { kind: 'id' }, nullable: false }
const T = {
  uint: { kind: 'uint' },
  tiny: { kind: 'utinyint' },
  bool: { kind: 'bool' },
  text: { kind: 'text' },
  long: { kind: 'longtext' },
  ts: { kind: 'timestamp' },
} as const satisfies Record<string, ColumnType>
const vc = (length: number): ColumnType => ({ kind: 'varchar', length })

/** NOT NULL column, optionally with a default. */
const req = (name: string, type: ColumnType, dflt?: number | string): ColumnDef =>
  dflt === undefined ? { name, type, nullable: false } : { name, type, nullable: false, default: dflt }
/** NULL-able column without default. */
const opt = (name: string, type: ColumnType): ColumnDef => ({ name, type, nullable: true })
const stamps = [opt('created_at', T.ts), opt('updated_at', T.ts)]

const idx = (table: string, cols: readonly (string | [string, number])[], unique = false, name?: string): IndexDef => {
  const columns = cols.map((c) => (typeof c === 'string' ? { name: c } : { name: c[0], prefix: c[1] }))
  return { name: name ?? `${table}_${columns.map((c) => c.name).join('_')}_${unique ? 'unique' : 'index'}`, columns, unique }
}

const users: TableDef = {
  name: 'users',
  columns: [
    id, req('first_name', vc(20)), req('last_name', vc(30)), req('email', vc(100)), req('password', vc(255)),
    req('role', T.tiny, 1), req('timezone', vc(255), 'UTC'), opt('photo_url', vc(255)), req('type', T.tiny, 1),
    req('status', T.tiny, 1), req('invite_state', T.tiny, 3), opt('invite_hash', vc(100)), opt('emails', T.text),
    opt('job_title', vc(100)), opt('phone', vc(60)), req('time_format', T.tiny, 2), req('enable_kb_shortcuts', T.bool, 1),
    req('locked', T.bool, 0), opt('remember_token', vc(100)), opt('locale', vc(191)), opt('permissions', T.text), ...stamps,
  ],
  indexes: [idx('users', ['email'], true), idx('users', ['role']), idx('users', ['status'])],
}

const mailboxes: TableDef = {
  name: 'mailboxes',
  // Mail server columns: types of out_username/out_port/in_username/auto_reply_subject/ratings_* are assumed.
  columns: [
    id, req('name', vc(40)), req('email', vc(128)), opt('aliases', T.text), req('from_name', T.tiny, 1),
    opt('from_name_custom', vc(128)), req('ticket_status', T.tiny, 2), req('ticket_assignee', T.tiny, 2),
    req('template', T.tiny, 1), opt('signature', T.text), req('out_method', T.tiny, 1), opt('out_server', T.text),
    opt('out_username', vc(100)), opt('out_password', T.text), opt('out_port', T.uint), req('out_encryption', T.tiny, 1),
    opt('in_server', T.text), req('in_port', T.uint, 143), opt('in_username', vc(100)), opt('in_password', T.text),
    req('in_protocol', T.tiny, 1), req('in_encryption', T.tiny, 1), req('in_validate_cert', T.bool, 1),
    opt('in_imap_folders', T.text), req('auto_reply_enabled', T.bool, 0), opt('auto_reply_subject', vc(128)),
    opt('auto_reply_message', T.text), req('office_hours_enabled', T.bool, 0), req('ratings', T.bool, 0),
    req('ratings_placement', T.tiny, 1), opt('ratings_text', T.text), opt('auto_bcc', T.text), opt('before_reply', T.text),
    opt('imap_sent_folder', vc(25)), opt('meta', T.text), req('aliases_reply', T.bool, 0), ...stamps,
  ],
  indexes: [idx('mailboxes', ['email'], true)],
}

const mailboxUser: TableDef = {
  name: 'mailbox_user',
  columns: [
    id, req('mailbox_id', T.uint), req('user_id', T.uint), req('after_send', T.tiny, 2), req('hide', T.bool, 0),
    req('mute', T.bool, 0), opt('access', T.text),
  ],
  indexes: [idx('mailbox_user', ['user_id', 'mailbox_id'], true), idx('mailbox_user', ['mailbox_id'])],
}

const customers: TableDef = {
  name: 'customers',
  columns: [
    id, opt('first_name', vc(255)), opt('last_name', vc(255)), opt('company', T.text), opt('job_title', T.text),
    opt('photo_type', T.tiny), opt('photo_url', vc(255)), opt('phones', T.text), opt('websites', T.text),
    opt('social_profiles', T.text), opt('notes', T.text), opt('address', T.text), opt('city', vc(255)),
    opt('state', vc(255)), opt('zip', vc(12)), opt('country', vc(2)), opt('channel', T.tiny), opt('channel_id', T.text),
    opt('meta', T.text), ...stamps,
  ],
  indexes: [idx('customers', [['first_name', 80], ['last_name', 80]])],
}

const emails: TableDef = {
  name: 'emails',
  columns: [id, req('customer_id', T.uint), req('email', vc(191)), req('type', T.tiny, 1)],
  indexes: [idx('emails', ['customer_id']), idx('emails', ['email'], true)],
}

const customerChannel: TableDef = {
  name: 'customer_channel',
  columns: [id, req('customer_id', T.uint), req('channel', T.tiny), req('channel_id', vc(64))],
  indexes: [idx('customer_channel', ['customer_id']), idx('customer_channel', ['channel', 'channel_id'], true)],
}

const conversations: TableDef = {
  name: 'conversations',
  columns: [
    id, req('number', T.uint), req('threads_count', T.uint, 0), req('type', T.tiny), req('folder_id', T.uint),
    req('status', T.tiny, 1),
    // The trap from 4.2: state defaults to 1 (draft), so a raw insert that forgets state=2 is invisible.
    req('state', T.tiny, 1),
    opt('subject', vc(998)), opt('customer_email', vc(191)), opt('cc', T.text), opt('bcc', T.text),
    req('preview', vc(255)), req('imported', T.bool, 0), req('has_attachments', T.bool, 0), req('mailbox_id', T.uint),
    opt('user_id', T.uint), opt('customer_id', T.uint), opt('created_by_user_id', T.uint),
    opt('created_by_customer_id', T.uint), req('source_via', T.tiny), req('source_type', T.tiny),
    opt('closed_by_user_id', T.uint), opt('closed_at', T.ts), opt('user_updated_at', T.ts), opt('last_reply_at', T.ts),
    opt('last_reply_from', T.tiny), req('read_by_user', T.bool, 0), ...stamps, opt('channel', T.tiny), opt('meta', T.text),
  ],
  indexes: [
    idx('conversations', ['folder_id', 'status']),
    idx('conversations', ['mailbox_id', 'customer_id']),
    idx('conversations', ['user_id', 'mailbox_id', 'state', 'status']),
    idx('conversations', ['folder_id', 'state']),
  ],
}

const threads: TableDef = {
  name: 'threads',
  columns: [
    id, req('conversation_id', T.uint), opt('user_id', T.uint), req('type', T.tiny), opt('subtype', T.tiny),
    req('status', T.tiny, 1),
    // Same trap as conversations: default 1 renders the thread as a draft.
    req('state', T.tiny, 1),
    opt('action_type', T.tiny), opt('action_data', vc(255)), opt('body', T.long), opt('headers', T.text),
    opt('from', vc(191)), opt('to', T.text), opt('cc', T.text), opt('bcc', T.text), req('has_attachments', T.bool, 0),
    opt('message_id', vc(998)), req('source_via', T.tiny), req('source_type', T.tiny), opt('customer_id', T.uint),
    opt('created_by_user_id', T.uint), opt('created_by_customer_id', T.uint), opt('edited_by_user_id', T.uint),
    opt('edited_at', T.ts), opt('body_original', T.long), req('first', T.bool, 0), opt('saved_reply_id', T.uint),
    opt('send_status', T.tiny), opt('send_status_data', T.text), opt('opened_at', T.ts), ...stamps, opt('meta', T.text),
    req('imported', T.bool, 0),
  ],
  indexes: [
    idx('threads', [['message_id', 191]], true, 'threads_message_id_index'),
    idx('threads', ['conversation_id', 'type', 'from', 'customer_id']),
    idx('threads', ['conversation_id', 'created_at']),
    idx('threads', ['created_at']),
  ],
}

const attachments: TableDef = {
  name: 'attachments',
  columns: [
    id, opt('thread_id', T.uint), opt('user_id', T.uint), opt('file_dir', vc(20)), req('file_name', vc(255)),
    req('mime_type', vc(127)), req('type', T.uint), opt('size', T.uint), req('embedded', T.bool, 0), req('public', T.bool, 0),
  ],
  indexes: [idx('attachments', ['thread_id', 'embedded'])],
}

const folders: TableDef = {
  name: 'folders',
  columns: [
    id, req('mailbox_id', T.uint), opt('user_id', T.uint), req('type', T.tiny), req('total_count', T.uint, 0),
    req('active_count', T.uint, 0), opt('meta', T.text),
  ],
  indexes: [idx('folders', ['mailbox_id', 'user_id', 'type'])],
}

const conversationFolder: TableDef = {
  name: 'conversation_folder',
  columns: [id, req('folder_id', T.uint), req('conversation_id', T.uint)],
  indexes: [idx('conversation_folder', ['folder_id', 'conversation_id'], true)],
}

const followers: TableDef = {
  name: 'followers',
  columns: [id, req('conversation_id', T.uint), req('user_id', T.uint), opt('added_by_user_id', T.uint)],
  indexes: [idx('followers', ['conversation_id', 'user_id'], true)],
}

const options: TableDef = {
  name: 'options',
  // value's nullability is assumed.
  columns: [id, req('name', vc(191)), opt('value', T.long)],
  indexes: [idx('options', ['name'], true)],
}

/** Tags module. conversation_tag is documented; tags' column types are assumed (the doc lists names only). */
const tags: TableDef = {
  name: 'tags',
  columns: [id, req('name', vc(191)), req('counter', T.uint, 0), req('color', T.tiny, 0)],
  indexes: [idx('tags', ['name'])],
}
const conversationTag: TableDef = {
  name: 'conversation_tag',
  columns: [id, req('conversation_id', T.uint), req('tag_id', T.uint)],
  indexes: [idx('conversation_tag', ['conversation_id', 'tag_id'], true)],
}

/**
 * Custom Fields module: freescout.md does not document these tables. Documented by the brief only: the column names
 * custom_fields(id, mailbox_id, name, type, options, required, sort_order) and conversation_custom_field(id,
 * conversation_id, custom_field_id, value). Assumed: every type, length, default, show_in_list, and both indexes.
 */
const customFields: TableDef = {
  name: 'custom_fields',
  columns: [
    id, req('mailbox_id', T.uint), req('name', vc(75)), req('type', T.tiny), opt('options', T.text),
    req('required', T.bool, 0), req('sort_order', T.uint, 1), req('show_in_list', T.bool, 0),
  ],
  indexes: [idx('custom_fields', ['mailbox_id'])],
}
const conversationCustomField: TableDef = {
  name: 'conversation_custom_field',
  columns: [id, req('conversation_id', T.uint), req('custom_field_id', T.uint), opt('value', T.text)],
  indexes: [idx('conversation_custom_field', ['conversation_id', 'custom_field_id'], true, 'conversation_custom_field_unique')],
}

/** Core tables, always created. */
export const CORE_TABLES: readonly TableDef[] = [
  users, mailboxes, mailboxUser, customers, emails, customerChannel, conversations, threads, attachments, folders,
  conversationFolder, followers, options,
]
export const TAGS_TABLES: readonly TableDef[] = [tags, conversationTag]
export const CUSTOM_FIELDS_TABLES: readonly TableDef[] = [customFields, conversationCustomField]
