import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startHelpScoutSimulator, type HelpScoutSimulator } from './server.js'
import type { SimManifest } from './types.js'

type Json = Record<string, any>

/**
 * A minimal complete client: walks every collection once (conversations with status=all and
 * embed=threads), re-reads threads of conversations holding chat threads, downloads each attachment.
 */
async function extractEverything(sim: HelpScoutSimulator) {
  const base = sim.env.HELPSCOUT_BASE_URL
  const tokenRes = await fetch(`${base}/oauth2/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: sim.env.HELPSCOUT_APP_ID, client_secret: sim.env.HELPSCOUT_APP_SECRET }),
  })
  const headers = { authorization: `Bearer ${((await tokenRes.json()) as Json).access_token}` }
  const getJson = async (url: string): Promise<Json> => {
    const res = await fetch(url, { headers })
    expect(res.status, url).toBe(200)
    return (await res.json()) as Json
  }
  const walk = async (path: string, key: string): Promise<Json[]> => {
    const items: Json[] = []
    let url: string | undefined = `${base}${path}`
    while (url) {
      const page = await getJson(url)
      items.push(...(page._embedded?.[key] ?? []))
      url = page._links.next?.href
    }
    return items
  }
  const users = await walk('/users', 'users')
  await walk('/teams', 'teams')
  await walk('/tags', 'tags')
  const mailboxes = await walk('/mailboxes', 'mailboxes')
  for (const m of mailboxes) await walk(`/mailboxes/${m.id}/fields`, 'fields')
  const customers = await walk('/customers', 'customers')
  const organizations = await walk('/organizations', 'organizations')
  const conversations = await walk('/conversations?status=all&embed=threads', 'conversations')
  const threads: Json[] = []
  for (const c of conversations) {
    let list: Json[] = c._embedded.threads
    if (list.some((t) => t.type === 'chat')) list = (await getJson(`${base}/conversations/${c.id}/threads`))._embedded.threads
    // Drafts and scheduled replies are listed but never sent: `threads` counts the rest, and so does the truth.
    list = list.filter((t) => t.state !== 'draft')
    expect(list).toHaveLength(c.threads)
    threads.push(...list)
  }
  const digests: SimManifest['attachments'] = {}
  for (const t of threads) {
    for (const a of t._embedded?.attachments ?? []) {
      const cid = conversations.find((c) => c._embedded.threads.some((x: Json) => x.id === t.id))!.id
      const res = await fetch(`${base}/conversations/${cid}/attachments/${a.id}/file`, { headers })
      const bytes = Buffer.from(await res.arrayBuffer())
      expect(bytes.length).toBe(a.size)
      digests[String(a.id)] = { sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length }
    }
  }
  const ids = (xs: Json[]) => xs.map((x) => String(x.id)).sort()
  return {
    ids: {
      agents: ids(users),
      customers: ids(customers),
      organizations: ids(organizations),
      groups: ids(mailboxes),
      tickets: ids(conversations),
      messages: ids(threads),
      attachments: Object.keys(digests).sort(),
    },
    digests,
    threads,
    conversations,
  }
}

describe('ground-truth manifest', () => {
  let sim: HelpScoutSimulator
  let seen: Awaited<ReturnType<typeof extractEverything>>
  let manifest: SimManifest

  beforeAll(async () => {
    sim = await startHelpScoutSimulator({ seed: 3, conversations: 150, rpm: null })
    seen = await extractEverything(sim)
    manifest = (await (await fetch(`${sim.url}/_sim/manifest`)).json()) as SimManifest
  })
  afterAll(() => sim.close())

  it('lists exactly the ids a complete status=all walk finds, per kind', () => {
    for (const kind of Object.keys(seen.ids) as (keyof typeof seen.ids)[]) {
      expect([...manifest.ids[kind]].sort(), kind).toEqual(seen.ids[kind])
      expect(manifest.counts[kind], kind).toBe(seen.ids[kind].length)
    }
    expect(manifest.counts.tickets).toBe(150)
  })

  it('records the size and sha256 of every attachment as downloaded', () => {
    expect(manifest.attachments).toEqual(seen.digests)
  })

  it('counts the minimum requests as exactly what the minimal walk spent', () => {
    const stats = sim.stats()
    expect(stats.total).toBe(manifest.minimumRequests)
    expect(manifest.minimumRequestsDetail.conversations).toBe(6)
    expect(manifest.minimumRequestsDetail.token).toBe(1)
  })

  it('is not counted in stats and matches manifest()', async () => {
    const before = sim.stats().total
    await fetch(`${sim.url}/_sim/manifest`)
    await fetch(`${sim.url}/_sim/stats`)
    expect(sim.stats().total).toBe(before)
    expect(sim.manifest()).toEqual(manifest)
  })

  it('covers the edge cases the adapter must survive', () => {
    const types = new Set(seen.threads.map((t) => t.type))
    for (const t of ['customer', 'message', 'note', 'lineitem', 'chat', 'phone', 'forwardparent']) expect(types, t).toContain(t)
    const attachments = seen.threads.flatMap((t) => t._embedded?.attachments ?? [])
    expect(attachments.some((a: Json) => a.size === 0)).toBe(true)
    const inline = attachments.find((a: Json) => a.contentId)
    expect(inline).toBeDefined()
    expect(seen.threads.some((t) => t.body?.includes(`cid:${inline.contentId}`))).toBe(true)
    expect(seen.threads.some((t) => t.body === '')).toBe(true)
    expect(seen.threads.some((t) => t.body?.includes('<script>'))).toBe(true)
    expect(seen.conversations.some((c) => c.assignee?.type === 'team')).toBe(true)
    expect(seen.conversations.some((c) => (c.customFields ?? []).length > 0)).toBe(true)
    expect(new Set(seen.conversations.map((c) => c.type))).toEqual(new Set(['email', 'chat', 'phone']))
  })
})

describe('manifest for a large dataset', () => {
  it('is computed lazily without listing anything over HTTP', async () => {
    const sim = await startHelpScoutSimulator({ conversations: 5000 })
    try {
      const m = sim.manifest()
      expect(m.counts.tickets).toBe(5000)
      expect(m.ids.messages).toHaveLength(m.counts.messages)
      expect(Object.keys(m.attachments)).toHaveLength(m.counts.attachments)
      expect(sim.stats().total).toBe(0)
    } finally {
      await sim.close()
    }
  })
})
