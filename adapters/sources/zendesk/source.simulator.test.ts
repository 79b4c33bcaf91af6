// The Zendesk source against the Zendesk simulator, in process: what it stages equals the simulator's ground
// truth (archived, deleted and scrubbed tickets included), attachment bytes match their digests through the
// 302 → signed-link hop, expired links are refreshed, faults are survived, and a delta reads only what changed.
import { createHash } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { silentLogger } from '../../../src/core/log.js'
import { Redactor } from '../../../src/core/redact.js'
import { createHttpClient, defaultHostPolicy } from '../../../src/http/client.js'
import type { HttpClient } from '../../../src/core/http.js'
import type { CanonicalOf, CanonicalRecord } from '../../../src/core/model/index.js'
import type { Checkpoint, RecordReject, RecordWarning, Source } from '../../../src/core/source.js'
import { testSimProfile } from '../../../src/testing/sim-profile.js'
import { startZendeskSimulator, type ZendeskManifest, type ZendeskSimulator, type ZendeskSimulatorOptions } from './simulator/server.js'
import { exportBudget, zendeskSource } from './index.js'

const signal = new AbortController().signal
const profile = testSimProfile(import.meta.url)

function client(): HttpClient {
  return createHttpClient({
    policy: defaultHostPolicy({
      rpm: null,
      rateLimitHeaders: zendeskSource.http.rateLimitHeaders,
      // The export's budget is the production one apart from its rate: a test cannot wait 6 s per page.
      endpointBudgets: [{ ...exportBudget(undefined), rpm: 100_000 }],
      backoffBaseMs: 5,
      backoffMaxMs: 50,
      maxAttempts: 8,
    }),
    redactor: new Redactor(),
    log: silentLogger,
  })
}

const sourceFor = (sim: ZendeskSimulator, http: HttpClient, extra: Record<string, string> = {}): Source =>
  zendeskSource.create(
    zendeskSource.config.schema.parse({ baseUrl: sim.env.ZENDESK_BASE_URL, email: sim.env.ZENDESK_EMAIL, apiToken: sim.env.ZENDESK_API_TOKEN, attachmentHosts: sim.env.ZENDESK_ATTACHMENT_HOSTS, ...extra }),
    { http, log: silentLogger, now: () => new Date() },
  )

interface Read { records: CanonicalRecord[]; rejects: RecordReject[]; warnings: RecordWarning[]; last: Map<string, Checkpoint> }

async function readAll(source: Source, o: { since: string | null; lastComplete?: Map<string, Checkpoint> } = { since: null }): Promise<Read> {
  const out: Read = { records: [], rejects: [], warnings: [], last: new Map() }
  for (const stream of zendeskSource.streams) {
    for await (const page of source.read(stream.name, null, { since: o.since, lastComplete: o.lastComplete?.get(stream.name) ?? null }, signal)) {
      out.records.push(...page.records.map((r) => r.canonical))
      out.warnings.push(...page.records.flatMap((r) => r.warnings ?? []))
      out.rejects.push(...page.rejects)
      out.last.set(stream.name, page.checkpoint)
    }
  }
  return out
}

const of = <K extends CanonicalRecord['kind']>(rs: readonly CanonicalRecord[], kind: K) => rs.filter((r): r is CanonicalOf<K> => r.kind === kind)
const ids = (rs: readonly CanonicalRecord[], kind: CanonicalRecord['kind']) => [...new Set(of(rs, kind).map((r) => r.sourceId))].sort()

async function withSim(o: ZendeskSimulatorOptions, run: (sim: ZendeskSimulator, http: HttpClient) => Promise<void>): Promise<void> {
  const sim = await startZendeskSimulator({ profile, seed: 5, tickets: 150, rpm: null, exportRpm: 100_000, ...o })
  const http = client()
  try {
    await run(sim, http)
  } finally {
    await http.close()
    await sim.close()
  }
}

