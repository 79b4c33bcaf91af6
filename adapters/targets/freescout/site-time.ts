// FreeScout stores naive `Y-m-d H:i:s` strings in its APP_TIMEZONE (freescout.md A.1, 4.5). These helpers turn
// absolute instants into that wall-clock time and back, daylight saving included, with Intl (no tz database of
// our own), and find out which zone a site uses.
import { readFileSync } from 'node:fs'

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
    formatters.set(zone, f)
  }
  return f
}

/** Whether Intl knows this IANA zone name (`Europe/Berlin`, `UTC`). */
export function isTimeZone(zone: string): boolean {
  try {
    formatter(zone)
    return true
  } catch {
    return false
  }
}

const isUtc = (zone: string) => /^(utc|etc\/utc|etc\/gmt|gmt|z|\+00:00)$/i.test(zone)

/** `'YYYY-MM-DD HH:MM:SS'` wall-clock time in `zone` of epoch seconds (UTC when no zone is given). */
export function zonedSqlTime(epochSeconds: number, zone = 'UTC'): string {
  const d = new Date(epochSeconds * 1000)
  if (isUtc(zone)) return d.toISOString().slice(0, 19).replace('T', ' ')
  const p: Record<string, string> = {}
  for (const part of formatter(zone).formatToParts(d)) p[part.type] = part.value
  // Years before 1000 never reach here: FreeScout's TIMESTAMP range starts in 1970.
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`
}

const SQL_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/

/**
 * Epoch seconds of a naive wall-clock string read in `zone`; NaN when it is not such a string. In the hour a
 * clock is set back the earlier instant is taken; a time skipped when clocks go forward maps past the gap.
 */
export function parseZonedSqlTime(s: string | null, zone = 'UTC'): number {
  const m = s ? SQL_TIME.exec(s) : null
  if (!m) return NaN
  const asUtc = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) / 1000
  if (isUtc(zone)) return asUtc
  // Offsets in force half a day either side cover any DST change near this time; keep those that read back.
  const offset = (t: number) => Date.parse(`${zonedSqlTime(t, zone).replace(' ', 'T')}Z`) / 1000 - t
  const before = offset(asUtc - 43200)
  const candidates = [...new Set([before, offset(asUtc), offset(asUtc + 43200)])].map((o) => asUtc - o)
  const valid = candidates.filter((t) => zonedSqlTime(t, zone) === `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6]}`)
  return valid.length ? Math.min(...valid) : asUtc - before
}

/** An absolute instant for reports: `2024-03-31T01:30:00Z`. */
export function isoInstant(epochSeconds: number): string {
  return Number.isFinite(epochSeconds) ? new Date(epochSeconds * 1000).toISOString().replace('.000Z', 'Z') : 'unreadable'
}

/** `APP_TIMEZONE` from a FreeScout `.env` file (quotes and comments as dotenv reads them); null when not set. */
export function readAppTimezone(envText: string): string | null {
  for (const line of envText.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?APP_TIMEZONE\s*=\s*(.*)$/.exec(line)
    if (!m) continue
    let v = m[1]!.trim()
    if (/^(['"]).*\1/.test(v)) v = v.slice(1, v.indexOf(v[0]!, 1))
    else v = v.replace(/\s+#.*$/, '').trim()
    return v === '' ? null : v
  }
  return null
}

/** The site's zone and where it was learned; `known` false means UTC is assumed (and `plan` warns). */
export interface SiteZone {
  readonly zone: string
  readonly known: boolean
  readonly from: string
}

/**
 * The FreeScout site's time zone: `FREESCOUT_TIMEZONE`, else `APP_TIMEZONE` in the `.env` file at
 * `FREESCOUT_ENV_FILE`, else unknown (UTC assumed). Throws for a zone Intl does not know or an unreadable file.
 */
export function resolveSiteZone(cfg: { readonly timezone?: string | null; readonly envFile?: string | null }): SiteZone {
  if (cfg.timezone) return { zone: cfg.timezone, known: true, from: 'FREESCOUT_TIMEZONE' }
  if (cfg.envFile) {
    const zone = readAppTimezone(readFileSync(cfg.envFile, 'utf8'))
    if (zone !== null) {
      if (!isTimeZone(zone)) throw new Error(`APP_TIMEZONE "${zone}" in ${cfg.envFile} is not a time zone this system knows`)
      return { zone, known: true, from: `APP_TIMEZONE in ${cfg.envFile}` }
    }
    return { zone: 'UTC', known: false, from: `${cfg.envFile} sets no APP_TIMEZONE (FreeScout then uses PHP's default zone)` }
  }
  return { zone: 'UTC', known: false, from: 'neither FREESCOUT_TIMEZONE nor FREESCOUT_ENV_FILE is set' }
}
