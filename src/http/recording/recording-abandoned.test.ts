// An exchange whose body the adapter never reads to the end — a redirect it follows by hand, a download it
// stops early — is still recorded (with what was received), so its replay answers the same way.
import { afterEach, describe, expect, it } from 'vitest'
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { Redactor } from '../../core/redact.js'
import type { HttpClient } from '../../core/http.js'
import { clientSetup } from '../../testing/test-server.js'
import { createRecorder } from './recorder.js'
import { createReplayer, loadRecording } from './replay.js'
import { EXCHANGES_DIR, META_FILE, RECORDING_FORMAT, RECORDING_VERSION } from './format.js'

const setup = clientSetup(afterEach)
const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

const FILE = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(3000, 0x41)])
const BIG = 4 * 1024 * 1024

function handler(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://x')
  if (url.pathname === '/attachments/token/abc/') {
    // Zendesk's content URL: a 302 with an HTML body to a signed link.
    res.writeHead(302, { 'content-type': 'text/html; charset=utf-8', location: `/signed/logs.zip?name=${url.searchParams.get('name') ?? ''}` })
    res.end('<html><body>You are being <a href="/signed/logs.zip">redirected</a>.</body></html>')
    return
  }
  if (url.pathname === '/signed/logs.zip') {
    res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': String(FILE.length) })
    res.end(FILE)
    return
  }
  if (url.pathname === '/big.bin') {
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(BIG) })
    res.end(Buffer.alloc(BIG, 9))
    return
  }
  res.writeHead(404).end()
}

/** What an adapter like Zendesk's does: follow the redirect itself, dropping the 302's body unread. */
async function download(http: HttpClient, base: string): Promise<Buffer> {
  let at = `${base}/attachments/token/abc/?name=logs.zip`
  for (;;) {
    const res = await http.requestStream({ url: at })
    const location = res.headers['location']
    if (res.status === 302 && location) {
      res.body.destroy()
      at = new URL(location, at).toString()
      continue
    }
    return Buffer.concat(await res.body.toArray())
  }
}

/** Reads the first chunk of a large body, then gives up on it. */
async function peek(http: HttpClient, base: string): Promise<{ first: number; length: string | undefined }> {
  const res = await http.requestStream({ url: `${base}/big.bin` })
  const iterator = res.body[Symbol.asyncIterator]()
  const first = ((await iterator.next()).value as Buffer).length
  res.body.destroy()
  return { first, length: res.headers['content-length'] }
}

async function record() {
  const { server, client } = await setup(handler)
  const dir = mkdtempSync(join(tmpdir(), 'deskmove-rec-'))
  dirs.push(dir)
  const rec = createRecorder(client, { dir, redactor: new Redactor() })
  const got = await download(rec.client, server.url)
  const peeked = await peek(rec.client, server.url)
  await rec.settled()
  writeFileSync(join(dir, META_FILE), JSON.stringify({ format: RECORDING_FORMAT, version: RECORDING_VERSION, source: 'test', recordedAt: '2024-01-01T00:00:00Z', anonymized: false, exchanges: rec.count() }))
  return { dir, got, peeked, count: rec.count() }
}

function exchanges(dir: string): Record<string, { response: { status: number; bytes: number; complete?: boolean; bodyFile: string } }> {
  const folder = join(dir, EXCHANGES_DIR)
  return Object.fromEntries(readdirSync(folder).map((f) => [f, JSON.parse(readFileSync(join(folder, f), 'utf8'))]))
}

describe('recording: bodies the adapter does not read to the end', () => {
  it('records the redirect whose body was dropped, and the abandoned download with what was received', async () => {
    const { dir, got, peeked, count } = await record()
    expect(got.equals(FILE)).toBe(true)
    expect(count).toBe(3)
    const files = exchanges(dir)
    expect(Object.keys(files).some((f) => f.endsWith('.tmp'))).toBe(false)
    expect(readdirSync(join(dir, 'bodies')).some((f) => f.endsWith('.tmp'))).toBe(false)
    const redirect = Object.entries(files).find(([f]) => f.startsWith('get-attachments-token-abc'))![1].response
    expect(redirect).toMatchObject({ status: 302, complete: false })
    // Its length follows the signed link's: not kept, so re-recordings of the same data are the same files.
    expect(redirect).toHaveProperty('headers.location')
    expect(redirect).not.toHaveProperty(['headers', 'content-length'])
    const signed = Object.entries(files).find(([f]) => f.startsWith('get-signed-logs-zip'))![1].response
    expect(signed).toMatchObject({ status: 200, bytes: FILE.length })
    expect(signed.complete).toBeUndefined()
    const big = Object.entries(files).find(([f]) => f.startsWith('get-big-bin'))![1].response
    expect(big.complete).toBe(false)
    expect(big.bytes).toBeGreaterThanOrEqual(peeked.first)
    expect(big.bytes).toBeLessThan(BIG)
    expect(readFileSync(join(dir, big.bodyFile)).length).toBe(big.bytes)
  })

  it('replays the redirect flow offline to the same bytes, and the abandoned body with its recorded length', async () => {
    const { dir, peeked } = await record()
    const replay = createReplayer(loadRecording(dir), { redactor: new Redactor(), command: 'deskmove extract test' })
    // Another origin: nothing is asked of the network.
    expect((await download(replay.client, 'http://127.0.0.1:1')).equals(FILE)).toBe(true)
    const again = await peek(replay.client, 'http://127.0.0.1:1')
    expect(again.length).toBe(peeked.length)
    expect(again.first).toBeGreaterThan(0)
    expect(replay.misses()).toEqual([])
  })
})
