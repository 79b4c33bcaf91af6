import { describe, expect, it } from 'vitest'
import type { HttpRequest, JsonResponse } from '../../../src/core/http.js'
import type { AdapterContext } from '../../../src/core/context.js'
import { silentLogger } from '../../../src/core/log.js'
import type { Api } from './endpoints.js'
import { startTimeOf, timeExportPages } from './time-export.js'

const BASE = 'https://acme.zendesk.example/api/v2'
const NOW = Date.parse('2026-01-01T00:00:00Z')

/** An API over canned answers by URL; records what was asked. */
function fakeApi(answers: Record<string, { status?: number; body: unknown }>): { api: Api; asked: string[] } {
  const asked: string[] = []
  const http = {
    requestJson: async (req: HttpRequest): Promise<JsonResponse> => {
      asked.push(req.url)
      const a = answers[req.url]
      if (!a) throw new Error(`unexpected ${req.url}`)
      return { status: a.status ?? 200, headers: {}, url: req.url, body: a.body }
    },
  } as unknown as AdapterContext['http']
  const ctx = { http, log: silentLogger, now: () => new Date(NOW) } as AdapterContext
  return { api: { ctx, baseUrl: BASE, authorization: 'Basic x', credentialHosts: ['acme.zendesk.example'], now: () => NOW }, asked }
}

const user = (id: number, updated: string) => ({ id, name: `u${id}`, role: 'end-user', updated_at: updated })

describe('time-based incremental export', () => {
  it('follows next_page verbatim, stops on end_of_stream, and drops the boundary records it returns again', async () => {
    const p1 = `${BASE}/incremental/users.json?start_time=0`
    const p2 = `${BASE}/incremental/users?start_time=200` // the users export hands back its own form, without `.json`
    const p3 = `${BASE}/incremental/users?start_time=300`
    const { api, asked } = fakeApi({
      [p1]: { body: { users: [user(1, 't100'), user(2, 't200'), user(3, 't200')], next_page: p2, end_of_stream: false, end_time: 200 } },
      [p2]: { body: { users: [user(2, 't200'), user(3, 't200'), user(4, 't300')], next_page: p3, end_of_stream: true, end_time: 300 } },
    })
    const pages = []
    for await (const p of timeExportPages(api, 'users', null, { since: null }, new AbortController().signal)) pages.push(p)
    expect(asked).toEqual([p1, p2])
    expect(pages.map((p) => p.items.map((u) => (u as { id: number }).id))).toEqual([[1, 2, 3], [4]])
    // The end page's next_page is where the next delta starts; its boundary record is remembered to drop it then.
    expect(pages[1]?.checkpoint).toEqual({ next: p3, end: true, seen: ['4@t300'] })
  })

  it('a delta starts at the kept next_page and drops the boundary record served again', async () => {
    const p3 = `${BASE}/incremental/users?start_time=300`
    const { api } = fakeApi({ [p3]: { body: { users: [user(4, 't300'), user(5, 't400')], next_page: `${BASE}/incremental/users?start_time=400`, end_of_stream: true } } })
    const pages = []
    const lastComplete = { next: p3, end: true, seen: ['4@t300'] }
    for await (const p of timeExportPages(api, 'users', null, { since: '2025-01-01T00:00:00Z', lastComplete }, new AbortController().signal)) pages.push(p)
    expect(pages.flatMap((p) => p.items.map((u) => (u as { id: number }).id))).toEqual([5])
  })

  it('never asks inside the one-minute exclusion window, and reads a refused too-recent start as nothing new', async () => {
    expect(startTimeOf('2026-01-01T00:00:00Z', NOW)).toBe(NOW / 1000 - 61)
    expect(startTimeOf(null, NOW)).toBe(0)
    const url = `${BASE}/incremental/organizations.json?start_time=${NOW / 1000 - 61}`
    const { api } = fakeApi({ [url]: { status: 400, body: { error: 'InvalidValue', description: 'Too recent start_time. Use a start_time older than 1 minute' } } })
    const pages = []
    for await (const p of timeExportPages(api, 'organizations', null, { since: '2026-01-01T00:00:00Z' }, new AbortController().signal)) pages.push(p)
    expect(pages).toHaveLength(1)
    expect(pages[0]?.items).toEqual([])
    expect(pages[0]?.checkpoint).toMatchObject({ next: url, end: true })
  })
})
