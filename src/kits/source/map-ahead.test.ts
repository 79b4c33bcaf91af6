import { describe, expect, it } from 'vitest'
import { mapAhead, mapLimited } from './map-ahead.js'

async function* numbers(n: number, log: string[], failAt = -1): AsyncGenerator<number> {
  for (let i = 1; i <= n; i++) {
    log.push(`read ${i}`)
    if (i === failAt) throw new Error(`page ${i} failed`)
    yield i
  }
}

const collect = async <T>(it: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = []
  for await (const x of it) out.push(x)
  return out
}

describe('mapAhead', () => {
  it('yields results in order even when later items finish first', async () => {
    const delays = [30, 5, 1, 20]
    const out = await collect(mapAhead(numbers(4, []), 3, (i) => new Promise<number>((r) => setTimeout(() => r(i * 10), delays[i - 1]))))
    expect(out).toEqual([10, 20, 30, 40])
  })

  it('starts the work for the next items before the current one is consumed, up to the depth', async () => {
    const log: string[] = []
    const started: number[] = []
    const it = mapAhead(numbers(5, log), 2, async (i) => {
      started.push(i)
      return i
    })[Symbol.asyncIterator]()
    await it.next()
    await new Promise((r) => setTimeout(r, 5))
    expect(started).toEqual([1, 2, 3])
    await it.return?.(undefined)
  })

  it('surfaces a failure in order, after the items before it', async () => {
    const seen: number[] = []
    await expect(
      (async () => {
        for await (const x of mapAhead(numbers(5, [], 3), 2, async (i) => i)) seen.push(x)
      })(),
    ).rejects.toThrow('page 3 failed')
    expect(seen).toEqual([1, 2])
  })
})

describe('mapLimited', () => {
  it('keeps input order with at most `limit` calls in flight', async () => {
    let inFlight = 0
    let peak = 0
    const out = await mapLimited([5, 1, 4, 2, 3], 2, async (ms) => {
      peak = Math.max(peak, ++inFlight)
      await new Promise((r) => setTimeout(r, ms))
      inFlight--
      return ms * 10
    })
    expect(out).toEqual([50, 10, 40, 20, 30])
    expect(peak).toBe(2)
  })

  it('stops starting calls after a failure and throws it', async () => {
    const started: number[] = []
    await expect(mapLimited([1, 2, 3, 4], 1, async (i) => {
      started.push(i)
      if (i === 2) throw new Error('two failed')
      return i
    })).rejects.toThrow('two failed')
    expect(started).toEqual([1, 2])
  })
})
