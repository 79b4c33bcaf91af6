import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { get } from './sim.test-helpers.js'
import { startZendeskSimulator, type ZendeskSimulator } from './server.js'

// The payloads recorded from real Zendesk accounts (../shared/vendor-samples/zendesk, read here, never copied).
const SAMPLES = fileURLToPath(new URL('../../../../../shared/vendor-samples/zendesk/', import.meta.url))
const haveSamples = existsSync(SAMPLES)
const sample = (name: string): Record<string, unknown> => JSON.parse(readFileSync(`${SAMPLES}${name}`, 'utf8')) as Record<string, unknown>
const keysOf = (objs: unknown[]): Set<string> => new Set(objs.flatMap((o) => Object.keys(o as object)))

function recorded(): Record<string, Set<string>> {
  const tickets = [
    ...(sample('zammad+zammad__incremental_tickets_start_time_1.json').tickets as unknown[]),
    ...(sample('facetoe+zenpy__incremental_tickets_cursor_start_time_0.json').tickets as unknown[]),
  ]
  const comments = ['zammad+zammad__ticket_1_comments_private_jpeg_attachment.json', 'zammad+zammad__ticket_8_comments_twitter_emoji_img.json', 'facetoe+zenpy__ticket_33_comments_cbp_with_attachment.json']
    .flatMap((f) => sample(f).comments as Record<string, unknown>[])
  const attachments = comments.flatMap((c) => c.attachments as Record<string, unknown>[])
  return {
    ticket: keysOf(tickets),
    user: keysOf(sample('zammad+zammad__incremental_users_start_time_1.json').users as unknown[]),
    organization: keysOf(sample('zammad+zammad__incremental_organizations_start_time_1.json').organizations as unknown[]),
    group: keysOf(sample('zammad+zammad__groups.json').groups as unknown[]),
    comment: keysOf(comments),
    voiceComment: keysOf([sample('facetoe+zenpy__voice_comment_tpe.json')]),
    attachment: keysOf(attachments),
    thumbnail: keysOf(attachments.flatMap((a) => a.thumbnails as unknown[])),
    userField: keysOf(sample('zammad+zammad__user_fields.json').user_fields as unknown[]),
    cursorExport: new Set(Object.keys(sample('facetoe+zenpy__incremental_tickets_cursor_start_time_0.json'))),
    timeExport: new Set(Object.keys(sample('zammad+zammad__incremental_tickets_start_time_1.json'))),
    cbp: new Set(Object.keys(sample('facetoe+zenpy__ticket_33_comments_cbp_with_attachment.json'))),
    anonymous: new Set(Object.keys((sample('zammad+zammad__users_me_wrong_credentials_200_anonymous.json').user as object))),
  }
}

async function served(sim: ZendeskSimulator): Promise<Record<string, Record<string, unknown>[]>> {
  const tickets = (await get(sim, '/incremental/tickets/cursor.json?start_time=0')).body
  const users = (await get(sim, '/incremental/users.json?start_time=0')).body
  const live = (tickets.tickets as { id: number; status: string; via: { channel: string } }[]).filter((t) => t.status !== 'deleted')
  // Voice tickets (for voice comments) and enough others to meet attachments, thumbnails and emoji.
  const sampled = [...live.filter((t) => t.via.channel === 'voice').slice(0, 5), ...live.slice(0, 45)]
  const comments: Record<string, unknown>[] = []
  for (const t of sampled) comments.push(...((await get(sim, `/tickets/${t.id}/comments.json`)).body.comments as Record<string, unknown>[]))
  const attachments = comments.flatMap((c) => c.attachments as Record<string, unknown>[])
  return {
    ticket: tickets.tickets as Record<string, unknown>[],
    user: users.users as Record<string, unknown>[],
    organization: (await get(sim, '/incremental/organizations.json?start_time=0')).body.organizations as Record<string, unknown>[],
    group: (await get(sim, '/groups.json')).body.groups as Record<string, unknown>[],
    comment: comments.filter((c) => c.type === 'Comment'),
    voiceComment: comments.filter((c) => c.type !== 'Comment'),
    attachment: attachments,
    thumbnail: attachments.flatMap((a) => a.thumbnails as Record<string, unknown>[]),
    userField: (await get(sim, '/user_fields.json')).body.user_fields as Record<string, unknown>[],
    cursorExport: [tickets],
    timeExport: [users],
    cbp: [(await get(sim, `/tickets/${live[0]!.id}/comments.json?page[size]=5`)).body],
    anonymous: [(await get(sim, '/users/me.json', {})).body.user as Record<string, unknown>],
  }
}

