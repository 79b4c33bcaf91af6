import { text } from 'node:stream/consumers'
import { MockAgent } from 'undici'
import { afterEach, describe, expect, it } from 'vitest'
import { Redactor } from '../core/redact.js'
import { silentLogger } from '../core/log.js'
import { createHttpClient, defaultHostPolicy } from './client.js'
import { clientSetup, json } from '../testing/test-server.js'

const setup = clientSetup(afterEach)

describe('createHttpClient: requestStream', () => {
  it('streams the body without buffering and counts its bytes', async () => {
    const chunk = 'x'.repeat(64 * 1024)
    const { server, client } = await setup((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' })
      for (let i = 0; i < 16; i++) res.write(chunk)
      res.end()
    })
    const res = await client.requestStream({ url: `${server.url}/attachments/7/data` })
    expect(res.status).toBe(200)
    expect((await text(res.body)).length).toBe(16 * chunk.length)
    expect(client.stats().bytesIn).toBe(16 * chunk.length)
    expect(server.hits[0]?.headers.accept).toBeUndefined()
  })

  it('retries a 503 that happens before the body starts', async () => {
    const { server, client } = await setup((_req, res, hit) => {
      if (hit === 1) return json(res, 503, {})
      res.writeHead(200)
      res.end('bytes')
    })
    const res = await client.requestStream({ url: server.url })
    expect(await text(res.body)).toBe('bytes')
    expect(client.stats()).toMatchObject({ retries: 1, byStatus: { '503': 1, '200': 1 } })
  })

  it('returns a 404 as-is for the caller to decide', async () => {
    const { server, client } = await setup((_req, res) => json(res, 404, { gone: true }))
    const res = await client.requestStream({ url: server.url })
    expect(res.status).toBe(404)
    expect(JSON.parse(await text(res.body))).toEqual({ gone: true })
    expect(server.hits).toHaveLength(1)
  })

  it('errors the stream when the body breaks off mid-way', async () => {
    const { server, client } = await setup((req, res) => {
      res.writeHead(200, { 'content-length': '1000' })
      res.write('partial')
      setTimeout(() => req.socket.destroy(), 10)
    })
    const res = await client.requestStream({ url: server.url })
    await expect(text(res.body)).rejects.toThrow()
  })
})

describe('createHttpClient: requestStream abort', () => {
  it('errors the stream with the signal reason when aborted mid-body', async () => {
    const { server, client } = await setup((_req, res) => {
      res.writeHead(200)
      res.write('first chunk')
    })
    const ctl = new AbortController()
    const res = await client.requestStream({ url: server.url, signal: ctl.signal })
    const reason = new Error('stop downloading')
    setTimeout(() => ctl.abort(reason), 20)
    await expect(text(res.body)).rejects.toBe(reason)
  })
})

describe('createHttpClient: injected dispatcher', () => {
  it('works over an undici MockAgent with the network disabled', async () => {
    const agent = new MockAgent()
    agent.disableNetConnect()
    agent
      .get('https://api.helpscout.net')
      .intercept({ path: '/v2/mailboxes?page=1', method: 'GET' })
      .reply(200, { _embedded: { mailboxes: [] } }, { headers: { 'content-type': 'application/json' } })
    const client = createHttpClient({ policy: defaultHostPolicy(), redactor: new Redactor(), log: silentLogger, dispatcher: agent })
    const res = await client.requestJson({ url: 'https://api.helpscout.net/v2/mailboxes', query: { page: 1 } })
    expect(res).toMatchObject({ status: 200, body: { _embedded: { mailboxes: [] } } })
    expect(client.stats().byRoute).toEqual({ 'GET /v2/mailboxes': 1 })
    agent.assertNoPendingInterceptors()
    await client.close()
    await agent.close()
  })
})
