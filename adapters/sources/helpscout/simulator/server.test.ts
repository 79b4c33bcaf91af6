import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { World } from './world.js'
import { startHelpScoutSimulator, type HelpScoutSimulator } from './server.js'

type Json = Record<string, any>

async function token(sim: HelpScoutSimulator): Promise<string> {
  const res = await fetch(`${sim.env.HELPSCOUT_BASE_URL}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credentials', client_id: sim.env.HELPSCOUT_APP_ID, client_secret: sim.env.HELPSCOUT_APP_SECRET }),
  })
  expect(res.status).toBe(200)
  return ((await res.json()) as Json).access_token
}

describe('Help Scout simulator API', () => {
  let sim: HelpScoutSimulator
  let auth: Record<string, string>
  const get = async (path: string, init: RequestInit = {}) => fetch(`${sim.env.HELPSCOUT_BASE_URL}${path}`, { headers: auth, ...init })
  const getJson = async (path: string): Promise<Json> => {
    const res = await get(path)
    expect(res.status, path).toBe(200)
    return (await res.json()) as Json
  }

  beforeAll(async () => {
    sim = await startHelpScoutSimulator({ seed: 7, conversations: 120, rpm: null })
    auth = { authorization: `Bearer ${await token(sim)}` }
  })
  afterAll(() => sim.close())

  it('exposes the base URL with /v2 the way the real default does', () => {
    expect(sim.env.HELPSCOUT_BASE_URL).toBe(`${sim.url}/v2`)
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
  })

  it('accepts the client-credentials grant as form body and as query params, and refuses wrong credentials', async () => {
    const base = sim.env.HELPSCOUT_BASE_URL
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: sim.env.HELPSCOUT_APP_ID, client_secret: sim.env.HELPSCOUT_APP_SECRET })
    const byForm = await fetch(`${base}/oauth2/token`, { method: 'POST', body: form })
    expect(byForm.status).toBe(200)
    expect(await byForm.json()).toMatchObject({ token_type: 'bearer', expires_in: 7200 })
    const byQuery = await fetch(`${base}/oauth2/token?${form.toString()}`, { method: 'POST' })
    expect(byQuery.status).toBe(200)
    form.set('client_secret', 'wrong')
    const wrong = await fetch(`${base}/oauth2/token`, { method: 'POST', body: form })
    expect(wrong.status).toBe(401)
    expect(((await wrong.json()) as Json).error).toBe('invalid_client')
  })

  it('answers 401 JSON without a token or with an unknown one', async () => {
    const none = await fetch(`${sim.env.HELPSCOUT_BASE_URL}/users`)
    expect(none.status).toBe(401)
    expect(((await none.json()) as Json).message).toMatch(/token/i)
    const bogus = await get('/users', { headers: { authorization: 'Bearer nope' } })
    expect(bogus.status).toBe(401)
  })

  it('pages users by 50 and conversations by 25 with HAL links that keep the query', async () => {
    const users = await getJson('/users')
    expect(users.page).toMatchObject({ size: 50, number: 1, totalPages: 1 })
    expect(users._embedded.users.length).toBe(users.page.totalElements)
    expect(users._links.next).toBeUndefined()
    const first = await getJson('/conversations?status=all&embed=threads')
    expect(first.page).toEqual({ size: 25, totalElements: 120, totalPages: 5, number: 1 })
    expect(first._embedded.conversations).toHaveLength(25)
    const next = new URL(first._links.next.href)
    expect(Object.fromEntries(next.searchParams)).toEqual({ status: 'all', embed: 'threads', page: '2' })
    const last = await getJson('/conversations?status=all&page=5')
    expect(last._embedded.conversations).toHaveLength(20)
    expect(last._links.next).toBeUndefined()
    expect(last._links.previous.href).toContain('page=4')
  })

  it('leaves _embedded out of empty pages', async () => {
    const beyond = await getJson('/conversations?status=all&page=9')
    expect(beyond).not.toHaveProperty('_embedded')
    expect(beyond.page).toMatchObject({ totalElements: 120, number: 9 })
    const none = await getJson('/customers?modifiedSince=2099-01-01T00:00:00Z')
    expect(none).not.toHaveProperty('_embedded')
    expect(none.page).toMatchObject({ totalElements: 0, totalPages: 0 })
  })

  it('lists only active conversations by default and every status with status=all', async () => {
    const active = await getJson('/conversations')
    const statuses = new Set(active._embedded.conversations.map((c: Json) => c.status))
    expect([...statuses]).toEqual(['active'])
    const seen = new Set<string>()
    const states = new Set<string>()
    for (let page = 1; page <= 5; page++) {
      const p = await getJson(`/conversations?status=all&page=${page}`)
      for (const c of p._embedded.conversations) {
        seen.add(c.status)
        states.add(c.state)
      }
    }
    expect([...seen].sort()).toEqual(['active', 'closed', 'pending', 'spam'])
    expect(states.has('deleted')).toBe(true)
    const pendingOnly = await getJson('/conversations?status=pending')
    expect(pendingOnly._embedded.conversations.every((c: Json) => c.status === 'pending')).toBe(true)
  })

  it('sorts by modifiedAt ascending and filters with modifiedSince', async () => {
    const all = await getJson('/conversations?status=all&sortField=modifiedAt&sortOrder=asc')
    const times = all._embedded.conversations.map((c: Json) => Date.parse(c.userUpdatedAt))
    expect(times).toEqual([...times].sort((a, b) => a - b))
    const cut = new Date(times[10]).toISOString().replace('.000Z', 'Z')
    const since = await getJson(`/conversations?status=all&sortField=modifiedAt&sortOrder=asc&modifiedSince=${cut}`)
    expect(since.page.totalElements).toBe(110)
    const bad = await get('/conversations?sortField=bogus')
    expect(bad.status).toBe(400)
  })

  it('returns threads newest first, cuts chat bodies only in list embeds, and keeps them whole in /threads', async () => {
    const world = new World(7, 120)
    const chatIndex = Array.from({ length: 120 }, (_, i) => i).find((i) => world.header(i).type === 'chat')!
    const id = world.header(chatIndex).id
    const full = await getJson(`/conversations/${id}/threads`)
    const times = full._embedded.threads.map((t: Json) => Date.parse(t.createdAt))
    expect(times).toEqual([...times].sort((a, b) => b - a))
    const chat = full._embedded.threads.find((t: Json) => t.type === 'chat')
    expect([...chat.body].length).toBeGreaterThan(80)
    const single = await getJson(`/conversations/${id}?embed=threads`)
    expect(single._embedded.threads.find((t: Json) => t.id === chat.id).body).toBe(chat.body)
    const page = Math.floor((119 - chatIndex) / 25) + 1
    const listed = await getJson(`/conversations?status=all&embed=threads&page=${page}`)
    const conv = listed._embedded.conversations.find((c: Json) => c.id === id)
    const cut = conv._embedded.threads.find((t: Json) => t.id === chat.id).body
    expect(cut.endsWith('…')).toBe(true)
    expect(chat.body.startsWith(cut.slice(0, -1))).toBe(true)
  })

  it('answers 301 with the surviving conversation for a merged id on Get Conversation, 404 on its threads', async () => {
    const world = new World(7, 120)
    const survivor = Array.from({ length: 120 }, (_, i) => i).find((i) => world.header(i).absorbedMerge)!
    const newId = world.header(survivor).id
    const threads = await getJson(`/conversations/${newId}/threads`)
    const merge = threads._embedded.threads.find((t: Json) => t.action?.type === 'merged')
    const oldId = merge.action.associatedEntities.conversation.id
    const moved = await get(`/conversations/${oldId}?embed=threads`, { redirect: 'manual' })
    expect(moved.status).toBe(301)
    expect(moved.headers.get('location')).toBe(`${sim.env.HELPSCOUT_BASE_URL}/conversations/${newId}?embed=threads`)
    // Only Get Conversation redirects (as documented); List Threads of the old id answers 404.
    const movedThreads = await get(`/conversations/${oldId}/threads`, { redirect: 'manual' })
    expect(movedThreads.status).toBe(404)
    const listedIds = new Set<number>()
    for (let page = 1; page <= 5; page++) {
      for (const c of (await getJson(`/conversations?status=all&page=${page}`))._embedded.conversations) listedIds.add(c.id)
    }
    expect(listedIds.has(oldId)).toBe(false)
  })

  it('serves attachment bytes as base64 JSON and as a raw file with a safe content-disposition', async () => {
    const world = new World(7, 120)
    let found: { cid: number; aid: number; filename: string } | null = null
    for (let i = 0; i < 120 && !found; i++) {
      for (const t of world.threads(i)) {
        const a = t.attachments.find((x) => x.size > 0)
        if (a) found = { cid: world.header(i).id, aid: a.id, filename: a.filename }
      }
    }
    expect(found).not.toBeNull()
    const data = await getJson(`/conversations/${found!.cid}/attachments/${found!.aid}/data`)
    const file = await get(`/conversations/${found!.cid}/attachments/${found!.aid}/file`)
    expect(file.status).toBe(200)
    const bytes = Buffer.from(await file.arrayBuffer())
    expect(Buffer.from(data.data, 'base64').equals(bytes)).toBe(true)
    expect(sim.manifest().attachments[String(found!.aid)]!.size).toBe(bytes.length)
    expect(file.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent(found!.filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`)
    const wrongConversation = await get(`/conversations/${found!.cid + 1}/attachments/${found!.aid}/data`)
    expect(wrongConversation.status).toBe(404)
  })

  it('answers every other route with 404 JSON', async () => {
    for (const path of ['/nope', '/conversations/1', '/users/99999', '/mailboxes/1/fields']) {
      const res = await get(path)
      expect(res.status, path).toBe(404)
      expect(res.headers.get('content-type')).toMatch(/json/)
    }
    const post = await get('/conversations', { method: 'POST' })
    expect(post.status).toBe(404)
  })

  it('serves users/me, mailbox fields and folders, tags, teams and organizations', async () => {
    expect((await getJson('/users/me')).role).toBe('owner')
    const mailboxes = (await getJson('/mailboxes'))._embedded.mailboxes
    const fields = (await getJson(`/mailboxes/${mailboxes[0].id}/fields`))._embedded.fields
    expect(fields.map((f: Json) => f.type)).toEqual(['dropdown', 'singleline'])
    expect(fields[0].options.length).toBeGreaterThan(1)
    const folders = (await getJson(`/mailboxes/${mailboxes[0].id}/folders`))._embedded.folders
    expect(folders.some((f: Json) => f.totalCount > 0)).toBe(true)
    expect((await getJson('/tags'))._embedded.tags[0]).toHaveProperty('ticketCount')
    expect((await getJson('/teams'))._embedded.teams.length).toBe(2)
    const customer = (await getJson('/customers?sortField=firstName&sortOrder=asc'))._embedded.customers.find((c: Json) => c._embedded.emails.length > 0)
    const emails = await getJson(new URL(customer._links.emails.href).pathname.replace('/v2', ''))
    expect(emails._embedded.emails).toEqual(customer._embedded.emails)
    const org = (await getJson('/organizations'))._embedded.organizations[0]
    expect(Object.keys(org)).toEqual(expect.arrayContaining(['id', 'name', 'domains', 'createdAt', 'updatedAt']))
  })
})

