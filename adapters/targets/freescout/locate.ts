// Finds what an interrupted apply wrote, through indexed columns only (emails.email, threads.message_id).
import type { ApplyContext, Located } from '../../../src/core/target.js'
import type { FsDb } from './db.js'
import type { FsOp } from './plan-ops.js'
import { readProvenance } from './writer.js'

/**
 * Locates the FreeScout object of an op whose id-map commit was lost: users by email, customers by their
 * main address (and deskmove provenance naming the same source record), conversations by the import note's
 * deterministic Message-ID. `sameOp` compares the op hash stored in `meta`. Reads only.
 */
export async function locateFsOp(db: FsDb, op: FsOp, ctx: ApplyContext): Promise<Located | null> {
  if (op.type === 'user') {
    if (op.action !== 'create-disabled') return { ref: String(op.userId), sameOp: true }
    const u = await db.query<{ id: number }>('SELECT id FROM users WHERE email = ?', [op.email])
    return u[0] ? { ref: String(u[0].id), sameOp: true } : null
  }
  if (op.type === 'customer-link') {
    if (op.existingCustomerId !== null) return { ref: String(op.existingCustomerId), sameOp: true }
    const into = op.into ? ctx.resolve(op.into) : undefined
    return into ? { ref: into, sameOp: true } : null
  }
  if (op.type === 'customer') {
    const rows = await db.query<{ id: number; meta: string | null }>('SELECT c.id, c.meta FROM emails e JOIN customers c ON c.id = e.customer_id WHERE e.email = ?', [op.emails[0]])
    const p = readProvenance(rows[0]?.meta)
    if (!rows[0] || !p || p.source !== op.ref.source || p.id !== op.ref.sourceId) return null
    return { ref: String(rows[0].id), sameOp: p.hash === ctx.opHash }
  }
  const note = op.threads[op.threads.length - 1]!
  const rows = await db.query<{ id: number; meta: string | null }>(
    'SELECT c.id, c.meta FROM threads t JOIN conversations c ON c.id = t.conversation_id WHERE t.message_id = ?',
    [note.messageId],
  )
  const p = readProvenance(rows[0]?.meta)
  if (!rows[0] || !p || p.source !== op.ref.source || p.id !== op.ref.sourceId) return null
  return { ref: String(rows[0].id), sameOp: p.hash === ctx.opHash }
}
