import { afterEach, describe, expect, it } from 'vitest'
import { UsageError } from '../core/errors.js'
import { makeCustomer } from '../testing/canonical-factories.js'
import { traceRecord } from './trace.js'
import { memoryVerifier, verifyFixture, type VerifyFixture } from '../testing/verify-fixture.js'

const open: (() => void)[] = []
afterEach(() => {
  for (const f of open.splice(0)) f()
})

async function setup(): Promise<VerifyFixture> {
  const fx = await verifyFixture(2)
  open.push(() => fx.close())
  return fx
}

const signal = new AbortController().signal

describe('traceRecord', () => {
  it('shows a ticket raw → canonical → planned → applied → verified', async () => {
    const fx = await setup()
    const t = await traceRecord({ store: fx.store, kind: 'ticket', sourceId: '1', target: { target: fx.target, config: fx.config, verifier: memoryVerifier(fx.target) }, signal })
    expect(t.source).toBe('helpscout')
    expect(t.staged).toMatchObject({ raw: { fixture: '1' }, canonical: { kind: 'ticket', sourceId: '1', subject: 'Ticket 1' } })
    expect(t.planned).toMatchObject({ action: 'write', op: { type: 'ticket', subject: 'Ticket 1' } })
    expect(t.applied).toEqual([expect.objectContaining({ target: 'memory', targetRef: fx.refOf('1'), state: 'loaded', runId: 'run-1', upToDate: true })])
    expect(t.verified).toMatchObject({ marker: '=', sourceId: '1', targetRef: fx.refOf('1'), diffs: [] })
    expect(t.rejects).toEqual([])
  })

  it('shows the difference when the target changed, and the skip reason with its reject for a skipped ticket', async () => {
    const fx = await setup()
    fx.target.state.objects.get(fx.refOf('2'))!.summary.subject = 'Edited'
    const target = { target: fx.target, config: fx.config, verifier: memoryVerifier(fx.target) }
    const changed = await traceRecord({ store: fx.store, kind: 'ticket', sourceId: '2', target, signal })
    expect(changed.verified).toMatchObject({ marker: '*', diffs: [{ field: 'subject', expected: 'Ticket 2', actual: 'Edited' }] })
    const skipped = await traceRecord({ store: fx.store, kind: 'ticket', sourceId: 'orphan', target, signal })
    expect(skipped.planned).toMatchObject({ action: 'skip', reason: 'dangling-reference' })
    expect(skipped.applied).toEqual([])
    expect(skipped.verified).toMatchObject({ marker: null, why: 'not written to the target' })
    expect(skipped.rejects).toEqual([expect.objectContaining({ phase: 'apply', reason: 'dangling-reference', runId: 'run-1', resolvedAt: null })])
  })

  it("traces a message through its ticket, and a customer to the object it became", async () => {
    const fx = await setup()
    const target = { target: fx.target, config: fx.config }
    const m = await traceRecord({ store: fx.store, kind: 'message', sourceId: 'm1', target, signal })
    expect(m.parent).toEqual({ kind: 'ticket', sourceId: '1' })
    expect(m.planned).toMatchObject({ action: 'write', partial: null, op: { ref: { sourceId: '1' } } })
    expect(m.applied[0]).toMatchObject({ targetRef: fx.refOf('1') })
    expect(m.verified).toMatchObject({ marker: null, why: 'the target has no verifier' })
    const c = await traceRecord({ store: fx.store, kind: 'customer', sourceId: '1', target, signal })
    expect(c.verified).toMatchObject({ marker: '=', snapshot: { emails: 'c1@example.test' } })
  })

  it('without a target reports staging and the id map, and says what it could not do', async () => {
    const fx = await setup()
    const t = await traceRecord({ store: fx.store, kind: 'ticket', sourceId: '1', signal })
    expect(t.planned).toEqual({ action: 'not-planned', why: 'no target configured' })
    expect(t.applied).toHaveLength(1)
    expect(t.applied[0]!.upToDate).toBeNull()
    expect(t.verified).toEqual({ marker: null, why: 'no target configured' })
    const none = await traceRecord({ store: fx.store, kind: 'ticket', sourceId: 'nope', signal })
    expect(none.staged).toBeNull()
  })

  it('asks for the source when an id exists in several', async () => {
    const fx = await setup()
    fx.stage({ ...makeCustomer('1'), source: 'zendesk' })
    await expect(traceRecord({ store: fx.store, kind: 'customer', sourceId: '1', signal })).rejects.toBeInstanceOf(UsageError)
    expect((await traceRecord({ store: fx.store, kind: 'customer', sourceId: '1', source: 'zendesk', signal })).source).toBe('zendesk')
  })
})
