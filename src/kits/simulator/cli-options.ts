import type { SimulatorOption } from '../../core/simulator.js'
import type { CommonSimOptions } from './options.js'
import { SIM_PROFILES, type SimProfile } from './profile.js'

/** The command-line options every HTTP simulator built on the kit accepts (`deskmove simulate <name> …`). */
export function commonSimulatorOptions(defaultRpm: number): SimulatorOption[] {
  return [
    { key: 'port', flags: '--port <n>', description: 'port (0 = any free port)', type: 'int', default: 0 },
    { key: 'host', flags: '--host <host>', description: 'address to listen on', type: 'string', default: '127.0.0.1' },
    { key: 'seed', flags: '--seed <n>', description: 'dataset seed: same seed, same data', type: 'int', default: 1 },
    { key: 'rpm', flags: '--rpm <n>', description: 'rate limit per minute (0 = unlimited)', type: 'int', default: defaultRpm },
    { key: 'latency', flags: '--latency <ms>', description: 'added latency per response', type: 'int', default: 0 },
    { key: 'faults', flags: '--faults <spec>', description: 'fault rates, e.g. 5xx=0.02,reset=0.01,slow=0.01,truncate=0.01 (kit kinds also 429, malformed, badutf8; a vendor may add its own)', type: 'string' },
    { key: 'profile', flags: '--profile <name>', description: 'payload profile: full, or sparse (optional fields missing, as real accounts send them)', type: 'string', default: 'full', choices: SIM_PROFILES },
  ]
}

/** Maps the parsed common CLI values to the kit's options (`--rpm 0` means unlimited). */
export function toCommonOptions(v: Readonly<Record<string, unknown>>): CommonSimOptions {
  const rpm = v.rpm as number | undefined
  return {
    port: v.port as number | undefined,
    host: v.host as string | undefined,
    seed: v.seed as number | undefined,
    rpm: rpm === 0 ? null : rpm,
    latencyMs: v.latency as number | undefined,
    faults: v.faults as string | undefined,
    profile: v.profile as SimProfile | undefined,
  }
}
