// The writer on the simulator's trap queue (auto reply linked, agent1 watching): a ticket that changed in the
// source is updated in place — new articles appended, fields set — and still not one mail is queued.
import { Readable } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import { isSkip, type ApplyContext, type PlanDeps, type PlanUnit } from '../../../src/core/target.js'
import type { MappingConfig } from '../../../src/core/mapping-config.js'
import { makeMessage, makeTicket } from '../../../src/testing/canonical-factories.js'
import { znunyHarness } from './harness.test-helpers.js'
import { parseTicketRef } from './ids.js'
import type { ZnLookups } from './lookups.js'
import { TRAP_QUEUE } from './simulator/index.js'

const open: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const f of open.splice(0)) await f()
})

const ctx = (existingRef: string | null): ApplyContext => ({ runId: 'r', signal: new AbortController().signal, resolve: () => 'c1@acme.test', openBlob: () => Readable.from([]), opHash: 'h', existingRef })
const reply = (id: string, position: number) => makeMessage(id, '7', position, { type: 'agent_reply', author: { role: 'agent', ref: null, name: 'Ada', email: 'ada@acme.test' }, from: 'ada@acme.test', to: ['c1@acme.test'] })

describe('Znuny writer', () => {
  for (const version of ['7.1', '7.0'] as const) {
    it(`Znuny ${version}: a changed source ticket is updated in place (articles appended, state set) with 0 mail_queue rows`, async () => {
      const h = await znunyHarness({ sim: { version }, mapping: { queues: { '*': TRAP_QUEUE } } })
      open.push(() => h.close())
      const lookups = await h.target.prepare(new AbortController().signal)
      const deps: PlanDeps<ZnLookups, MappingConfig> = { lookups, config: h.config, staged: () => true, emailOwner: () => undefined }
      const plan = (u: PlanUnit) => {
        const op = h.target.plan(u, deps)
        if (isSkip(op)) throw new Error(op.detail)
        return op
      }
      const first = [makeMessage('m1', '7', 0), reply('m2', 1)]
      const ref1 = await h.target.apply(plan({ kind: 'ticket', record: makeTicket('7'), messages: first, attachments: [] }), ctx(null))
      const later = plan({ kind: 'ticket', record: makeTicket('7', { status: 'closed', vendorStatus: 'closed' }), messages: [...first, makeMessage('m3', '7', 2), reply('m4', 3)], attachments: [] })
      expect(await h.target.locate(later, ctx(ref1))).toEqual({ ref: ref1, sameOp: false })
      const ref2 = await h.target.apply(later, ctx(ref1))
      const ids = parseTicketRef(ref2)
      expect(ids.ticketId).toBe(parseTicketRef(ref1).ticketId)
      expect(ids.articleIds).toHaveLength(4)
      expect(ids.articleIds.slice(0, 2)).toEqual(parseTicketRef(ref1).articleIds)
      const m = await h.sim.manifest()
      expect(m.tickets).toHaveLength(1)
      expect(m.tickets[0]!.State).toBe('closed successful')
      expect(m.tickets[0]!.Article.map((a) => a.SenderType)).toEqual(['customer', 'agent', 'customer', 'agent'])
      expect(m.mailQueue).toEqual([])
      expect(await h.target.locate(later, ctx(ref2))).toEqual({ ref: ref2, sameOp: true })
    })
  }

  it('a customer Znuny knows under another login (named by e-mail, stored as jdoe) still reads as the same op', async () => {
    const h = await znunyHarness()
    open.push(() => h.close())
    const lookups = await h.target.prepare(new AbortController().signal)
    const op = h.target.plan({ kind: 'ticket', record: makeTicket('8'), messages: [makeMessage('m1', '8', 0)], attachments: [] }, { lookups, config: h.config, staged: () => true, emailOwner: () => undefined })
    if (isSkip(op)) throw new Error(op.detail)
    const c = { ...ctx(null), resolve: () => 'JDoe@acme.test' }
    const ref = await h.target.apply(op, c)
    expect((await h.sim.manifest()).tickets[0]!.CustomerUserID).toBe('jdoe')
    expect(await h.target.locate(op, { ...c, existingRef: ref })).toEqual({ ref, sameOp: true })
  })

  it('Znuny\'s crash page after the first article (a half-made ticket, no HTTP answer) is completed in the same apply, not duplicated', async () => {
    const h = await znunyHarness({ sim: { version: '7.1' } })
    open.push(() => h.close())
    const lookups = await h.target.prepare(new AbortController().signal)
    const op = h.target.plan({ kind: 'ticket', record: makeTicket('9'), messages: [makeMessage('m1', '9', 0), reply('m2', 1), makeMessage('m3', '9', 2)], attachments: [] }, { lookups, config: h.config, staged: () => true, emailOwner: () => undefined })
    if (isSkip(op)) throw new Error(op.detail)
    h.sim.faultNext('crash')
    h.sim.faultNext('authfail')
    const ref = await h.target.apply(op, ctx(null))
    const m = await h.sim.manifest()
    expect(m.tickets).toHaveLength(1)
    expect(m.tickets[0]!.Article.map((a) => a.SenderType)).toEqual(['customer', 'agent', 'customer'])
    expect(parseTicketRef(ref).articleIds).toHaveLength(3)
    expect(h.target.recoveries()).toBe(1)
  })
})
