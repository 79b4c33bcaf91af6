// Staged records as plan units, a page at a time: tickets with their messages and attachments.
import { stmt, type StagingStore, type Db } from './store.js'
import type { EntityKind } from '../core/model/common.js'
import type { Agent, Customer } from '../core/model/person.js'
import type { Ticket } from '../core/model/ticket.js'
import type { Message } from '../core/model/message.js'
import type { Attachment } from '../core/model/attachment.js'
import type { Organization } from '../core/model/organization.js'
import type { PlanUnit, WriteOpBase } from '../core/target.js'
import type { LoadKind } from '../core/capabilities.js'

/** Records read per query. */
const PAGE = 200

/** Source ids of one kind in key order, a page at a time, so memory stays flat however large staging is. */
export function* stagedIdPages(db: Db, source: string, kind: EntityKind): Generator<string[]> {
  const stmt = db.prepare('SELECT source_id FROM staged_record WHERE source = ? AND kind = ? AND source_id > ? ORDER BY source_id LIMIT ?').pluck()
  for (let after = ''; ; ) {
    const ids = stmt.all(source, kind, after, PAGE) as string[]
    if (ids.length === 0) return
    yield ids
    after = ids[ids.length - 1]!
  }
}

/** Source ids of one kind in key order (paged underneath). */
export function* stagedIds(db: Db, source: string, kind: EntityKind): Generator<string> {
  for (const page of stagedIdPages(db, source, kind)) yield* page
}

/** Builds the plan unit of one staged record: tickets come with their messages and attachments, customers with their organization. */
export function buildUnit(store: StagingStore, source: string, kind: LoadKind, sourceId: string): PlanUnit | undefined {
  return buildUnits(store, source, kind, [sourceId]).get(sourceId)
}

const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ')

/**
 * Builds the plan units of a page of staged records in three queries (records, then all their messages and
 * attachments, or customers' organisations), reading only the canonical JSON. Ids not staged are absent.
 */
export function buildUnits(store: StagingStore, source: string, kind: LoadKind, ids: readonly string[]): Map<string, PlanUnit> {
  const { db, blobs } = store
  const out = new Map<string, PlanUnit>()
  if (ids.length === 0) return out
  const read = (k: EntityKind, col: 'source_id' | 'parent_id', keys: readonly string[]) => {
    const rows: { k: string; canonical: string }[] = []
    for (let i = 0; i < keys.length; i += PAGE) {
      const part = keys.slice(i, i + PAGE)
      rows.push(...(stmt(db, `SELECT ${col} AS k, canonical FROM staged_record WHERE source = ? AND kind = ? AND ${col} IN (${marks(part.length)})`).all(source, k, ...part) as typeof rows))
    }
    return rows
  }
  const records = new Map(read(kind, 'source_id', ids).map((r) => [r.k, JSON.parse(r.canonical) as Organization | Agent | Customer | Ticket]))
  if (kind === 'organization') for (const [id, r] of records) out.set(id, { kind: 'organization', record: r as Organization })
  if (kind === 'agent') for (const [id, r] of records) out.set(id, { kind: 'agent', record: r as Agent })
  if (kind === 'customer') {
    const orgIds = [...new Set([...records.values()].flatMap((c) => ((c as Customer).organizationRef ? [(c as Customer).organizationRef!.sourceId] : [])))]
    const orgs = new Map(orgIds.length ? read('organization', 'source_id', orgIds).map((r) => [r.k, JSON.parse(r.canonical) as Organization]) : [])
    for (const [id, r] of records) {
      const c = r as Customer
      out.set(id, { kind: 'customer', record: c, organization: (c.organizationRef && orgs.get(c.organizationRef.sourceId)) || null })
    }
  }
  if (kind !== 'ticket') return out
  const found = [...records.keys()]
  const children = (k: 'message' | 'attachment') => {
    const byTicket = new Map<string, unknown[]>()
    for (const r of found.length ? read(k, 'parent_id', found) : []) {
      const list = byTicket.get(r.k) ?? []
      list.push(JSON.parse(r.canonical))
      byTicket.set(r.k, list)
    }
    return byTicket
  }
  const messages = children('message') as Map<string, Message[]>
  const attachments = children('attachment') as Map<string, Attachment[]>
  for (const [id, r] of records) {
    out.set(id, {
      kind: 'ticket',
      record: r as Ticket,
      messages: (messages.get(id) ?? []).sort((a, b) => a.position - b.position || a.sourceId.localeCompare(b.sourceId)),
      attachments: (attachments.get(id) ?? [])
        .sort((a, b) => a.sourceId.localeCompare(b.sourceId))
        .map((record) => ({ record, blobSize: record.sha256 ? blobs.sizeOf(record.sha256) : null })),
    })
  }
  return out
}

/** What an op carries besides its record: a ticket's children and values, minus the parts it leaves out. */
export function partsOf(unit: PlanUnit, op: WriteOpBase): Record<string, number> | undefined {
  const out: Record<string, number> = {}
  if (unit.kind === 'ticket') {
    out.message = unit.messages.length
    out.attachment = unit.attachments.length
    out.tag = unit.record.tags.length
    out.custom_field = unit.record.customFields.length
  } else if (unit.kind === 'customer' && unit.organization) out.organization = 1
  else return undefined
  for (const x of op.partialRejects) if (out[x.kind] !== undefined) out[x.kind] = Math.max(0, out[x.kind]! - 1)
  return out
}
