import { FORMS, type BRANDS, type GROUPS, type KeyedFieldSeed, type TicketFieldSeed } from './catalog.js'
import { BASE_TIME, iso } from './ids.js'
import type { OrgSeed, UserSeed } from './people.js'
import type { ZdWorld } from './world.js'

/** Wire shapes of people and the catalogue. `api` is the API root, e.g. `http://127.0.0.1:4000/api/v2`. */

export function renderUser(w: ZdWorld, api: string, u: UserSeed): Record<string, unknown> {
  const s = w.sparse
  const agent = u.role !== 'end-user'
  const base: Record<string, unknown> = {
    id: u.id,
    url: `${api}/users/${u.id}.json`,
    name: u.name,
    email: u.email,
    created_at: iso(u.createdAt),
    updated_at: iso(u.updatedAt),
    time_zone: u.timeZone.split('/')[1],
    iana_time_zone: u.timeZone,
    phone: u.phone,
    shared_phone_number: u.phone === null ? null : false,
    photo: null,
    locale_id: u.locale === 'de' ? 8 : 1,
    locale: u.locale,
    organization_id: u.organizationId,
    role: u.role,
    verified: !u.social && !u.deleted,
    external_id: null,
    tags: u.tags,
    alias: agent ? '' : null,
    active: !u.deleted,
    shared: false,
    shared_agent: false,
    last_login_at: agent ? iso(u.updatedAt) : null,
    two_factor_auth_enabled: u.deleted ? null : false,
    signature: agent ? '' : null,
    details: u.deleted ? '' : null,
    notes: u.deleted ? '' : null,
    role_type: u.role === 'admin' ? 4 : null,
    custom_role_id: agent ? 1_900_000_320_594 : null,
    moderator: u.role === 'admin',
    ticket_restriction: agent ? null : 'requested',
    only_private_comments: false,
    restricted_agent: !agent,
    suspended: u.suspended,
    default_group_id: u.defaultGroupId,
    report_csv: u.role === 'admin',
    // Dropdown values arrive as their option value (strings, also for digits); checkboxes and integers as typed.
    user_fields: { ...u.userFields },
  }
  if (u.deleted) base.permanently_deleted = true
  if (u.social) base.photo = { id: 900_000 + u.index, file_name: 'profile.jpg', content_url: `https://sim-static.zdassets.invalid/system/photos/${u.index}/profile.jpg`, content_type: 'image/jpeg', size: 1_500, thumbnails: [] }
  if (!s.sparse) return base
  // Real accounts: optional fields missing rather than null, contract id as a string, no IANA zone on old users.
  let out = s.omit(base, 'iana_time_zone', 'user.iana', u.id, 0.5)
  out = s.omit(out, 'shared_phone_number', 'user.sharedPhone', u.id, 0.5)
  out = s.omit(out, 'role_type', 'user.roleType', u.id, 0.6)
  if (u.userFields.contract_id !== null && s.applies('user.numberAsString', u.id, 0.7)) out = { ...out, user_fields: { ...u.userFields, contract_id: String(u.userFields.contract_id) } }
  return out
}

/** `/users/me` for wrong or missing credentials: 200 with an anonymous user, as Zendesk answers. */
export function anonymousUser(email: string | null): Record<string, unknown> {
  return {
    id: null, url: null, name: 'Anonymous user', email: email ?? 'invalid@example.com', created_at: null, updated_at: null,
    time_zone: 'UTC', iana_time_zone: 'Etc/UTC', phone: null, shared_phone_number: null, photo: null, locale_id: 1, locale: 'en-US',
    organization_id: null, role: 'end-user', verified: false, authenticity_token: 'sim-anonymous-authenticity-token',
  }
}

