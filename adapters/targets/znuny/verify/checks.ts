// Consistency checks over imported tickets: no mail queued or sent for them (the zero-mail promise), article
// incoming_time equal to the article's create time, and no ticket that changed before it was created.
import { z } from 'zod'
import type { CheckFinding } from '../../../../src/core/target-verify.js'
import { RemoteUnavailableError } from '../../../../src/core/errors.js'
import type { SqlDb } from '../../../../src/kits/sql/index.js'
import { instantSeconds } from './compare.js'
import type { ZnunyReader } from './index.js'

const CHUNK = 500
const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ')

/** History types that mean Znuny sent (or queued) an e-mail. */
export const MAIL_HISTORY_TYPES = ['SendAutoReply', 'SendAgentNotification', 'SendCustomerNotification', 'SendAnswer', 'Forward', 'Bounce', 'SendAutoFollowUp', 'SendAutoReject'] as const

/** The checks with the database: mail_queue rows of imported articles, incoming_time, change before create. */
export async function sqlChecks(db: SqlDb, refs: readonly string[]): Promise<CheckFinding[]> {
  const out: CheckFinding[] = []
  for (let i = 0; i < refs.length; i += CHUNK) {
    const part = refs.slice(i, i + CHUNK).map(Number)
    const q = marks(part.length)
    const mail = await db.query<{ ticket_id: number; n: number }>(
      `SELECT a.ticket_id, COUNT(*) AS n FROM mail_queue m JOIN article a ON a.id = m.article_id WHERE a.ticket_id IN (${q}) GROUP BY a.ticket_id`,
      part,
    )
    for (const m of mail) out.push({ check: 'mail-queued', targetRef: String(m.ticket_id), detail: `${m.n} e-mail(s) of this ticket's articles are in mail_queue: Znuny will send them when its daemon runs` })
    const arts = await db.query<{ id: number; ticket_id: number; create_time: string; incoming_time: number | null }>(
      `SELECT a.id, a.ticket_id, a.create_time, m.incoming_time FROM article a JOIN article_data_mime m ON m.article_id = a.id WHERE a.ticket_id IN (${q})`,
      part,
    )
    for (const a of arts) {
      if (a.incoming_time !== null && Number(a.incoming_time) !== instantSeconds(a.create_time))
        out.push({ check: 'incoming-time', targetRef: String(a.ticket_id), detail: `article ${a.id}: incoming_time ${a.incoming_time} is not its create_time ${a.create_time} (UTC)` })
    }
    const back = await db.query<{ id: number; create_time: string; change_time: string }>(`SELECT id, create_time, change_time FROM ticket WHERE id IN (${q}) AND change_time < create_time`, part)
    for (const t of back) out.push({ check: 'changed-before-created', targetRef: String(t.id), detail: `changed ${t.change_time} before created ${t.create_time}` })
  }
  // Agent notifications carry no article: they cannot be tied to a ticket, but a zero-mail import leaves none.
  const [loose] = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM mail_queue WHERE article_id IS NULL')
  if (loose && Number(loose.n) > 0) out.push({ check: 'mail-queued', targetRef: null, detail: `${loose.n} mail_queue row(s) without an article (agent notifications): check whether the import caused them before Znuny's daemon sends them` })
  return out
}

const history = z.object({
  TicketHistory: z.array(z.object({ History: z.array(z.object({ HistoryType: z.string().nullish(), Name: z.string().nullish(), CreateTime: z.string().nullish() }).passthrough()) }).passthrough()),
})

/** Without the database: mail Znuny recorded in each ticket's history (TicketHistoryGet). */
export async function historyMailFindings(reader: ZnunyReader, refs: readonly string[], signal: AbortSignal): Promise<CheckFinding[]> {
  const out: CheckFinding[] = []
  const mailTypes = new Set<string>(MAIL_HISTORY_TYPES)
  for (const ref of refs) {
    let raw: unknown
    try {
      raw = await reader.ticketHistory!(ref, signal)
    } catch (e) {
      if (e instanceof RemoteUnavailableError) throw e
      out.push({ check: 'history-unreadable', targetRef: ref, detail: (e as Error).message })
      continue
    }
    const r = history.safeParse(raw)
    if (!r.success) {
      out.push({ check: 'history-unreadable', targetRef: ref, detail: 'TicketHistoryGet answered an unexpected shape' })
      continue
    }
    const sent = r.data.TicketHistory.flatMap((h) => h.History).filter((h) => h.HistoryType && mailTypes.has(h.HistoryType))
    if (sent.length) out.push({ check: 'mail-sent', targetRef: ref, detail: `Znuny recorded ${sent.length} e-mail(s): ${sent.map((h) => `${h.HistoryType} ${h.Name ?? ''}`.trim()).join('; ')}` })
  }
  return out
}
