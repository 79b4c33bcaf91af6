// Which imported conversations people worked on in FreeScout after the import: a rollback keeps those (unless
// forced), because deleting them would delete FreeScout's own threads and decisions along with deskmove's.
import type { FsDb } from './db.js'
import { readWrittenState } from './writer.js'
import { moduleTables, queryInChunks } from './lookups.js'

/** An imported conversation that changed in FreeScout after deskmove wrote it, and how. */
export interface ChangedConversation {
  readonly id: number
  readonly number: number | null
  /** Human-readable changes, e.g. `2 thread(s) added in FreeScout`, `status 3 → 1`. */
  readonly changes: readonly string[]
}

/** A conversation row as rollback reads it. */
export interface RunConversation {
  readonly id: number
  readonly number: number | null
  readonly status: number
  readonly state: number
  readonly mailbox_id: number
  readonly user_id: number | null
  readonly customer_id: number | null
  readonly meta: string | null
}

/**
 * The conversations among `convs` that gained threads deskmove did not write (a reply, a note, FreeScout's own
 * line items) or whose status, state, mailbox, assignee, customer or tags differ from what deskmove wrote (as
 * recorded in `meta`; imports made before that was recorded are judged by their threads only). Reads only.
 */
export async function changedSinceImport(db: FsDb, convs: readonly RunConversation[]): Promise<ChangedConversation[]> {
  if (convs.length === 0) return []
  const ids = convs.map((c) => c.id)
  // Every thread deskmove writes carries `"deskmove":` provenance in meta; anything else was added in FreeScout.
  const foreign = await queryInChunks(ids, (part, marks) =>
    db.query<{ conversation_id: number; n: number }>(
      `SELECT conversation_id, COUNT(*) AS n FROM threads WHERE conversation_id IN (${marks}) AND (meta IS NULL OR meta NOT LIKE ?) GROUP BY conversation_id`,
      [...part, '%"deskmove":%'],
    ),
  )
  const added = new Map(foreign.map((r) => [Number(r.conversation_id), Number(r.n)]))
  let tags: Map<number, string[]> | null = null
  if ((await moduleTables(db)).tags) {
    tags = new Map()
    const rows = await queryInChunks(ids, (part, marks) =>
      db.query<{ conversation_id: number; name: string }>(
        `SELECT ct.conversation_id, tg.name FROM conversation_tag ct JOIN tags tg ON tg.id = ct.tag_id WHERE ct.conversation_id IN (${marks})`,
        part,
      ),
    )
    for (const r of rows) {
      const list = tags.get(Number(r.conversation_id)) ?? []
      list.push(String(r.name))
      tags.set(Number(r.conversation_id), list)
    }
  }
  const out: ChangedConversation[] = []
  for (const c of convs) {
    const changes: string[] = []
    const n = added.get(c.id)
    if (n) changes.push(`${n} thread(s) added in FreeScout`)
    const w = readWrittenState(c.meta)
    if (w) {
      const num = (v: unknown) => (v === null || v === undefined ? null : Number(v))
      const cmp = (what: string, was: number | null, now: number | null) => was !== now && changes.push(`${what} ${was ?? 'none'} → ${now ?? 'none'}`)
      cmp('status', w.status, num(c.status))
      cmp('state', w.state, num(c.state))
      cmp('mailbox', w.mailbox, num(c.mailbox_id))
      cmp('assignee', w.user, num(c.user_id))
      cmp('customer', w.customer, num(c.customer_id))
      if (tags) {
        const now = (tags.get(c.id) ?? []).sort()
        if (now.join('\u0000') !== [...w.tags].sort().join('\u0000')) changes.push(`tags ${w.tags.join(', ') || 'none'} → ${now.join(', ') || 'none'}`)
      }
    }
    if (changes.length) out.push({ id: c.id, number: c.number === null ? null : Number(c.number), changes })
  }
  return out
}
