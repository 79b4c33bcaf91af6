// The database step as a queue in Znuny's own database: `apply` queues each object's step right after its REST
// writes, `finish` runs everything queued. The queue survives a crash or Ctrl-C, so a resumed run (whose earlier
// process never reached `finish`) still gives every ticket its source times — and only once.
import { z } from 'zod'
import { existingTables, type SqlDb } from '../../../../src/kits/sql/index.js'
import { recordRunObjects } from './run-objects.js'
import type { DbStepCompany, DbStepCustomerUser, DbStepFailure, DbStepInput, DbStepResult, DbStepTicket } from './types.js'
import { runDbStep } from './run.js'

export const QUEUE_TABLE = 'deskmove_db_step'

type Queued = { readonly kind: 'organization'; readonly item: DbStepCompany } | { readonly kind: 'customer'; readonly item: DbStepCustomerUser } | { readonly kind: 'ticket'; readonly item: DbStepTicket }

const ensured = new WeakMap<SqlDb, Promise<void>>()

function ensureQueue(db: SqlDb): Promise<void> {
  let p = ensured.get(db)
  if (!p) {
    const text = db.dialect === 'mysql' ? 'LONGTEXT' : 'TEXT'
    p = db
      .execute(`CREATE TABLE IF NOT EXISTS ${QUEUE_TABLE} (kind VARCHAR(20) NOT NULL, object_key VARCHAR(250) NOT NULL, run_id VARCHAR(100) NOT NULL, payload ${text} NOT NULL, done SMALLINT NOT NULL, PRIMARY KEY (kind, object_key))`)
      .then(() => undefined)
      .catch((e: unknown) => {
        ensured.delete(db)
        throw e
      })
    ensured.set(db, p)
  }
  return p
}

// The queue is deskmove's own data, but it lives in someone else's database: read it back validated.
const str = z.string()
const opt = z.string().nullable()
const instant = z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'an ISO instant')
const companySchema = z.object({ sourceId: str, customerId: str, name: str, url: opt, comments: opt, createdAt: instant.nullable() })
const customerSchema = z.object({
  sourceId: str, login: str, email: str, customerId: str, firstName: str, lastName: str, title: opt, phone: opt, mobile: opt, fax: opt,
  street: opt, zip: opt, city: opt, country: opt, comments: opt, createdAt: instant.nullable(),
})
const ticketSchema = z.object({
  sourceId: str, ticketId: z.number().int().positive(), tn: opt, customerId: opt, createdAt: instant, changedAt: instant, closedAt: instant.nullable(),
  created: z.boolean().optional(), articles: z.array(z.object({ sourceId: str, articleId: z.number().int().positive(), createdAt: instant })),
})
const SCHEMAS = { organization: companySchema, customer: customerSchema, ticket: ticketSchema } as const

const keyOf = (q: Queued) => (q.kind === 'ticket' ? String(q.item.ticketId) : q.kind === 'customer' ? q.item.login : q.item.customerId)

/**
 * Queues one object's database step (call it at the end of `apply`, with the run id; re-queueing an object
 * replaces its values and makes it pending again). A ticket marked `created` is recorded as the run's at once,
 * for rollback (the first run to record an object owns it); companies and customer users when the step creates them.
 */
export async function queueDbStep(db: SqlDb, runId: string, q: Queued): Promise<void> {
  await ensureQueue(db)
  const key = keyOf(q)
  const payload = JSON.stringify(q.item)
  await db.transaction(async (tx) => {
    const has = await tx.query('SELECT kind FROM deskmove_db_step WHERE kind = ? AND object_key = ?', [q.kind, key])
    if (has.length) await tx.execute('UPDATE deskmove_db_step SET run_id = ?, payload = ?, done = 0 WHERE kind = ? AND object_key = ?', [runId, payload, q.kind, key])
    else await tx.execute('INSERT INTO deskmove_db_step (kind, object_key, run_id, payload, done) VALUES (?, ?, ?, ?, 0)', [q.kind, key, runId, payload])
  })
  if (q.kind === 'ticket' && q.item.created) await recordRunObjects(db, runId, 'ticket', [key])
}

/** How many objects wait for the step. */
export async function pendingDbStep(db: SqlDb): Promise<number> {
  await ensureQueue(db)
  const [r] = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM deskmove_db_step WHERE done = 0')
  return Number(r?.n ?? 0)
}

/**
 * Runs the queued steps (call it from `finish`, after every REST write): companies, customer users, then tickets,
 * through `runDbStep`, each run's objects recorded for its rollback. What was written is marked done; a
 * failure stays reported in the result and pending, so the next `finish` tries it again.
 */
