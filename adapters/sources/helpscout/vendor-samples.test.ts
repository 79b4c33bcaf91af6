// Replays every Help Scout payload in ../shared/vendor-samples/helpscout (recorded, vendor docs and SDK
// fixtures) through the wire schemas and the mapping: no ticket, thread or customer may be rejected, and
// every listed field the canonical model holds must arrive. Skips, with the reason, when the corpus is absent.
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { mapConversation } from './to-canonical-ticket.js'
import { mapCustomer } from './to-canonical-customer.js'
import { mapMailboxes, mapFields, mapTags, mapUsers } from './to-canonical.js'
import type { Mapped } from '../../../src/kits/source/mapping-result.js'
import type { CanonicalOf } from '../../../src/core/model/index.js'

const DIR = resolve(__dirname, '../../../../shared/vendor-samples/helpscout')
const present = existsSync(DIR)
type Json = Record<string, any>

const files = present ? readdirSync(DIR).filter((f) => f.endsWith('.json')).sort() : []
const load = (f: string): unknown => JSON.parse(readFileSync(join(DIR, f), 'utf8'))
const isObj = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v)

const tickets = (m: Mapped) => m.records.map((r) => r.canonical).filter((c): c is CanonicalOf<'ticket'> => c.kind === 'ticket')
const messages = (m: Mapped) => m.records.map((r) => r.canonical).filter((c): c is CanonicalOf<'message'> => c.kind === 'message')
const attachments = (m: Mapped) => m.records.map((r) => r.canonical).filter((c): c is CanonicalOf<'attachment'> => c.kind === 'attachment')
const customers = (m: Mapped) => m.records.map((r) => r.canonical).filter((c): c is CanonicalOf<'customer'> => c.kind === 'customer')
const nonBlank = (list: unknown): number => (Array.isArray(list) ? list.filter((v) => typeof v === 'string' && v.trim() !== '').length : 0)

const CUSTOMER_PARTS: Record<string, string> = { emails: 'emails', phones: 'phones', chats: 'chats', 'social-profiles': 'socialProfiles', websites: 'websites' }

/** What a sample is, by its shape (file names only hint; the shape decides). */
function kindOf(body: unknown): string {
  if (!isObj(body)) return 'other'
  const emb = isObj(body._embedded) ? body._embedded : {}
  if (Array.isArray(emb.conversations)) return 'conversations'
  if (Array.isArray(emb.threads) && !('mailboxId' in body)) return 'threads'
  if (Array.isArray(emb.customers)) return 'customers'
  if (Array.isArray(emb.users)) return 'users'
  if (Array.isArray(emb.mailboxes)) return 'mailboxes'
  if (Array.isArray(emb.fields)) return 'fields'
  if (Array.isArray(emb.tags)) return 'tags'
  if ('mailboxId' in body && 'id' in body) return 'conversation'
  if ('type' in body && 'createdBy' in body && 'id' in body) return 'thread'
  if ('firstName' in body && 'id' in body && !('role' in body) && !('email' in body)) return 'customer'
  if (Object.keys(CUSTOMER_PARTS).some((k) => Array.isArray(emb[k]))) return 'customer-part'
  // Teams, folders: lists no stream maps.
  if (Object.values(emb).some(Array.isArray)) return 'other'
  if ('city' in body || 'lines' in body) return 'address'
  if (isObj(body.page)) return 'empty-list'
  return 'other'
}

