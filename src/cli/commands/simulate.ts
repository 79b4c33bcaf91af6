import { resolve } from 'node:path'
import { startHelpScoutSimulator } from '../../../adapters/sources/helpscout/simulator/server.js'
import { createFreescoutStandIn } from '../../../adapters/targets/freescout/standin/index.js'
import type { CommandContext, CommandResult } from '../command.js'
import { EXIT } from '../../core/exit-codes.js'

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

export interface SimulateFreescoutOptions {
  readonly dbUrl: string
  readonly storage: string
  readonly mailboxes: number
  readonly tagsModule: boolean
  readonly customFieldsModule: boolean
}

/** Creates the FreeScout stand-in and prints the env a target run needs. Refuses a non-empty database. */
export async function runSimulateFreescout(ctx: CommandContext, o: SimulateFreescoutOptions): Promise<CommandResult> {
  ctx.redactor.add(new URL(o.dbUrl).password || null)
  const result = await createFreescoutStandIn({
    dbUrl: o.dbUrl,
    storageDir: resolve(ctx.cwd, o.storage),
    mailboxes: o.mailboxes,
    modules: { tags: o.tagsModule, customFields: o.customFieldsModule },
  })
  // The one-line contract: {"env": {...}} on stdout, whatever the output mode.
  process.stdout.write(JSON.stringify({ env: result.env }) + '\n')
  ctx.reporter.info(`FreeScout stand-in ready: admin ${result.admin.email}, mailboxes ${result.mailboxes.map((m) => `${m.id} ${m.email}`).join(', ')}`)
  return { exitCode: EXIT.ok }
}
