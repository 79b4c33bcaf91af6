// With ZNUNY_DB_URL (the simulator kept in a stand-in database, MariaDB and PostgreSQL): the target reads what
// the web service cannot list, and writes what it cannot set without mail (owner) or at all (To/Cc at create).
import { Readable } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import { isSkip, type ApplyContext, type PlanDeps } from '../../../src/core/target.js'
import type { MappingConfig } from '../../../src/core/mapping-config.js'
import { makeMessage, makeTicket } from '../../../src/testing/canonical-factories.js'
import { probeDatabases } from '../../../src/testing/test-databases.js'
import { znunyHarness, type ZnunyHarness } from './harness.test-helpers.js'
import { parseTicketRef } from './ids.js'
import type { ZnLookups } from './lookups.js'
import type { ZnTicketOp } from './plan-ops.js'

const probe = await probeDatabases()
const open: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const f of open.splice(0)) await f()
})

const ctxFor = (login: string): ApplyContext => ({
  runId: 'run-db',
  signal: new AbortController().signal,
  resolve: () => login,
  openBlob: () => Readable.from([]),
  opHash: 'h',
  existingRef: null,
})

for (const dialect of ['mysql', 'postgres'] as const) {
  const reason = dialect === 'mysql' ? probe.reasons.mysql : probe.reasons.postgres
  describe.skipIf(reason !== null)(`Znuny target with its database (${dialect})${reason ? ` (skipped: ${reason})` : ''}`, () => {
    const setup = async (mapping: Record<string, unknown> = {}) => {
      const h: ZnunyHarness = await znunyHarness({ dialect, sim: { version: '7.1' }, mapping: { owners: { a1: 'agent1', '*': null }, ...mapping } })
      open.push(() => h.close())
      const lookups = await h.target.prepare(new AbortController().signal)
      return { h, lookups }
    }

    it('reads queues, states, agents, dynamic fields and the SendmailModule, and names every mapped value Znuny lacks', async () => {
      const { h, lookups } = await setup({ queues: { g1: 'Sales', '*': 'Raw' }, owners: { a9: 'ghost', '*': null } })
      expect(lookups.queues).toEqual(expect.arrayContaining(['Raw', 'Misc']))
      expect(lookups.agents).toEqual(expect.arrayContaining(['root@localhost', 'agent1']))
      expect(lookups.dynamicFields).toEqual(expect.arrayContaining(['DeskmoveSourceId', 'DeskmoveTags']))
      expect(lookups.sendmailModule).toBe('Kernel::System::Email::DoNotSendEmail')
      expect(lookups.dbDialect).toBe(dialect)
      expect(lookups.version).toBe('7.1')
      expect(lookups.autoRemoveQueues, 'the trap queue links an auto reply, not an auto remove').toEqual([])
      const unknown = h.target.checkMapping!(h.config, lookups)
      expect(unknown.map((u) => `${u.section}:${u.key}=${u.value}`)).toEqual(['queues:g1=Sales', 'owners:a9=ghost'])
    })

    it('sets the owner through the database (no notification) and stores the first article\'s To/Cc TicketCreate drops', async () => {
      const { h, lookups } = await setup()
      const t = makeTicket('7', { assigneeRef: { kind: 'agent', sourceId: 'a1' } })
      const messages = [
        makeMessage('m1', '7', 0, { to: ['help@acme.test'], cc: ['boss@acme.test'] }),
        makeMessage('m2', '7', 1, { type: 'agent_reply', author: { role: 'agent', ref: null, name: 'Ada', email: 'ada@acme.test' }, from: 'ada@acme.test', to: ['c1@acme.test'], cc: ['team@acme.test'] }),
      ]
      const deps: PlanDeps<ZnLookups, MappingConfig> = { lookups, config: h.config, staged: () => true, emailOwner: () => undefined }
      const op = h.target.plan({ kind: 'ticket', record: t, messages, attachments: [] }, deps)
      if (isSkip(op)) throw new Error(op.detail)
      expect((op as ZnTicketOp).owner).toBe('agent1')
      expect(op.alterations ?? [], 'nothing is lost with the database').toEqual([])
      const ref = await h.target.apply(op, ctxFor('c1@acme.test'))
      const got = await h.target.rest.ticketGetOne(parseTicketRef(ref).ticketId, { articles: true })
      expect(got?.Owner).toBe('agent1')
      expect(got?.Lock).toBe('unlock')
      expect(got?.Article?.map((a) => [a.To, a.Cc])).toEqual([
        ['help@acme.test', 'boss@acme.test'],
        ['c1@acme.test', 'team@acme.test'],
      ])
      expect((await h.sim.manifest()).mailQueue).toEqual([])
    })
  })
}
