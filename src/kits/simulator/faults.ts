import { hash32, unit } from './rng.js'

/** Fault kinds every simulator can inject. */
export const FAULT_KINDS = ['5xx', 'reset', 'slow', 'truncate'] as const
export type FaultKind = (typeof FAULT_KINDS)[number]

/**
 * Further kinds the kit injects when a spec names them (absent from the rates otherwise): `429` starts a storm
 * of 429s (this request and the next 1–4) with Retry-After; `malformed` cuts a JSON body short behind an intact
 * status and length; `badutf8` puts invalid UTF-8 bytes into a JSON string.
 */
export const EXTRA_FAULT_KINDS = ['429', 'malformed', 'badutf8'] as const
export type ExtraFaultKind = (typeof EXTRA_FAULT_KINDS)[number]

/** Probability per request of each fault kind; extra and vendor kinds only when the spec names them. */
export type FaultRates = Readonly<Record<FaultKind, number>> & Readonly<Partial<Record<string, number>>>

/** Salt of the fault stream; 7 keeps the Help Scout simulator's historic fault sequence. */
export const FAULT_SALT = 7

/**
 * Parses a fault spec such as `5xx=0.02,reset=0.01,slow=0.01,truncate=0.01`.
 * Unknown kinds, bad numbers and total rates above 1 are refused so typos do not silently disable chaos.
 */
export function parseFaultSpec(spec: string | undefined, vendorKinds: readonly string[] = []): FaultRates {
  const rates: Record<string, number> & Record<FaultKind, number> = { '5xx': 0, reset: 0, slow: 0, truncate: 0 }
  const known: readonly string[] = [...FAULT_KINDS, ...EXTRA_FAULT_KINDS, ...vendorKinds]
  if (!spec || !spec.trim()) return rates
  for (const part of spec.split(',')) {
    const item = part.trim()
    if (!item) continue
    const [rawKind, rawRate] = item.split('=')
    const kind = rawKind?.trim() ?? ''
    if (!known.includes(kind)) {
      throw new Error(`unknown fault kind "${rawKind ?? ''}" (expected one of ${known.join(', ')})`)
    }
    const rate = Number(rawRate)
    if (rawRate === undefined || rawRate.trim() === '' || !Number.isFinite(rate) || rate < 0 || rate > 1) {
      throw new Error(`fault rate for "${kind}" must be a number between 0 and 1`)
    }
    rates[kind] = rate
  }
  const total = Object.values(rates).reduce((sum, r) => sum + r, 0)
  if (total > 1) throw new Error('fault rates add up to more than 1')
  return rates
}

/**
 * Fault decisions: a pure function of (seed, request counter), so a chaos run with the same seed
 * and the same request order meets the same faults.
 */
export function pickFault(seed: number, counter: number, rates: FaultRates): FaultKind | null
export function pickFault(seed: number, counter: number, rates: FaultRates, all: true): string | null
export function pickFault(seed: number, counter: number, rates: FaultRates, all = false): string | null {
  const u = unit(seed, counter, FAULT_SALT)
  let edge = 0
  // The base kinds first, in their fixed order, so adding other kinds never moves their faults.
  const kinds = all ? [...FAULT_KINDS, ...Object.keys(rates).filter((k) => !(FAULT_KINDS as readonly string[]).includes(k))] : FAULT_KINDS
  for (const kind of kinds) {
    edge += rates[kind] ?? 0
    if (u < edge) return kind
  }
  return null
}

export interface FaultShape {
  /** Status of a `5xx` fault. */
  status: 500 | 502 | 503
  /** Whether a `5xx` fault answers with an HTML page (as a proxy would) rather than JSON. */
  html: boolean
  /** Delay of a `slow` fault, 2–5 s. */
  slowMs: number
}

export function faultShape(seed: number, counter: number): FaultShape {
  const h = hash32(seed, counter, FAULT_SALT, 1)
  const statuses = [500, 502, 503] as const
  return { status: statuses[h % 3]!, html: (h >>> 8) % 2 === 0, slowMs: 2000 + ((h >>> 9) % 3001) }
}

/**
 * Body of an injected server error: a proxy's HTML page, or the vendor's JSON error body
 * (`vendorJson(status)`, e.g. Help Scout's `{ logRef, message }`).
 */
export function faultBody(shape: FaultShape, vendorJson: (status: number) => unknown): { contentType: string; body: string } {
  if (shape.html) {
    return { contentType: 'text/html; charset=utf-8', body: `<html><head><title>${shape.status}</title></head><body><h1>${shape.status} Server Error</h1></body></html>` }
  }
  return { contentType: 'application/json', body: JSON.stringify(vendorJson(shape.status)) }
}
