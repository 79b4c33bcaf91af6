import { describe, expect, it } from 'vitest'
import type { FsDb } from './db.js'
import { serverZoneWarning } from './server-zone.js'

const fake = (dialect: 'mysql' | 'postgres', g: string, s: string) => ({ dialect, query: async () => [{ g, s }] }) as unknown as FsDb

describe('the MySQL server zone FreeScout reads TIMESTAMPs through', () => {
  it('warns when the server default is not UTC, and only then', async () => {
    expect(await serverZoneWarning(fake('mysql', 'SYSTEM', 'CET'))).toMatch(/default time zone is CET, not UTC/)
    expect(await serverZoneWarning(fake('mysql', 'Europe/Berlin', 'UTC'))).toMatch(/Europe\/Berlin/)
    expect(await serverZoneWarning(fake('mysql', 'SYSTEM', 'UTC'))).toBeNull()
    expect(await serverZoneWarning(fake('mysql', '+00:00', 'CET'))).toBeNull()
    // PostgreSQL's timestamp without time zone converts nothing.
    expect(await serverZoneWarning(fake('postgres', 'SYSTEM', 'CET'))).toBeNull()
  })
})
