import type { StreamSpec } from '../core/source.js'
import { SourceContractError } from '../core/errors.js'

/**
 * Orders streams so each comes after the streams it depends on, validating the DAG before any request:
 * an unknown dependency or a cycle is a contract error in the adapter.
 */
export function orderStreams(streams: readonly StreamSpec[]): StreamSpec[] {
  const byName = new Map(streams.map((s) => [s.name, s]))
  for (const s of streams) {
    for (const d of s.dependsOn) {
      if (!byName.has(d)) throw new SourceContractError(`stream ${s.name} depends on unknown stream ${d}`)
    }
  }
  const done = new Set<string>()
  const visiting = new Set<string>()
  const out: StreamSpec[] = []
  const visit = (s: StreamSpec): void => {
    if (done.has(s.name)) return
    if (visiting.has(s.name)) throw new SourceContractError(`streams form a cycle through ${s.name}`)
    visiting.add(s.name)
    for (const d of s.dependsOn) visit(byName.get(d)!)
    visiting.delete(s.name)
    done.add(s.name)
    out.push(s)
  }
  for (const s of streams) visit(s)
  return out
}

/** The selected streams plus everything they depend on, in order. */
export function selectStreams(streams: readonly StreamSpec[], names: readonly string[] | null): StreamSpec[] {
  const ordered = orderStreams(streams)
  if (!names || names.length === 0) return ordered
  const byName = new Map(streams.map((s) => [s.name, s]))
  const want = new Set<string>()
  const add = (n: string): void => {
    const s = byName.get(n)
    if (!s) throw new SourceContractError(`unknown stream ${n}; known: ${streams.map((x) => x.name).join(', ')}`)
    if (want.has(n)) return
    want.add(n)
    s.dependsOn.forEach(add)
  }
  names.forEach(add)
  return ordered.filter((s) => want.has(s.name))
}
