// Agents and customers in FreeScout: users created disabled, customers with their addresses (one owner each).
import { randomBytes } from 'node:crypto'
import type { ApplyContext } from '../../../src/core/target.js'
import { RecordRejectedError } from '../../../src/core/errors.js'
import type { FsDb } from './db.js'
import type { FsCustomerLinkOp, FsCustomerOp, FsUserOp } from './plan-ops.js'
import { queryInChunks } from './lookups.js'
import { insertRows, ROWS_PER_INSERT } from './apply-sql.js'
import { createdUserMarker, need, provenanceMeta, readProvenance, type FsWriter } from './writer.js'

const BCRYPT_ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/** A `$2y$10$…` value of bcrypt's shape and random characters: no password hashes to it, so nobody can log in. */
function unusablePassword(): string {
  return `$2y$10$${Array.from(randomBytes(53), (b) => BCRYPT_ALPHABET[b & 63]).join('')}`
}

export async function applyUser(db: FsDb, op: FsUserOp, ctx: ApplyContext): Promise<string> {
  if (op.action !== 'create-disabled') return String(op.userId)
  if (ctx.existingRef) {
    await db.execute('UPDATE users SET first_name = ?, last_name = ? WHERE id = ?', [op.firstName, op.lastName, Number(ctx.existingRef)])
    return ctx.existingRef
  }
  const taken = await db.query<{ id: number }>('SELECT id FROM users WHERE email = ?', [op.email])
  if (taken[0]) return String(taken[0].id)
  const now = op.createdAt ?? '2000-01-01 00:00:00'
  // Disabled, never invited, password unusable: the user exists only to carry names on imported history.
  const r = await db.execute(
    'INSERT INTO users (first_name, last_name, email, password, role, status, type, invite_state, job_title, created_at, updated_at) VALUES (?, ?, ?, ?, 1, 2, 1, 3, ?, ?, ?)',
    [op.firstName, op.lastName, op.email, unusablePassword(), createdUserMarker(ctx.runId), now, now],
  )
  return String(r.insertId)
}

export async function applyCustomer(tx: FsDb, op: FsCustomerOp, ctx: ApplyContext): Promise<string> {
  const r = op.row
  const cols = [r.firstName, r.lastName, r.company, r.jobTitle, r.notes, r.phones, r.websites]
  let id: number
  if (ctx.existingRef) {
    id = Number(ctx.existingRef)
    const prev = await tx.query<{ meta: string | null }>('SELECT meta FROM customers WHERE id = ?', [id])
    const run = readProvenance(prev[0]?.meta)?.run ?? ctx.runId
    await tx.execute('UPDATE customers SET first_name = ?, last_name = ?, company = ?, job_title = ?, notes = ?, phones = ?, websites = ?, meta = ?, updated_at = ? WHERE id = ?', [
      ...cols,
      provenanceMeta(op.ref.source, op.ref.sourceId, run, ctx.opHash),
      r.updatedAt,
      id,
    ])
    await tx.execute('DELETE FROM emails WHERE customer_id = ?', [id])
  } else {
    const res = await tx.execute(
      'INSERT INTO customers (first_name, last_name, company, job_title, notes, phones, websites, meta, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [...cols, provenanceMeta(op.ref.source, op.ref.sourceId, ctx.runId, ctx.opHash), r.createdAt, r.updatedAt],
    )
    id = res.insertId!
  }
  for (const e of op.emails) {
    const owner = await tx.query<{ customer_id: number }>('SELECT customer_id FROM emails WHERE email = ?', [e])
    if (owner[0]) throw new RecordRejectedError('duplicate-email', `${e} already belongs to FreeScout customer ${owner[0].customer_id}`)
    await tx.execute('INSERT INTO emails (customer_id, email, type) VALUES (?, ?, 1)', [id, e])
  }
  return String(id)
}

export interface CustomerWrite {
  readonly op: FsCustomerOp
  readonly ctx: ApplyContext
}

/**
 * New customers and their addresses in a few multi-row statements. An address that already has an owner (in
 * FreeScout or earlier in the lot) throws, so the batch is redone one op at a time and exactly the customer
 * claiming it is rejected, as `applyCustomer` does.
 */
export async function writeCustomers(w: FsWriter, tx: FsDb, items: readonly CustomerWrite[]): Promise<string[]> {
  const emails = items.flatMap(({ op }) => op.emails)
  const owned = await queryInChunks(emails, (part, marks) => tx.query<{ email: string }>(`SELECT email FROM emails WHERE email IN (${marks})`, part))
  if (owned.length || new Set(emails).size !== emails.length) throw new RecordRejectedError('duplicate-email', 'an address of this batch already belongs to a FreeScout customer')
  const rows = items.map(({ op, ctx }) => {
    const r = op.row
    return [r.firstName, r.lastName, r.company, r.jobTitle, r.notes, r.phones, r.websites, provenanceMeta(op.ref.source, op.ref.sourceId, ctx.runId, ctx.opHash), r.createdAt, r.updatedAt]
  })
  const ids = await insertRows(w, tx, 'customers', 'first_name, last_name, company, job_title, notes, phones, websites, meta, created_at, updated_at', rows)
  const links = items.flatMap(({ op }, k) => op.emails.map((e) => [ids[k]!, e]))
  for (let i = 0; i < links.length; i += ROWS_PER_INSERT) {
    const part = links.slice(i, i + ROWS_PER_INSERT)
    await tx.execute(`INSERT INTO emails (customer_id, email, type) VALUES ${part.map(() => '(?, ?, 1)').join(', ')}`, part.flat())
  }
  return ids.map(String)
}

export async function applyLink(db: FsDb, op: FsCustomerLinkOp, ctx: ApplyContext): Promise<string> {
  if (op.existingCustomerId !== null) {
    const rows = await db.query<{ id: number }>('SELECT id FROM customers WHERE id = ?', [op.existingCustomerId])
    if (!rows[0]) throw new RecordRejectedError('dangling-reference', `FreeScout customer ${op.existingCustomerId} no longer exists`)
    return String(op.existingCustomerId)
  }
  return String(need(ctx, op.into, 'the customer it merges into'))
}
