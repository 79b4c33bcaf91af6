// The simulator's content looks like the real API: sparse people, untyped assignees, omitted empty keys,
// every thread state, ratings, CDN images and tracking pixels, customer details and sub-resources, and the
// documented merge behaviour. The Help Scout source reads the `sparse` world without a reject or a loss.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { silentLogger } from '../../../../src/core/log.js'
import { Redactor } from '../../../../src/core/redact.js'
import { createHttpClient, defaultHostPolicy } from '../../../../src/http/client.js'
import type { CanonicalRecord } from '../../../../src/core/model/index.js'
import type { RecordReject, RecordWarning } from '../../../../src/core/source.js'
import { helpscoutSource } from '../index.js'
import { startHelpScoutSimulator, type HelpScoutSimulator } from './server.js'
import { SIM_CDN_PATH, SIM_ORIGIN, TRACKING_PIXEL_PATH } from './threads.js'
import { parseProfile } from '../../../../src/kits/simulator/profile.js'

type Json = Record<string, any>
const signal = new AbortController().signal

async function walk(sim: HelpScoutSimulator, token: string, path: string, key: string): Promise<Json[]> {
  const out: Json[] = []
  let url: string | undefined = `${sim.env.HELPSCOUT_BASE_URL}${path}`
  while (url) {
    const page = (await (await fetch(url, { headers: { authorization: `Bearer ${token}` } })).json()) as Json
    out.push(...(page._embedded?.[key] ?? []))
    url = page._links?.next?.href
  }
  return out
}

