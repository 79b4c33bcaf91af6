// Turning listed pages into the `SourcePage`s a stream yields: per-page streams (one checkpoint per page)
// and small lists read whole (restart streams: mailboxes, field definitions, tags).
import type { Checkpoint, SourcePage } from '../../core/source.js'
import { emptyMapped, mergeMapped } from './mapping-result.js'
import type { Mapped } from './mapping-result.js'
import { numberedPages, pageOf } from './numbered-pages.js'
import type { NumberedList } from './numbered-pages.js'

/** Maps one page's items; `where` names the page (its URL) for rejects that have no id. */
export type MapItems = (items: readonly unknown[], where: string) => Mapped

/** A per-page stream over a numbered list: each page carries `{ page: n }`, and resuming reads page n + 1. */
export async function* perPage(list: NumberedList, from: Checkpoint | null, sourceName: string, map: MapItems): AsyncGenerator<SourcePage> {
  for await (const p of numberedPages(list, pageOf(from, sourceName) + 1)) {
    const mapped = map(p.items, p.url)
    yield {
      records: mapped.records,
      rejects: [...p.rejects, ...mapped.rejects],
      checkpoint: { page: p.page },
      progress: { done: p.page, ...(p.totalPages === null ? {} : { total: p.totalPages }) },
    }
  }
}

/** Reads every page of a list into one result (restart streams are small). */
export async function collect(list: NumberedList, map: MapItems): Promise<Mapped> {
  const out = emptyMapped()
  for await (const p of numberedPages(list, 1)) {
    out.rejects.push(...p.rejects)
    mergeMapped(out, map(p.items, p.url))
  }
  return out
}
