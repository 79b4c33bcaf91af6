// Text rules of the simulated Znuny: what it does to strings, addresses and times (znuny.md O3/O4).

/** 4-byte UTF-8 characters (outside the BMP) become U+FFFD, as Znuny's MySQL driver does to every string it writes. */
export function replaceFourByte(s: string): string {
  return s.replace(/[\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
}

/** `YYYY-MM-DD HH:MM:SS` in UTC (Znuny's OTRSTimeZone default). */
export function sqlTime(d: Date): string {
  return d.toISOString().slice(0, 19).replace('T', ' ')
}

/** Epoch seconds of a `YYYY-MM-DD HH:MM:SS` UTC string. */
export function epochOf(time: string): number {
  return Math.floor(Date.parse(`${time.replace(' ', 'T')}Z`) / 1000)
}

/**
 * The address part of a From/To value (`Name <a@b>` or `a@b`), or null when there is none. Znuny's check
 * (CheckEmail) refuses hosts without a dot (`znuny@localhost`) and, by default, any `@example.<2–3 letters>`.
 */
export function validAddress(value: string): string | null {
  const m = /<([^<>\s]+)>\s*$/.exec(value)
  const addr = (m ? m[1]! : value).trim()
  if (!/^[^@\s<>"(),;:]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/.test(addr)) return null
  if (/@(example)\.(..|...)$/i.test(addr)) return null
  return addr
}

/** Every address of a comma-separated list, all valid, or null. */
export function validAddressList(value: string): string[] | null {
  const parts = value.split(',').map((p) => p.trim()).filter((p) => p !== '')
  const addrs = parts.map(validAddress)
  return parts.length > 0 && addrs.every((a) => a !== null) ? (addrs as string[]) : null
}

/** Mime type and charset of a `ContentType` value (`text/html; charset=utf-8`). */
export function splitContentType(ct: string): { mimeType: string; charset: string } {
  const [type = '', ...params] = ct.split(';')
  const charset = params.map((p) => /^\s*charset\s*=\s*"?([^";]*)"?\s*$/i.exec(p)?.[1]).find((c) => c !== undefined) ?? ''
  return { mimeType: type.trim(), charset }
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' }

/**
 * The plain text Znuny stores for an HTML body (its own converter differs in detail): block elements become
 * line breaks, tags go, entities are decoded. Observed: `<p>Hello html</p>` → `"\nHello html\n\n"`.
 */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<p[^>]*>/gi, '\n')
    .replace(/<\/p>/gi, '\n\n')
    .replace(/<\/(div|li|tr|h[1-6])>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (all, e: string) => {
      if (e.startsWith('#x') || e.startsWith('#X')) return String.fromCodePoint(parseInt(e.slice(2), 16))
      if (e.startsWith('#')) return String.fromCodePoint(Number(e.slice(1)))
      return ENTITIES[e.toLowerCase()] ?? all
    })
}

/**
 * A DateChecksum ticket number as observed (`2026112210000013`): date, system id 10, a 5-digit counter and a
 * check digit (our own mod-10 digit; Znuny's checksum differs in detail).
 */
export function ticketNumber(now: Date, counter: number): string {
  const base = `${now.toISOString().slice(0, 10).replace(/-/g, '')}10${String(counter).padStart(5, '0')}`
  let sum = 0
  for (let i = 0; i < base.length; i++) sum += Number(base[i]) * (i % 2 === 0 ? 1 : 2)
  return `${base}${(10 - (sum % 10)) % 10}`
}

/** A truthy GI flag (`1`, `"1"`, `true`). */
export const flag = (v: unknown): boolean => v === 1 || v === '1' || v === true

/** A non-empty string, or undefined. */
export function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v === '' ? undefined : v
  if (typeof v === 'number') return String(v)
  return undefined
}

/** Values of a GI parameter that may be a scalar or a list (`Queues=Raw&Queues=Misc`, `["Raw","Misc"]`). */
export function list(v: unknown): string[] {
  if (v === undefined || v === null || v === '') return []
  return (Array.isArray(v) ? v : [v]).map((x) => String(x))
}

/** A plain JSON object, or undefined. */
export function obj(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined
}

/** An object or a list of objects as a list (GI `Attachment`, `DynamicField`, 7.1 `Article`); null if neither. */
export function objects(v: unknown): Record<string, unknown>[] | null {
  if (v === undefined) return []
  if (obj(v)) return [v as Record<string, unknown>]
  if (Array.isArray(v) && v.every((x) => obj(x))) return v as Record<string, unknown>[]
  return null
}
