// `/_sim/manifest`: everything the simulated Znuny holds, read from its tables (so in database mode it also shows
// what was changed behind the simulator's back): tickets with articles, attachment hashes, dynamic fields and
// history, plus mail_queue rows and customer records.
import { createHash } from 'node:crypto'
import type { ZnunyModel } from './model.js'
import type { ZnunyVersion } from './ticket-create.js'
import { ticketOut } from './ticket-get.js'

export interface ManifestAttachment {
  Filename: string
  ContentType: string
  Disposition: string
  Size: number
  Sha256: string
}

export interface ManifestTicket extends Record<string, unknown> {
  TicketID: number
  TicketNumber: string
  Title: string
  Created: string
  DynamicField: { Name: string; Value: unknown }[]
  Article: (Record<string, unknown> & { ArticleID: number; Attachment: ManifestAttachment[] })[]
  History: { HistoryType: string; Name: string; ArticleID: number; CreateTime: string }[]
}

export interface ManifestMail {
  id: number
  articleId: number | null
  sender: string
  recipient: string
  subject: string
  createTime: string
}

export interface ZnunySimManifest {
  version: ZnunyVersion
  tickets: ManifestTicket[]
  mailQueue: ManifestMail[]
  customerUsers: Record<string, unknown>[]
  customerCompanies: Record<string, unknown>[]
}

const AGENT = { kind: 'agent' as const, id: 1, login: 'root@localhost' }

export async function buildManifest(model: ZnunyModel, version: ZnunyVersion): Promise<ZnunySimManifest> {
  const tickets: ManifestTicket[] = []
  const historyTypes = model.lookups.historyTypes
  for (const t of await model.tables.select('ticket')) {
    // Ground truth: the tables as they are, never the emulated cache.
    const out = await ticketOut(model, t, { AllArticles: 1, DynamicFields: 1 }, AGENT, false)
    const articles = (out.Article as Record<string, unknown>[]) ?? []
    const withFiles = []
    for (const a of articles) {
      const rows = await model.tables.select('article_data_mime_attachment', { article_id: a.ArticleID })
      withFiles.push({
        ...a,
        Attachment: rows.map((r) => {
          const content = Buffer.isBuffer(r.content) ? r.content : Buffer.from(String(r.content ?? ''))
          return { Filename: String(r.filename), ContentType: String(r.content_type), Disposition: String(r.disposition), Size: content.length, Sha256: createHash('sha256').update(content).digest('hex') }
        }),
      })
    }
    const history = (await model.tables.select('ticket_history', { ticket_id: t.id })).map((h) => ({
      HistoryType: historyTypes.find((x) => x.id === Number(h.history_type_id))?.name ?? '', Name: String(h.name),
      ArticleID: Number(h.article_id ?? 0), CreateTime: String(h.create_time),
    }))
    tickets.push({ ...(out as ManifestTicket), Article: withFiles as ManifestTicket['Article'], History: history })
  }
  const mailQueue = (await model.tables.select('mail_queue')).map((m) => {
    const raw = Buffer.isBuffer(m.raw_message) ? m.raw_message.toString('utf8') : String(m.raw_message ?? '')
    return {
      id: Number(m.id), articleId: m.article_id === null || m.article_id === undefined ? null : Number(m.article_id), sender: String(m.sender ?? ''),
      recipient: String(m.recipient ?? ''), subject: /^Subject: (.*)$/m.exec(raw)?.[1] ?? '', createTime: String(m.create_time),
    }
  })
  const strip = (r: Record<string, unknown>) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'pw'))
  return {
    version,
    tickets,
    mailQueue,
    customerUsers: (await model.tables.select('customer_user')).map(strip),
    customerCompanies: await model.tables.select('customer_company'),
  }
}
