import { createReadStream, existsSync } from 'node:fs'
import { createInterface } from 'node:readline'

/** The lines of a JSONL file with their 1-based numbers (a missing file has none). */
export async function* jsonLines(path: string): AsyncGenerator<{ n: number; text: string }> {
  if (!existsSync(path)) return
  const rl = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity })
  let n = 0
  try {
    for await (const text of rl) {
      n++
      if (text.trim() !== '') yield { n, text }
    }
  } finally {
    rl.close()
  }
}

/** JSON.parse that answers instead of throwing. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown }
  } catch (e) {
    return { ok: false, error: (e as Error).message }
  }
}
