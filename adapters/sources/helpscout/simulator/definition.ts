import type { SimulatorDefinition } from '../../../../src/core/simulator.js'
import { commonSimulatorOptions, toCommonOptions } from '../../../../src/kits/simulator/cli-options.js'
import { SIM_DEFAULT_RPM } from './options.js'

/** `deskmove simulate helpscout`: the Mailbox API 2.0 simulator. The server code loads only when started. */
export const helpscoutSimulator: SimulatorDefinition = {
  name: 'helpscout',
  description: 'serve the Help Scout Mailbox API 2.0 from a deterministic generated dataset',
  options: [
    ...commonSimulatorOptions(SIM_DEFAULT_RPM),
    { key: 'conversations', flags: '--conversations <n>', description: 'number of conversations', type: 'int', default: 200 },
  ],
  async start(o) {
    const { startHelpScoutSimulator } = await import('./server.js')
    const sim = await startHelpScoutSimulator({ ...toCommonOptions(o), conversations: o.conversations as number | undefined })
    return { url: sim.url, env: sim.env, serving: true, close: () => sim.close() }
  },
}
