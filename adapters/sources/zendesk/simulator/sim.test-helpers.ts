import { afterEach } from 'vitest'
import { startZendeskSimulator, type ZendeskSimulator, type ZendeskSimulatorOptions } from './server.js'

/** Starts Zendesk simulators for a test file and closes them after each test. */
export function useZendeskSim(): { start(o?: ZendeskSimulatorOptions): Promise<ZendeskSimulator> } {
  const open: ZendeskSimulator[] = []
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()))
  })
  return {
    async start(o = {}) {
      const sim = await startZendeskSimulator({ rpm: null, ...o })
      open.push(sim)
      return sim
    },
  }
}

export interface Got<T = unknown> {
  status: number
  headers: Headers
  body: T
  text: string
}

/** A GET with the simulator's API-token credentials (or the headers given), not following redirects. */
export async function get<T = Record<string, unknown>>(sim: ZendeskSimulator, pathOrUrl: string, headers?: Record<string, string>): Promise<Got<T>> {
  const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${sim.env.ZENDESK_BASE_URL}${pathOrUrl}`
  const r = await fetch(url, { headers: headers ?? basicAuth(sim), redirect: 'manual' })
  const text = await r.text()
  let body: unknown = null
  if ((r.headers.get('content-type') ?? '').includes('json')) body = JSON.parse(text)
  return { status: r.status, headers: r.headers, body: body as T, text }
}

export function basicAuth(sim: ZendeskSimulator): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${sim.env.ZENDESK_EMAIL}/token:${sim.env.ZENDESK_API_TOKEN}`).toString('base64')}` }
}

/** Follows a cursor-based export from `start_time` to `end_of_stream`, returning every page. */
export async function cursorExportAll<T>(sim: ZendeskSimulator, path: string, key: string, startTime = 0): Promise<{ pages: Record<string, unknown>[]; items: T[] }> {
  const pages: Record<string, unknown>[] = []
  let url = `${path}?start_time=${startTime}`
  for (;;) {
    const r = await get(sim, url)
    if (r.status !== 200) throw new Error(`${url} answered ${r.status}: ${r.text}`)
    pages.push(r.body)
    if (r.body.end_of_stream === true) break
    url = r.body.after_url as string
  }
  return { pages, items: pages.flatMap((p) => p[key] as T[]) }
}
