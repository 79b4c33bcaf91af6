// The REST client against a scripted server that answers the shapes znuny.md O2/O3 observed on Znuny 7.0.19.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { AuthError, ConfigError } from '../../../../src/core/errors.js'
import { silentLogger } from '../../../../src/core/log.js'
import { clientSetup, json } from '../../../../src/testing/test-server.js'
import { ZnunyRest } from './client.js'
import { AmbiguousReplyError, ZnunyApiError } from './errors.js'
import { findByProvenance, probeProvenanceFilter } from './find.js'

const setup = clientSetup(afterEach)

interface Seen {
  readonly method: string
  readonly path: string
  readonly query: URLSearchParams
  readonly body: Record<string, unknown>
}

/** A server whose `answer` sees each request parsed; returns the REST client aimed at it. */
async function against(answer: (r: Seen, res: ServerResponse, hit: number) => void) {
  const seen: Seen[] = []
  const secrets: string[] = []
  const handler = (req: IncomingMessage, res: ServerResponse, hit: number) => {
    let raw = ''
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')))
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://x')
      const r = { method: req.method ?? 'GET', path: u.pathname.replace(/^\/ws/, ''), query: u.searchParams, body: raw ? (JSON.parse(raw) as Record<string, unknown>) : {} }
      seen.push(r)
      answer(r, res, hit)
    })
  }
  const { server, client } = await setup(handler, { maxAttempts: 3 })
  const rest = new ZnunyRest({ url: `${server.url}/ws`, user: 'importer', password: 'pw-secret-1', http: client, log: silentLogger, addSecret: (s) => secrets.push(s) })
  return { rest, seen, secrets, server }
}

const session = (r: Seen, res: ServerResponse, sid = 'S1-0123456789') => {
  if (r.body.Password !== 'pw-secret-1') return json(res, 200, { Error: { ErrorCode: 'SessionCreate.AuthFail', ErrorMessage: 'SessionCreate: Authorization failing!' } })
  return json(res, 200, { SessionID: sid })
}
const sidOf = (r: Seen) => (r.method === 'GET' ? r.query.get('SessionID') : (r.body.SessionID as string | undefined))

