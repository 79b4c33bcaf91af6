// The hostile scenarios of issue 12, each a mutation of the calm base world plus what the run must show.
import { bytesOf, halPage, sendJson, thread, type HostileWorld } from './hostile-server.js'

type Json = Record<string, unknown>

export interface HostileScenario {
  readonly name: string
  /** Mutates a fresh base world (and may install an override). */
  readonly build: (w: HostileWorld, origin: () => string) => void
  /** Source ids that must be named (in `rejects --json`, a warning, or the run's output) with a reason. */
  readonly mustName: readonly string[]
  /** Every conversation must still reach the target (an alteration may never cost the conversation). */
  readonly mustLoad?: boolean
  /** The scenario is a listing trap: one run only, a clear error is fine (exit 4 too), but it must stop. */
  readonly listingTrap?: boolean
}

/** Requests to any single route beyond which a listing counts as looping. */
export const LOOP_BOUND = 400

const conv = (w: HostileWorld, i: number): Json => w.conversations[i - 1]!
const threadsOf = (c: Json): Json[] => (c._embedded as { threads: Json[] }).threads
const firstAttachment = (c: Json): Json => ((threadsOf(c)[1]!._embedded as { attachments: Json[] }).attachments)[0]!

function setFilename(name: string): (w: HostileWorld) => void {
  return (w) => void (firstAttachment(conv(w, 1)).filename = name)
}

/** The conversations list, served by a function of the requested page (for listing traps). */
function conversationsBy(w: HostileWorld, body: (page: number, url: string) => Json | string): void {
  const prev = w.override
  w.override = (path, q, res) => {
    if (path !== '/v2/conversations') return prev?.(path, q, res) ?? false
    const b = body(Number(q.get('page') ?? '1') || 1, path)
    sendJson(res, 200, b)
    return true
  }
}

