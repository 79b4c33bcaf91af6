import { nonNegativeInt, resolveCommonOptions, type CommonSimOptions, type ResolvedCommonOptions } from '../../../../src/kits/simulator/options.js'

export { parseFaultSpec, type FaultRates } from '../../../../src/kits/simulator/faults.js'

/** Options after defaults are applied. */
export interface ResolvedSimOptions extends ResolvedCommonOptions {
  conversations: number
  tokenTtlSeconds: number
  appId: string
  appSecret: string
}

/** Options of the Help Scout simulator; every field is optional. The shared ones (port, seed, rpm, faults, profile…) are the kit's. */
export interface HelpScoutSimulatorOptions extends CommonSimOptions {
  /** Listed conversations (every status); default 200. */
  conversations?: number
  /** Lifetime of issued tokens; an expired token answers 401. Default 7200. */
  tokenTtlSeconds?: number
  appId?: string
  appSecret?: string
}

/** Help Scout's default budget in the simulator: requests per sliding 60 s window. */
export const SIM_DEFAULT_RPM = 400

/** Applies the documented defaults and checks ranges. */
export function resolveSimOptions(o: HelpScoutSimulatorOptions): ResolvedSimOptions {
  const common = resolveCommonOptions(o, SIM_DEFAULT_RPM)
  const ttl = o.tokenTtlSeconds ?? 7200
  if (!(ttl > 0)) throw new Error('tokenTtlSeconds must be positive')
  return {
    ...common,
    conversations: nonNegativeInt('conversations', o.conversations ?? 200),
    tokenTtlSeconds: ttl,
    // Fixed, clearly fake credentials: the simulator protects nothing, the values only have to match.
    appId: o.appId ?? `sim-app-${common.seed}`,
    appSecret: o.appSecret ?? `sim-secret-${common.seed}-not-a-real-secret`,
  }
}
