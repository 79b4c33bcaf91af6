import { describe, expect, it } from 'vitest'
import { zendeskSimulator } from './definition.js'

describe('deskmove simulate zendesk (definition)', () => {
  it('offers the common options plus --tickets, and starts a server whose env points the adapter at it', async () => {
    const flags = zendeskSimulator.options.map((o) => o.flags.split(' ')[0])
    for (const f of ['--port', '--seed', '--tickets', '--rpm', '--faults', '--profile', '--export-rpm', '--link-ttl']) expect(flags).toContain(f)
    const info: string[] = []
    const values = Object.fromEntries(zendeskSimulator.options.flatMap((o) => (o.default === undefined ? [] : [[o.key, o.default]])))
    const sim = await zendeskSimulator.start({ ...values, tickets: 12, profile: 'sparse' }, { cwd: process.cwd(), addSecret: () => undefined, info: (m) => info.push(m) })
    try {
      expect(sim.serving).toBe(true)
      expect(Object.keys(sim.env).sort()).toEqual(['ZENDESK_API_TOKEN', 'ZENDESK_ATTACHMENT_HOSTS', 'ZENDESK_BASE_URL', 'ZENDESK_EMAIL', 'ZENDESK_SUBDOMAIN'])
      expect(sim.env.ZENDESK_BASE_URL).toBe(`${sim.url}/api/v2`)
      const oauth = /ZENDESK_OAUTH_TOKEN=(\S+)/.exec(info.join('\n'))![1]!
      const me = (await (await fetch(`${sim.env.ZENDESK_BASE_URL}/users/me.json`, { headers: { authorization: `Bearer ${oauth}` } })).json()) as { user: { id: number } }
      expect(me.user.id).toBeGreaterThan(0)
      expect(await (await fetch(`${sim.url}/_sim/info`)).json()).toEqual({ seed: 1, profile: 'sparse' })
      const stats = (await (await fetch(`${sim.url}/_sim/stats`)).json()) as { requests: Record<string, number> }
      expect(stats.requests).toEqual({ 'GET /api/v2/users/me': 1 })
    } finally {
      await sim.close()
    }
  })

  it('serves an empty account: no tickets, an export that ends at once with a cursor to resume from', async () => {
    const sim = await zendeskSimulator.start({ tickets: 0, rpm: 0 }, { cwd: process.cwd(), addSecret: () => undefined, info: () => undefined })
    try {
      const auth = { authorization: `Basic ${Buffer.from(`${sim.env.ZENDESK_EMAIL}/token:${sim.env.ZENDESK_API_TOKEN}`).toString('base64')}` }
      const page = (await (await fetch(`${sim.env.ZENDESK_BASE_URL}/incremental/tickets/cursor.json?start_time=0`, { headers: auth })).json()) as { tickets: unknown[]; end_of_stream: boolean; after_cursor: string }
      expect(page).toMatchObject({ tickets: [], end_of_stream: true })
      const again = await fetch(`${sim.env.ZENDESK_BASE_URL}/incremental/tickets/cursor.json?cursor=${encodeURIComponent(page.after_cursor)}`, { headers: auth })
      expect(again.status).toBe(200)
      const manifest = (await (await fetch(`${sim.url}/_sim/manifest`)).json()) as { counts: { tickets: number; comments: number } }
      expect(manifest.counts).toMatchObject({ tickets: 0, comments: 0 })
    } finally {
      await sim.close()
    }
  })
})
