// Replays every Zendesk payload in ../shared/vendor-samples/zendesk (recorded from real accounts, SDK
// fixtures, docs) through the wire schemas and the mapping: nothing is rejected, and every listed field the
// canonical model holds arrives. Skips, with the reason, when the corpus is absent.
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { CanonicalOf } from '../../../src/core/model/index.js'
import type { Mapped } from '../../../src/kits/source/mapping-result.js'
import { fieldTitles, mapGroup, mapOrganization, mapTicketField, mapUser } from './to-canonical.js'
import { mapTicket, type TicketContext } from './to-canonical-ticket.js'
import { cbpWire, cursorExportWire, errorText, meWire, timeExportWire } from './wire.js'

const DIR = resolve(__dirname, '../../../../shared/vendor-samples/zendesk')
const present = existsSync(DIR)
type Json = Record<string, any>

const files = present ? readdirSync(DIR).filter((f) => (f.endsWith('.json') && f !== 'INDEX.json') || f.endsWith('.txt')).sort() : []
const load = (f: string): unknown => (f.endsWith('.json') ? JSON.parse(readFileSync(join(DIR, f), 'utf8')) : readFileSync(join(DIR, f), 'utf8'))
const isObj = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v)
const of = <K extends CanonicalOf<any>['kind']>(m: Mapped, kind: K) => m.records.map((r) => r.canonical).filter((c): c is CanonicalOf<K> => c.kind === kind)

const ctx: TicketContext = { agentUrl: (id) => `https://x.zendesk.com/agent/tickets/${id}`, people: new Map(), fields: new Map(), attachmentHosts: ['zendesk.com/attachments/'] }

/** A ticket of our own to hang recorded comments on (comment lists come without their ticket). */
const host = { id: 1, status: 'open', requester_id: 1, created_at: '2015-07-28T11:31:38Z' }

function expectTicketWhole(raw: Json, m: Mapped): void {
  expect(m.rejects).toEqual([])
  const [t] = of(m, 'ticket')
  expect(t, `ticket ${raw.id} staged`).toBeDefined()
  if (!t) return
  expect(t.sourceId).toBe(String(raw.id))
  if (raw.subject) expect(t.subject).toBe(raw.subject)
  expect(t.tags).toEqual([...new Set(raw.tags ?? [])])
  expect(t.customFields).toHaveLength((raw.custom_fields ?? []).filter((f: Json) => f.value !== null && f.value !== '').length + (raw.brand_id ? 1 : 0) + (raw.ticket_form_id ? 1 : 0))
  if (raw.group_id) expect(t.groupRef?.sourceId).toBe(String(raw.group_id))
  if (raw.assignee_id) expect(t.assigneeRef?.sourceId).toBe(String(raw.assignee_id))
  if (raw.requester_id) expect(t.customerRef?.sourceId).toBe(String(raw.requester_id))
  expect(t.deleted).toBe(raw.status === 'deleted')
  expect(t.createdAt).toBe(raw.created_at)
}

function expectCommentsWhole(comments: Json[], m: Mapped): void {
  expect(m.rejects).toEqual([])
  const msgs = of(m, 'message')
  expect(msgs).toHaveLength(comments.length)
  const files = of(m, 'attachment')
  for (const c of comments) {
    const msg = msgs.find((x) => x.sourceId === String(c.id))
    expect(msg, `comment ${c.id}`).toBeDefined()
    expect(msg?.type === 'internal_note').toBe(c.public === false)
    expect(msg?.createdAt).toBe(c.created_at)
    if (c.html_body && !/<img/.test(c.html_body)) expect(msg?.bodyHtml).toBe(c.html_body)
    expect(msg?.bodyText ?? '').not.toBe('')
    const own = files.filter((f) => f.messageRef.sourceId === String(c.id) && !String(f.download.attachmentId).includes('-img-'))
    expect(own.map((f) => f.sourceId).sort()).toEqual((c.attachments ?? []).map((a: Json) => String(a.id)).sort())
    for (const a of c.attachments ?? []) {
      const f = own.find((x) => x.sourceId === String(a.id))
      expect(f).toMatchObject({ fileName: a.file_name, size: a.size, download: { url: a.content_url } })
      // Thumbnails are renditions inside their attachment, never files of their own.
      for (const th of a.thumbnails ?? []) expect(files.some((x) => x.sourceId === String(th.id))).toBe(false)
    }
  }
}