/** What one account serves per profile, read once for the tests of this file. */
const servedCache = new Map<string, Promise<Record<string, Record<string, unknown>[]>>>()
function servedBy(profile: 'sparse' | 'full'): Promise<Record<string, Record<string, unknown>[]>> {
  let hit = servedCache.get(profile)
  if (!hit) {
    hit = startZendeskSimulator({ tickets: 150, seed: 21, profile, rpm: null }).then(async (sim) => {
      try {
        return await served(sim)
      } finally {
        await sim.close()
      }
    })
    servedCache.set(profile, hit)
  }
  return hit
}

/** Fields the simulator sends that the recordings lack but the docs describe (documented additions). */
const DOCUMENTED_EXTRAS: Record<string, string[]> = {
  user: ['permanently_deleted'],
  voiceComment: ['type', 'via', 'metadata'],
  timeExport: ['users'],
}

describe.skipIf(!haveSamples)(`Zendesk simulator payloads against the recorded ones${haveSamples ? '' : ' (skipped: ../shared/vendor-samples/zendesk is absent)'}`, () => {
  for (const profile of ['sparse', 'full'] as const) {
    it(`sends, in the ${profile} profile, only fields real accounts sent`, async () => {
      const rec = recorded()
      const got = await servedBy(profile)
      for (const [kind, objs] of Object.entries(got)) {
        expect(objs.length, kind).toBeGreaterThan(0)
        const allowed = new Set([...rec[kind]!, ...(DOCUMENTED_EXTRAS[kind] ?? [])])
        const invented = [...keysOf(objs)].filter((k) => !allowed.has(k))
        expect(invented, kind).toEqual([])
      }
    })
  }

  it('leaves out, in the sparse profile, what the recorded older accounts lack, while the full profile sends the documented 2024 shape', async () => {
    const sparse = await servedBy('sparse')
    const full = await servedBy('full')
    const share = (objs: Record<string, unknown>[], key: string) => objs.filter((o) => key in o).length / objs.length
    for (const key of ['custom_status_id', 'ticket_form_id', 'from_messaging_channel']) {
      expect(share(full.ticket!, key)).toBe(1)
      expect(share(sparse.ticket!, key)).toBeLessThan(0.6)
    }
    expect(share(full.attachment!, 'malware_scan_result')).toBe(1)
    expect(share(sparse.attachment!, 'malware_scan_result')).toBeLessThan(0.6)
    expect(share(sparse.attachment!, 'size')).toBeLessThan(1)
    // Numbers as strings where real accounts send them: custom field values, social ids.
    const values = sparse.ticket!.flatMap((t) => t.custom_fields as { value: unknown }[]).map((f) => f.value)
    expect(values.some((v) => typeof v === 'string' && /^\d+$/.test(v))).toBe(true)
    expect(values.some((v) => typeof v === 'number')).toBe(false)
    // Voice comments: VoiceComment without a body in the documented shape, a TPE one with a body as recorded.
    expect(full.voiceComment!.every((c) => c.type === 'VoiceComment' && !('body' in c) && typeof (c.data as { recording_url: unknown }).recording_url === 'string')).toBe(true)
    expect(sparse.voiceComment!.every((c) => c.type === 'TpeVoiceComment' && typeof c.body === 'string')).toBe(true)
    // Like the recordings: submitter_id -1 on Twitter tickets, many users without an email, social comments
    // dated twice in two formats, email comments with their sender's address.
    for (const p of [sparse, full]) {
      const decorated = p.comment!.map((c) => (c.metadata as { decoration?: { created_at: string } }).decoration).filter(Boolean)
      expect(decorated.length).toBeGreaterThan(0)
      for (const d of decorated) expect(d!.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/)
      expect(p.comment!.some((c) => typeof (c.via as { source: { from: { address?: string } } }).source.from.address === 'string')).toBe(true)
      expect(p.ticket!.some((t) => t.submitter_id === -1)).toBe(true)
      expect(p.user!.filter((u) => u.email === null).length / p.user!.length).toBeGreaterThan(0.3)
    }
  })
})