describe('Help Scout simulator limits and determinism', () => {
  it('throttles beyond rpm with 429 and Help Scout rate-limit headers, token requests included', async () => {
    const sim = await startHelpScoutSimulator({ rpm: 3, conversations: 10 })
    try {
      const t = await token(sim)
      const h = { authorization: `Bearer ${t}` }
      const a = await fetch(`${sim.env.HELPSCOUT_BASE_URL}/users`, { headers: h })
      expect(a.headers.get('x-ratelimit-limit-minute')).toBe('3')
      expect(a.headers.get('x-ratelimit-remaining-minute')).toBe('1')
      await fetch(`${sim.env.HELPSCOUT_BASE_URL}/users`, { headers: h })
      const over = await fetch(`${sim.env.HELPSCOUT_BASE_URL}/users`, { headers: h })
      expect(over.status).toBe(429)
      expect(over.headers.get('x-ratelimit-remaining-minute')).toBe('0')
      const retry = Number(over.headers.get('x-ratelimit-retry-after'))
      expect(retry).toBeGreaterThanOrEqual(59)
      expect(over.headers.get('retry-after')).toBe(String(retry))
      expect(sim.stats()).toMatchObject({ total: 4, throttled: 1, requests: { 'GET /v2/users': 3, 'POST /v2/oauth2/token': 1 } })
    } finally {
      await sim.close()
    }
  })

  it('serves the rare multi-megabyte attachment whole, matching the manifest digest', async () => {
    const probe = new World(1, 5000)
    const big = Array.from({ length: 5000 }, (_, i) => i).find((i) => probe.header(i).big)!
    const sim = await startHelpScoutSimulator({ seed: 1, conversations: big + 1, rpm: null })
    try {
      const world = new World(1, big + 1)
      const a = world.threads(big)[0]!.attachments[0]!
      const h = { authorization: `Bearer ${await token(sim)}` }
      const res = await fetch(`${sim.env.HELPSCOUT_BASE_URL}/conversations/${world.header(big).id}/attachments/${a.id}/file`, { headers: h })
      const bytes = Buffer.from(await res.arrayBuffer())
      expect(bytes.length).toBeGreaterThanOrEqual(2_000_000)
      expect(res.headers.get('content-type')).toBe('application/zip')
      const { createHash } = await import('node:crypto')
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(sim.manifest().attachments[String(a.id)]!.sha256)
    } finally {
      await sim.close()
    }
  })

  it('expires tokens after tokenTtlSeconds with 401', async () => {
    const sim = await startHelpScoutSimulator({ tokenTtlSeconds: 0.2, conversations: 5 })
    try {
      const h = { authorization: `Bearer ${await token(sim)}` }
      expect((await fetch(`${sim.env.HELPSCOUT_BASE_URL}/users`, { headers: h })).status).toBe(200)
      await new Promise((r) => setTimeout(r, 300))
      const expired = await fetch(`${sim.env.HELPSCOUT_BASE_URL}/users`, { headers: h })
      expect(expired.status).toBe(401)
      expect(((await expired.json()) as Json).message).toBe('Token expired')
    } finally {
      await sim.close()
    }
  })

  it('produces the same bytes for the same seed and different data for another seed', async () => {
    const sims = await Promise.all([7, 7, 8].map((seed) => startHelpScoutSimulator({ seed, conversations: 60 })))
    try {
      const bodies = await Promise.all(
        sims.map(async (s) => {
          const h = { authorization: `Bearer ${await token(s)}` }
          const paths = ['/conversations?status=all&embed=threads&page=2', '/customers?page=1', '/conversations/10000010/threads']
          const texts = await Promise.all(paths.map(async (p) => (await fetch(`${s.env.HELPSCOUT_BASE_URL}${p}`, { headers: h })).text()))
          return texts.join('\n').split(s.url).join('ORIGIN')
        }),
      )
      expect(bodies[0]).toBe(bodies[1])
      expect(bodies[0]).not.toBe(bodies[2])
      expect(JSON.stringify(sims[0]!.manifest())).toBe(JSON.stringify(sims[1]!.manifest()))
    } finally {
      await Promise.all(sims.map((s) => s.close()))
    }
  })
})
