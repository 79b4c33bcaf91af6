// Finding what one run created in Znuny, and what people did to it since.
import type { SqlDb } from '../../../../src/kits/sql/index.js'
import { runHistoryComment, runObjects } from '../db-step/run-objects.js'

export const CHUNK = 500
export const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ')

/** Runs `fn` over `ids` in chunks and concatenates the rows. */
export async function inChunks<T, I>(ids: readonly I[], fn: (part: readonly I[], q: string) => Promise<T[]>): Promise<T[]> {
  const out: T[] = []
  for (let i = 0; i < ids.length; i += CHUNK) {
    const part = ids.slice(i, i + CHUNK)
    out.push(...(await fn(part, marks(part.length))))
  }
  return out
}

/**
 * The tickets run `runId` created: recorded in `deskmove_run_object`, or whose first article carries the run's
 * history comment (so a run that died before recording anything is still found). Only tickets that still exist.
 */
export async function runTicketIds(db: SqlDb, runId: string): Promise<number[]> {
  const recorded = (await runObjects(db, runId, 'ticket')).map(Number).filter((n) => Number.isInteger(n) && n > 0)
  const marked = await db.query<{ ticket_id: number }>(
    `SELECT DISTINCT h.ticket_id FROM ticket_history h WHERE h.name = ? AND h.article_id IS NOT NULL
       AND h.article_id = (SELECT MIN(a.id) FROM article a WHERE a.ticket_id = h.ticket_id)`,
    [runHistoryComment(runId)],
  )
  const all = [...new Set([...recorded, ...marked.map((r) => Number(r.ticket_id))])].sort((a, b) => a - b)
  const existing = await inChunks(all, (part, q) => db.query<{ id: number }>(`SELECT id FROM ticket WHERE id IN (${q})`, part))
  return existing.map((r) => Number(r.id)).sort((a, b) => a - b)
}

/** An imported ticket as rollback sees it. */
export interface RunTicket {
  readonly id: number
  readonly tn: string
  /** The user that created it through the API (the importer's session user). */
  readonly importer: number
  /** Articles the importer created, oldest first (the id map lists these). */
  readonly articleIds: readonly number[]
  /** Ticket numbers it had before the database step replaced them. */
  readonly oldNumbers: readonly string[]
  /** What people did to it in Znuny since the import; empty when untouched. */
  readonly changes: readonly string[]
}

/**
 * Reads the run's tickets with what changed since: articles and history rows by any user other than the importer
 * (a reply, a note, a state, queue, owner or priority change, a lock) and a ticket row last changed by someone else.
 */
export async function readRunTickets(db: SqlDb, ids: readonly number[]): Promise<RunTicket[]> {
  const tickets = await inChunks(ids, (part, q) => db.query<{ id: number; tn: string; create_by: number; change_by: number }>(`SELECT id, tn, create_by, change_by FROM ticket WHERE id IN (${q})`, part))
  const articles = await inChunks(ids, (part, q) => db.query<{ id: number; ticket_id: number; create_by: number }>(`SELECT id, ticket_id, create_by FROM article WHERE ticket_id IN (${q}) ORDER BY id`, part))
  const history = await inChunks(ids, (part, q) =>
    db.query<{ ticket_id: number; name: string; create_by: number; type_name: string | null }>(
      `SELECT h.ticket_id, h.name, h.create_by, ht.name AS type_name FROM ticket_history h LEFT JOIN ticket_history_type ht ON ht.id = h.history_type_id WHERE h.ticket_id IN (${q}) ORDER BY h.id`,
      part,
    ),
  )
  return tickets.map((t) => {
    const importer = Number(t.create_by)
    const mine = articles.filter((a) => Number(a.ticket_id) === Number(t.id))
    const hist = history.filter((h) => Number(h.ticket_id) === Number(t.id))
    const changes: string[] = []
    const added = mine.filter((a) => Number(a.create_by) !== importer)
    if (added.length) changes.push(`${added.length} article(s) added in Znuny`)
    const foreign = hist.filter((h) => Number(h.create_by) !== importer)
    const kinds = [...new Set(foreign.map((h) => h.type_name ?? 'history'))]
    if (foreign.length) changes.push(`${foreign.length} change(s) by other users (${kinds.join(', ')})`)
    else if (Number(t.change_by) !== importer) changes.push(`ticket last changed by user ${t.change_by}`)
    const old = hist.map((h) => /^deskmove: ticket number (\S+) replaced by the source number /.exec(h.name)?.[1]).filter((x): x is string => !!x)
    return {
      id: Number(t.id),
      tn: String(t.tn),
      importer,
      articleIds: mine.filter((a) => Number(a.create_by) === importer).map((a) => Number(a.id)),
      oldNumbers: old,
      changes,
    }
  })
}

/** Every form the id map may hold a ticket's ref in (`<id>`, `<id>/<number>/<article ids>` with each number it had). */
export function ticketRefCandidates(t: RunTicket): string[] {
  const arts = t.articleIds.join(',')
  return [...new Set([String(t.id), `${t.id}//${arts}`, ...[t.tn, ...t.oldNumbers].map((n) => `${t.id}/${n}/${arts}`)])]
}
