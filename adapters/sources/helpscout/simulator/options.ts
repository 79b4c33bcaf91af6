import { FAULT_KINDS, type FaultKind } from './types.js'

/** Options after defaults are applied. */
export interface ResolvedSimOptions {
  port: number
  host: string
  seed: number
  conversations: number
  rpm: number | null
  latencyMs: number
  faults: FaultRates
  tokenTtlSeconds: number
  appId: string
  appSecret: string
}

/** Probability per request of each fault kind. */
export type FaultRates = Readonly<Record<FaultKind, number>>

/**
 * Parses a fault spec such as `5xx=0.02,reset=0.01,slow=0.01,truncate=0.01`.
 * Unknown kinds, bad numbers and total rates above 1 are refused so typos do not silently disable chaos.
 */
export function parseFaultSpec(spec: string | undefined): FaultRates {
  const rates: Record<FaultKind, number> = { '5xx': 0, reset: 0, slow: 0, truncate: 0 }
  if (!spec || !spec.trim()) return rates
  for (const part of spec.split(',')) {
    const item = part.trim()
    if (!item) continue
    const [rawKind, rawRate] = item.split('=')
    const kind = rawKind?.trim() as FaultKind
    if (!FAULT_KINDS.includes(kind)) {
      throw new Error(`unknown fault kind "${rawKind ?? ''}" (expected one of ${FAULT_KINDS.join(', ')})`)
    }
    const rate = Number(rawRate)
    if (rawRate === undefined || rawRate.trim() === '' || !Number.isFinite(rate) || rate < 0 || rate > 1) {
      throw new Error(`fault rate for "${kind}" must be a number between 0 and 1`)
    }
    rates[kind] = rate
  }
  const total = FAULT_KINDS.reduce((sum, k) => sum + rates[k], 0)
  if (total > 1) throw new Error('fault rates add up to more than 1')
  return rates
}

function nonNegativeInt(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer`)
  return value
}

/** Options of the Help Scout simulator; every field is optional. */
export interface HelpScoutSimulatorOptions {
  /** Port to listen on; default 0 (random). */
  port?: number
  /** Interface to bind; default '127.0.0.1'. */
  host?: string
  /** Dataset seed; same seed + same options → same data. Default 1. */
  seed?: number
  /** Listed conversations (every status); default 200. */
  conversations?: number
  /** Requests per sliding 60 s window; default 400; null = unlimited. */
  rpm?: number | null
  /** Delay added to every response, ms; default 0. */
  latencyMs?: number
  /** Fault rates per request, e.g. '5xx=0.02,reset=0.01,slow=0.01,truncate=0.01'; default none. */
  faults?: string
  /** Lifetime of issued tokens; an expired token answers 401. Default 7200. */
  tokenTtlSeconds?: number
  appId?: string
  appSecret?: string
  /** Payload profile: `default` (realistically sparse) or `sparse` (see sparse.ts). */
  profile?: string
}

/** Applies the documented defaults and checks ranges. */
export function resolveSimOptions(o: HelpScoutSimulatorOptions): ResolvedSimOptions {
  const seed = nonNegativeInt('seed', o.seed ?? 1)
  const rpm = o.rpm === undefined ? 400 : o.rpm
  if (rpm !== null && (!Number.isInteger(rpm) || rpm < 1)) throw new Error('rpm must be a positive integer or null')
  const ttl = o.tokenTtlSeconds ?? 7200
  if (!(ttl > 0)) throw new Error('tokenTtlSeconds must be positive')
  return {
    port: nonNegativeInt('port', o.port ?? 0),
    host: o.host ?? '127.0.0.1',
    seed,
    conversations: nonNegativeInt('conversations', o.conversations ?? 200),
    rpm,
    latencyMs: nonNegativeInt('latencyMs', o.latencyMs ?? 0),
    faults: parseFaultSpec(o.faults),
    tokenTtlSeconds: ttl,
    // Fixed, clearly fake credentials: the simulator protects nothing, the values only have to match.
    appId: o.appId ?? `sim-app-${seed}`,
    appSecret: o.appSecret ?? `sim-secret-${seed}-not-a-real-secret`,
  }
}
