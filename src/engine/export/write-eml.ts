// The email part of an archive: every message of every ticket as one `.eml` file under
// `eml/<source>/<ticket>/<position>-<message>.eml`, threaded by Message-ID / In-Reply-To / References, and
// `eml/index.jsonl` listing each file (or why a message has none).
import { createHash } from 'node:crypto'
import { createWriteStream, existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { Ticket } from '../../core/model/ticket.js'
import type { Message } from '../../core/model/message.js'
import type { Attachment } from '../../core/model/attachment.js'
import type { Group } from '../../core/model/group.js'
import type { Customer } from '../../core/model/person.js'
import type { StagingStore } from '../../staging/store.js'
import { InterruptedError } from '../../core/errors.js'
import { getRecord } from '../../staging/records.js'
import { blobStateOf, childrenOfTicket, recordsOfKind } from '../../staging/export-reads.js'
import { archivePaths, type EmlIndexLine } from '../../core/archive/format.js'
import { JsonlWriter, type WrittenFile } from './jsonl-writer.js'
import { composeEmail, headerMessageId, isEmail, type EmlAttachment } from './eml.js'
import { safeSegment } from './safe-name.js'

/** Emails being written at once. */
const IN_FLIGHT = 16

export interface EmlPart {
  readonly index: WrittenFile
  readonly files: number
  readonly skipped: number
}

export interface EmlOptions {
  readonly store: StagingStore
  readonly out: string
  readonly signal: AbortSignal
  readonly onTicket?: () => void
}

async function writeEmailFile(node: ReturnType<typeof composeEmail>, path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256')
  let bytes = 0
  const meter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk)
      bytes += chunk.length
      cb(null, chunk)
    },
  })
  await pipeline(node.createReadStream(), meter, createWriteStream(path))
  return { sha256: hash.digest('hex'), bytes }
}

/** Lookups of the people and mailboxes emails need for their addresses, cached per export. */
function addressBook(store: StagingStore): { group(t: Ticket): string | null; customer(t: Ticket): string | null } {
  const groups = new Map<string, string | null>()
  const customers = new Map<string, string | null>()
  return {
    group(t) {
      if (!t.groupRef) return null
      const key = `${t.source}\n${t.groupRef.sourceId}`
      if (!groups.has(key)) groups.set(key, (getRecord(store.db, t.source, 'group', t.groupRef.sourceId)?.canonical as Group | undefined)?.email ?? null)
      return groups.get(key)!
    },
    customer(t) {
      if (!t.customerRef) return t.customerEmail ?? null
      const key = `${t.source}\n${t.customerRef.sourceId}`
      if (!customers.has(key)) customers.set(key, (getRecord(store.db, t.source, 'customer', t.customerRef.sourceId)?.canonical as Customer | undefined)?.emails[0]?.value ?? null)
      return customers.get(key)!
    },
  }
}

type Push = (line: Promise<EmlIndexLine>) => Promise<void>

/** One ticket's emails, oldest first, each replying to the one before it. */
async function writeTicket(o: EmlOptions, book: ReturnType<typeof addressBook>, ticket: Ticket, push: Push): Promise<{ files: number; skipped: number }> {
  const { db } = o.store
  const messages = childrenOfTicket(db, ticket.source, 'message', ticket.sourceId).map((j) => JSON.parse(j) as Message).sort((a, b) => a.position - b.position || a.createdAt.localeCompare(b.createdAt))
  const attachments = childrenOfTicket(db, ticket.source, 'attachment', ticket.sourceId).map((j) => JSON.parse(j) as Attachment)
  const dir = join('eml', safeSegment(ticket.source), safeSegment(ticket.sourceId))
  const earlier: string[] = []
  let files = 0
  let skipped = 0
  for (const m of messages) {
    const base = { source: m.source, ticketId: ticket.sourceId, messageId: m.sourceId }
    if (!isEmail(m)) {
      await push(Promise.resolve({ ...base, path: null, sha256: null, bytes: null, headerMessageId: null, missingAttachments: [], skipped: `${m.type}: ticket history, not an email (kept in records/messages.jsonl)` }))
      skipped++
      continue
    }
    const own: EmlAttachment[] = attachments
      .filter((a) => a.messageRef.sourceId === m.sourceId)
      .map((a) => {
        const state = blobStateOf(db, a.source, a.sourceId)
        const path = state?.status === 'stored' && state.sha256 ? o.store.blobs.pathFor(state.sha256) : null
        return { record: a, file: path !== null && existsSync(path) ? path : null, status: state?.status === 'stored' ? 'missing from the blob store' : (state?.status ?? 'pending') }
      })
    const rel = `${dir}/${String(m.position).padStart(4, '0')}-${safeSegment(m.sourceId)}.eml`
    if (files === 0) mkdirSync(join(o.out, dir), { recursive: true })
    // Composed now: the thread headers are taken from `earlier` as it stands for this message.
    const node = composeEmail({ ticket, message: m, earlier, attachments: own, groupEmail: book.group(ticket), customerEmail: book.customer(ticket) })
    const id = headerMessageId(m)
    const missingAttachments = own.filter((a) => a.file === null).map((a) => ({ attachmentId: a.record.sourceId, fileName: a.record.fileName, status: a.status }))
    await push(writeEmailFile(node, join(o.out, rel)).then((written) => ({ ...base, path: rel, ...written, headerMessageId: id, missingAttachments, skipped: null })))
    earlier.push(id)
    files++
  }
  return { files, skipped }
}

export async function writeEmlPart(o: EmlOptions): Promise<EmlPart> {
  const index = new JsonlWriter(o.out, archivePaths.emlIndex)
  const book = addressBook(o.store)
  let files = 0
  let skipped = 0
  // Emails are written several at a time (the time goes to waiting on file creation), the index in order.
  const pending: Promise<EmlIndexLine>[] = []
  const push: Push = async (line) => {
    pending.push(line)
    if (pending.length >= IN_FLIGHT) index.write(await pending.shift()!)
  }
  try {
    for (const row of recordsOfKind(o.store.db, 'ticket')) {
      if (o.signal.aborted) throw new InterruptedError('export interrupted: the archive is incomplete (it has no manifest.json); run the same export again')
      const n = await writeTicket(o, book, JSON.parse(row.canonicalJson) as Ticket, push)
      files += n.files
      skipped += n.skipped
      o.onTicket?.()
    }
    for (const line of pending) index.write(await line)
  } catch (e) {
    // Nothing is left writing behind the error (an interrupted export stops with its files closed).
    await Promise.allSettled(pending)
    index.close()
    throw e
  }
  return { index: index.close(), files, skipped }
}
