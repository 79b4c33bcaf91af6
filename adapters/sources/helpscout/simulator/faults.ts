import type { FaultRates } from './options.js'
import { hash32, unit, SALT } from './rng.js'
import { FAULT_KINDS, type FaultKind } from './types.js'

/**
 * Fault decisions: a pure function of (seed, request counter), so a chaos run with the same seed
 * and the same request order meets the same faults.
 */
export function pickFault(seed: number, counter: number, rates: FaultRates): FaultKind | null {
  const u = unit(seed, counter, SALT.faults)
  let edge = 0
  for (const kind of FAULT_KINDS) {
    edge += rates[kind]
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
  const h = hash32(seed, counter, SALT.faults, 1)
  const statuses = [500, 502, 503] as const
  return { status: statuses[h % 3]!, html: (h >>> 8) % 2 === 0, slowMs: 2000 + ((h >>> 9) % 3001) }
}

/** Body of an injected server error. */
export function faultBody(shape: FaultShape): { contentType: string; body: string } {
  if (shape.html) {
    return { contentType: 'text/html; charset=utf-8', body: `<html><head><title>${shape.status}</title></head><body><h1>${shape.status} Server Error</h1></body></html>` }
  }
  return { contentType: 'application/json', body: JSON.stringify({ logRef: `sim-fault-${shape.status}`, message: 'Internal server error' }) }
}
