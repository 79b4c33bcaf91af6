// The queued database step: apply queues, finish runs what is pending — once; a failure stays queued and the
// run's created tickets are recorded for rollback as soon as they are queued. Plus the op → step builders.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { probeDatabases } from '../../../../src/testing/test-databases.js'
import type { ZnTicketOp } from '../plan-ops.js'
import { dbStepTicketFromOp, pendingDbStep, queueDbStep, runQueuedDbStep, type DbStepTicket } from './index.js'
import { createOpsDb, restTicket, type OpsDb } from './schema.test-helpers.js'
import { rollbackZnuny } from '../rollback/index.js'

const probe = await probeDatabases()
const dialect = probe.postgres ? 'postgres' : 'mysql'

describe('dbStepTicketFromOp', () => {
  const op = (times: Record<string, unknown>, articleTimes: (string | undefined)[]) =>
    ({
      ref: { source: 'helpscout', kind: 'ticket', sourceId: '9' },
      articles: articleTimes.map((t, i) => ({ key: `m${i}`, ...(t ? { createdAt: t } : {}) })),
      ...times,
    }) as unknown as ZnTicketOp

  it('pairs the ref\'s article ids with the op\'s articles and ends at the latest instant', () => {
    const s = dbStepTicketFromOp(op({ createdAt: '2020-01-01T00:00:00Z', closedAt: '2020-01-03T00:00:00Z', number: 9 }, ['2020-01-01T00:00:00Z', '2020-01-04T00:00:00Z']), { ticketId: '5', ticketNumber: '202601', articleIds: ['11', '12'] }, { created: true, keepNumbers: true })
    expect(s).toMatchObject({ ticketId: 5, tn: '9', changedAt: '2020-01-04T00:00:00Z', closedAt: '2020-01-03T00:00:00Z', created: true, articles: [{ articleId: 11 }, { articleId: 12 }] })
  })

  it('gives no step for an op without a creation instant', () => {
    expect(dbStepTicketFromOp(op({}, []), { ticketId: '5', ticketNumber: null, articleIds: [] }, { created: true })).toBeNull()
  })
})

describe.skipIf(!probe.mysql && !probe.postgres)(`queued database step (${dialect})${probe.mysql || probe.postgres ? '' : ': skipped, no database'}`, () => {
  let o: OpsDb
  let a: Awaited<ReturnType<typeof restTicket>>
  let b: Awaited<ReturnType<typeof restTicket>>
  const step = (r: typeof a, created: boolean, at: string): DbStepTicket => ({ sourceId: r.tn, ticketId: r.ticketId, tn: null, customerId: null, createdAt: at, changedAt: at, closedAt: null, created, articles: r.articleIds.map((id) => ({ sourceId: `m${id}`, articleId: id, createdAt: at })) })

  beforeAll(async () => {
    o = await createOpsDb(dialect, 'zn_queue')
    a = await restTicket(o.db, { tn: '201', now: '2026-12-03 11:00:00', articles: [{}] })
    b = await restTicket(o.db, { tn: '202', now: '2026-12-03 11:00:00', articles: [{}] })
  }, 60_000)
  afterAll(async () => o?.close())

  it('runs what apply queued, records created tickets at once, and runs nothing twice', async () => {
    await queueDbStep(o.db, 'run-1', { kind: 'ticket', item: step(a, true, '2018-05-05T05:05:05Z') })
    await queueDbStep(o.db, 'run-1', { kind: 'ticket', item: step(b, false, '2018-06-06T06:06:06Z') })
    await queueDbStep(o.db, 'run-1', { kind: 'ticket', item: { ...step(b, false, '2018-06-06T06:06:06Z'), ticketId: 424242, sourceId: 'gone' } })
    await queueDbStep(o.db, 'run-1', { kind: 'customer', item: { sourceId: 'c1', login: 'x@acme.test', email: 'x@acme.test', customerId: 'x@acme.test', firstName: 'X', lastName: '-', title: null, phone: null, mobile: null, fax: null, street: null, zip: null, city: null, country: null, comments: null, createdAt: null } })
    expect(await o.db.query('SELECT run_id, kind, object_key FROM deskmove_run_object')).toEqual([{ run_id: 'run-1', kind: 'ticket', object_key: String(a.ticketId) }])
    expect(await pendingDbStep(o.db)).toBe(4)
    const r = await runQueuedDbStep(o.db)
    expect(r).toMatchObject({ ticketsUpdated: 2, customerUsersCreated: 1, failures: [expect.objectContaining({ sourceId: 'gone', reason: 'missing' })] })
    expect((await o.db.query<{ create_time: string }>('SELECT create_time FROM ticket WHERE id = ?', [b.ticketId]))[0]!.create_time).toBe('2018-06-06 06:06:06')
    // Only the failed ticket is still queued; a second finish changes nothing else.
    expect(await pendingDbStep(o.db)).toBe(1)
    const again = await runQueuedDbStep(o.db)
    expect(again).toMatchObject({ ticketsUpdated: 0, customerUsersCreated: 0, failures: [expect.objectContaining({ sourceId: 'gone' })] })
  })

  it('a ticket queued again (a later run updated it) is pending again with its new values, still owned by its creator run', async () => {
    await queueDbStep(o.db, 'run-2', { kind: 'ticket', item: step(a, false, '2018-05-05T05:05:05Z') })
    expect(await pendingDbStep(o.db)).toBe(2)
    const r = await runQueuedDbStep(o.db)
    expect(r.ticketsUnchanged).toBe(1)
    expect(await o.db.query('SELECT run_id FROM deskmove_run_object WHERE kind = ? AND object_key = ?', ['ticket', String(a.ticketId)])).toEqual([{ run_id: 'run-1' }])
  })

  it('a queued step that cannot be read back is reported, not run', async () => {
    await o.db.execute(`INSERT INTO deskmove_db_step (kind, object_key, run_id, payload, done) VALUES ('ticket', '555', 'run-3', '{"ticketId":"DROP TABLE"}', 0)`)
    const r = await runQueuedDbStep(o.db)
    expect(r.failures).toContainEqual(expect.objectContaining({ kind: 'ticket', sourceId: '555', reason: 'invalid', detail: expect.stringContaining('unreadable') }))
    await o.db.execute(`DELETE FROM deskmove_db_step WHERE object_key = '555'`)
  })

  it('a rollback takes the removed ticket out of the queue too', async () => {
    const r = await rollbackZnuny(o.db, 'run-1', { preview: false })
    expect(r.counts.tickets).toBe(1)
    const left = await o.db.query<{ object_key: string }>('SELECT object_key FROM deskmove_db_step WHERE kind = ?', ['ticket'])
    expect(left.map((q) => q.object_key).sort()).toEqual([String(b.ticketId), '424242'].sort())
  })
})
