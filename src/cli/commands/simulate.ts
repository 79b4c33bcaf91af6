import { startHelpScoutSimulator } from '../../../adapters/sources/helpscout/simulator/server.js'

export interface SimulateHelpScoutOptions {
  readonly port: number
  readonly host: string
  readonly seed: number
  readonly conversations: number
  readonly rpm: number
  readonly latency: number
  readonly faults?: string
}

/** Starts the simulator, prints one JSON line (url + env to export), and serves until interrupted. */
export async function runSimulateHelpScout(o: SimulateHelpScoutOptions): Promise<void> {
  const sim = await startHelpScoutSimulator({
    port: o.port,
    host: o.host,
    seed: o.seed,
    conversations: o.conversations,
    rpm: o.rpm === 0 ? null : o.rpm,
    latencyMs: o.latency,
    faults: o.faults,
  })
  process.stdout.write(JSON.stringify({ url: sim.url, env: sim.env }) + '\n')
  await new Promise<void>((resolveStop) => {
    const stop = (): void => {
      void sim.close().then(resolveStop)
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
}
