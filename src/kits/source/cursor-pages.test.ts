import { describe, expect, it } from 'vitest'
import { RemoteUnavailableError } from '../../core/errors.js'
import { cursorPages } from './cursor-pages.js'
import { collectCursorChildren } from './children.js'
import type { CursorList } from './cursor-pages.js'

/** `pages[cursor]` answers a cursor (`''` is the first page). */
function listOf(pages: Record<string, { items: unknown[]; next: string | null }>, requested: (string | null)[] = []): CursorList {
  return {
    what: 'incremental tickets',
    fetch: async (cursor) => {
      requested.push(cursor)
      return { status: 200, headers: {}, url: `https://z.test/export?cursor=${cursor ?? ''}`, body: pages[cursor ?? ''] }
    },
    envelope: (b) => ({ ok: true, ...(b as { items: unknown[]; next: string | null }) }),
    ensureOk: () => undefined,
  }
}

const drain = async <T>(it: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = []
  for await (const x of it) out.push(x)
  return out
}

describe('cursorPages', () => {
  const pages = { '': { items: [{ id: 1 }], next: 'c2' }, c2: { items: [{ id: 2 }], next: 'c3' }, c3: { items: [{ id: 3 }], next: null } }

  it('follows next cursors to the end and keeps the last cursor in the final checkpoint', async () => {
    const read = await drain(cursorPages(listOf(pages), null))
    expect(read.map((p) => p.items)).toEqual([[{ id: 1 }], [{ id: 2 }], [{ id: 3 }]])
    expect(read.map((p) => p.checkpoint)).toEqual([{ cursor: 'c2', end: false }, { cursor: 'c3', end: false }, { cursor: 'c3', end: true }])
  })

  it('resumes at the checkpoint\'s cursor', async () => {
    const requested: (string | null)[] = []
    const read = await drain(cursorPages(listOf(pages, requested), { cursor: 'c2', end: false }))
    expect(requested).toEqual(['c2', 'c3'])
    expect(read).toHaveLength(2)
  })

  it('stops a next link that points back at itself, naming the endpoint', async () => {
    const loop = { '': { items: [{ id: 1 }], next: 'c2' }, c2: { items: [{ id: 2 }], next: 'c2' } }
    const err = await drain(cursorPages(listOf(loop), null)).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(RemoteUnavailableError)
    expect((err as Error).message).toContain('the listing of incremental tickets does not end: position c2 was requested twice')
  })
})

describe('collectCursorChildren', () => {
  it('collects a parent\'s child listing across cursor pages', async () => {
    const pages = { '': { items: [{ id: 1 }, { id: 2 }], next: 'c2' }, c2: { items: [{ id: 3 }], next: null } }
    expect(await collectCursorChildren(listOf(pages))).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }])
  })

  it('ends a child listing that grows past the bound with an error naming it', async () => {
    const pages: Record<string, { items: unknown[]; next: string | null }> = {}
    for (let i = 0; i < 10; i++) pages[i === 0 ? '' : `c${i}`] = { items: [{ id: i }, { id: i + 100 }], next: `c${i + 1}` }
    const err = await collectCursorChildren(listOf(pages), 5).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(RemoteUnavailableError)
    expect((err as Error).message).toContain('incremental tickets does not end: over 5 items')
  })
})
