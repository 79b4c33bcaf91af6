import { afterAll, describe, expect, it } from 'vitest'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { znunySimulator } from './definition.js'
import { DEFAULT_ZNUNY_EMBEDDED_DIR, embeddedDataDir } from './embedded.js'
import { UsageError } from '../../../../src/core/errors.js'

const cwd = mkdtempSync(join(tmpdir(), 'deskmove-znuny-embedded-'))
afterAll(() => rmSync(cwd, { recursive: true, force: true }))
const info: string[] = []
const secrets: (string | null)[] = []
const ctx = { cwd, addSecret: (s: string | null) => secrets.push(s), info: (m: string) => info.push(m) }
const options = { port: 0, seed: 1, version: '7.1', sessionRequests: 0, dataDir: 'zn-db' }

async function gi(env: Readonly<Record<string, string>>, method: string, route: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const res = await fetch(`${env.ZNUNY_URL}${route}`, { method, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } })
  return (await res.json()) as Record<string, unknown>
}

async function session(env: Readonly<Record<string, string>>): Promise<string> {
  return String((await gi(env, 'POST', '/Session', { UserLogin: env.ZNUNY_USER, Password: env.ZNUNY_PASSWORD })).SessionID)
}

/** The ticket rows, read with plain `pg` through the URL the simulator printed. */
async function ticketTitles(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query<{ title: string }>('SELECT title FROM ticket ORDER BY id')).rows.map((r) => r.title)
  } finally {
    await client.end()
  }
}

describe('simulate znuny --data-dir: the Znuny stand-in in an embedded PostgreSQL', () => {
  it('stores what REST creates in the stand-in at ZNUNY_DB_URL, and serves it again after a restart on the same folder', async () => {
    const first = await znunySimulator.start(options, ctx)
    let ticketId = ''
    try {
      expect(first.serving).toBe(true)
      expect(Object.keys(first.env).sort()).toEqual(['ZNUNY_DB_URL', 'ZNUNY_PASSWORD', 'ZNUNY_URL', 'ZNUNY_USER'])
      expect(first.env.ZNUNY_DB_URL).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/)
      expect(existsSync(join(cwd, 'zn-db', 'pgdata', 'PG_VERSION'))).toBe(true)
      expect(info.join('\n')).toMatch(/Znuny stand-in built in an embedded PostgreSQL \(PGlite\) in .*zn-db/)
      expect(secrets).toContain(first.env.ZNUNY_PASSWORD)
      const sid = await session(first.env)
      const created = await gi(first.env, 'POST', '/Ticket', {
        SessionID: sid,
        Ticket: { Title: 'Kept across restarts', Queue: 'Raw', State: 'new', Priority: '3 normal', CustomerUser: 'jdoe' },
        Article: [{ CommunicationChannel: 'Email', SenderType: 'customer', IsVisibleForCustomer: 1, From: 'John Doe <jdoe@acme.test>', Subject: 'Printer', Body: 'Broken.', ContentType: 'text/plain; charset=utf8' }],
      })
      ticketId = String(created.TicketID)
      expect(ticketId).toMatch(/^\d+$/)
      expect(await ticketTitles(first.env.ZNUNY_DB_URL!)).toEqual(['Kept across restarts'])
    } finally {
      await first.close()
    }

    const again = await znunySimulator.start(options, ctx)
    try {
      expect(info.at(-1)).toMatch(/Znuny stand-in reopened in an embedded PostgreSQL/)
      // Not rebuilt: the row is still there, in SQL and through TicketGet.
      expect(await ticketTitles(again.env.ZNUNY_DB_URL!)).toEqual(['Kept across restarts'])
      const sid = await session(again.env)
      const got = await fetch(`${again.env.ZNUNY_URL}/Ticket/${ticketId}?SessionID=${sid}`)
      const tickets = ((await got.json()) as { Ticket?: { Title: string }[] }).Ticket
      expect(tickets?.map((t) => t.Title)).toEqual(['Kept across restarts'])
    } finally {
      await again.close()
    }
  }, 90_000)

  it('refuses --db-url together with --data-dir or --embedded, naming the fix', async () => {
    await expect(znunySimulator.start({ ...options, dbUrl: 'postgres://postgres@127.0.0.1:1/x' }, ctx)).rejects.toThrow(UsageError)
    expect(() => embeddedDataDir({ embedded: true, dbUrl: 'mysql://root@127.0.0.1/x' }, cwd)).toThrow(
      expect.objectContaining({ message: expect.stringMatching(/--db-url and --data-dir/), hint: expect.stringMatching(/not both/) }),
    )
  })

  it('takes ./znuny-db with --embedded alone, and stays in memory when neither option is given', () => {
    expect(embeddedDataDir({ embedded: true }, cwd)).toBe(join(cwd, DEFAULT_ZNUNY_EMBEDDED_DIR))
    expect(embeddedDataDir({ embedded: true, dataDir: 'elsewhere' }, cwd)).toBe(join(cwd, 'elsewhere'))
    expect(embeddedDataDir({}, cwd)).toBeNull()
    expect(embeddedDataDir({ dbUrl: 'postgres://postgres@127.0.0.1/x' }, cwd)).toBeNull()
  })

  it('lists --data-dir and --embedded without a default, so no option keeps the in-memory mode', () => {
    const dataDir = znunySimulator.options.find((o) => o.key === 'dataDir')
    const embedded = znunySimulator.options.find((o) => o.key === 'embedded')
    expect(dataDir).toMatchObject({ flags: '--data-dir <dir>', type: 'string' })
    expect(dataDir?.default).toBeUndefined()
    expect(embedded).toMatchObject({ flags: '--embedded', type: 'boolean' })
  })
})
