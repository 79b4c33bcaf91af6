import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { isTimeZone, parseZonedSqlTime, readAppTimezone, resolveSiteZone, zonedSqlTime } from './site-time.js'

const at = (iso: string) => Date.parse(iso) / 1000

describe('FreeScout wall-clock times in the site zone', () => {
  it('writes Berlin winter and summer time, across both DST changes', () => {
    expect(zonedSqlTime(at('2024-01-15T12:00:00Z'), 'Europe/Berlin')).toBe('2024-01-15 13:00:00')
    expect(zonedSqlTime(at('2024-07-15T12:00:00Z'), 'Europe/Berlin')).toBe('2024-07-15 14:00:00')
    expect(zonedSqlTime(at('2024-03-31T00:59:59Z'), 'Europe/Berlin')).toBe('2024-03-31 01:59:59')
    expect(zonedSqlTime(at('2024-03-31T01:00:00Z'), 'Europe/Berlin')).toBe('2024-03-31 03:00:00')
    expect(zonedSqlTime(at('2024-10-27T00:30:00Z'), 'Europe/Berlin')).toBe('2024-10-27 02:30:00')
    expect(zonedSqlTime(at('2024-10-27T01:30:00Z'), 'Europe/Berlin')).toBe('2024-10-27 02:30:00')
    expect(zonedSqlTime(at('2024-01-15T12:00:00Z'))).toBe('2024-01-15 12:00:00')
    expect(zonedSqlTime(at('2024-01-15T12:00:00Z'), 'America/New_York')).toBe('2024-01-15 07:00:00')
  })

  it('reads them back to the same instant (the earlier one in the repeated hour)', () => {
    for (const iso of ['2024-01-15T12:00:00Z', '2024-07-15T12:00:00Z', '2024-03-31T00:59:59Z', '2024-03-31T01:00:00Z', '2024-10-27T00:30:00Z', '2024-10-27T01:00:00Z', '2037-12-31T23:59:59Z']) {
      expect(parseZonedSqlTime(zonedSqlTime(at(iso), 'Europe/Berlin'), 'Europe/Berlin'), iso).toBe(at(iso) === at('2024-10-27T01:00:00Z') ? at('2024-10-27T00:00:00Z') : at(iso))
    }
    expect(parseZonedSqlTime('2024-10-27 02:30:00', 'Europe/Berlin')).toBe(at('2024-10-27T00:30:00Z'))
    expect(parseZonedSqlTime('2024-01-15 12:00:00', 'UTC')).toBe(at('2024-01-15T12:00:00Z'))
    expect(parseZonedSqlTime('not a time', 'UTC')).toBeNaN()
  })

  it('takes the zone from FREESCOUT_TIMEZONE, else APP_TIMEZONE in FreeScout\'s .env, else says it does not know', () => {
    expect(readAppTimezone('APP_URL=https://x\nAPP_TIMEZONE="Europe/Berlin"\n')).toBe('Europe/Berlin')
    expect(readAppTimezone("export APP_TIMEZONE='Asia/Tokyo'")).toBe('Asia/Tokyo')
    expect(readAppTimezone('APP_TIMEZONE=America/New_York # the office\n')).toBe('America/New_York')
    expect(readAppTimezone('#APP_TIMEZONE=Europe/Paris\nAPP_TIMEZONE=\n')).toBeNull()
    const dir = mkdtempSync(join(tmpdir(), 'deskmove-env-'))
    try {
      writeFileSync(join(dir, '.env'), 'APP_KEY=base64:abc\nAPP_TIMEZONE=Europe/Berlin\n')
      writeFileSync(join(dir, 'none.env'), 'APP_KEY=base64:abc\n')
      writeFileSync(join(dir, 'bad.env'), 'APP_TIMEZONE=Mars/Olympus\n')
      expect(resolveSiteZone({ timezone: 'Asia/Tokyo', envFile: join(dir, '.env') })).toMatchObject({ zone: 'Asia/Tokyo', known: true })
      expect(resolveSiteZone({ envFile: join(dir, '.env') })).toMatchObject({ zone: 'Europe/Berlin', known: true })
      expect(resolveSiteZone({ envFile: join(dir, 'none.env') })).toMatchObject({ zone: 'UTC', known: false })
      expect(() => resolveSiteZone({ envFile: join(dir, 'bad.env') })).toThrow(/Mars\/Olympus/)
      expect(resolveSiteZone({})).toMatchObject({ zone: 'UTC', known: false })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
    expect(isTimeZone('Europe/Berlin')).toBe(true)
    expect(isTimeZone('Europe/Nowhere')).toBe(false)
  })
})