describe.skipIf(!present)(`Zendesk vendor samples${present ? '' : ' (skipped: ../shared/vendor-samples/zendesk is absent)'}`, () => {
  it.each(files)('%s maps without a reject or a lost field', (f) => {
    const body = load(f)
    if (typeof body === 'string') {
      // A plain-text error body (409): read as it is.
      expect(errorText(body)).not.toBe('')
      return
    }
    if (!isObj(body)) throw new Error(`${f}: not an object`)
    if (Array.isArray(body.tickets)) {
      for (const t of body.tickets) expectTicketWhole(t, mapTicket(t, [], f, ctx))
      if ('after_cursor' in body) expect(cursorExportWire.safeParse(body).success).toBe(true)
      if ('end_time' in body) expect(timeExportWire.safeParse(body).success).toBe(true)
    } else if (isObj(body.ticket)) expectTicketWhole(body.ticket, mapTicket(body.ticket, [], f, ctx))
    else if (Array.isArray(body.comments)) expectCommentsWhole(body.comments, mapTicket(host, body.comments, f, ctx))
    else if ('type' in body && 'author_id' in body) expectCommentsWhole([body], mapTicket(host, [body], f, ctx))
    else if (Array.isArray(body.users)) {
      for (const u of body.users) {
        const m = mapUser(u, f)
        expect(m.rejects).toEqual([])
        const [rec] = m.records.map((r) => r.canonical)
        if (rec?.kind === 'agent') expect(rec.email).toBe(u.email ?? null)
        else if (rec?.kind === 'customer') expect(rec.emails.map((e) => e.value)).toEqual(u.email ? [u.email] : [])
        else throw new Error(`user ${u.id} not staged`)
      }
      if ('end_time' in body) expect(timeExportWire.safeParse(body).success).toBe(true)
    } else if (Array.isArray(body.organizations)) {
      for (const o of body.organizations) {
        const [org] = of(mapOrganization(o, f), 'organization')
        expect(org).toMatchObject({ sourceId: String(o.id), name: o.name, domains: o.domain_names ?? [] })
      }
      if ('meta' in body) expect(cbpWire.safeParse(body).success).toBe(true)
    } else if (Array.isArray(body.groups)) {
      for (const g of body.groups) expect(of(mapGroup(g, f), 'group')[0]).toMatchObject({ sourceId: String(g.id), name: g.name })
    } else if (Array.isArray(body.ticket_fields)) {
      for (const tf of body.ticket_fields) {
        const m = mapTicketField(tf, f)
        expect(m.rejects).toEqual([])
        const [def] = of(m, 'custom_field')
        if (def) expect(def.options).toHaveLength((tf.custom_field_options ?? []).length)
      }
    } else if (Array.isArray(body.user_fields) || Array.isArray(body.organization_fields)) {
      const defs = (body.user_fields ?? body.organization_fields) as Json[]
      expect(fieldTitles(defs).size).toBe(new Set(defs.map((d) => d.key)).size)
    } else if (isObj(body.user)) {
      const me = meWire.safeParse(body)
      expect(me.success).toBe(true)
      // The anonymous answer to wrong credentials is told apart by its null id.
      expect(me.success && me.data.user.id == null).toBe(f.includes('wrong_credentials'))
    } else if ('error' in body || 'errors' in body) {
      expect(errorText(body)).not.toBe('')
    }
    // Everything else (audits, job statuses, uploads, memberships, search, metric events) no stream reads.
  })
})
