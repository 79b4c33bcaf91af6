import { createHash } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { silentLogger } from '../../../src/core/log.js'
import { Redactor } from '../../../src/core/redact.js'
import { createHttpClient, defaultHostPolicy } from '../../../src/http/client.js'
import type { HttpClient } from '../../../src/core/http.js'
import type { CanonicalRecord } from '../../../src/core/model/index.js'
import type { RecordReject } from '../../../src/core/source.js'
import { KIND_PLURAL } from '../../../src/core/model/common.js'
import { startHelpScoutSimulator } from './simulator/server.js'
import type { HelpScoutSimulator, HelpScoutSimulatorOptions } from './simulator/server.js'
import { helpscoutSource } from './index.js'
import { testSimProfile } from '../../../src/testing/sim-profile.js'

const signal = new AbortController().signal

async function extractAll(sim: HelpScoutSimulator, http: HttpClient) {
  const source = helpscoutSource.create(
    helpscoutSource.config.schema.parse({ appId: sim.env.HELPSCOUT_APP_ID, appSecret: sim.env.HELPSCOUT_APP_SECRET, baseUrl: sim.env.HELPSCOUT_BASE_URL }),
    { http, log: silentLogger, now: () => new Date() },
  )
  const records: CanonicalRecord[] = []
  const rejects: RecordReject[] = []
  for (const stream of helpscoutSource.streams) {
    for await (const page of source.read(stream.name, null, { since: null }, signal)) {
      records.push(...page.records.map((r) => r.canonical))
      rejects.push(...page.rejects)
    }
  }
  return { source, records, rejects }
}

const client = () =>
  createHttpClient({
    policy: defaultHostPolicy({ rateLimitHeaders: helpscoutSource.http.rateLimitHeaders, backoffBaseMs: 5, backoffMaxMs: 50, maxAttempts: 8 }),
    redactor: new Redactor(),
    log: silentLogger,
  })

async function withSimulator(o: HelpScoutSimulatorOptions, run: (sim: HelpScoutSimulator, http: HttpClient) => Promise<void>): Promise<void> {
  const sim = await startHelpScoutSimulator({ profile: testSimProfile(import.meta.url), seed: 3, conversations: 60, rpm: null, ...o })
  const http = client()
  try {
    await run(sim, http)
  } finally {
    await http.close()
    await sim.close()
  }
}

describe('helpscout source against the Help Scout simulator', () => {
  let truth: ReturnType<HelpScoutSimulator['manifest']>
  beforeAll(async () => {
    const sim = await startHelpScoutSimulator({ profile: testSimProfile(import.meta.url), seed: 3, conversations: 60, rpm: null })
    truth = sim.manifest()
    await sim.close()
  })

  it('stages exactly the ground truth with the fewest requests the API allows', async () => {
    await withSimulator({}, async (sim, http) => {
      const { records, rejects } = await extractAll(sim, http)
      expect(rejects).toEqual([])
      for (const kind of ['agent', 'customer', 'organization', 'group', 'ticket', 'message', 'attachment'] as const) {
        const ids = records.filter((r) => r.kind === kind).map((r) => r.sourceId).sort()
        expect(ids, kind).toEqual([...truth.ids[KIND_PLURAL[kind] as keyof typeof truth.ids]].sort())
      }
      // Teams and attachment bytes are not part of a read; everything else is at the documented minimum.
      const { teams = 0, attachments = 0 } = truth.minimumRequestsDetail
      expect(http.stats().requests).toBe(truth.minimumRequests - teams - attachments)
      const chats = records.filter((r) => r.kind === 'message' && r.subtype === 'chat')
      expect(chats.length).toBeGreaterThan(0)
      expect(chats.every((m) => m.kind === 'message' && !m.bodyHtml?.endsWith('…')), 'no truncated chat body').toBe(true)
    })
  })

  it('downloads attachment bytes matching the ground-truth digests', async () => {
    await withSimulator({}, async (sim, http) => {
      const { source, records } = await extractAll(sim, http)
      const attachments = records.filter((r) => r.kind === 'attachment').slice(0, 3)
      for (const a of attachments) {
        const file = await source.openAttachment!(a.download, signal)
        const digest = createHash('sha256').update(Buffer.concat(await file.body.toArray())).digest('hex')
        expect(digest).toBe(truth.attachments[a.sourceId]?.sha256)
      }
    })
  })

  it('survives expiring tokens and injected 5xx with the same result', async () => {
    await withSimulator({ tokenTtlSeconds: 0.25, latencyMs: 15, faults: '5xx=0.05' }, async (sim, http) => {
      const { records, rejects } = await extractAll(sim, http)
      expect(rejects).toEqual([])
      expect(records.filter((r) => r.kind === 'message').length).toBe(truth.counts.messages)
      expect(sim.stats().requests['POST /v2/oauth2/token'] ?? 0, 'token renewed after expiry').toBeGreaterThan(1)
    })
  })
})

describe('helpscout access token', () => {
  it('is handed to the redactor as soon as it is issued, so no log line or error can show it', async () => {
    await withSimulator({}, async (sim, http) => {
      const secrets: string[] = []
      const source = helpscoutSource.create(
        helpscoutSource.config.schema.parse({ appId: sim.env.HELPSCOUT_APP_ID, appSecret: sim.env.HELPSCOUT_APP_SECRET, baseUrl: sim.env.HELPSCOUT_BASE_URL }),
        { http, log: silentLogger, now: () => new Date(), addSecret: (s) => secrets.push(s) },
      )
      const report = await source.check(signal)
      expect(report.ok).toBe(true)
      expect(secrets).toHaveLength(1)
      const redactor = new Redactor()
      secrets.forEach((s) => redactor.add(s))
      expect(redactor.redact(`token is ${secrets[0]}`)).toBe('token is [REDACTED]')
    })
  })
})
