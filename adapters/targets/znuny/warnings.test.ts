// What plan says about the target before anything is written.
import { describe, expect, it } from 'vitest'
import type { ZnLookups } from './lookups.js'
import { prepareWarnings } from './warnings.js'

const base: ZnLookups = {
  queues: ['Raw'], states: ['open'], priorities: ['3 normal'], types: ['Unclassified'], agents: ['root@localhost'], dynamicFields: ['DeskmoveSourceId'],
  provenanceField: 'DeskmoveSourceId', provenanceFilter: 'honoured', sendmailModule: 'Kernel::System::Email::DoNotSendEmail', dbDialect: 'postgres',
  importUser: 'root@localhost', version: '7.1', autoRemoveQueues: [],
}

describe('Znuny plan warnings', () => {
  it('a DoNotSendEmail Znuny on PostgreSQL with the field gets no warning (the database step is a plan remark)', () => {
    expect(prepareWarnings(base)).toEqual([])
  })

  it('names a SendmailModule that can send, an auto-remove response that would defeat the suppression, and a missing field', () => {
    const w = prepareWarnings({ ...base, sendmailModule: 'Kernel::System::Email::SMTP', autoRemoveQueues: ['Misc'], dynamicFields: [], dbDialect: 'mysql' }).join('\n')
    expect(w).toMatch(/SendmailModule is Kernel::System::Email::SMTP, not Kernel::System::Email::DoNotSendEmail/)
    expect(w).toMatch(/queue\(s\) Misc have an "auto remove" auto response linked/)
    expect(w).toMatch(/no ticket dynamic field DeskmoveSourceId/)
    expect(w).toMatch(/Znuny runs on MySQL\/MariaDB: 4-byte UTF-8/)
  })

  it('without the database says what could not be checked', () => {
    const w = prepareWarnings({ ...base, queues: null, sendmailModule: null, dbDialect: null, autoRemoveQueues: null }).join('\n')
    expect(w).toMatch(/SendmailModule is unknown/)
    expect(w).toMatch(/could not be checked/)
    expect(w).not.toMatch(/database step/)
  })
})
