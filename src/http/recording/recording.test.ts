import { afterEach, describe, expect, it } from 'vitest'
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { Redactor } from '../../core/redact.js'
import { EXIT } from '../../core/exit-codes.js'
import { clientSetup, json } from '../../testing/test-server.js'
import { Anonymizer } from './anonymize.js'
import { createRecorder } from './recorder.js'
import { createReplayer, loadRecording, ReplayMissError } from './replay.js'
import { findSecretShapes } from './scrub.js'
import { META_FILE, RECORDING_FORMAT, RECORDING_VERSION, exchangeName, requestKey } from './format.js'

const setup = clientSetup(afterEach)
const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

// Every value below is a credential a recording must never hold. Some are registered with the redactor (as
// the config's secrets and the tokens a source obtains are), the others only have a credential's shape.
const REGISTERED = 'app-secret-registered-0123'
const PLANTED = {
  jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZ2VudC00MiJ9.c2lnbmF0dXJlLXBsYW50ZWQ',
  refresh: 'rt-planted-refresh-9f8e7d',
  bearer: 'bearer-planted-5a4b3c2d1e',
  cookie: 'sessid-planted-77aa88bb',
  apiKey: 'apikey-planted-1234abcd',
  password: 'hunter2-planted-pw',
  amzSig: '4f7c1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7',
  aws: 'AKIAPLANTEDEXAMPLE12',
  urlPass: 'urlpass-planted-42',
  queryToken: 'qtoken-planted-31337',
}

function handler(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://x')
  if (url.pathname === '/oauth2/token') {
    // The access token comes back in the body; the body is read as a stream, the way Help Scout's auth reads it.
    const body = JSON.stringify({ access_token: PLANTED.jwt, refresh_token: PLANTED.refresh, token_type: 'bearer', expires_in: 7200 })
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'set-cookie': `session=${PLANTED.cookie}; HttpOnly` })
    res.end(body)
    return
  }
  if (url.pathname === '/v2/tickets') {
    json(res, 200, {
      tickets: [{ id: 1, subject: 'Printer on fire', requester: { name: 'Ada Lovelace', email: 'ada@example.org' }, body: '<p>Hi, I am <b>Ada</b> (ada@example.org)</p><img src="https://cdn.example.net/i/1.png" alt="screenshot">' }],
      download: `https://bucket.s3.amazonaws.com/f/1.pdf?X-Amz-Credential=${PLANTED.aws}%2F20240101&X-Amz-Signature=${PLANTED.amzSig}&X-Amz-Expires=300`,
      account: { password: PLANTED.password, owner: 'ada@example.org', note: `call with Authorization: Bearer ${PLANTED.bearer}` },
      next: `http://127.0.0.1/v2/tickets?page=2&access_token=${PLANTED.queryToken}`,
    }, { 'x-api-key': PLANTED.apiKey, 'x-ratelimit-remaining': '99' })
    return
  }
  if (url.pathname === '/v2/moved') {
    res.writeHead(302, { location: `https://agent:${PLANTED.urlPass}@files.example.net/a.bin?token=${PLANTED.queryToken}&sig=${PLANTED.amzSig}` })
    res.end()
    return
  }
  if (url.pathname === '/v2/file') {
    res.writeHead(200, { 'content-type': 'image/png' })
    res.end(Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(5000, 7)]))
    return
  }
  json(res, 404, { error: 'not found' })
}

/** Records a session that plants secrets in request headers, query strings, bodies, response headers and redirects. */
async function recordPlanted(anonymizer: Anonymizer | null) {
  const { server, client } = await setup(handler)
  const redactor = new Redactor()
  redactor.add(REGISTERED)
  const dir = mkdtempSync(join(tmpdir(), 'deskmove-rec-'))
  dirs.push(dir)
  const rec = createRecorder(client, { dir, redactor, anonymizer })
  const http = rec.client
  const token = await http.requestStream({
    method: 'POST',
    url: `${server.url}/oauth2/token`,
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `sid=${PLANTED.cookie}` },
    body: `grant_type=client_credentials&client_id=app-1&client_secret=${REGISTERED}&password=${PLANTED.password}`,
  })
  const tokenText = Buffer.concat(await token.body.toArray()).toString('utf8')
  // What the adapter receives is untouched: only the recording is scrubbed.
  expect(JSON.parse(tokenText).access_token).toBe(PLANTED.jwt)
  redactor.add(PLANTED.jwt)
  const auth = { authorization: `Bearer ${PLANTED.jwt}`, 'x-api-key': PLANTED.apiKey, accept: 'application/json' }
  const tickets = await http.requestJson({ url: `${server.url}/v2/tickets`, query: { page: 1, api_key: PLANTED.apiKey, email: 'ada@example.org' }, headers: auth })
  expect(tickets.status).toBe(200)
  const moved = await http.requestJson({ url: `${server.url}/v2/moved`, headers: auth })
  expect(moved.status).toBe(302)
  const file = await http.requestStream({ url: `${server.url}/v2/file?X-Amz-Signature=${PLANTED.amzSig}`, headers: auth })
  expect(Buffer.concat(await file.body.toArray()).length).toBe(5008)
  // An email in the path (a lookup by address): anonymized like any other occurrence of it.
  const person = await http.requestJson({ url: `${server.url}/v2/people/${encodeURIComponent('ada@example.org')}`, headers: auth })
  expect(person.status).toBe(404)
  writeFileSync(join(dir, META_FILE), JSON.stringify({ format: RECORDING_FORMAT, version: RECORDING_VERSION, source: 'test', recordedAt: '2024-01-01T00:00:00Z', anonymized: !!anonymizer, exchanges: rec.count() }))
  return { dir, count: rec.count(), server }
}

