// The seed rows of a fresh simulated Znuny, as rows of its tables (column names as in znuny.md B.4). The in-memory
// simulator loads exactly these and the stand-in database inserts exactly these, so the two cannot drift apart.
// Ids of stock rows follow znuny.md B.4; rows marked "project" are this project's own test set-up.

export type Row = Record<string, unknown>

/** The queue set up as the mail trap (znuny.md O5): an auto reply linked and agent1 watching it. */
export const TRAP_QUEUE = 'Misc'
/** The agent watching the trap queue ("My Queues"). */
export const WATCHING_AGENT = 'agent1'
/** The ticket dynamic field holding the source identity (zn-tgt's default provenance field). */
export const PROVENANCE_FIELD = 'DeskmoveSourceId'
/** The login the simulator hands out as ZNUNY_USER (Znuny's initial admin). */
export const ADMIN_LOGIN = 'root@localhost'

const SEED_TIME = '2026-01-01 00:00:00'
const stamps = { create_time: SEED_TIME, create_by: 1, change_time: SEED_TIME, change_by: 1 }
const named = (names: readonly string[], extra: (i: number) => Row = () => ({})): Row[] =>
  names.map((name, i) => ({ id: i + 1, name, ...extra(i + 1) }))

const STATE_TYPES = ['new', 'open', 'closed', 'pending reminder', 'pending auto', 'removed', 'merged']
/** Stock states with their state type ids. */
const STATES: readonly [string, number][] = [
  ['new', 1],
  ['closed successful', 3],
  ['closed unsuccessful', 3],
  ['open', 2],
  ['removed', 6],
  ['pending reminder', 4],
  ['pending auto close+', 5],
  ['pending auto close-', 5],
  ['merged', 7],
]

/**
 * History types by id. 1–34 as znuny.md B.4 lists them (with the gaps filled from the same stock list); 35+ are
 * the stock names in their usual order, of which only TitleUpdate (50) and Bulk (52) are confirmed by the doc.
 */
export const HISTORY_TYPES = [
  'NewTicket', 'FollowUp', 'SendAutoReject', 'SendAutoReply', 'SendAutoFollowUp', 'Forward', 'Bounce', 'SendAnswer',
  'SendAgentNotification', 'SendCustomerNotification', 'EmailAgent', 'EmailCustomer', 'PhoneCallAgent',
  'PhoneCallCustomer', 'AddNote', 'Move', 'Lock', 'Unlock', 'Remove', 'TimeAccounting', 'CustomerUpdate',
  'PriorityUpdate', 'OwnerUpdate', 'LoopProtection', 'Misc', 'SetPendingTime', 'StateUpdate',
  'TicketDynamicFieldUpdate', 'WebRequestCustomer', 'TicketLinkAdd', 'TicketLinkDelete', 'SystemRequest', 'Merged',
  'ResponsibleUpdate', 'Subscribe', 'Unsubscribe', 'TypeUpdate', 'ServiceUpdate', 'SLAUpdate', 'ArchiveFlagUpdate',
  'EscalationSolutionTimeStop', 'EscalationResponseTimeStart', 'EscalationUpdateTimeStart', 'EscalationSolutionTimeStart',
  'EscalationResponseTimeNotifyBefore', 'EscalationUpdateTimeNotifyBefore', 'EscalationSolutionTimeNotifyBefore',
  'EscalationResponseTimeStop', 'EscalationUpdateTimeStop', 'TitleUpdate', 'EmailResend', 'Bulk',
] as const
export type HistoryTypeName = (typeof HISTORY_TYPES)[number]

/** Auto response types (Znuny's stock ids). */
export const AUTO_RESPONSE_TYPES = ['auto reply', 'auto reject', 'auto follow up', 'auto reply/new ticket', 'auto remove'] as const

const QUEUES = ['Postmaster', 'Raw', 'Junk', 'Misc']

/** Agents: Znuny's admin plus the project's two agents (agent1 watches the trap queue, agent2 nothing). */
const USERS: readonly { login: string; first: string; last: string; email: string }[] = [
  { login: ADMIN_LOGIN, first: 'Admin', last: 'OTRS', email: 'root@localhost' },
  { login: WATCHING_AGENT, first: 'Agent', last: 'One', email: 'agent1@acme.test' },
  { login: 'agent2', first: 'Agent', last: 'Two', email: 'agent2@acme.test' },
]

/** Dynamic fields: two stock process fields plus the project's provenance, tags and article source id fields. */
const DYNAMIC_FIELDS: readonly { name: string; type: string; object: string }[] = [
  { name: 'ProcessManagementProcessID', type: 'ProcessID', object: 'Ticket' },
  { name: 'ProcessManagementActivityID', type: 'ActivityID', object: 'Ticket' },
  { name: PROVENANCE_FIELD, type: 'Text', object: 'Ticket' },
  { name: 'DeskmoveTags', type: 'Multiselect', object: 'Ticket' },
  { name: 'DeskmoveArticleSourceId', type: 'Text', object: 'Article' },
]

