// The dictionaries a ticket's mapping needs (field names and option labels, brand and form names) and the
// user / organisation field titles: small lists, read once per source instance.
import type { FieldDict } from './to-canonical-ticket.js'
import { BRAND_FIELD, FORM_FIELD, fieldTitles, type FieldTitles } from './to-canonical.js'
import { readList } from './lists.js'
import type { Api } from './endpoints.js'
import { namedWire, ticketFieldWire } from './wire.js'

export interface TicketDictionaries {
  readonly ticketFields: readonly unknown[]
  readonly brands: readonly unknown[]
  readonly forms: readonly unknown[]
}

/**
 * Read by each stream that needs them (four small requests), not shared between streams: a stream resumed on
 * its own in a later process must read exactly what it read the first time.
 */
export async function readTicketDictionaries(api: Api, signal: AbortSignal): Promise<TicketDictionaries> {
  const ticketFields = await readList(api, '/ticket_fields.json', 'ticket_fields', signal)
  // Brands and forms depend on the plan: absent ones read as none.
  const brands = await readList(api, '/brands.json', 'brands', signal, true)
  const forms = await readList(api, '/ticket_forms.json', 'ticket_forms', signal, true)
  return { ticketFields, brands, forms }
}

export function fieldDicts(d: TicketDictionaries): Map<string, FieldDict> {
  const out = new Map<string, FieldDict>()
  for (const raw of d.ticketFields) {
    const f = ticketFieldWire.safeParse(raw)
    if (!f.success) continue
    const options = new Map((f.data.custom_field_options ?? []).map((o) => [String(o.value ?? o.id ?? ''), o.name ?? String(o.value ?? '')]))
    out.set(String(f.data.id), { name: f.data.title ?? f.data.raw_title ?? `Field ${f.data.id}`, options })
  }
  const named = (items: readonly unknown[]) => new Map(items.flatMap((i) => {
    const p = namedWire.safeParse(i)
    return p.success ? [[String(p.data.id), p.data.name ?? String(p.data.id)] as const] : []
  }))
  out.set(BRAND_FIELD, { name: 'Brand', options: named(d.brands) })
  out.set(FORM_FIELD, { name: 'Ticket form', options: named(d.forms) })
  return out
}

/** User or organisation field titles; a non-admin token gets 403 on these (Zammad skips them too). */
export async function readFieldTitles(api: Api, which: 'user_fields' | 'organization_fields', signal: AbortSignal): Promise<FieldTitles> {
  return fieldTitles(await readList(api, `/${which}.json`, which, signal, true))
}
