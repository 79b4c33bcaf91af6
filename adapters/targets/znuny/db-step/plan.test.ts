// The pure half of the database step: what the plan says, how canonical records become rows, and the cache step.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { makeCustomer, makeMessage, makeTicket } from '../../../../src/testing/canonical-factories.js'
import type { ZnOp } from '../plan-ops.js'
import { clearCaches, countDbStep, customerUserFromCustomer, planDbStep, ticketForDbStep } from './index.js'

const counts = { companies: 2, customerUsers: 5, tickets: 10, articles: 31, closedTickets: 4, numberedTickets: 10 }

describe('planDbStep', () => {
  it('without ZNUNY_DB_URL says plainly which values carry the import time and what will not exist', () => {
    const p = planDbStep(counts, { database: false, keepNumbers: true, znunyHome: null })
    expect(p.enabled).toBe(false)
    const text = p.lines.join('\n')
    expect(text).toMatch(/10 ticket\(s\) and 31 article\(s\) will carry the IMPORT time/)
    expect(text).toContain('article_data_mime.incoming_time')
    expect(text).toMatch(/10 source number\(s\) asked to be kept cannot be/)
    expect(text).toMatch(/5 customer user\(s\) and 2 customer companies will NOT be created/)
    expect(text).toContain('set ZNUNY_DB_URL')
    expect(p.importTimeFields.length).toBeGreaterThan(3)
  })

  it('with the database lists what it writes, last, and how caches are cleared', () => {
    const p = planDbStep(counts, { database: true, keepNumbers: false, znunyHome: '/opt/znuny' })
    const text = p.lines.join('\n')
    expect(p.enabled).toBe(true)
    expect(p.importTimeFields).toEqual([])
    expect(text).toMatch(/run LAST/)
    expect(text).toMatch(/original times of 10 ticket\(s\) and 31 article\(s\)/)
    expect(text).toMatch(/close history: 4 StateUpdate/)
    expect(text).toMatch(/ticket numbers: Znuny's own/)
    expect(text).toMatch(/Maint::Cache::Delete/)
  })
})

describe('countDbStep', () => {
  it('counts companies, customer users, tickets, their articles, closed and numbered ones from the plan\'s ops', () => {
    const ops = [
      { type: 'customer-company' },
      { type: 'customer-user' },
      { type: 'customer-alias' },
      { type: 'ticket', articles: [{}, {}], closedAt: '2020-01-01T00:00:00Z', number: 7 },
      { type: 'ticket', articles: [{}], closedAt: null },
    ] as unknown as ZnOp[]
    expect(countDbStep(ops)).toEqual({ companies: 1, customerUsers: 1, tickets: 2, articles: 3, closedTickets: 1, numberedTickets: 1 })
  })
})

describe('building the step from canonical records', () => {
  it('a ticket changes last at its latest message, update or close, and lists only the written articles in id order', () => {
    const t = makeTicket('5', { createdAt: '2020-01-01T00:00:00Z', updatedAt: '2020-01-03T00:00:00Z', closedAt: null })
    const msgs = [makeMessage('b', '5', 1, { createdAt: '2020-01-05T00:00:00Z' }), makeMessage('a', '5', 0, { createdAt: '2020-01-02T00:00:00Z' }), makeMessage('skipped', '5', 2, { createdAt: '2020-01-06T00:00:00Z' })]
    const s = ticketForDbStep(t, msgs, { ticketId: 9, articleIds: new Map([['a', 20], ['b', 21]]) }, { keepNumbers: false })
    expect(s.changedAt).toBe('2020-01-06T00:00:00Z')
    expect(s.tn).toBeNull()
    expect(s.closedAt).toBeNull()
    expect(s.articles.map((a) => [a.sourceId, a.articleId])).toEqual([['a', 20], ['b', 21]])
  })

  it('a closed ticket keeps its number and close instant when asked', () => {
    const t = makeTicket('77', { number: 77, status: 'closed', closedAt: '2020-02-02T00:00:00Z' })
    expect(ticketForDbStep(t, [], { ticketId: 1, articleIds: new Map() }, { keepNumbers: true })).toMatchObject({ tn: '77', closedAt: '2020-02-02T00:00:00Z' })
  })

  it('a customer without names gets Znuny-required names from the address, and none without an address', () => {
    const u = customerUserFromCustomer(makeCustomer('3', { firstName: null, lastName: null, emails: [{ value: 'Bob@Acme.test', type: 'work' }], phones: [{ value: '+49 1', type: 'mobile' }] }), null)
    expect(u).toMatchObject({ login: 'bob@acme.test', customerId: 'bob@acme.test', firstName: 'bob', lastName: '-', mobile: '+49 1', phone: null })
    expect(customerUserFromCustomer(makeCustomer('4', { emails: [] }), null)).toBeNull()
  })
})

describe('clearCaches', () => {
  it('lists the commands, one type each, when deskmove is not on the Znuny host', async () => {
    const r = await clearCaches(null)
    expect(r.ran).toBe(false)
    expect(r.commands).toEqual([
      ...['Ticket', 'Article', 'CustomerUser', 'CustomerCompany'].map((t) => `/opt/znuny/bin/znuny.Console.pl Maint::Cache::Delete --type ${t}`),
      '/opt/znuny/bin/znuny.Console.pl Maint::Ticket::EscalationIndexRebuild',
    ])
    expect(r.detail).toMatch(/ZNUNY_HOME is not set/)
  })

  it('runs the console once per type under ZNUNY_HOME and reports a failing one', async () => {
    const home = mkdtempSync(join(tmpdir(), 'znuny-home-'))
    mkdirSync(join(home, 'bin'))
    writeFileSync(join(home, 'bin', 'otrs.Console.pl'), '')
    const calls: string[] = []
    const r = await clearCaches(home, {
      isRoot: false,
      exec: async (file, args) => {
        calls.push(`${file} ${args.join(' ')}`)
        if (args.includes('CustomerUser')) throw new Error('exit 1')
      },
    })
    expect(calls).toHaveLength(5)
    expect(calls[0]).toBe(`${join(home, 'bin', 'otrs.Console.pl')} Maint::Cache::Delete --type Ticket`)
    expect(r).toMatchObject({ ran: false, commands: [`${join(home, 'bin', 'otrs.Console.pl')} Maint::Cache::Delete --type CustomerUser`] })
    expect(r.detail).toMatch(/CustomerUser: exit 1/)
  })

  it('does not run the console as root', async () => {
    const home = mkdtempSync(join(tmpdir(), 'znuny-home-'))
    mkdirSync(join(home, 'bin'))
    writeFileSync(join(home, 'bin', 'znuny.Console.pl'), '')
    const r = await clearCaches(home, { isRoot: true, exec: async () => expect.unreachable('must not run') })
    expect(r).toMatchObject({ ran: false, detail: expect.stringMatching(/root/) })
  })
})
