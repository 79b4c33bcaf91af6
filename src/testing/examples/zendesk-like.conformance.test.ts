// The Zendesk-shaped example source passes the shared source suite against its simulator (built on the kit).
import { describeLiveSourceConformance } from '../source-conformance-live.js'
import { testSimProfile } from '../sim-profile.js'
import { zendeskLikeSource } from './zendesk-like-source.js'
import { startZendeskLikeSimulator } from './zendesk-like-simulator.js'

describeLiveSourceConformance(zendeskLikeSource, {
  start: async ({ now }) => {
    const sim = await startZendeskLikeSimulator({
      seed: 11,
      tickets: 30,
      profile: testSimProfile(import.meta.url),
      // Stricter than the source's own export budget (10/min): the suite meets a 429 to wait out.
      exportRpm: 2,
      now,
    })
    const truth = sim.manifest()
    const sha = new Map(truth.tickets.flatMap((t) => t.attachments.map((a) => [String(a.id), a.sha256] as const)))
    return {
      origin: sim.origin,
      config: { baseUrl: sim.baseUrl, email: 'agent1@vendor.example', apiToken: 'replaced-by-a-canary' },
      counts: truth.counts,
      sha256Of: (id) => sha.get(id),
      throttled: () => sim.stats().throttled,
      close: () => sim.close(),
    }
  },
})
