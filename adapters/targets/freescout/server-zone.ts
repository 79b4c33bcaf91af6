// MySQL/MariaDB convert TIMESTAMP columns through the session time zone. deskmove's sessions run in UTC (the SQL
// kit), FreeScout's in the server's default zone (it sets none, freescout.md 4.5): when that default is not
// UTC, every time deskmove writes reads back shifted in FreeScout. PostgreSQL's `timestamp without time zone`
// columns convert nothing.
import type { FsDb } from './db.js'

const UTC_NAMES = /^(utc|etc\/utc|gmt|etc\/gmt|z|[+-]00:00|coordinated universal time|universal)$/i

/** A warning when the MySQL/MariaDB server's default zone is not UTC, else null. Reads only. */
export async function serverZoneWarning(db: FsDb): Promise<string | null> {
  if (db.dialect !== 'mysql') return null
  const r = (await db.query<{ g: string; s: string }>('SELECT @@global.time_zone AS g, @@system_time_zone AS s'))[0]
  if (!r) return null
  const zone = String(r.g).toUpperCase() === 'SYSTEM' ? String(r.s) : String(r.g)
  if (UTC_NAMES.test(zone.trim())) return null
  return `the database server's default time zone is ${zone}, not UTC: FreeScout reads TIMESTAMP columns through it while deskmove writes through UTC, so imported times would display shifted by the server's UTC offset. deskmove does not write through a non-UTC server zone yet: do not apply to this server as it is (see the README, FreeScout time zones).`
}
