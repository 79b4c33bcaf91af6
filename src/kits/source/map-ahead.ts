// Bounded read-ahead over an async sequence: the follow-up requests of the next items overlap with the
// consumer's work on the current one, while results keep their order.

/**
 * Applies `fn` to up to `depth` items ahead of the consumer and yields the results in order. Errors surface
 * in order too: a failure on a later item waits until the earlier ones were yielded.
 */
export async function* mapAhead<T, R>(items: AsyncIterable<T>, depth: number, fn: (item: T) => Promise<R>): AsyncGenerator<R> {
  const it = items[Symbol.asyncIterator]()
  const queue: Promise<IteratorResult<R>>[] = []
  let exhausted = false
  const pull = (): void => {
    if (exhausted) return
    const next = it.next().then(async (r): Promise<IteratorResult<R>> => {
      if (r.done) {
        exhausted = true
        return { done: true, value: undefined }
      }
      return { done: false, value: await fn(r.value) }
    })
    next.catch(() => undefined)
    queue.push(next)
  }
  try {
    // The source is pulled one item at a time: `next()` on an async generator queues, so order holds.
    for (let i = 0; i < depth; i++) pull()
    for (;;) {
      const head = queue.shift()
      if (!head) return
      const r = await head
      if (r.done) return
      pull()
      yield r.value
    }
  } finally {
    await it.return?.()
  }
}

/**
 * Runs `fn` over `items` with at most `limit` calls in flight; results come back in input order. A failure
 * stops new calls from starting and is thrown once the calls already started have settled.
 */
export async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length)
  let next = 0
  let failed: { error: unknown } | null = null
  const lane = async (): Promise<void> => {
    while (failed === null && next < items.length) {
      const i = next++
      try {
        out[i] = await fn(items[i]!, i)
      } catch (error) {
        failed ??= { error }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane))
  if (failed !== null) throw (failed as { error: unknown }).error
  return out
}
