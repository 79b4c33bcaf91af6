import type { SimulatorDefinition } from '../../../../src/core/simulator.js'
import { commonSimulatorOptions, toCommonOptions } from '../../../../src/kits/simulator/cli-options.js'
import { ZENDESK_DEFAULT_RPM } from './options.js'

/** `deskmove simulate zendesk`: the Support API v2 simulator. The server code loads only when started. */
export const zendeskSimulator: SimulatorDefinition = {
  name: 'zendesk',
  description: 'serve the Zendesk Support API v2 (incremental exports, comments, signed attachment links) from a deterministic generated account',
  options: [
    ...commonSimulatorOptions(ZENDESK_DEFAULT_RPM),
    { key: 'tickets', flags: '--tickets <n>', description: 'number of tickets (deleted and archived included)', type: 'int', default: 200 },
    { key: 'exportRpm', flags: '--export-rpm <n>', description: "the incremental exports' own budget per minute", type: 'int', min: 1, default: 10 },
    { key: 'linkTtl', flags: '--link-ttl <s>', description: 'seconds a signed attachment link stays valid', type: 'int', min: 1, default: 120 },
  ],
  async start(o, ctx) {
    const { startZendeskSimulator } = await import('./server.js')
    const sim = await startZendeskSimulator({
      ...toCommonOptions(o),
      tickets: o.tickets as number | undefined,
      exportRpm: o.exportRpm as number | undefined,
      linkTtlSeconds: o.linkTtl as number | undefined,
    })
    ctx.info(`OAuth clients may use ZENDESK_OAUTH_TOKEN=${sim.oauthToken} instead of the API token`)
    return { url: sim.url, env: sim.env, serving: true, close: () => sim.close() }
  },
}
