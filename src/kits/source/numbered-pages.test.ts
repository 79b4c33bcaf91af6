import { describe, expect, it } from 'vitest'
import { RemoteUnavailableError } from '../../core/errors.js'
import type { JsonResponse } from '../../core/http.js'
import { collectChildren, readChildren } from './children.js'
import { numberedPages } from './numbered-pages.js'
import type { Envelope, NumberedList } from './numbered-pages.js'

interface Body { items: unknown[]; total: number | null; number: number; last: boolean }

const envelope = (b: unknown): Envelope => {
  const x = b as Body
  return { ok: true, items: x.items, totalPages: x.total, last: x.last, number: x.number }
}
const ok = (url: string, body: Body): JsonResponse => ({ status: 200, headers: {}, url, body })
const listOf = (what: string, page: (n: number) => Body, requested: number[] = []): NumberedList => ({
  what,
  fetch: async (n) => {
    requested.push(n)
    return ok(`https://x.test/${what}?page=${n}`, page(n))
  },
  envelope,
  ensureOk: () => undefined,
})
const drain = async <T>(it: AsyncIterable<T>, max = 100_000): Promise<T[]> => {
  const out: T[] = []
  for await (const x of it) {
    out.push(x)
    if (out.length >= max) throw new Error('did not stop')
  }
  return out
}

describe('numberedPages', () => {
  it('reads until the vendor says last', async () => {
    const pages = await drain(numberedPages(listOf('things', (n) => ({ items: [{ id: n }], total: 3, number: n, last: n >= 3 })), 1))
    expect(pages.map((p) => p.items)).toEqual([[{ id: 1 }], [{ id: 2 }], [{ id: 3 }]])
  })

  it('stops a page number that does not advance, naming the endpoint', async () => {
    const stuck = listOf('conversations', (n) => ({ items: [{ id: 10 + n }], total: null, number: 1, last: false }))
    const err = await drain(numberedPages(stuck, 1)).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(RemoteUnavailableError)
    expect((err as Error).message).toContain('listing of conversations does not end')
  })

  it('stops the same page served again and again', async () => {
    const same = listOf('customers', () => ({ items: [{ id: 1 }, { id: 2 }], total: null, number: 0, last: false }))
    const err = await drain(numberedPages(same, 1)).catch((e: unknown) => e)
    expect((err as Error).message).toContain('customers does not end')
  })

  it('bounds pages by the reported total plus a margin', async () => {
    const growing = listOf('tickets', (n) => ({ items: [{ id: n }], total: 20, number: 0, last: false }))
    const err = await drain(numberedPages(growing, 1)).catch((e: unknown) => e)
    expect((err as Error).message).toMatch(/tickets does not end: 28 pages read where the vendor reported 20/)
  })

  it('bounds by the first total announced, not one that grows with every page', async () => {
    const growing = listOf('threads of conversation 9', (n) => ({ items: [{ id: n }], total: n + 1, number: n, last: false }))
    const err = await drain(numberedPages(growing, 1)).catch((e: unknown) => e)
    expect((err as Error).message).toContain('threads of conversation 9 does not end: 9 pages read where the vendor reported 2')
  })
})

describe('child streams', () => {
  it('reads every parent\'s children with bounded concurrency, in page order', async () => {
    let inFlight = 0
    let peak = 0
    async function* parents(): AsyncGenerator<number[]> {
      for (let p = 0; p < 4; p++) yield Array.from({ length: 10 }, (_, i) => p * 10 + i)
    }
    const out = await drain(readChildren(parents(), {
      parentsOf: (page) => page,
      concurrency: 3,
      read: async (id) => {
        inFlight++
        peak = Math.max(peak, inFlight)
        await new Promise((r) => setTimeout(r, (id * 7) % 5))
        inFlight--
        return `children of ${id}`
      },
    }))
    expect(out.map((x) => x.children)).toEqual(out.map((x) => x.page.map((id) => `children of ${id}`)))
    expect(out).toHaveLength(4)
    expect(peak).toBe(3)
  })

  it('ends an endless child list with an error naming it, without holding all of it', async () => {
    const endless = listOf('comments of ticket 7', (n) => ({ items: [{ id: n }], total: null, number: n, last: false }))
    const err = await collectChildren(endless, 500).catch((e: unknown) => e)
    expect((err as Error).message).toContain('comments of ticket 7 does not end: over 500 items')
  })
})
