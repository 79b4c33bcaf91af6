// The token request's answer can break off while its body is read (a reset, a truncated body): the client's retries
// end when the headers arrive, so the session asks again, then gives up as "unavailable" (exit 4, resumable).
import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { RemoteUnavailableError } from '../../../src/core/errors.js'
import type { HttpClient } from '../../../src/core/http.js'
import { createSession } from './auth.js'

const config = { appId: 'app', appSecret: 'secret-value', baseUrl: 'https://hs.test/v2' }

/** A client whose token answers break off `broken` times, then answer whole; API calls answer 200. */
function client(broken: number) {
  const sent: string[] = []
  const http: HttpClient = {
    async requestStream(req) {
      sent.push(`${req.method ?? 'GET'} ${req.url}`)
      if (req.url.endsWith('/oauth2/token') && broken-- > 0) {
        const body = new Readable({ read() { this.push('{"access_tok'); this.destroy(new Error('terminated')) } })
        return { status: 200, headers: {}, url: req.url, body }
      }
      const text = req.url.endsWith('/oauth2/token') ? '{"token_type":"bearer","access_token":"tok","expires_in":7200}' : '{}'
      return { status: 200, headers: {}, url: req.url, body: Readable.from([Buffer.from(text)]) }
    },
    async requestJson(req) {
      sent.push(`${req.method ?? 'GET'} ${req.url}`)
      return { status: 200, headers: {}, url: req.url, body: {} }
    },
    stats: () => ({ requests: sent.length, byRoute: {}, byStatus: {}, throttled: 0, retries: 0, bytesIn: 0 }),
    close: async () => {},
  }
  return { http, sent }
}

describe('helpscout token request', () => {
  it('asks again when the answer breaks off while it is read, and goes on with the token it then gets', async () => {
    const c = client(2)
    const session = createSession(c.http, config)
    await session.authenticate(new AbortController().signal)
    expect(c.sent.filter((s) => s.endsWith('/oauth2/token'))).toHaveLength(3)
  })

  it('gives up as unavailable (resumable, never an internal error) when every answer breaks off', async () => {
    const c = client(100)
    const err = await createSession(c.http, config).authenticate(new AbortController().signal).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(RemoteUnavailableError)
    expect((err as Error).message).toMatch(/broke off 4 times/)
  })
})
