import type { SimulatorDefinition } from '../../../../src/core/simulator.js'
import { commonSimulatorOptions, toCommonOptions } from '../../../../src/kits/simulator/cli-options.js'
import { ZNUNY_VERSIONS, type ZnunyVersion } from './ticket-create.js'

/**
 * `deskmove simulate znuny`: Znuny's GenericTicketConnectorREST web service, in memory or (with --db-url) on a
 * Znuny-schema stand-in database built in an empty database. The server code loads only when started.
 */
export const znunySimulator: SimulatorDefinition = {
  name: 'znuny',
  description: 'serve a Znuny/OTRS GenericTicketConnectorREST web service (in memory, or on a Znuny-schema stand-in with --db-url)',
  options: [
    // No --profile: the simulator generates no data, it stores what it is sent.
    ...commonSimulatorOptions(0)
      .filter((o) => o.key !== 'profile')
      .map((o) => (o.key === 'faults' ? { ...o, description: 'fault rates, e.g. 5xx=0.02,reset=0.01,slow=0.01,truncate=0.01,crash=0.01,authfail=0.01' } : o)),
    // Not `--version`: deskmove's own --version is recognised anywhere on the command line.
    { key: 'version', flags: '--znuny-version <v>', description: 'Znuny line: 7.1 takes Article arrays; 7.0 and 6.5 one article per call', type: 'string', default: '7.1', choices: ZNUNY_VERSIONS },
    { key: 'dbUrl', flags: '--db-url <url>', description: 'keep the state in this database (mysql://… or postgres://…); an empty one gets the stand-in', type: 'string' },
    { key: 'sessionRequests', flags: '--session-requests <n>', description: 'requests a session serves before AuthFail (0 = never expires)', type: 'int', default: 0 },
    { key: 'scalarFieldFilter', flags: '--df-scalar-filter <mode>', description: 'TicketSearch with a bare DynamicField_<Name>=value: equals (znuny.md) or ignored (returns every ticket)', type: 'string', default: 'equals', choices: ['equals', 'ignored'] },
    { key: 'cache', flags: '--cache', description: "emulate Znuny's TicketGet cache: SQL changes to tickets/articles show after an API write to the ticket or a restart", type: 'boolean' },
    { key: 'keep4ByteUtf8', flags: '--keep-4byte-utf8', description: 'store emoji as sent (default: U+FFFD, as Znuny on MySQL does)', type: 'boolean' },
  ],
  async start(o, ctx) {
    const dbUrl = o.dbUrl === undefined ? undefined : String(o.dbUrl)
    if (dbUrl) ctx.addSecret(new URL(dbUrl).password || null)
    const { startZnunySim } = await import('./server.js')
    const sim = await startZnunySim({
      ...toCommonOptions(o),
      version: o.version as ZnunyVersion | undefined,
      dbUrl,
      sessionRequests: o.sessionRequests as number | undefined,
      cache: o.cache === true,
      scalarFieldFilter: o.scalarFieldFilter as 'equals' | 'ignored' | undefined,
      ...(o.keep4ByteUtf8 === true ? { replaceFourByte: false } : {}),
    })
    ctx.addSecret(sim.env.ZNUNY_PASSWORD)
    ctx.info(`Znuny ${sim.version} simulator: ${sim.baseUrl}${dbUrl ? ' (state in the database)' : ''}`)
    return { url: sim.url, env: { ...sim.env }, serving: true, close: () => sim.close() }
  },
}
