// The one table the campaign prints: figures first, then one line per verdict.
import type { Figures, Verdict } from './shared.js'

export interface TableInput {
  readonly seed: number
  readonly seconds: number
  readonly figures: Figures
  readonly verdicts: readonly Verdict[]
  readonly skipped: readonly string[]
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length)
}

export function renderTable(t: TableInput): string {
  const f = t.figures
  const failed = t.verdicts.filter((v) => !v.pass).length
  const rows: [string, string][] = [
    ['seed', String(t.seed)],
    ['kill rounds', String(f.rounds)],
    ['kills landed (of scheduled)', `${f.killsLanded} (of ${f.killsTried})`],
    ['records lost', String(f.lost)],
    ['records duplicated', String(f.duplicated)],
    ['attachments corrupted', String(f.corrupted)],
    ['orphan attachment files', String(f.orphanFiles)],
    ['partial files left in blobs/tmp', String(f.tmpLeft)],
    ['peak RSS of one run (MB)', f.peakRssMb === null ? 'not measured' : String(f.peakRssMb)],
    ['checks', `${t.verdicts.length - failed} passed, ${failed} failed`],
    ['wall time (s)', String(t.seconds)],
  ]
  const lines: string[] = ['', 'deskmove chaos campaign', '']
  for (const [k, v] of rows) lines.push(`  ${pad(k, 34)} ${v}`)
  for (const s of t.skipped) lines.push(`  skipped: ${s}`)
  lines.push('')
  const w1 = Math.max(10, ...t.verdicts.map((v) => v.campaign.length))
  const w2 = Math.max(8, ...t.verdicts.map((v) => v.name.length))
  lines.push(`  ${pad('campaign', w1)}  ${pad('check', w2)}  verdict  detail`)
  for (const v of t.verdicts) {
    lines.push(`  ${pad(v.campaign, w1)}  ${pad(v.name, w2)}  ${v.pass ? 'PASS   ' : 'FAIL   '}  ${v.detail.replace(/\s+/g, ' ').slice(0, 400)}`)
  }
  lines.push('')
  return lines.join('\n') + '\n'
}