describe('ZnunyRest: sessions', () => {
  it('logs in once and sends the session id with every call (query for GET, body for PATCH), registered as a secret', async () => {
    const { rest, seen, secrets } = await against((r, res) => {
      if (r.path === '/Session') return session(r, res)
      if (r.method === 'GET') return json(res, 200, { TicketID: ['3', 2] })
      return json(res, 200, { TicketID: '3', ArticleID: 40 })
    })
    expect(await rest.ticketSearch({ Title: 'x' })).toEqual(['3', '2'])
    expect(await rest.ticketUpdate('3', { Ticket: { State: 'open' } }, { idempotent: true })).toMatchObject({ TicketID: '3', ArticleID: '40' })
    expect(seen.map((r) => r.path)).toEqual(['/Session', '/Ticket', '/Ticket/3'])
    expect(seen.slice(1).map(sidOf)).toEqual(['S1-0123456789', 'S1-0123456789'])
    expect(secrets).toEqual(['S1-0123456789'])
  })

  it('logs in again once when a call answers AuthFail (session expired mid-run), then repeats the call', async () => {
    let logins = 0
    const { rest, seen } = await against((r, res) => {
      if (r.path === '/Session') return session(r, res, `S${++logins}-0123456789`)
      if (sidOf(r) === 'S1-0123456789') return json(res, 200, { Error: { ErrorCode: 'TicketGet.AuthFail', ErrorMessage: 'TicketGet: Authorization failing!' } })
      return json(res, 200, { Ticket: [{ TicketID: 7, TicketNumber: 2026112210000013, Title: 'Printer' }] })
    })
    const [t] = await rest.ticketGet(['7'])
    expect(t).toMatchObject({ TicketID: '7', TicketNumber: '2026112210000013', Title: 'Printer' })
    expect(seen.map((r) => r.path)).toEqual(['/Session', '/Ticket/7', '/Session', '/Ticket/7'])
  })

  it('a refused login is an AuthError naming the variables to fix, and the password never shows in it', async () => {
    const { server, client } = await setup((req, res) => json(res, 200, { Error: { ErrorCode: 'SessionCreate.AuthFail', ErrorMessage: 'SessionCreate: Authorization failing!' } }))
    const rest = new ZnunyRest({ url: server.url, user: 'importer', password: 'wrong-password', http: client, log: silentLogger })
    const err = await rest.ticketSearch({ Title: 'x' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(AuthError)
    expect((err as AuthError).hint).toMatch(/ZNUNY_USER and ZNUNY_PASSWORD/)
    expect(String((err as Error).message)).not.toContain('wrong-password')
  })

  it('AuthFail again after a fresh login is an AuthError, not a loop', async () => {
    const { rest, seen } = await against((r, res) => (r.path === '/Session' ? session(r, res) : json(res, 200, { Error: { ErrorCode: 'TicketSearch.AuthFail', ErrorMessage: 'no' } })))
    await expect(rest.ticketSearch({ Title: 'x' })).rejects.toBeInstanceOf(AuthError)
    expect(seen.map((r) => r.path)).toEqual(['/Session', '/Ticket', '/Session', '/Ticket', '/Session', '/Ticket', '/Session', '/Ticket'])
  })
})

describe('ZnunyRest: answers and failures', () => {
  it('an Error inside an HTTP 200 is a ZnunyApiError carrying Znuny code and message', async () => {
    const { rest } = await against((r, res) =>
      r.path === '/Session' ? session(r, res) : json(res, 200, { Error: { ErrorCode: 'TicketCreate.InvalidParameter', ErrorMessage: 'TicketCreate: Ticket->QueueID or Ticket->Queue parameter is invalid!' } }),
    )
    const err = (await rest.ticketCreate({ Ticket: {} }).catch((e: unknown) => e)) as ZnunyApiError
    expect(err).toBeInstanceOf(ZnunyApiError)
    expect(err.kind).toBe('InvalidParameter')
    expect(err.message).toContain('Ticket->Queue parameter is invalid')
  })

  it('normalises ids that come as strings or numbers (ArticleID list of mixed types)', async () => {
    const { rest } = await against((r, res) => (r.path === '/Session' ? session(r, res) : json(res, 200, { TicketID: '12', TicketNumber: '2026112210000013', ArticleID: ['35', 36] })))
    expect(await rest.ticketCreate({ Ticket: {} })).toMatchObject({ TicketID: '12', TicketNumber: '2026112210000013', ArticleID: ['35', '36'] })
  })

  it('TicketCreate is sent once: HTTP 500 is an AmbiguousReplyError (the ticket may exist), while a GET is retried', async () => {
    let gets = 0
    const { rest, seen } = await against((r, res) => {
      if (r.path === '/Session') return session(r, res)
      if (r.method === 'POST') return json(res, 500, { faultcode: 'Server', faultstring: 'Ticket could not be created' })
      return ++gets === 1 ? json(res, 500, {}) : json(res, 200, {})
    })
    await expect(rest.ticketCreate({ Ticket: {} })).rejects.toBeInstanceOf(AmbiguousReplyError)
    expect(seen.filter((r) => r.method === 'POST' && r.path === '/Ticket')).toHaveLength(1)
    expect(await rest.ticketSearch({ Title: 'x' })).toEqual([])
    expect(gets).toBe(2)
  })

  it('an empty reply (connection closed without an answer) to TicketCreate is ambiguous and not repeated', async () => {
    const { rest, seen } = await against((r, res) => (r.path === '/Session' ? session(r, res) : res.socket?.destroy()))
    await expect(rest.ticketCreate({ Ticket: {} })).rejects.toBeInstanceOf(AmbiguousReplyError)
    expect(seen.filter((r) => r.path === '/Ticket')).toHaveLength(1)
  })

  it('a reply with no HTTP status line (the crash page) is retried on GET and ambiguous on TicketCreate', async () => {
    let gets = 0
    const crash = (res: ServerResponse) => {
      res.socket?.end('<html><body>Internal Server Error: Software error</body></html>\n')
    }
    const { rest, seen } = await against((r, res) => {
      if (r.path === '/Session') return session(r, res)
      if (r.method === 'POST') return crash(res)
      return ++gets === 1 ? crash(res) : json(res, 200, { TicketID: ['5'] })
    })
    await expect(rest.ticketCreate({ Ticket: {} })).rejects.toBeInstanceOf(AmbiguousReplyError)
    expect(seen.filter((r) => r.method === 'POST' && r.path === '/Ticket')).toHaveLength(1)
    expect(await rest.ticketSearch({ Title: 'x' })).toEqual(['5'])
  })

  it('a ticket Znuny will not show (AccessDenied, as for a ticket that does not exist) reads as null', async () => {
    const { rest } = await against((r, res) => (r.path === '/Session' ? session(r, res) : json(res, 200, { Error: { ErrorCode: 'TicketGet.AccessDenied', ErrorMessage: 'TicketGet: User does not have access to the ticket!' } })))
    expect(await rest.ticketGetOne('999')).toBeNull()
  })
})

describe('finding a ticket by its provenance field', () => {
  const ticket = (id: number, value: string | null) => ({ TicketID: id, TicketNumber: `20261122100000${id}`, DynamicField: [{ Name: 'DeskmoveSourceId', Value: value }] })

  it('keeps only tickets whose field holds exactly the value (a looser match is not the record)', async () => {
    const { rest, seen } = await against((r, res) => {
      if (r.path === '/Session') return session(r, res)
      if (r.path === '/Ticket') return json(res, 200, { TicketID: ['4', '9'] })
      return json(res, 200, { Ticket: [ticket(4, 'helpscout:ticket:10'), ticket(9, 'helpscout:ticket:1')] })
    })
    const found = await findByProvenance(rest, 'DeskmoveSourceId', 'helpscout:ticket:1')
    expect(found.map((t) => t.TicketID)).toEqual(['9'])
    expect(seen[1]!.body).toEqual({ DynamicField_DeskmoveSourceId: { Equals: 'helpscout:ticket:1' } })
  })

  it('falls back to the bare query filter when Znuny ignores the operator form, and remembers the form that works', async () => {
    const all = Array.from({ length: 40 }, (_, i) => String(i + 1))
    const { rest, seen } = await against((r, res) => {
      if (r.path === '/Session') return session(r, res)
      if (r.path === '/Ticket') return json(res, 200, { TicketID: r.query.get('DynamicField_DeskmoveSourceId') === 'helpscout:ticket:1' ? ['9'] : all })
      return json(res, 200, { Ticket: [ticket(9, 'helpscout:ticket:1')] })
    })
    expect((await findByProvenance(rest, 'DeskmoveSourceId', 'helpscout:ticket:1')).map((t) => t.TicketID)).toEqual(['9'])
    rest.fieldFilterForm = 'scalar'
    const before = seen.length
    await findByProvenance(rest, 'DeskmoveSourceId', 'helpscout:ticket:1')
    expect(seen.slice(before).map((r) => r.path)).toEqual(['/Ticket', '/Ticket/9'])
  })

  it('refuses a search that returned every ticket (filter ignored) instead of reading them all', async () => {
    const all = Array.from({ length: 40 }, (_, i) => String(i + 1))
    const { rest, seen } = await against((r, res) => (r.path === '/Session' ? session(r, res) : json(res, 200, { TicketID: all })))
    const err = await findByProvenance(rest, 'NoSuchField', 'helpscout:ticket:1').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ConfigError)
    expect((err as ConfigError).hint).toMatch(/create the ticket dynamic field NoSuchField/)
    expect(seen.some((r) => r.path.startsWith('/Ticket/'))).toBe(false)
    expect(await probeProvenanceFilter(rest, 'NoSuchField')).toBe('ignored')
  })
})
