// What Znuny would mangle or refuse, found at plan time (znuny.md O3): 4-byte UTF-8 becomes U+FFFD on MySQL,
// addresses at example.<2–3 letters> or without a valid shape are refused, attachments without a file name or
// with a malformed content type are dropped or stored as is. The plan applies a stated rule and records it.
import type { Alteration } from '../../../src/core/target.js'

/** Characters outside the Basic Multilingual Plane (4 bytes in UTF-8): emoji, rare CJK, … */
const ASTRAL = /[\u{10000}-\u{10FFFF}]/gu

/** How many 4-byte characters a text holds. */
export function astralCount(s: string): number {
  return s.match(ASTRAL)?.length ?? 0
}

/**
 * Replaces 4-byte characters by U+FFFD when the target will (MySQL-backed Znuny, or an unknown database), so
 * what deskmove sends is what Znuny keeps and verify compares like with like.
 */
export function fitText(value: string, field: string, mangles: boolean, alterations: Alteration[]): string {
  if (!mangles) return value
  const n = astralCount(value)
  if (n === 0) return value
  alterations.push({ field, rule: '4-byte-utf8-replaced', detail: `${n} character(s) outside the BMP (emoji…) replaced by U+FFFD, as Znuny on MySQL/MariaDB stores them` })
  return value.replace(ASTRAL, '\uFFFD')
}

const ADDRESS = /^[^\s@<>()",;:\\[\]]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/

/** Why Znuny refuses an address (default `CheckEmailInvalidAddress` and syntax check), or null when it accepts it. */
export function refusedAddress(email: string): string | null {
  if (!ADDRESS.test(email)) return 'not a valid e-mail address'
  if (/@example\.[a-z]{2,3}$/i.test(email)) return 'Znuny refuses addresses at example.<2–3 letters> (CheckEmailInvalidAddress)'
  return null
}

/** `"Name" <email>` as Znuny stores a From, quotes and angle brackets removed from the name. */
export function formatAddress(name: string | null, email: string): string {
  const n = (name ?? '').replace(/["<>\\]/g, '').trim()
  return n ? `"${n}" <${email}>` : email
}

const CONTENT_TYPE = /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/

/** A content type Znuny checks and keeps (`type/subtype`, lower case); anything else becomes octet-stream. */
export function fitContentType(raw: string, field: string, alterations: Alteration[]): string {
  const base = raw.split(';')[0]!.trim().toLowerCase()
  if (CONTENT_TYPE.test(base)) return base
  alterations.push({ field, rule: 'content-type-replaced', detail: `content type ${JSON.stringify(raw.slice(0, 80))} is not type/subtype: sent as application/octet-stream` })
  return 'application/octet-stream'
}

/**
 * A file name Znuny keeps: no path, no control characters, not empty (an attachment without a file name is
 * silently dropped by Znuny 7.0's per-article attachments).
 */
export function fitFileName(raw: string, fallback: string, field: string, mangles: boolean, alterations: Alteration[]): string {
  const cleaned = raw
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .split(/[\\/]/)
    .pop()!
    .trim()
    .replace(/^\.+$/, '')
  let name = cleaned === '' ? fallback : cleaned
  if (name.length > 200) name = name.slice(0, 200)
  if (name !== raw) alterations.push({ field, rule: 'file-name-cleaned', detail: `file name ${JSON.stringify(raw.slice(0, 80))} sent as ${JSON.stringify(name)}` })
  return fitText(name, field, mangles, alterations)
}
