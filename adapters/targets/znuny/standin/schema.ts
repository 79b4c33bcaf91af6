/**
 * The Znuny-schema stand-in, written by this project from znuny.md B.4 (not copied from Znuny): the tables the
 * GenericInterface import, the database step, verify and rollback touch. Types are dialect-neutral here and
 * rendered per dialect by render-ddl.ts. Columns the doc does not spell out are marked "assumed".
 */

export type ColumnType =
  | { kind: 'serial'; size: 'small' | 'int' | 'big' }
  | { kind: 'int'; size: 'small' | 'int' | 'big' }
  | { kind: 'varchar'; length: number }
  | { kind: 'text' | 'mediumtext' | 'blob' | 'datetime' | 'decimal' }

export interface ColumnDef {
  readonly name: string
  readonly type: ColumnType
  readonly nullable: boolean
  readonly default?: number
}

export interface IndexDef {
  readonly name: string
  readonly columns: readonly string[]
  readonly unique: boolean
}

export interface TableDef {
  readonly name: string
  readonly columns: readonly ColumnDef[]
  readonly indexes: readonly IndexDef[]
  /** A primary key other than a serial `id` (customer_company). */
  readonly primaryKey?: string
}

const T = {
  smallSerial: { kind: 'serial', size: 'small' },
  serial: { kind: 'serial', size: 'int' },
  bigSerial: { kind: 'serial', size: 'big' },
  small: { kind: 'int', size: 'small' },
  int: { kind: 'int', size: 'int' },
  big: { kind: 'int', size: 'big' },
  text: { kind: 'text' },
  medium: { kind: 'mediumtext' },
  blob: { kind: 'blob' },
  time: { kind: 'datetime' },
  decimal: { kind: 'decimal' },
} as const satisfies Record<string, ColumnType>
const vc = (length: number): ColumnType => ({ kind: 'varchar', length })

/** `name:type` NOT NULL; `name?:type` NULL. */
function cols(spec: Record<string, ColumnType>, defaults: Record<string, number> = {}): ColumnDef[] {
  return Object.entries(spec).map(([key, type]) => {
    const nullable = key.endsWith('?')
    const name = nullable ? key.slice(0, -1) : key
    return defaults[name] === undefined ? { name, type, nullable } : { name, type, nullable, default: defaults[name] }
  })
}

const stamps = { create_time: T.time, create_by: T.int, change_time: T.time, change_by: T.int }
const idx = (table: string, columns: string[], unique = false): IndexDef => ({ name: `${table}_${columns.join('_')}${unique ? '_uq' : ''}`.slice(0, 60), columns, unique })

const table = (name: string, spec: Record<string, ColumnType>, indexes: (string[] | { unique: string[] })[] = [], extra: Partial<TableDef> = {}, defaults: Record<string, number> = {}): TableDef => ({
  name,
  columns: cols(spec, defaults),
  indexes: indexes.map((i) => (Array.isArray(i) ? idx(name, i) : idx(name, i.unique, true))),
  ...extra,
})

/** A lookup table: id, unique name, optional comments, valid_id, stamps. */
const lookup = (name: string, id: ColumnType = T.smallSerial, comments = true) =>
  table(name, { id, name: vc(200), ...(comments ? { 'comments?': vc(250) } : {}), valid_id: T.small, ...stamps }, [{ unique: ['name'] }])