/** Every field the sample lists on a conversation reaches the ticket and its messages. */
function expectConversationWhole(raw: Json, m: Mapped, threadsRaw?: Json[]): void {
  expect(m.rejects.filter((r) => r.kind === 'ticket' || r.kind === 'message' || r.kind === 'attachment')).toEqual([])
  const [t] = tickets(m)
  expect(t, `conversation ${raw.id} staged`).toBeDefined()
  if (!t) return
  expect(t.sourceId).toBe(String(raw.id))
  if (typeof raw.number === 'number') expect(t.number).toBe(raw.number)
  if (raw.subject) expect(t.subject).toBe(raw.subject)
  expect(t.tags).toHaveLength(Array.isArray(raw.tags) ? raw.tags.length : 0)
  expect(t.cc).toHaveLength(nonBlank(raw.cc))
  expect(t.bcc).toHaveLength(nonBlank(raw.bcc))
  expect(t.customFields).toHaveLength(Array.isArray(raw.customFields) ? raw.customFields.length : 0)
  if (raw.mailboxId !== undefined) expect(t.groupRef).toEqual({ kind: 'group', sourceId: String(raw.mailboxId) })
  if (isObj(raw.assignee) && raw.assignee.type !== 'team') expect(t.assigneeRef, 'assignee kept').not.toBeNull()
  if (isObj(raw.primaryCustomer)) expect(t.customerRef ?? t.customerEmail ?? null, 'primary customer kept').not.toBeNull()
  if ((raw.closedBy && raw.closedBy !== 0) || raw.closedByUser?.id) expect(t.closedByRef, 'closer kept').not.toBeNull()
  if (raw.closedAt) expect(t.closedAt).toBe(raw.closedAt)
  if (isObj(raw.snooze)) expect(t.snooze?.until).toBe(raw.snooze.snoozedUntil)
  const threads: Json[] = threadsRaw ?? (Array.isArray(raw._embedded?.threads) ? raw._embedded.threads : [])
  const byId = new Map(messages(m).map((x) => [x.sourceId, x]))
  const unsent = threads.filter((th) => th.state === 'draft' || th.state === 'scheduled')
  expect(messages(m)).toHaveLength(threads.length - unsent.length)
  for (const th of threads) {
    if (unsent.includes(th)) continue
    const msg = byId.get(String(th.id))
    expect(msg, `thread ${th.id} staged`).toBeDefined()
    if (!msg) continue
    if (typeof th.body === 'string') expect(msg.bodyHtml).toBe(th.body)
    expect(msg.to).toHaveLength(nonBlank(th.to))
    expect(msg.cc).toHaveLength(nonBlank(th.cc))
    expect(msg.bcc).toHaveLength(nonBlank(th.bcc))
    if (th.openedAt) expect(msg.openedAt).toBe(th.openedAt)
    if (isObj(th.rating)) expect(msg.rating?.value).toBe(th.rating.rating)
    if (isObj(th.createdBy) && th.createdBy.type !== 'team') expect(msg.author.ref, `author of thread ${th.id}`).not.toBeNull()
    if (isObj(th.assignedTo) && th.assignedTo.type !== 'team') expect(msg.assigneeRef).not.toBeNull()
    const atts = Array.isArray(th._embedded?.attachments) ? th._embedded.attachments : []
    expect(attachments(m).filter((a) => a.messageRef.sourceId === String(th.id))).toHaveLength(atts.length)
  }
}

function expectCustomerWhole(raw: Json, m: Mapped): void {
  expect(m.rejects).toEqual([])
  const [c] = customers(m)
  expect(c, `customer ${raw.id} staged`).toBeDefined()
  if (!c) return
  const emb: Json = raw._embedded ?? {}
  const len = (v: unknown): number => (Array.isArray(v) ? v.length : 0)
  expect(c.emails).toHaveLength(len(emb.emails))
  expect(c.phones).toHaveLength(len(emb.phones))
  expect(c.websites).toHaveLength(len(emb.websites))
  expect(c.socialProfiles ?? []).toHaveLength(len(emb.social_profiles) + len(emb['social-profiles']))
  expect(c.chatHandles ?? []).toHaveLength(len(emb.chats))
  expect(c.properties ?? []).toHaveLength(len(emb.properties))
  if (isObj(emb.address) && (emb.address.city || (emb.address.lines ?? []).length > 0)) expect(c.address?.city ?? c.address?.lines[0]).toBeTruthy()
  if (raw.background) expect(c.notes).toBe(raw.background)
  if (raw.organization) expect(c.company).toBe(raw.organization)
  if (raw.organizationId) expect(c.organizationRef?.sourceId).toBe(String(raw.organizationId))
  if (raw.jobTitle) expect(c.jobTitle).toBe(raw.jobTitle)
}

