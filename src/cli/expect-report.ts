// `deskmove plan <target> --expect-report FILE`: the dry-run diff an ops team reviews in a pull request. The
// plan's Markdown report, normalised (no times, run ids or machine paths), is compared with a committed one;
// any difference is printed as a unified diff and fails the command (exit 6). DESKMOVE_UPDATE_GOLDEN=1 (or
// `--update-expected`) rewrites FILE instead, for when the change is the intended one.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname } from 'node:path'
import { VerifyMismatchError } from '../core/errors.js'

/** What varies between two runs of the same plan and says nothing about it. */
export function normalizeReport(text: string, cwd: string): string {
  let out = text.replace(/\r\n/g, '\n')
  for (const [path, label] of [[cwd, '<cwd>'], [tmpdir(), '<tmp>']] as const) if (path.length > 1) out = out.split(path).join(label)
  return (
    out
      .replace(/\bmade \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z/g, 'made <time>')
      .replace(/\b\d{8}T\d{6}Z-[0-9a-f]{6}\b/g, '<run id>')
      // The target's fingerprint covers its database (name, auto-increment counters): not the plan's content.
      .replace(/\btarget [0-9a-f]{32}\b/g, 'target <fingerprint>')
      .split('\n')
      .map((l) => l.replace(/\s+$/, ''))
      .join('\n')
      .replace(/\n*$/, '\n')
  )
}

export interface ReportComparison {
  readonly same: boolean
  /** Unified diff, expected (`---`) → actual (`+++`); empty when the same. */
  readonly diff: string
  readonly updated: boolean
}

/** Compares (or, with `update`, rewrites) the expected report at `path`. A missing file is a difference. */
export function compareReport(actual: string, path: string, o: { cwd: string; update: boolean }): ReportComparison {
  const now = normalizeReport(actual, o.cwd)
  if (o.update) {
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(path, now)
    return { same: true, diff: '', updated: true }
  }
  const before = existsSync(path) ? normalizeReport(readFileSync(path, 'utf8'), o.cwd) : ''
  if (before === now) return { same: true, diff: '', updated: false }
  return { same: false, diff: unifiedDiff(before, now, existsSync(path) ? path : `${path} (missing)`, 'plan report'), updated: false }
}

export function reportMismatch(path: string, diff: string, rerun: string): VerifyMismatchError {
  const changed = diff.split('\n').filter((l) => /^[+-](?![+-]{2} )/.test(l)).length
  const err = new VerifyMismatchError(`the plan report differs from ${path} (${changed} line(s) changed; the diff is above)`)
  return Object.assign(err, { hint: `review the diff; if the change is intended, accept it with \`DESKMOVE_UPDATE_GOLDEN=1 ${rerun}\` and commit ${path}` })
}

/** A unified diff of two texts by lines (LCS), with 3 lines of context. */
export function unifiedDiff(a: string, b: string, from: string, to: string): string {
  const x = a === '' ? [] : a.replace(/\n$/, '').split('\n')
  const y = b === '' ? [] : b.replace(/\n$/, '').split('\n')
  const ops = lineOps(x, y)
  const out = [`--- ${from}`, `+++ ${to}`]
  const CONTEXT = 3
  const changed = ops.flatMap((o, k) => (o.op === ' ' ? [] : [k]))
  // Changes closer than twice the context share one hunk.
  const groups: number[][] = []
  for (const k of changed) {
    const last = groups[groups.length - 1]
    if (last && k - last[last.length - 1]! <= CONTEXT * 2) last.push(k)
    else groups.push([k])
  }
  for (const g of groups) {
    const hunk = ops.slice(Math.max(0, g[0]! - CONTEXT), Math.min(ops.length, g[g.length - 1]! + CONTEXT + 1))
    out.push(`@@ -${hunk[0]!.ai + 1},${hunk.filter((o) => o.op !== '+').length} +${hunk[0]!.bi + 1},${hunk.filter((o) => o.op !== '-').length} @@`)
    for (const o of hunk) out.push(`${o.op}${o.line}`)
  }
  return `${out.join('\n')}\n`
}

interface Op {
  readonly op: ' ' | '-' | '+'
  readonly line: string
  /** Index in `a` / `b` where this line sits (or would sit). */
  readonly ai: number
  readonly bi: number
}

function lineOps(a: readonly string[], b: readonly string[]): Op[] {
  // Reports are a few hundred lines; past that, compare line by line rather than spend quadratic memory.
  if (a.length * b.length > 4_000_000) {
    const ops: Op[] = []
    for (let k = 0; k < Math.max(a.length, b.length); k++) {
      if (a[k] === b[k]) ops.push({ op: ' ', line: a[k]!, ai: k, bi: k })
      else {
        if (k < a.length) ops.push({ op: '-', line: a[k]!, ai: k, bi: k })
        if (k < b.length) ops.push({ op: '+', line: b[k]!, ai: k, bi: k })
      }
    }
    return ops
  }
  const n = a.length
  const m = b.length
  const lcs = new Uint32Array((n + 1) * (m + 1))
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * (m + 1) + j] = a[i] === b[j] ? lcs[(i + 1) * (m + 1) + j + 1]! + 1 : Math.max(lcs[(i + 1) * (m + 1) + j]!, lcs[i * (m + 1) + j + 1]!)
    }
  }
  const ops: Op[] = []
  let i = 0
  let j = 0
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) ops.push({ op: ' ', line: a[i]!, ai: i++, bi: j++ })
    // Removals before additions, as diff(1) prints them.
    else if (i < n && (j === m || lcs[(i + 1) * (m + 1) + j]! >= lcs[i * (m + 1) + j + 1]!)) ops.push({ op: '-', line: a[i]!, ai: i++, bi: j })
    else ops.push({ op: '+', line: b[j]!, ai: i, bi: j++ })
  }
  return ops
}