export async function runQueuedDbStep(db: SqlDb, opts: { now?: () => Date; onTicket?: (done: number) => void } = {}): Promise<DbStepResult> {
  await ensureQueue(db)
  const rows = await db.query<{ kind: string; object_key: string; run_id: string; payload: string }>('SELECT kind, object_key, run_id, payload FROM deskmove_db_step WHERE done = 0 ORDER BY kind, object_key')
  const byRun = new Map<string, { companies: DbStepCompany[]; customerUsers: DbStepCustomerUser[]; tickets: DbStepTicket[] }>()
  const unreadable: DbStepFailure[] = []
  for (const r of rows) {
    const g = byRun.get(r.run_id) ?? { companies: [], customerUsers: [], tickets: [] }
    byRun.set(r.run_id, g)
    const schema = SCHEMAS[r.kind as keyof typeof SCHEMAS]
    let parsed: ReturnType<NonNullable<typeof schema>['safeParse']> | null = null
    try {
      parsed = schema ? schema.safeParse(JSON.parse(String(r.payload))) : null
    } catch {
      parsed = null
    }
    if (!parsed?.success) {
      const kind = r.kind === 'organization' || r.kind === 'customer' ? r.kind : 'ticket'
      unreadable.push({ kind, sourceId: String(r.object_key), reason: 'invalid', detail: `the queued database step of ${r.kind} ${r.object_key} in ${QUEUE_TABLE} is unreadable: apply the record again to queue it afresh` })
      continue
    }
    if (r.kind === 'organization') g.companies.push(parsed.data as DbStepCompany)
    else if (r.kind === 'customer') g.customerUsers.push(parsed.data as DbStepCustomerUser)
    else g.tickets.push(parsed.data as DbStepTicket)
  }
  const total: DbStepResult[] = []
  for (const [runId, input] of byRun) {
    input.tickets.sort((a, b) => a.ticketId - b.ticketId)
    const res = await runDbStep(db, input as DbStepInput, { ...opts, runId })
    total.push(res)
    const failed = new Set(res.failures.map((f) => `${f.kind}:${f.sourceId}`))
    const done = (kind: string, items: { sourceId: string }[], key: (x: never) => string) =>
      items.filter((i) => !failed.has(`${kind}:${i.sourceId}`)).map((i) => key(i as never))
    const marks: [string, string[]][] = [
      ['organization', done('organization', input.companies, (c: DbStepCompany) => c.customerId)],
      ['customer', done('customer', input.customerUsers, (u: DbStepCustomerUser) => u.login)],
      ['ticket', done('ticket', input.tickets, (t: DbStepTicket) => String(t.ticketId))],
    ]
    for (const [kind, keys] of marks)
      for (let i = 0; i < keys.length; i += 500) {
        const part = keys.slice(i, i + 500)
        if (part.length) await db.execute(`UPDATE deskmove_db_step SET done = 1 WHERE run_id = ? AND kind = ? AND object_key IN (${part.map(() => '?').join(', ')})`, [runId, kind, ...part])
      }
  }
  const sum = sumResults(total)
  return { ...sum, failures: [...unreadable, ...sum.failures] }
}

/** Drops queued steps of objects that are gone (a rollback removed them), so no later finish looks for them. */
export async function forgetQueued(db: SqlDb, kind: 'ticket' | 'customer' | 'organization', keys: readonly string[]): Promise<void> {
  if (!keys.length || !(await existingTables(db, [QUEUE_TABLE])).has(QUEUE_TABLE)) return
  for (let i = 0; i < keys.length; i += 500) {
    const part = keys.slice(i, i + 500)
    await db.execute(`DELETE FROM deskmove_db_step WHERE kind = ? AND object_key IN (${part.map(() => '?').join(', ')})`, [kind, ...part])
  }
}

function sumResults(rs: readonly DbStepResult[]): DbStepResult {
  const n = (k: keyof DbStepResult) => rs.reduce((s, r) => s + (r[k] as number), 0)
  return {
    companiesCreated: n('companiesCreated'),
    companiesExisting: n('companiesExisting'),
    customerUsersCreated: n('customerUsersCreated'),
    customerUsersExisting: n('customerUsersExisting'),
    ticketsUpdated: n('ticketsUpdated'),
    ticketsUnchanged: n('ticketsUnchanged'),
    articlesUpdated: n('articlesUpdated'),
    historyRowsUpdated: n('historyRowsUpdated'),
    historyRowsAdded: n('historyRowsAdded'),
    failures: rs.flatMap((r) => r.failures),
    alterations: rs.flatMap((r) => r.alterations),
  }
}
