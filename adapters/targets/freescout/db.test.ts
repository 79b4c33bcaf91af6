// The SQL layer itself is tested in src/kits/sql; this covers FreeScout's wording on top of it.
import { describe, expect, it } from 'vitest'
import { ConfigError } from '../../../src/core/errors.js'
import { probeDatabases } from '../../../src/testing/test-databases.js'
import { connectFreescoutDb } from './db.js'

const probe = await probeDatabases()

describe('connectFreescoutDb', () => {
  it('refuses an unknown scheme naming what FreeScout runs on, without echoing the password', async () => {
    const err = await connectFreescoutDb('sqlite://u:topsecret@x/y').catch((e: Error) => e)
    expect(err).toBeInstanceOf(ConfigError)
    expect((err as ConfigError).message).toMatch(/unsupported database URL scheme/)
    expect((err as ConfigError).hint).toMatch(/FreeScout runs on MySQL/)
    expect((err as Error).message).not.toContain('topsecret')
  })

  it.skipIf(!probe.mysql)('names the FreeScout database and FREESCOUT_DB_URL when it cannot connect', async () => {
    const err = await connectFreescoutDb('mysql://root:Sup3rS3cretPw@127.0.0.1:3306/deskmove_no_such_db').catch((e: Error) => e)
    expect(err).toBeInstanceOf(ConfigError)
    expect((err as Error).message).toMatch(/cannot connect to the FreeScout database at mysql:\/\/root:\*\*\*@127\.0\.0\.1/)
    expect((err as ConfigError).hint).toMatch(/FREESCOUT_DB_URL/)
    expect((err as Error).message).not.toContain('Sup3rS3cretPw')
  })
})