export function renderOrg(w: ZdWorld, api: string, o: OrgSeed): Record<string, unknown> {
  const base = {
    url: `${api}/organizations/${o.id}.json`, id: o.id, name: o.name, shared_tickets: false, shared_comments: false, external_id: null,
    created_at: iso(o.createdAt), updated_at: iso(o.updatedAt), domain_names: o.domains, details: '', notes: '', group_id: o.groupId, tags: o.tags,
    organization_fields: { ...o.fields }, deleted_at: null,
  }
  return w.sparse.omit(base, 'deleted_at', 'org.deletedAt', o.id, 0.6)
}

export function renderGroup(api: string, g: (typeof GROUPS)[number]): Record<string, unknown> {
  return {
    url: `${api}/groups/${g.id}.json`, id: g.id, is_public: true, name: g.name, description: g.description, default: g.isDefault, deleted: g.deleted,
    created_at: iso(g.createdAt), updated_at: iso(g.createdAt),
  }
}

export function renderBrand(api: string, origin: string, b: (typeof BRANDS)[number]): Record<string, unknown> {
  return {
    url: `${api}/brands/${b.id}.json`, id: b.id, name: b.name, brand_url: `${origin}`, subdomain: b.subdomain, host_mapping: null, has_help_center: false,
    help_center_state: 'disabled', active: true, default: b.isDefault, is_deleted: false, logo: null, ticket_form_ids: FORMS.map((f) => f.id),
    signature_template: '{{agent.signature}}', created_at: iso(BASE_TIME - 500 * 86_400), updated_at: iso(BASE_TIME - 400 * 86_400),
  }
}

export function renderForm(api: string, f: (typeof FORMS)[number]): Record<string, unknown> {
  return {
    url: `${api}/ticket_forms/${f.id}.json`, id: f.id, name: f.name, raw_name: f.name, display_name: f.name, raw_display_name: f.name, end_user_visible: true,
    position: f.isDefault ? 0 : 1, ticket_field_ids: f.fieldIds, active: true, default: f.isDefault, in_all_brands: true, restricted_brand_ids: [],
    end_user_conditions: [], agent_conditions: [], created_at: iso(BASE_TIME - 300 * 86_400), updated_at: iso(BASE_TIME - 300 * 86_400),
  }
}

export function renderTicketField(api: string, f: TicketFieldSeed, position: number): Record<string, unknown> {
  const base: Record<string, unknown> = {
    url: `${api}/ticket_fields/${f.id}.json`, id: f.id, type: f.type, title: f.title, raw_title: f.title, description: '', raw_description: '', position,
    active: f.active, required: false, collapsed_for_agents: false, regexp_for_validation: null, title_in_portal: f.title, raw_title_in_portal: f.title,
    visible_in_portal: !f.custom, editable_in_portal: !f.custom, required_in_portal: false, tag: null, created_at: iso(BASE_TIME - 300 * 86_400),
    updated_at: iso(BASE_TIME - 200 * 86_400), removable: f.custom, key: null, agent_description: null,
  }
  if (f.options) base.custom_field_options = f.options.map((o) => ({ id: o.id, name: o.name, raw_name: o.name, value: o.value, default: false }))
  if (f.type === 'status') base.system_field_options = ['new', 'open', 'pending', 'hold', 'solved'].map((v) => ({ name: v[0]!.toUpperCase() + v.slice(1), value: v }))
  return base
}

export function renderKeyedField(api: string, kind: 'user_fields' | 'organization_fields', f: KeyedFieldSeed, position: number): Record<string, unknown> {
  const base: Record<string, unknown> = {
    url: `${api}/${kind}/${f.id}.json`, id: f.id, type: f.type, key: f.key, title: f.title, description: '', raw_title: f.title, raw_description: '',
    position, active: true, system: false, regexp_for_validation: null, created_at: iso(BASE_TIME - 300 * 86_400), updated_at: iso(BASE_TIME - 300 * 86_400),
  }
  if (f.options) base.custom_field_options = f.options.map((o) => ({ id: o.id, name: o.name, raw_name: o.name, value: o.value }))
  return base
}