describe(`zendesk source against the Zendesk simulator (${profile} profile)`, () => {
  let truth: ZendeskManifest
  beforeAll(async () => {
    const sim = await startZendeskSimulator({ profile, seed: 5, tickets: 150, rpm: null })
    truth = sim.manifest()
    await sim.close()
  })

  it('stages every ticket (archived, deleted, scrubbed, merged), comment and file of the ground truth', async () => {
    await withSim({}, async (sim, http) => {
      const { records, rejects } = await readAll(sourceFor(sim, http))
      expect(rejects).toEqual([])
      const tickets = of(records, 'ticket')
      expect(tickets.map((t) => t.sourceId).sort()).toEqual(truth.tickets.map((t) => String(t.id)).sort())
      expect(truth.counts.archivedTickets! + truth.counts.deletedTickets!).toBeGreaterThan(0)
      for (const t of truth.tickets) {
        const staged = tickets.find((x) => x.sourceId === String(t.id))!
        expect(staged.deleted, `ticket ${t.id} deleted`).toBe(t.deleted)
        expect(staged.tags).toEqual(t.tags)
        const msgs = of(records, 'message').filter((m) => m.ticketRef.sourceId === String(t.id))
        expect(msgs, `comments of ticket ${t.id}`).toHaveLength(t.comments)
        expect(msgs.filter((m) => m.type !== 'internal_note')).toHaveLength(t.publicComments)
        expect(msgs.filter((m) => m.subtype === 'phone')).toHaveLength(t.voiceComments)
        expect(msgs.every((m) => (m.bodyText ?? '') !== '' || (m.bodyHtml ?? '') !== ''), 'every comment has a body').toBe(true)
      }
      // A merged-away ticket is staged closed with its history; the one it went into names it.
      for (const t of truth.tickets.filter((x) => x.mergedInto !== null)) {
        expect(tickets.find((x) => x.sourceId === String(t.id))?.status).toBe('closed')
        expect(tickets.find((x) => x.sourceId === String(t.mergedInto))?.mergedFrom).toContain(String(t.id))
      }
      // Every file is an attachment of its own (thumbnails are not); inline images are inline attachments.
      expect(ids(records, 'attachment')).toEqual([...Object.keys(truth.attachments), ...Object.keys(truth.inlineImages)].sort())
      const inline = of(records, 'attachment').filter((a) => a.inline)
      expect(inline.map((a) => a.sourceId).sort()).toEqual(expect.arrayContaining(Object.keys(truth.inlineImages).sort()))
      // Users: agents and end users all staged; requesters Zendesk no longer has stand in as placeholders.
      const people = new Set([...ids(records, 'agent'), ...ids(records, 'customer')])
      expect(people.size).toBeGreaterThanOrEqual(truth.counts.users!)
      for (const t of tickets) if (t.customerRef) expect(people.has(t.customerRef.sourceId), `requester of ${t.sourceId}`).toBe(true)
      for (const t of tickets) if (t.assigneeRef) expect(ids(records, 'agent')).toContain(t.assigneeRef.sourceId)
      expect(ids(records, 'organization')).toHaveLength(truth.counts.organizations!)
      expect(ids(records, 'group')).toHaveLength(truth.counts.groups!)
    })
  })

  it('reads with the fewest requests the API allows (comments per ticket; documented against ticket events)', async () => {
    await withSim({}, async (sim, http) => {
      await readAll(sourceFor(sim, http))
      const m = truth.minimumRequests
      // The minimum without the file downloads and /users/me (check's), plus the four dictionary lists (ticket
      // fields, brands, forms, user fields) the tickets stream reads again so it can resume on its own.
      expect(http.stats().requests).toBe(m.totalWithCommentsPerTicket! - m.attachmentDownloads! - m.usersMe! + 4)
      expect(http.stats().byRoute['export.tickets']).toBe(m.ticketExport)
    })
  })

  it('downloads files through the 302 to the signed link, bytes matching the digests, and refreshes an expired link', async () => {
    await withSim({ linkTtlSeconds: 1 }, async (sim, http) => {
      const source = sourceFor(sim, http)
      const { records } = await readAll(source)
      const files = of(records, 'attachment')
      for (const a of [...files.filter((f) => !f.inline).slice(0, 3), ...files.filter((f) => f.inline).slice(0, 2)]) {
        const file = await source.openAttachment!(a.download, signal)
        const digest = createHash('sha256').update(Buffer.concat(await file.body.toArray())).digest('hex')
        expect(digest).toBe((truth.attachments[a.sourceId] ?? truth.inlineImages[a.sourceId])?.sha256)
      }
      // Each content URL request is redirected to a newly signed link, so a link that expired meanwhile never bites.
      await new Promise((r) => setTimeout(r, 1100))
      const late = files.find((f) => !f.inline)!
      const again = await source.openAttachment!(late.download, signal)
      expect(createHash('sha256').update(Buffer.concat(await again.body.toArray())).digest('hex')).toBe(truth.attachments[late.sourceId]?.sha256)
      const a = files[0]!
      const fresh = await source.refreshAttachment!(a.download, signal)
      expect(fresh).toMatchObject({ attachmentId: a.sourceId, ticketId: a.ticketRef.sourceId })
    })
  })

  it('survives 5xx, connection resets and broken bodies with the same result', async () => {
    await withSim({ faults: '5xx=0.05,reset=0.03,truncate=0.03' }, async (sim, http) => {
      const { records, rejects } = await readAll(sourceFor(sim, http))
      expect(rejects).toEqual([])
      expect(of(records, 'message')).toHaveLength(truth.counts.comments!)
      expect(http.stats().retries).toBeGreaterThan(0)
    })
  })

  it('a delta from the kept cursors reads nothing old: no ticket changed, none staged again', async () => {
    await withSim({}, async (sim, http) => {
      const source = sourceFor(sim, http)
      const first = await readAll(source)
      expect(first.last.get('tickets')).toMatchObject({ end: true, cursor: expect.any(String) })
      const before = http.stats().byRoute['tickets.comments'] ?? 0
      const delta = await readAll(source, { since: '2000-01-01T00:00:00Z', lastComplete: first.last })
      expect(of(delta.records, 'ticket')).toEqual([])
      expect(http.stats().byRoute['tickets.comments'] ?? 0).toBe(before)
      // Time-based exports restart at their kept next_page, whose boundary records are deduped.
      expect(of(delta.records, 'customer').filter((c) => !of(first.records, 'ticket').some((t) => t.customerRef?.sourceId === c.sourceId))).toEqual([])
    })
  })

  it('check tells wrong credentials apart although /users/me answers 200 (anonymous, id null)', async () => {
    await withSim({ tickets: 5 }, async (sim, http) => {
      expect((await sourceFor(sim, http).check(signal)).ok).toBe(true)
      const bad = await sourceFor(sim, http, { apiToken: 'wrong-token' }).check(signal)
      expect(bad.ok).toBe(false)
      expect(bad.items[0]).toMatchObject({ name: 'credentials', status: 'auth-failed', detail: expect.stringMatching(/anonymous/) })
      const oauth = zendeskSource.create(zendeskSource.config.schema.parse({ baseUrl: sim.env.ZENDESK_BASE_URL, oauthToken: sim.oauthToken }), { http, log: silentLogger, now: () => new Date() })
      expect((await oauth.check(signal)).ok).toBe(true)
    })
  })
})