function allFiles(dir: string): { path: string; text: string }[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((p) => statSync(p).isFile())
    .map((path) => ({ path, text: readFileSync(path).toString('latin1') }))
}

describe('recording: scrubbing', () => {
  it('leaves no planted secret and no secret-shaped string in any fixture file', async () => {
    const { dir, count } = await recordPlanted(null)
    expect(count).toBe(5)
    const files = allFiles(dir)
    expect(files.length).toBeGreaterThanOrEqual(6)
    for (const { path, text } of files) {
      for (const [what, secret] of Object.entries({ ...PLANTED, registered: REGISTERED })) expect(text.includes(secret), `${what} in ${path}`).toBe(false)
      expect(findSecretShapes(text), path).toEqual([])
    }
    // What is not secret stays readable: it is what a reviewer diffs.
    const tickets = files.find((f) => f.path.includes('tickets'))!.text
    expect(tickets).toContain('Printer on fire')
    expect(tickets).toContain('"x-ratelimit-remaining": "99"')
    expect(tickets).toContain('X-Amz-Expires=300')
    const moved = files.find((f) => f.path.includes('moved') && f.path.endsWith('.json'))!.text
    expect(moved).toMatch(/"location": "https:\/\/agent:\[REDACTED\]@files\.example\.net\/a\.bin\?token=(\[REDACTED\]|%5BREDACTED%5D)&sig=%5BREDACTED%5D"/)
  })

  it('finds the shapes the scan looks for (the scan itself can fail)', () => {
    expect(findSecretShapes(`{"access_token": "abc123def"} Bearer ${PLANTED.bearer} ${PLANTED.jwt} ?X-Amz-Signature=${PLANTED.amzSig} https://u:${PLANTED.urlPass}@h`)).toHaveLength(5)
    expect(findSecretShapes('{"access_token": "[REDACTED]"} Bearer [REDACTED] ?sig=%5BREDACTED%5D')).toEqual([])
  })
})

describe('recording: anonymized', () => {
  it('replaces names, emails and bodies with the same fakes everywhere, keeping structure and tags', async () => {
    const { dir } = await recordPlanted(new Anonymizer('test-salt'))
    const files = allFiles(dir)
    for (const { path, text } of files) {
      expect(path.slice(dir.length)).not.toMatch(/ada/)
      expect(text.includes('ada@example.org') || text.includes('ada%40example.org'), path).toBe(false)
      expect(text.includes('Ada Lovelace'), path).toBe(false)
      expect(text.includes('Printer on fire'), path).toBe(false)
    }
    const tickets = files.find((f) => f.path.includes('tickets'))!
    const page = JSON.parse(tickets.text) as { request: { query: { email: string } }; response: { body: { tickets: { requester: { email: string; name: string }; body: string; subject: string }[]; account: { owner: string } } } }
    const t = page.response.body.tickets[0]!
    // One address, one fake: in the query, the requester, the account and inside the HTML body.
    expect(t.requester.email).toMatch(/@[a-z]+\.example\.com$/)
    expect(page.request.query.email).toBe(t.requester.email)
    expect(page.response.body.account.owner).toBe(t.requester.email)
    expect(t.body).toContain(t.requester.email)
    expect(t.body).toMatch(/^<p>[A-Za-z ,]+<b>[A-Za-z]+<\/b> \([^)]+\)<\/p><img src="https:\/\/cdn\.example\.net\/i\/1\.png" alt="[a-z]+">$/)
    expect(t.subject).toHaveLength('Printer on fire'.length)
    expect(t.requester.name).not.toBe('Ada Lovelace')
    const people = JSON.parse(files.find((f) => f.path.includes('people'))!.text) as { request: { path: string } }
    expect(people.request.path).toBe(`/v2/people/${encodeURIComponent(t.requester.email)}`)
    // Binary bodies keep their length and magic number.
    const png = readdirSync(join(dir, 'bodies')).find((f) => f.endsWith('.png'))!
    const bytes = readFileSync(join(dir, 'bodies', png))
    expect(bytes.length).toBe(5008)
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
    expect(bytes.subarray(16).equals(Buffer.alloc(4992, 7))).toBe(false)
  })

  it('is deterministic: the same input gives the same fake, a salt changes it', () => {
    const a = new Anonymizer('s1')
    expect(a.email('Bob@Example.org')).toBe(new Anonymizer('s1').email('bob@example.org'))
    expect(a.email('bob@example.org')).not.toBe(new Anonymizer('s2').email('bob@example.org'))
    expect(a.prose('Hello world, 42 times')).toBe(a.prose('Hello world, 42 times'))
    expect(a.prose('Hello world, 42 times')).toMatch(/^[A-Z][a-z]{4} [a-z]{5}, \d\d [a-z]{5}$/)
    expect(a.fileName('Invoice March.pdf')).toMatch(/^[A-Z][a-z]{6} [A-Z][a-z]{4}\.pdf$/)
    // A `value` is what its list says it is: a phone number, a chat handle.
    const person = a.json({ id: 7, phones: [{ value: '+1 555 0100', type: 'work' }], chats: [{ value: 'ada.lovelace', type: 'skype' }], background: 'Met at the fair' }) as { id: number; phones: { value: string; type: string }[]; chats: { value: string }[]; background: string }
    expect(person.id).toBe(7)
    expect(person.phones[0]).toEqual({ value: expect.stringMatching(/^\+\d \d{3} \d{4}$/), type: 'work' })
    expect(person.phones[0]!.value).not.toBe('+1 555 0100')
    expect(person.chats[0]!.value).toMatch(/^[a-z]{3}\.[a-z]{8}$/)
    expect(person.background).not.toContain('fair')
    // Colleagues keep sharing a domain.
    expect(a.email('x@acme.io').split('@')[1]).toBe(a.email('y@acme.io').split('@')[1])
  })
})