describe.skipIf(!present)(`Help Scout vendor samples replay (../shared/vendor-samples/helpscout)${present ? '' : ' (skipped: ../shared/vendor-samples/helpscout is not present in this checkout)'}`, () => {
  it('the corpus holds conversations, threads and customers to replay', () => {
    const kinds = new Set(files.map((f) => kindOf(load(f))))
    for (const k of ['conversations', 'conversation', 'threads', 'customers', 'customer']) expect(kinds).toContain(k)
  })

  for (const f of files) {
    const body = load(f)
    const kind = kindOf(body)
    it(`${f} (${kind}) maps without losing a ticket, thread, customer or listed field`, () => {
      const b = body as Json
      switch (kind) {
        case 'conversations':
          for (const c of b._embedded.conversations) expectConversationWhole(c, mapConversation(c, { where: f }))
          break
        case 'conversation':
          expectConversationWhole(b, mapConversation(b, { where: f }))
          break
        case 'threads': {
          const shell = { id: 1, number: 1, status: 'active', mailboxId: 1, createdAt: '2020-01-01T00:00:00Z' }
          expectConversationWhole(shell, mapConversation(shell, { where: f, threads: b._embedded.threads }), b._embedded.threads)
          break
        }
        case 'thread': {
          const shell = { id: 1, number: 1, status: 'active', mailboxId: 1, createdAt: '2020-01-01T00:00:00Z' }
          expectConversationWhole(shell, mapConversation(shell, { where: f, threads: [b] }), [b])
          break
        }
        case 'customers':
          for (const c of b._embedded.customers) expectCustomerWhole(c, mapCustomer(c, f))
          break
        case 'customer':
          expectCustomerWhole(b, mapCustomer(b, f))
          break
        case 'customer-part': {
          // A sub-resource completes a customer that came without `_embedded`.
          const [key, list] = Object.entries(b._embedded as Json).find(([k]) => k in CUSTOMER_PARTS)!
          const m = mapCustomer({ id: 1 }, f, { [CUSTOMER_PARTS[key]!]: list })
          expect(m.rejects).toEqual([])
          const [c] = customers(m)
          const got = { emails: c?.emails, phones: c?.phones, chats: c?.chatHandles, 'social-profiles': c?.socialProfiles, websites: c?.websites }[key]
          expect(got).toHaveLength((list as unknown[]).length)
          break
        }
        case 'address': {
          const [c] = customers(mapCustomer({ id: 1 }, f, { address: b }))
          expect(c?.address).toMatchObject({ city: b.city, lines: b.lines })
          break
        }
        case 'users': {
          const m = mapUsers(b._embedded.users, f)
          expect(m.rejects).toEqual([])
          expect(m.records).toHaveLength(b._embedded.users.length)
          break
        }
        case 'mailboxes':
          expect(mapMailboxes(b._embedded.mailboxes, f).rejects).toEqual([])
          break
        case 'fields':
          expect(mapFields(b._embedded.fields, '1', f).rejects).toEqual([])
          break
        case 'tags':
          expect(mapTags(b._embedded.tags, f).rejects).toEqual([])
          break
        case 'empty-list':
          // The real empty page: no `_embedded` at all. Nothing to map, and nothing may be made up.
          expect(b._embedded).toBeUndefined()
          break
        default:
          // Tokens, errors, attachment data, single users/mailboxes/teams/tags: not mapped by these streams.
          expect(kind).toBe('other')
      }
    })
  }
})