/** Customer companies and users the project seeds (a known login, as in znuny.md O2's `jdoe`). */
const COMPANIES = [{ customer_id: 'ACME', name: 'Acme Inc.' }]
const CUSTOMER_USERS = [{ login: 'jdoe', email: 'jdoe@acme.test', customer_id: 'ACME', first_name: 'John', last_name: 'Doe' }]

/**
 * Every seed row per table, in insert order. `password` is the admin's and the customer user's password (the
 * simulator compares it in clear; a real Znuny stores a hash).
 */
export function seedRows(password: string, sendmailModule: string): Record<string, Row[]> {
  const queueId = (name: string) => QUEUES.indexOf(name) + 1
  return {
    valid: named(['valid', 'invalid', 'invalid-temporarily'], () => stamps),
    ticket_state_type: named(STATE_TYPES, () => ({ comments: null, ...stamps })),
    ticket_state: STATES.map(([name, type], i) => ({ id: i + 1, name, comments: null, type_id: type, valid_id: 1, ...stamps })),
    ticket_priority: named(['1 very low', '2 low', '3 normal', '4 high', '5 very high'], () => ({ valid_id: 1, ...stamps })),
    ticket_lock_type: named(['unlock', 'lock', 'tmp_lock'], () => ({ valid_id: 1, ...stamps })),
    ticket_type: named(['Unclassified'], () => ({ valid_id: 1, ...stamps })),
    article_sender_type: named(['agent', 'system', 'customer'], () => ({ comments: null, valid_id: 1, ...stamps })),
    communication_channel: named(['Email', 'Phone', 'Internal', 'Chat'], (id) => ({
      module: `Kernel::System::CommunicationChannel::${['Email', 'Phone', 'Internal', 'Chat'][id - 1]}`,
      package_name: 'Framework', channel_data: null, valid_id: 1, ...stamps,
    })),
    ticket_history_type: named(HISTORY_TYPES, () => ({ comments: null, valid_id: 1, ...stamps })),
    users: USERS.map((u, i) => ({ id: i + 1, login: u.login, pw: i === 0 ? password : `locked-${u.login}`, title: null, first_name: u.first, last_name: u.last, valid_id: 1, ...stamps })),
    user_preferences: USERS.map((u, i) => ({ user_id: i + 1, preferences_key: 'UserEmail', preferences_value: Buffer.from(u.email) })),
    groups_table: [{ id: 1, name: 'users', comments: null, valid_id: 1, ...stamps }],
    system_address: [{ id: 1, value0: 'znuny@acme.test', value1: 'Znuny System', comments: null, valid_id: 1, queue_id: 1, ...stamps }],
    queue: QUEUES.map((name, i) => ({
      id: i + 1, name, group_id: 1, unlock_timeout: 0, first_response_time: 0, first_response_notify: 0, update_time: 0,
      update_notify: 0, solution_time: 0, solution_notify: 0, system_address_id: 1, calendar_name: null,
      default_sign_key: null, salutation_id: 1, signature_id: 1, follow_up_id: 1, follow_up_lock: 0, comments: null, valid_id: 1, ...stamps,
    })),
    personal_queues: [{ user_id: USERS.findIndex((u) => u.login === WATCHING_AGENT) + 1, queue_id: queueId(TRAP_QUEUE) }],
    auto_response_type: named(AUTO_RESPONSE_TYPES, () => ({ comments: null, valid_id: 1, ...stamps })),
    auto_response: [{
      id: 1, name: 'default reply (after new ticket has been created)', text0: 'RE: <OTRS_TICKET_Title>',
      text1: 'This is a demo text which is sent to every inquiry.', type_id: 1, system_address_id: 1,
      content_type: 'text/plain', comments: null, valid_id: 1, ...stamps,
    }],
    queue_auto_response: [{ id: 1, queue_id: queueId(TRAP_QUEUE), auto_response_id: 1, ...stamps }],
    dynamic_field: DYNAMIC_FIELDS.map((f, i) => ({
      id: i + 1, internal_field: f.name.startsWith('ProcessManagement') ? 1 : 0, name: f.name, label: f.name,
      field_order: i + 1, field_type: f.type, object_type: f.object, config: Buffer.from('---\n'), valid_id: 1, ...stamps,
    })),
    customer_company: COMPANIES.map((c) => ({ ...c, street: null, zip: null, city: null, country: null, url: null, comments: null, valid_id: 1, ...stamps })),
    customer_user: CUSTOMER_USERS.map((c, i) => ({
      id: i + 1, ...c, pw: password, title: null, phone: null, fax: null, mobile: null, street: null, zip: null,
      city: null, country: null, comments: null, valid_id: 1, ...stamps,
    })),
    link_object: named(['Ticket']),
    sysconfig_default: [{ id: 1, name: 'SendmailModule', effective_value: `--- ${sendmailModule}\n`, is_valid: 1, ...stamps }],
  }
}

/** The tables `seedRows` fills, in an order that respects their references. */
export const SEEDED_TABLES = Object.keys(seedRows('', '')) as readonly string[]