describe('recording layout', () => {
  it('names an exchange from its request alone: readable, stable, the same whatever order requests finished in', () => {
    const key = requestKey({ method: 'get', path: '/v2/conversations', query: { sortOrder: 'asc', page: '2' } })
    expect(key).toBe('GET /v2/conversations?page=2&sortOrder=asc')
    expect(requestKey({ method: 'GET', path: '/v2/conversations', query: { page: '2', sortOrder: 'asc' } })).toBe(key)
    expect(exchangeName(key, 1)).toMatch(/^get-v2-conversations-page-2-sortorder-asc-[0-9a-f]{8}$/)
    expect(exchangeName(key, 2)).toBe(`${exchangeName(key, 1)}.2`)
    // A body is part of the request: two token requests with different bodies are two exchanges.
    const post = (body: string) => requestKey({ method: 'POST', path: '/oauth2/token', query: {}, body })
    expect(post('a=1')).not.toBe(post('a=2'))
    expect(exchangeName(post('a=1'), 1)).not.toBe(exchangeName(post('a=2'), 1))
  })
})

describe('replay', () => {
  it('answers the recorded requests offline, and names the request and the fix for one not recorded', async () => {
    const { dir, server } = await recordPlanted(null)
    const redactor = new Redactor()
    // The replay's own placeholder secret (what the config holds in a replay) scrubs to the same request.
    redactor.add('replayed-secret')
    const replay = createReplayer(loadRecording(dir), { redactor, command: 'deskmove extract test' })
    const http = replay.client
    const token = await http.requestStream({ method: 'POST', url: `${server.url}/oauth2/token`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials&client_id=app-1&client_secret=replayed-secret&password=other' })
    const tokenBytes = Buffer.concat(await token.body.toArray())
    expect(JSON.parse(tokenBytes.toString('utf8'))).toMatchObject({ access_token: '[REDACTED]', expires_in: 7200 })
    // The scrubbed answer is not the vendor's length: the header says what is actually sent.
    expect(token.headers['content-length']).toBe(String(tokenBytes.length))
    // Another origin (a simulator on another port) and another key: matched on path and query.
    const tickets = await http.requestJson({ url: 'http://127.0.0.1:1/v2/tickets', query: { page: 1, api_key: 'whatever', email: 'ada@example.org' } })
    expect(tickets.body).toMatchObject({ tickets: [{ id: 1, subject: 'Printer on fire' }] })
    const file = await http.requestStream({ url: `http://127.0.0.1:1/v2/file?X-Amz-Signature=another` })
    expect(Buffer.concat(await file.body.toArray()).length).toBe(5008)
    expect(http.stats()).toMatchObject({ requests: 3, throttled: 0, retries: 0 })

    const miss = http.requestJson({ url: 'http://127.0.0.1:1/v2/tickets', query: { page: 2 } })
    await expect(miss).rejects.toBeInstanceOf(ReplayMissError)
    await expect(miss).rejects.toMatchObject({ exitCode: EXIT.config, message: expect.stringContaining('GET /v2/tickets?page=2'), hint: expect.stringContaining(`re-record with \`deskmove extract test --record ${dir}\``) })
    expect(replay.misses()).toEqual(['GET /v2/tickets?page=2'])
  })

  it('refuses a folder that is not a recording, naming how to make one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'deskmove-rec-'))
    dirs.push(dir)
    expect(() => loadRecording(dir)).toThrow(/is not a deskmove recording/)
  })
})
