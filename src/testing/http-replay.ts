// Replays recorded, scrubbed HTTP exchanges (fixtures/http/<adapter>/<scenario>/NNN-*.json) through an
// undici MockAgent with the network disabled. Strict by design: every exchange answers exactly once, in
// file order for identical requests, and anything not recorded fails the request.
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { MockAgent } from 'undici'
import { z } from 'zod'

const exchangeSchema = z.object({
  /** Which conversation with the API this belongs to: `read` (all streams in order), `check`, `attachments`. */
  flow: z.string().default('read'),
  /** The stream whose reading sends this request; absent for session-wide requests such as the token. */
  stream: z.string().nullable().default(null),
  note: z.string().optional(),
  request: z.object({
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
    /** Path from the origin, e.g. `/v2/users`. */
    path: z.string().startsWith('/'),
    /** Matched exactly (order-insensitive); omitted = no query string. */
    query: z.record(z.string()).optional(),
  }),
  response: z.object({
    status: z.number().int(),
    headers: z.record(z.string()).default({}),
    /** JSON body, sent as `application/json` unless the headers say otherwise. */
    body: z.unknown().optional(),
    /** Raw text body (e.g. a truncated or non-JSON page). */
    bodyText: z.string().optional(),
    /** Raw bytes (attachment files). */
    bodyBase64: z.string().optional(),
  }),
})
export type RecordedExchange = z.infer<typeof exchangeSchema> & { readonly file: string }

/** Loads `NNN-*.json` exchanges of one scenario folder, in file-name order. */
export function loadExchanges(dir: string): RecordedExchange[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}-.*\.json$/.test(f))
    .sort()
    .map((file) => {
      const parsed = exchangeSchema.safeParse(JSON.parse(readFileSync(join(dir, file), 'utf8')))
      if (!parsed.success) throw new Error(`${dir}/${file}: not a recorded exchange: ${parsed.error.message}`)
      return { ...parsed.data, file }
    })
}

/** A MockAgent serving a set of exchanges, plus what it served. */
export interface Replay {
  readonly agent: MockAgent
  /** Files served, in order. */
  readonly served: readonly string[]
  /** Throws when a recorded exchange was never requested. */
  assertAllConsumed(): void
  close(): Promise<void>
}

function bodyOf(r: RecordedExchange['response']): { data: string | Buffer; headers: Record<string, string> } {
  if (r.bodyBase64 !== undefined) return { data: Buffer.from(r.bodyBase64, 'base64'), headers: r.headers }
  if (r.bodyText !== undefined) return { data: r.bodyText, headers: r.headers }
  if (r.body === undefined) return { data: '', headers: r.headers }
  const hasType = Object.keys(r.headers).some((h) => h.toLowerCase() === 'content-type')
  return { data: JSON.stringify(r.body), headers: hasType ? r.headers : { 'content-type': 'application/json', ...r.headers } }
}

/** Registers `exchanges` on a fresh MockAgent for `origin` (e.g. `https://api.example.test`). */
export function createReplay(origin: string, exchanges: readonly RecordedExchange[]): Replay {
  const agent = new MockAgent()
  agent.disableNetConnect()
  const pool = agent.get(origin)
  const served: string[] = []
  for (const ex of exchanges) {
    const { data, headers } = bodyOf(ex.response)
    pool
      .intercept({ method: ex.request.method, path: ex.request.path, query: ex.request.query ?? {} })
      .reply(() => {
        served.push(ex.file)
        return { statusCode: ex.response.status, data, responseOptions: { headers } }
      })
  }
  return {
    agent,
    served,
    assertAllConsumed: () => agent.assertNoPendingInterceptors(),
    close: () => agent.close(),
  }
}
