// What the Znuny plan says about the target as a whole: can Znuny mail during the import, and the database step.
import { describe, expect, it } from 'vitest'
import type { PlanRemarkSummary } from '../../../src/core/target.js'
import type { ZnLookups } from './lookups.js'
import { znunyPlanRemarks } from './remarks.js'

const lookups = (over: Partial<ZnLookups> = {}): ZnLookups => ({
  queues: ['Raw'], states: ['open'], priorities: ['3 normal'], types: ['Unclassified'], agents: ['root@localhost'], dynamicFields: ['DeskmoveSourceId'],
  provenanceField: 'DeskmoveSourceId', provenanceFilter: 'honoured', sendmailModule: 'Kernel::System::Email::DoNotSendEmail', dbDialect: 'mysql',
  importUser: 'root@localhost', version: '7.1', autoRemoveQueues: [],
  ...over,
})
const summary: PlanRemarkSummary = {
  counts: {
    organization: { create: 2, match: 0, update: 0, unchanged: 0, skip: 0 },
    customer: { create: 5, match: 1, update: 1, unchanged: 0, skip: 0 },
    ticket: { create: 7, match: 0, update: 1, unchanged: 4, skip: 1 },
  },
  contents: { message: { create: 20, update: 3 }, attachment: { create: 4, update: 0 } },
}
const withDb = { database: true, keepNumbers: true, znunyHome: null }
const noDb = { database: false, keepNumbers: true, znunyHome: null }
const topic = (rs: readonly { topic: string }[], t: string) => rs.filter((r) => r.topic === t)

describe('Znuny plan remarks', () => {
  it('with ZNUNY_DB_URL: the e-mail module is safe, and the database step lists what it writes with the plan’s counts', () => {
    const rs = znunyPlanRemarks(lookups(), summary, withDb)
    expect(topic(rs, 'e-mail')).toEqual([{ level: 'info', topic: 'e-mail', text: expect.stringMatching(/SendmailModule is Kernel::System::Email::DoNotSendEmail: it sends no mail/) }])
    const [db] = topic(rs, 'database step')
    expect(db!.level).toBe('info')
    expect(db!.text).toMatch(/^ON \(ZNUNY_DB_URL\), run LAST, after every REST write/)
    expect(db!.text).toContain('customer companies: 2 (created when missing')
    // Created and updated customers are written; the one matched to an existing customer user is not.
    expect(db!.text).toContain('customer users: 6 (created when missing')
    expect(db!.text).toContain('original times of 8 ticket(s) and 23 article(s)')
    expect(db!.text).toContain('a StateUpdate row per closed ticket')
    expect(db!.text).not.toContain('\n')
  })

  it('without ZNUNY_DB_URL: warns that the SendmailModule is unknown and states plainly which fields carry the import time', () => {
    const rs = znunyPlanRemarks(lookups({ sendmailModule: null, dbDialect: null, autoRemoveQueues: null, queues: null }), summary, noDb)
    expect(topic(rs, 'e-mail')).toEqual([{ level: 'warning', topic: 'e-mail', text: expect.stringMatching(/SendmailModule is unknown \(no ZNUNY_DB_URL\)/) }])
    const [db] = topic(rs, 'database step')
    expect(db!.level).toBe('warning')
    expect(db!.text).toMatch(/^OFF \(ZNUNY_DB_URL is not set\)/)
    expect(db!.text).toContain('8 ticket(s) and 23 article(s) will carry the IMPORT time in: ticket Created/Age (ticket.create_time)')
    expect(db!.text).toContain('article IncomingTime (article_data_mime.incoming_time)')
    expect(db!.text).toContain('6 customer user(s) and 2 customer companies will NOT be created')
    expect(db!.text).toContain('owners stay with root@localhost')
  })

  it('warns when Znuny can send mail, and names a queue whose "auto remove" response would go out', () => {
    const rs = znunyPlanRemarks(lookups({ sendmailModule: 'Kernel::System::Email::SMTP', autoRemoveQueues: ['Misc'] }), summary, withDb)
    const mail = topic(rs, 'e-mail')
    expect(mail.map((r) => r.level)).toEqual(['warning', 'warning'])
    expect(mail[0]!.text).toMatch(/SendmailModule is Kernel::System::Email::SMTP, not Kernel::System::Email::DoNotSendEmail/)
    expect(mail[1]!.text).toMatch(/queue\(s\) Misc have an "auto remove" auto response linked/)
  })
})