async function tokenOf(sim: HelpScoutSimulator): Promise<string> {
  const res = await fetch(`${sim.env.HELPSCOUT_BASE_URL}/oauth2/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: sim.env.HELPSCOUT_APP_ID, client_secret: sim.env.HELPSCOUT_APP_SECRET }),
  })
  return ((await res.json()) as Json).access_token as string
}

describe('simulator profiles', () => {
  it('accepts full and sparse and refuses a typo', () => {
    expect(parseProfile(undefined)).toBe('full')
    expect(parseProfile('sparse')).toBe('sparse')
    expect(() => parseProfile('sprase')).toThrow(/profile must be one of/)
  })
})

for (const profile of ['full', 'sparse'] as const) {
  describe(`simulator content, ${profile} profile`, () => {
    let sim: HelpScoutSimulator
    let conversations: Json[]
    let threads: Json[]
    let customers: Json[]
    let token: string
    beforeAll(async () => {
      sim = await startHelpScoutSimulator({ seed: 11, conversations: 400, rpm: null, profile })
      token = await tokenOf(sim)
      conversations = await walk(sim, token, '/conversations?status=all&embed=threads', 'conversations')
      threads = conversations.flatMap((c) => c._embedded?.threads ?? [])
      customers = await walk(sim, token, '/customers', 'customers')
    })
    afterAll(async () => sim.close())

    it('leaves out ids of embedded customers (recoverably), types of user assignees, and empty keys', () => {
      const idless = conversations.filter((c) => c.primaryCustomer && !('id' in c.primaryCustomer))
      expect(idless.length).toBeGreaterThan(0)
      for (const c of idless) expect(c.primaryCustomer.email).toEqual(expect.any(String))
      expect(conversations.some((c) => c.assignee && !('type' in c.assignee))).toBe(true)
      expect(conversations.some((c) => c.assignee?.type === 'team')).toBe(true)
      expect(conversations.some((c) => c.closedByUser && !('id' in c.closedByUser))).toBe(true)
      expect(conversations.some((c) => !('tags' in c))).toBe(true)
      expect(threads.some((t) => !('_embedded' in t))).toBe(true)
    })

    it('has every thread state, ratings, opened times, CDN images and tracking pixels', () => {
      const states = new Set(threads.map((t) => t.state))
      for (const s of ['published', 'hidden', 'underreview', 'draft']) expect(states, s).toContain(s)
      expect(threads.some((t) => t.state === 'draft' && t.scheduled?.scheduledFor)).toBe(true)
      expect(threads.some((t) => t.state === 'draft' && !t.scheduled)).toBe(true)
      expect(threads.some((t) => t.rating?.rating)).toBe(true)
      expect(threads.some((t) => t.openedAt)).toBe(true)
      // Served from the simulator's own address, so a run can download them.
      expect(threads.some((t) => t.body?.includes(`src="${sim.url}${SIM_CDN_PATH}/`))).toBe(true)
      expect(threads.some((t) => t.body?.includes(`src="${sim.url}${TRACKING_PIXEL_PATH}/`))).toBe(true)
      expect(threads.some((t) => t.body?.includes(SIM_ORIGIN))).toBe(false)
    })

    it('counts only sent threads in `threads`', () => {
      for (const c of conversations.filter((x) => x.type !== 'chat')) {
        expect(c._embedded.threads.filter((t: Json) => t.state !== 'draft')).toHaveLength(c.threads)
      }
    })

    it('serves customer details embedded or, always, as sub-resources', async () => {
      expect(customers.some((c) => (c._embedded?.social_profiles ?? []).length > 0)).toBe(true)
      expect(customers.some((c) => c._embedded?.address?.city)).toBe(true)
      expect(customers.some((c) => (c._embedded?.properties ?? []).length > 0)).toBe(true)
      expect(customers.some((c) => !('_embedded' in c))).toBe(profile === 'sparse')
      const withSocial = customers.find((c) => (c._embedded?.social_profiles ?? []).length > 0) ?? customers[0]!
      const social = await walk(sim, token, `/customers/${withSocial.id}/social-profiles`, 'social-profiles')
      if (withSocial._embedded) expect(social).toEqual(withSocial._embedded.social_profiles)
    })

    it('reads back through the Help Scout source: ground truth staged, nothing rejected, gaps warned', async () => {
      const http = createHttpClient({
        policy: defaultHostPolicy({ rateLimitHeaders: helpscoutSource.http.rateLimitHeaders, backoffBaseMs: 5, backoffMaxMs: 50, maxAttempts: 8 }),
        redactor: new Redactor(),
        log: silentLogger,
      })
      const source = helpscoutSource.create(
        helpscoutSource.config.schema.parse({ appId: sim.env.HELPSCOUT_APP_ID, appSecret: sim.env.HELPSCOUT_APP_SECRET, baseUrl: sim.env.HELPSCOUT_BASE_URL }),
        { http, log: silentLogger, now: () => new Date() },
      )
      const records: CanonicalRecord[] = []
      const rejects: RecordReject[] = []
      const warnings: RecordWarning[] = []
      try {
        for (const stream of ['customers', 'tickets'] as const) {
          for await (const page of source.read(stream, null, { since: null }, signal)) {
            records.push(...page.records.map((r) => r.canonical))
            rejects.push(...page.rejects)
            warnings.push(...page.records.flatMap((r) => r.warnings ?? []))
          }
        }
      } finally {
        await source.close()
        await http.close()
      }
      expect(rejects).toEqual([])
      const truth = sim.manifest()
      const ids = (kind: string) => records.filter((r) => r.kind === kind).map((r) => r.sourceId).sort()
      expect(ids('ticket')).toEqual([...truth.ids.tickets].sort())
      expect(ids('message')).toEqual([...truth.ids.messages].sort())
      const tickets = records.filter((r): r is Extract<CanonicalRecord, { kind: 'ticket' }> => r.kind === 'ticket')
      // Every id-less primary customer was paired with its id by email.
      expect(tickets.filter((t) => t.customerRef === null && t.customerEmail)).toEqual([])
      const codes = new Set(warnings.map((w) => w.code))
      for (const c of ['person-id-missing', 'assignee-type-missing', 'draft-thread-not-staged', 'scheduled-thread-not-staged', 'thread-under-review']) expect(codes, c).toContain(c)
      // Customers served without `_embedded` were completed from their sub-resources: none lacks its details.
      expect(codes.has('customer-details-missing')).toBe(false)
      expect(ids('customer')).toEqual([...truth.ids.customers].sort())
      const staged = new Map(records.filter((r): r is Extract<CanonicalRecord, { kind: 'customer' }> => r.kind === 'customer').map((c) => [c.sourceId, c]))
      for (const c of customers) {
        const whole = c._embedded ?? { emails: await walk(sim, token, `/customers/${c.id}/emails`, 'emails') }
        expect(staged.get(String(c.id))?.emails.map((e) => e.value), `customer ${c.id}`).toEqual(whole.emails.map((e: Json) => e.value))
      }
      const messages = records.filter((r): r is Extract<CanonicalRecord, { kind: 'message' }> => r.kind === 'message')
      expect(messages.some((m) => m.rating)).toBe(true)
      expect(messages.some((m) => m.inlineImageUrls?.some((u) => u.startsWith(`${sim.url}${SIM_CDN_PATH}/`)))).toBe(true)
    })
  })
}
