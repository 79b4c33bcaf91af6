// Pure rules for FreeScout's numeric codes and column formats (freescout.md 4.1–4.4); the writer-neutral
// rules by name are in planner/rules.ts.
import type { Channel } from '../../../src/core/model/ticket.js'
import { zonedSqlTime } from './site-time.js'

export const THREAD_TYPE = { customer: 1, message: 2, note: 3, lineitem: 4 } as const
export const ACTION_TYPE = { statusChanged: 1, userChanged: 2, movedFromMailbox: 3, merged: 4, customerChanged: 9 } as const
export const SOURCE_VIA = { customer: 1, user: 2 } as const
export const SOURCE_TYPE = { email: 1, web: 2, api: 3 } as const
export const CONVERSATION_TYPE = { email: 1, phone: 2, chat: 3 } as const

/** FreeScout conversation type for a source channel (FreeScout has email, phone, chat). */
export function conversationType(channel: Channel): number {
  if (channel === 'phone') return CONVERSATION_TYPE.phone
  if (channel === 'chat' || channel === 'social') return CONVERSATION_TYPE.chat
  return CONVERSATION_TYPE.email
}

export function sourceType(channel: Channel): number {
  return channel === 'web' ? SOURCE_TYPE.web : channel === 'api' ? SOURCE_TYPE.api : SOURCE_TYPE.email
}

/** `'YYYY-MM-DD HH:MM:SS'` from epoch seconds, as wall-clock time in the site's zone (UTC when none is given). */
export function sqlTime(epochSeconds: number, zone = 'UTC'): string {
  return zonedSqlTime(epochSeconds, zone)
}

/** Epoch seconds (floored) of an ISO instant. */
export function epochSeconds(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000)
}

/** MySQL TIMESTAMP holds 1970-01-01 00:00:01 … 2038-01-19 03:14:07 UTC. */
export const TIMESTAMP_MIN = 1
export const TIMESTAMP_MAX = 2147483647

/**
 * Distinct per-thread times: FreeScout orders threads by `created_at` at one-second precision, so a thread
 * whose time does not exceed the previous one's is bumped to previous + 1s, in position order.
 */
export function distinctSeconds(times: readonly number[]): number[] {
  const out: number[] = []
  for (const t of times) out.push(out.length && t <= out[out.length - 1]! ? out[out.length - 1]! + 1 : t)
  return out
}

/** The Message-ID deskmove gives a thread that has none: deterministic, unique per source record. */
export function syntheticMessageId(source: string, kind: string, sourceId: string, host: string): string {
  const safe = sourceId.replace(/[^A-Za-z0-9._-]/g, (c) => `=${c.codePointAt(0)!.toString(16)}`)
  return `<deskmove.${source}.${kind}.${safe}@${host}>`
}

/** A Message-ID as FreeScout stores it (angle brackets kept), or null when not usable (too long for the index). */
export function normalizeMessageId(id: string | null): string | null {
  if (!id) return null
  const t = id.trim().replace(/[\u0000-\u001f]/g, '')
  if (!t || t.length > 191) return null
  return t.startsWith('<') ? t : `<${t}>`
}

/** Source-side names as FreeScout's varchar limits allow (users.first_name 20, last_name 30). */
export function splitName(name: string, first: string | null, last: string | null): { first: string; last: string } {
  const parts = name.trim().split(/\s+/)
  const f = (first ?? parts[0] ?? '').trim()
  const l = (last ?? parts.slice(1).join(' ')).trim()
  return { first: Array.from(f).slice(0, 20).join(''), last: Array.from(l).slice(0, 30).join('') }
}

/** Phones JSON as FreeScout writes it: `n` = digits only (what phone search matches); duplicates removed. */
export function phonesJson(phones: readonly { value: string; type: string }[]): string | null {
  const codes: Record<string, number> = { work: 1, home: 2, other: 3, mobile: 4, fax: 5, pager: 6 }
  const seen = new Set<string>()
  const out = []
  for (const p of phones) {
    if (seen.has(p.value)) continue
    seen.add(p.value)
    out.push({ value: p.value, type: codes[p.type] ?? 3, n: p.value.replace(/\D/g, '') })
  }
  return out.length ? JSON.stringify(out) : null
}

/** Websites JSON: `http://` added when the scheme is missing, de-duplicated. */
export function websitesJson(sites: readonly string[]): string | null {
  const out = [...new Set(sites.map((s) => s.trim()).filter(Boolean).map((s) => (/^[a-z][a-z0-9+.-]*:\/\//i.test(s) ? s : `http://${s}`)))]
  return out.length ? JSON.stringify(out) : null
}

/**
 * `Email::sanitizeEmail`: lower-cased, trailing dots and dots before `@` removed; null when not `x@y`. A
 * `Name <x@y>` form gives its address (FreeScout stores addresses only, never display names).
 */
export function sanitizeEmail(email: string): string | null {
  const e = (/<([^<>]+)>\s*$/.exec(email)?.[1] ?? email).trim().toLowerCase().replace(/\.+$/, '').replace(/\.+@/, '@')
  return /^[^@\s]+@[^@\s]+$/.test(e) && e.length <= 191 ? e : null
}
