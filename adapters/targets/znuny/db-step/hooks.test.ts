// The target's hooks end to end on a Znuny-schema database: apply queues each op's step, finish runs it and says
// how to clear the cache, rollback removes the run's ticket and customers; without the database nothing is queued.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ApplyContext } from '../../../../src/core/target.js'
import { captureLog } from '../../../../src/testing/test-server.js'
import { probeDatabases } from '../../../../src/testing/test-databases.js'
import type { ZnOp } from '../plan-ops.js'
import type { ZnunyRest } from '../rest/index.js'
import { ticketRef } from '../ids.js'
import { znunyOps } from './index.js'
import { createOpsDb, restTicket, type OpsDb } from './schema.test-helpers.js'

const probe = await probeDatabases()
const dialect = probe.mysql ? 'mysql' : 'postgres'
const base = (kind: 'ticket' | 'customer' | 'organization', id: string) => ({ ref: { source: 'helpscout', kind, sourceId: id }, dedupeKey: id, summary: {}, partialRejects: [] })
const ctx = (runId: string): ApplyContext => ({ runId, signal: new AbortController().signal, resolve: (r) => (r.kind === 'organization' ? 'helpscout-5' : undefined), openBlob: () => { throw new Error('no blobs') }, opHash: 'h', existingRef: null })

describe('znunyOps without the database', () => {
  it('queues nothing, finishes without a step, and its rollback names ZNUNY_DB_URL', async () => {
    const ops = znunyOps({ rest: {} as ZnunyRest, database: async () => null, hasDatabase: false, provenanceField: 'DeskmoveSourceId', znunyHome: null, log: captureLog().log })
    await ops.afterApply({ ...base('ticket', '1'), type: 'ticket' } as unknown as ZnOp, '1//', ctx('run-1'))
    await ops.finish()
    expect(ops.last.step).toBeNull()
    expect(ops.canRollBack).toBe(false)
    await expect(ops.rollback('run-1', { preview: true })).rejects.toThrow(/ZNUNY_DB_URL/)
  })
})

describe.skipIf(!probe.mysql && !probe.postgres)(`znunyOps on ${dialect}${probe.mysql || probe.postgres ? '' : ': skipped, no database'}`, () => {
  let o: OpsDb
  beforeAll(async () => {
    o = await createOpsDb(dialect, 'zn_hooks')
  }, 60_000)
  afterAll(async () => o?.close())

  it('apply queues, finish writes times and customers and lists the cache commands, rollback removes them', async () => {
    const { log, lines } = captureLog()
    const ops = znunyOps({ rest: {} as ZnunyRest, database: async () => o.db, hasDatabase: true, provenanceField: 'DeskmoveSourceId', znunyHome: null, log })
    const t = await restTicket(o.db, { tn: '301', now: '2026-12-03 11:00:00', customerUser: 'kim@acme.test', articles: [{}, {}] })
    const ref = ticketRef({ ticketId: String(t.ticketId), ticketNumber: t.tn, articleIds: t.articleIds.map(String) })
    await ops.afterApply({ ...base('organization', '5'), type: 'customer-company', customerId: 'helpscout-5', name: 'Kim Co' } as ZnOp, 'helpscout-5', ctx('run-1'))
    await ops.afterApply({ ...base('customer', '9'), type: 'customer-user', login: 'kim@acme.test', email: 'kim@acme.test', firstName: 'Kim', lastName: '', company: { kind: 'organization', sourceId: '5' } } as ZnOp, 'kim@acme.test', ctx('run-1'))
    const ticketOp = { ...base('ticket', '77'), type: 'ticket', createdAt: '2017-01-02T03:04:05Z', articles: [{ key: 'a', createdAt: '2017-01-02T03:04:05Z' }, { key: 'b', createdAt: '2017-01-03T00:00:00Z' }] } as unknown as ZnOp
    await ops.afterApply(ticketOp, ref, ctx('run-1'))
    await ops.finish()
    expect(ops.last.step).toMatchObject({ companiesCreated: 1, customerUsersCreated: 1, ticketsUpdated: 1, articlesUpdated: 2, failures: [] })
    expect(await o.db.query('SELECT create_time, change_time FROM ticket WHERE id = ?', [t.ticketId])).toEqual([{ create_time: '2017-01-02 03:04:05', change_time: '2017-01-03 00:00:00' }])
    expect(await o.db.query('SELECT customer_id, last_name FROM customer_user WHERE login = ?', ['kim@acme.test'])).toEqual([{ customer_id: 'helpscout-5', last_name: '-' }])
    expect(lines.join('\n')).toMatch(/Maint::Cache::Delete --type Ticket/)
    const r = await ops.rollback('run-1', { preview: false })
    expect(r.counts).toMatchObject({ tickets: 1, customerUsers: 1, customerCompanies: 1 })
    expect(r.removed).toContainEqual({ kind: 'ticket', ref })
    expect(await o.db.query('SELECT id FROM ticket WHERE id = ?', [t.ticketId])).toEqual([])
  })
})
