import { parseFaultSpec, type FaultRates } from './faults.js'
import { parseProfile, type SimProfile } from './profile.js'

/** Options every simulator accepts (the vendor adds its own). Every field is optional. */
export interface CommonSimOptions {
  /** Port to listen on; default 0 (random). */
  port?: number
  /** Interface to bind; default '127.0.0.1'. */
  host?: string
  /** Dataset seed; same seed + same options → same data. Default 1. */
  seed?: number
  /** Requests per sliding window; null = unlimited. Default: the vendor's. */
  rpm?: number | null
  /** Delay added to every response, ms; default 0. */
  latencyMs?: number
  /** Fault rates per request, e.g. '5xx=0.02,reset=0.01,slow=0.01,truncate=0.01'; default none. */
  faults?: string
  /** Payload profile handed to the vendor's renderers; default 'full'. */
  profile?: SimProfile
}

export interface ResolvedCommonOptions {
  port: number
  host: string
  seed: number
  rpm: number | null
  latencyMs: number
  faults: FaultRates
  profile: SimProfile
}

export function nonNegativeInt(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer`)
  return value
}

/** Applies the shared defaults and checks ranges; `defaultRpm` is the vendor's. */
/** `vendorFaults`: the vendor's own fault kinds the spec may name (the server hands them to its handler). */
export function resolveCommonOptions(o: CommonSimOptions, defaultRpm: number | null, vendorFaults: readonly string[] = []): ResolvedCommonOptions {
  const rpm = o.rpm === undefined ? defaultRpm : o.rpm
  if (rpm !== null && (!Number.isInteger(rpm) || rpm < 1)) throw new Error('rpm must be a positive integer or null')
  return {
    port: nonNegativeInt('port', o.port ?? 0),
    host: o.host ?? '127.0.0.1',
    seed: nonNegativeInt('seed', o.seed ?? 1),
    rpm,
    latencyMs: nonNegativeInt('latencyMs', o.latencyMs ?? 0),
    faults: parseFaultSpec(o.faults, vendorFaults),
    profile: parseProfile(o.profile),
  }
}