export const HOSTILE_SCENARIOS: readonly HostileScenario[] = [
  { name: 'file name 300 × é (600 bytes)', build: setFilename(`${'é'.repeat(300)}.pdf`), mustName: [], mustLoad: true },
  { name: 'file name 100 × 😀 (400 bytes)', build: setFilename(`${'😀'.repeat(100)}.png`), mustName: [], mustLoad: true },
  { name: 'file name ../../x', build: setFilename('../../x'), mustName: [], mustLoad: true },
  {
    name: 'JSON nested 5,000 deep',
    build: (w, origin) => {
      conv(w, 2).deep = '__DEEP__'
      const prev = w.override
      w.override = (path, q, res) => {
        if (path !== '/v2/conversations') return prev?.(path, q, res) ?? false
        const text = JSON.stringify(halPage(`${origin()}${path}`, 'conversations', w.conversations, Number(q.get('page') ?? '1') || 1, 25))
        sendJson(res, 200, text.replace('"__DEEP__"', '['.repeat(5000) + ']'.repeat(5000)))
        return true
      }
    },
    mustName: ['10000002'],
  },
  {
    name: 'attachment URL that always resets',
    build: (w) => {
      const prev = w.override
      w.override = (path, q, res) => {
        if (!path.includes('/attachments/5000002/')) return prev?.(path, q, res) ?? false
        res.socket?.destroy()
        return true
      }
    },
    mustName: ['5000002'],
  },
  {
    name: 'next link pointing at itself',
    build: (w, origin) =>
      conversationsBy(w, (page, path) => {
        const p = halPage(`${origin()}${path}`, 'conversations', w.conversations, 1, 25)
        const self = `${origin()}${path}?page=${page}`
        return { ...p, page: { size: 25, totalElements: 25_000_000, totalPages: 1_000_000, number: page }, _links: { self: { href: self }, next: { href: self } } }
      }),
    mustName: [],
    listingTrap: true,
  },
  {
    name: 'page number not advancing',
    build: (w, origin) =>
      conversationsBy(w, (_page, path) => {
        const p = halPage(`${origin()}${path}`, 'conversations', w.conversations, 1, 25)
        return { ...p, page: { size: 25, totalElements: 125, totalPages: 5, number: 1 } }
      }),
    mustName: [],
    listingTrap: true,
  },
  {
    name: 'endless thread list',
    build: (w, origin) => {
      // A chat conversation makes the adapter list its threads; that list never ends.
      threadsOf(conv(w, 3)).push({ ...thread(100_000_039, 3, '<p>chat</p>'), type: 'chat' })
      const prev = w.override
      w.override = (path, q, res) => {
        if (path !== '/v2/conversations/10000003/threads') return prev?.(path, q, res) ?? false
        const page = Number(q.get('page') ?? '1') || 1
        const items = [{ ...thread(200_000_000 + page, 3, `<p>page ${page}</p>`), type: 'chat' }]
        sendJson(res, 200, { _embedded: { threads: items }, page: { size: 1, totalElements: page + 1, totalPages: page + 1, number: page }, _links: { self: { href: `${origin()}${path}?page=${page}` } } })
        return true
      }
    },
    mustName: [],
    listingTrap: true,
  },
  {
    name: 'ids reused across conversations',
    build: (w) => {
      // Conversation 2 reuses conversation 1's customer thread id and its attachment id.
      const t1 = threadsOf(conv(w, 1))[1]!
      const t2 = threadsOf(conv(w, 2))[1]!
      t2.id = t1.id
      const a = firstAttachment(conv(w, 2))
      w.files.set(String(firstAttachment(conv(w, 1)).id), w.files.get(String(firstAttachment(conv(w, 1)).id))!)
      a.id = firstAttachment(conv(w, 1)).id
    },
    // The reused thread (the second of conversation 1) and the reused attachment.
    mustName: ['100000011', '5000001'],
  },
  {
    name: 'declared attachment sizes disagree with the bytes',
    build: (w) => {
      // Declared 1,000, 500 arrive; declared 10, 5,000 arrive.
      Object.assign(firstAttachment(conv(w, 1)), { size: 1000 })
      w.files.set('5000001', bytesOf(1, 500))
      Object.assign(firstAttachment(conv(w, 2)), { size: 10 })
      w.files.set('5000002', bytesOf(2, 5000))
    },
    mustName: ['5000001', '5000002'],
  },
  {
    name: 'invalid UTF-8 in a subject',
    build: (w, origin) => {
      conv(w, 1).subject = '__BAD_UTF8__'
      const prev = w.override
      w.override = (path, q, res) => {
        if (path !== '/v2/conversations') return prev?.(path, q, res) ?? false
        const text = JSON.stringify(halPage(`${origin()}${path}`, 'conversations', w.conversations, 1, 25))
        const [a, b] = text.split('__BAD_UTF8__')
        const body = Buffer.concat([Buffer.from(a!), Buffer.from([0x42, 0x61, 0x64, 0xff, 0xfe, 0xc3, 0x28]), Buffer.from(b!)])
        res.writeHead(200, { 'content-type': 'application/hal+json;charset=UTF-8', 'content-length': body.length })
        res.end(body)
        return true
      }
    },
    mustName: ['10000001'],
    mustLoad: true,
  },
  { name: 'NUL bytes in a subject and a body', build: (w) => {
    conv(w, 1).subject = 'before\u0000after'
    threadsOf(conv(w, 1))[0]!.body = '<p>nul\u0000here</p>'
  }, mustName: ['10000001'], mustLoad: true },
  { name: '1 MB subject', build: (w) => void (conv(w, 1).subject = 'S'.repeat(1_000_000)), mustName: ['10000001'], mustLoad: true },
  {
    name: '300-character tag',
    build: (w) => {
      const long = `t${'a'.repeat(299)}`
      w.tags.push({ id: 4002, name: long, slug: long, createdAt: '2020-01-01T00:00:00Z', updatedAt: '2020-01-01T00:00:00Z' })
      conv(w, 1).tags = [{ id: 4002, tag: long }]
    },
    mustName: ['10000001'],
    mustLoad: true,
  },
]
