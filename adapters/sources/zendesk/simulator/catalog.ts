import { BASE_TIME, BRAND_ID_BASE, CUSTOM_STATUS_ID_BASE, FIELD_ID_BASE, FORM_ID_BASE, GROUP_ID_BASE, ORG_FIELD_ID_BASE, USER_FIELD_ID_BASE } from './ids.js'

/** The account's small fixed catalogue: groups, brands, forms, field definitions, custom statuses. */

export interface GroupSeed { id: number; name: string; description: string; isDefault: boolean; deleted: boolean; createdAt: number }
export const GROUPS: readonly GroupSeed[] = [
  { id: GROUP_ID_BASE + 1, name: 'Support', description: '', isDefault: true, deleted: false, createdAt: BASE_TIME - 400 * 86_400 },
  { id: GROUP_ID_BASE + 2, name: 'Billing', description: 'Invoices, refunds', isDefault: false, deleted: false, createdAt: BASE_TIME - 300 * 86_400 },
  { id: GROUP_ID_BASE + 3, name: 'Technik & Betrieb', description: 'Second level', isDefault: false, deleted: false, createdAt: BASE_TIME - 200 * 86_400 },
  // A deleted group still referenced by old tickets: lists show it with `deleted: true`.
  { id: GROUP_ID_BASE + 4, name: 'Legacy escalations', description: '', isDefault: false, deleted: true, createdAt: BASE_TIME - 500 * 86_400 },
]

export interface BrandSeed { id: number; name: string; subdomain: string; isDefault: boolean }
export const BRANDS: readonly BrandSeed[] = [
  { id: BRAND_ID_BASE + 1, name: 'Acme Support', subdomain: 'acme-sim', isDefault: true },
  { id: BRAND_ID_BASE + 2, name: 'Acme Europe', subdomain: 'acme-sim-eu', isDefault: false },
]

export interface FormSeed { id: number; name: string; isDefault: boolean; fieldIds: number[] }

export type CustomFieldType = 'text' | 'textarea' | 'checkbox' | 'date' | 'integer' | 'decimal' | 'tagger' | 'multiselect' | 'regexp'
export interface FieldOption { id: number; name: string; value: string }
export interface TicketFieldSeed {
  id: number
  type: string
  title: string
  /** Custom fields carry values on tickets; system fields (subject, status…) do not. */
  custom: boolean
  options?: FieldOption[]
  active: boolean
}

const opt = (id: number, name: string, value: string): FieldOption => ({ id, name, value })

export const TICKET_FIELDS: readonly TicketFieldSeed[] = [
  { id: FIELD_ID_BASE + 1, type: 'subject', title: 'Subject', custom: false, active: true },
  { id: FIELD_ID_BASE + 2, type: 'description', title: 'Description', custom: false, active: true },
  { id: FIELD_ID_BASE + 3, type: 'status', title: 'Status', custom: false, active: true },
  { id: FIELD_ID_BASE + 4, type: 'tickettype', title: 'Type', custom: false, active: true },
  { id: FIELD_ID_BASE + 5, type: 'priority', title: 'Priority', custom: false, active: true },
  { id: FIELD_ID_BASE + 6, type: 'group', title: 'Group', custom: false, active: true },
  { id: FIELD_ID_BASE + 7, type: 'assignee', title: 'Assignee', custom: false, active: true },
  { id: FIELD_ID_BASE + 20, type: 'text', title: 'Order number', custom: true, active: true },
  {
    id: FIELD_ID_BASE + 21, type: 'tagger', title: 'Product', custom: true, active: true,
    options: [opt(1_078_001, 'Printer X1', 'product_printer_x1'), opt(1_078_002, 'Scanner S2', 'product_scanner_s2'), opt(1_078_003, 'Cloud Sync', 'product_cloud_sync')],
  },
  { id: FIELD_ID_BASE + 22, type: 'checkbox', title: 'Under warranty', custom: true, active: true },
  { id: FIELD_ID_BASE + 23, type: 'date', title: 'Purchase date', custom: true, active: true },
  {
    id: FIELD_ID_BASE + 24, type: 'multiselect', title: 'Affected areas', custom: true, active: true,
    options: [opt(1_078_011, 'Hardware', 'area_hardware'), opt(1_078_012, 'Software', 'area_software'), opt(1_078_013, 'Shipping', 'area_shipping')],
  },
  { id: FIELD_ID_BASE + 25, type: 'integer', title: 'Units', custom: true, active: true },
  { id: FIELD_ID_BASE + 26, type: 'decimal', title: 'Refund amount', custom: true, active: true },
  // An inactive field keeps its values on old tickets.
  { id: FIELD_ID_BASE + 27, type: 'textarea', title: 'Legacy notes', custom: true, active: false },
]

export const CUSTOM_TICKET_FIELDS = TICKET_FIELDS.filter((f) => f.custom)

export const FORMS: readonly FormSeed[] = [
  { id: FORM_ID_BASE + 1, name: 'Default Ticket Form', isDefault: true, fieldIds: TICKET_FIELDS.filter((f) => f.id <= FIELD_ID_BASE + 23).map((f) => f.id) },
  { id: FORM_ID_BASE + 2, name: 'Returns', isDefault: false, fieldIds: TICKET_FIELDS.map((f) => f.id) },
]

export interface KeyedFieldSeed { id: number; key: string; type: 'text' | 'dropdown' | 'checkbox' | 'date' | 'integer'; title: string; options?: FieldOption[] }

export const USER_FIELDS: readonly KeyedFieldSeed[] = [
  { id: USER_FIELD_ID_BASE + 1, key: 'lieblingstier', type: 'text', title: 'Lieblingstier' },
  { id: USER_FIELD_ID_BASE + 2, key: 'customer_tier', type: 'dropdown', title: 'Customer tier', options: [opt(1_079_001, 'Gold', 'gold'), opt(1_079_002, 'Silver', 'silver'), opt(1_079_003, '2', '2')] },
  { id: USER_FIELD_ID_BASE + 3, key: 'newsletter', type: 'checkbox', title: 'Newsletter' },
  { id: USER_FIELD_ID_BASE + 4, key: 'contract_id', type: 'integer', title: 'Contract ID' },
]

export const ORG_FIELDS: readonly KeyedFieldSeed[] = [
  { id: ORG_FIELD_ID_BASE + 1, key: 'api_key', type: 'text', title: 'API Key' },
  { id: ORG_FIELD_ID_BASE + 2, key: 'region', type: 'dropdown', title: 'Region', options: [opt(1_422_001, 'EMEA', 'emea'), opt(1_422_002, 'Americas', 'americas')] },
  { id: ORG_FIELD_ID_BASE + 3, key: 'contract_start', type: 'date', title: 'Contract start' },
]

/** Custom statuses (2023+): one per category, their ids on tickets as `custom_status_id`. */
export const CUSTOM_STATUS_IDS: Readonly<Record<string, number>> = {
  new: CUSTOM_STATUS_ID_BASE + 1, open: CUSTOM_STATUS_ID_BASE + 2, pending: CUSTOM_STATUS_ID_BASE + 3,
  hold: CUSTOM_STATUS_ID_BASE + 4, solved: CUSTOM_STATUS_ID_BASE + 5, closed: CUSTOM_STATUS_ID_BASE + 5,
}
