// Who the user ids on a page of tickets are: side-loaded users first, then one `show_many` per 100 unknown
// ids; an id Zendesk no longer returns is a user that no longer exists (a placeholder, never a crash).
import type { RecordWarning, StagedRecord } from '../../../src/core/source.js'
import { ensureOk, fetchUsersByIds, type Api } from './endpoints.js'
import type { Person } from './to-canonical-ticket.js'
import { customerOf, placeholderId, SOURCE, type FieldTitles } from './to-canonical.js'
import { userWire, type UserWire } from './wire.js'
import { stageCanonical } from '../../../src/kits/source/mapping-result.js'

export class People {
  private readonly users = new Map<number, UserWire>()
  private readonly raws = new Map<number, unknown>()
  private readonly missing = new Set<number>()

  /** Remembers users a response side-loaded (`include=users`). */
  add(list: readonly unknown[] | null | undefined): void {
    for (const raw of list ?? []) {
      const u = userWire.safeParse(raw)
      if (u.success) {
        this.users.set(u.data.id, u.data)
        this.raws.set(u.data.id, raw)
      }
    }
  }

  /** Looks up every id not known yet (100 per request); those not returned are marked missing. */
  async resolve(api: Api, ids: Iterable<number>, signal: AbortSignal): Promise<void> {
    const unknown = [...new Set(ids)].filter((id) => id > 0 && !this.users.has(id) && !this.missing.has(id))
    for (let i = 0; i < unknown.length; i += 100) {
      const batch = unknown.slice(i, i + 100)
      const res = await fetchUsersByIds(api, batch, signal)
      ensureOk(res, 'users (show_many)')
      this.add((res.body as { users?: unknown[] } | null)?.users)
      for (const id of batch) if (!this.users.has(id)) this.missing.add(id)
    }
  }

  index(): Map<number, Person> {
    const out = new Map<number, Person>()
    for (const [id, u] of this.users) out.set(id, { role: u.role ?? null, name: u.name ?? null, email: u.email ?? null })
    for (const id of this.missing) out.set(id, 'missing')
    return out
  }

  /**
   * Customer records the tickets need beyond the users stream: agents who requested a ticket (a conversation's
   * customer must be a customer) and placeholders for requesters Zendesk no longer has.
   */
  requesterRecords(requesterIds: Iterable<number>, userFields: FieldTitles): StagedRecord[] {
    const out: StagedRecord[] = []
    for (const id of new Set(requesterIds)) {
      const u = this.users.get(id)
      if (u && (u.role === 'agent' || u.role === 'admin')) {
        const staged = stageCanonical(customerOf(u, userFields), this.raws.get(id))
        if ('canonical' in staged) out.push(staged)
      } else if (this.missing.has(id)) {
        const warning: RecordWarning = { code: 'missing-user', detail: `requester ${id} no longer exists in Zendesk (deleted user): staged as placeholder customer ${placeholderId(id)}` }
        const placeholder = stageCanonical({
          kind: 'customer', source: SOURCE, sourceId: placeholderId(id), sourceUpdatedAt: null, sourceUrl: null, firstName: 'Deleted Zendesk user', lastName: String(id),
          emails: [], phones: [], organizationRef: null, company: null, jobTitle: null, notes: null, websites: [], location: null, createdAt: null,
        }, { placeholderFor: id })
        if ('canonical' in placeholder) out.push({ ...placeholder, warnings: [warning] })
      }
    }
    return out
  }
}