export const ZNUNY_TABLES: readonly TableDef[] = [
  table('valid', { id: T.smallSerial, name: vc(200), ...stamps }, [{ unique: ['name'] }]),
  table('ticket_state_type', { id: T.smallSerial, name: vc(200), 'comments?': vc(250), ...stamps }, [{ unique: ['name'] }]),
  table('ticket_state', { id: T.smallSerial, name: vc(200), 'comments?': vc(250), type_id: T.small, valid_id: T.small, ...stamps }, [{ unique: ['name'] }]),
  lookup('ticket_priority', T.smallSerial, false),
  lookup('ticket_lock_type', T.smallSerial, false),
  lookup('ticket_type', T.smallSerial, false),
  lookup('article_sender_type'),
  table('communication_channel', { id: T.bigSerial, name: vc(200), module: vc(200), package_name: vc(200), 'channel_data?': T.blob, valid_id: T.small, ...stamps }, [{ unique: ['name'] }]),
  lookup('ticket_history_type'),
  table('users', { id: T.serial, login: vc(200), pw: vc(128), 'title?': vc(50), first_name: vc(100), last_name: vc(100), valid_id: T.small, ...stamps }, [{ unique: ['login'] }]),
  table('user_preferences', { user_id: T.int, preferences_key: vc(150), 'preferences_value?': T.blob }, [['user_id']]),
  lookup('groups_table', T.serial),
  // assumed: value0 = address, value1 = display name (Znuny's generic column names).
  table('system_address', { id: T.smallSerial, value0: vc(200), value1: vc(200), 'comments?': vc(250), valid_id: T.small, queue_id: T.int, ...stamps }),
  table('queue', {
    id: T.serial, name: vc(200), group_id: T.int, 'unlock_timeout?': T.int, 'first_response_time?': T.int, 'first_response_notify?': T.small,
    'update_time?': T.int, 'update_notify?': T.small, 'solution_time?': T.int, 'solution_notify?': T.small, system_address_id: T.small,
    'calendar_name?': vc(100), 'default_sign_key?': vc(100), salutation_id: T.small, signature_id: T.small, follow_up_id: T.small,
    follow_up_lock: T.small, 'comments?': vc(250), valid_id: T.small, ...stamps,
  }, [{ unique: ['name'] }, ['group_id']]),
  table('personal_queues', { user_id: T.int, queue_id: T.int }, [['user_id'], ['queue_id']]),
  lookup('auto_response_type'),
  table('auto_response', { id: T.serial, name: vc(200), 'text0?': T.text, 'text1?': T.text, type_id: T.small, system_address_id: T.small, 'content_type?': vc(250), 'comments?': vc(250), valid_id: T.small, ...stamps }, [{ unique: ['name'] }]),
  table('queue_auto_response', { id: T.serial, queue_id: T.int, auto_response_id: T.int, ...stamps }),
  table('dynamic_field', { id: T.serial, internal_field: T.small, name: vc(200), label: vc(200), field_order: T.int, field_type: vc(200), object_type: vc(100), config: T.blob, valid_id: T.small, ...stamps }, [{ unique: ['name'] }], {}, { internal_field: 0 }),
  table('dynamic_field_value', { id: T.serial, field_id: T.int, object_id: T.big, 'value_text?': T.text, 'value_date?': T.time, 'value_int?': T.big }, [['object_id', 'field_id'], ['field_id']]),
  table('customer_company', { customer_id: vc(150), name: vc(200), 'street?': vc(200), 'zip?': vc(200), 'city?': vc(200), 'country?': vc(200), 'url?': vc(200), 'comments?': vc(250), valid_id: T.small, ...stamps }, [{ unique: ['name'] }], { primaryKey: 'customer_id' }),
  table('customer_user', {
    id: T.serial, login: vc(200), email: vc(150), customer_id: vc(150), 'pw?': vc(128), 'title?': vc(50), first_name: vc(100), last_name: vc(100),
    'phone?': vc(150), 'fax?': vc(150), 'mobile?': vc(150), 'street?': vc(150), 'zip?': vc(200), 'city?': vc(200), 'country?': vc(200), 'comments?': vc(250), valid_id: T.small, ...stamps,
  }, [{ unique: ['login'] }]),
  // assumed: a reduced sysconfig_default holding SendmailModule's effective value as YAML.
  table('sysconfig_default', { id: T.serial, name: vc(250), effective_value: T.medium, is_valid: T.small, ...stamps }, [{ unique: ['name'] }]),
  table('ticket', {
    id: T.bigSerial, tn: vc(50), 'title?': vc(255), queue_id: T.int, ticket_lock_id: T.small, 'type_id?': T.small, 'service_id?': T.int, 'sla_id?': T.int,
    user_id: T.int, responsible_user_id: T.int, ticket_priority_id: T.small, ticket_state_id: T.small, 'customer_id?': vc(150), 'customer_user_id?': vc(250),
    timeout: T.int, until_time: T.int, escalation_time: T.int, escalation_update_time: T.int, escalation_response_time: T.int, escalation_solution_time: T.int,
    archive_flag: T.small, ...stamps,
  }, [{ unique: ['tn'] }, ['create_time'], ['customer_id'], ['customer_user_id'], ['queue_id'], ['ticket_state_id', 'ticket_lock_id'], ['title'], ['until_time'], ['user_id']], {}, { archive_flag: 0 }),
  table('article', { id: T.bigSerial, ticket_id: T.big, article_sender_type_id: T.small, communication_channel_id: T.big, is_visible_for_customer: T.small, search_index_needs_rebuild: T.small, 'insert_fingerprint?': vc(64), ...stamps }, [['ticket_id'], ['article_sender_type_id'], ['communication_channel_id']], {}, { search_index_needs_rebuild: 1 }),
  table('article_data_mime', {
    id: T.bigSerial, article_id: T.big, 'a_from?': T.medium, 'a_reply_to?': T.medium, 'a_to?': T.medium, 'a_cc?': T.medium, 'a_bcc?': T.medium, 'a_subject?': T.text,
    'a_message_id?': T.text, 'a_message_id_md5?': vc(32), 'a_in_reply_to?': T.medium, 'a_references?': T.medium, 'a_content_type?': vc(250), 'a_body?': T.medium,
    incoming_time: T.int, 'content_path?': vc(250), ...stamps,
  }, [['article_id'], ['a_message_id_md5']]),
  table('article_data_mime_attachment', { id: T.bigSerial, article_id: T.big, 'filename?': vc(250), 'content_size?': vc(30), 'content_type?': T.text, 'content_id?': vc(250), 'content_alternative?': vc(50), 'disposition?': vc(15), 'content?': T.blob, ...stamps }, [['article_id']]),
  table('article_flag', { article_id: T.big, article_key: vc(50), article_value: vc(50), create_time: T.time, create_by: T.int }, [['article_id']]),
  table('ticket_flag', { ticket_id: T.big, ticket_key: vc(50), ticket_value: vc(50), create_time: T.time, create_by: T.int }, [['ticket_id']]),
  table('ticket_history', { id: T.bigSerial, name: vc(200), history_type_id: T.small, ticket_id: T.big, 'article_id?': T.big, type_id: T.small, queue_id: T.int, owner_id: T.int, priority_id: T.small, state_id: T.small, ...stamps }, [['ticket_id'], ['create_time'], ['history_type_id']]),
  table('time_accounting', { id: T.bigSerial, ticket_id: T.big, 'article_id?': T.big, time_unit: T.decimal, ...stamps }, [['ticket_id'], ['article_id']]),
  // Present for completeness (rollback and checks touch them); the simulator writes no rows into these.
  table('sysconfig_modified', { id: T.serial, sysconfig_default_id: T.int, name: vc(250), effective_value: T.medium, is_valid: T.small, ...stamps }, [['name']]),
  table('customer_user_customer', { user_id: vc(100), customer_id: vc(150), ...stamps }, [['user_id'], ['customer_id']]),
  table('customer_preferences', { user_id: vc(250), preferences_key: vc(150), 'preferences_value?': vc(250) }, [['user_id']]),
  table('article_data_mime_plain', { id: T.bigSerial, article_id: T.big, body: T.blob, ...stamps }, [['article_id']]),
  table('article_data_mime_send_error', { id: T.bigSerial, article_id: T.big, 'message_id?': vc(200), 'log_message?': T.medium, create_time: T.time }, [['article_id']]),
  table('article_search_index', { id: T.bigSerial, ticket_id: T.big, article_id: T.big, article_key: vc(200), 'article_value?': T.medium }, [['ticket_id'], ['article_id']]),
  table('ticket_watcher', { ticket_id: T.big, user_id: T.int, ...stamps }, [['ticket_id'], ['user_id']]),
  table('ticket_index', { ticket_id: T.big, queue_id: T.int, queue: vc(200), group_id: T.int, s_lock: vc(200), s_state: vc(200), create_time: T.time }, [['ticket_id']]),
  table('ticket_lock_index', { ticket_id: T.big }, [['ticket_id']]),
  table('link_object', { id: T.smallSerial, name: vc(100) }, [{ unique: ['name'] }]),
  table('link_relation', { source_object_id: T.small, source_key: vc(50), target_object_id: T.small, target_key: vc(50), type_id: T.small, state_id: T.small, create_time: T.time, create_by: T.int }, [['source_object_id', 'source_key'], ['target_object_id', 'target_key']]),
  table('mail_queue', {
    id: T.bigSerial, 'insert_fingerprint?': vc(64), 'article_id?': T.big, attempts: T.int, 'sender?': vc(200), recipient: T.medium, raw_message: T.blob,
    'due_time?': T.time, 'last_smtp_code?': T.int, 'last_smtp_message?': T.medium, create_time: T.time,
  }, [['article_id']]),
]

export const ZNUNY_TABLE_NAMES: readonly string[] = ZNUNY_TABLES.map((t) => t.name)
