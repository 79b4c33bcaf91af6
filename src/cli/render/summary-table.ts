import type { SummaryRow } from '../command.js'

const COLUMNS: { key: keyof SummaryRow; label: string }[] = [
  { key: 'read', label: 'read' },
  { key: 'staged', label: 'staged' },
  { key: 'created', label: 'created' },
  { key: 'matched', label: 'matched' },
  { key: 'updated', label: 'updated' },
  { key: 'unchanged', label: 'unchanged' },
  { key: 'skipped', label: 'skipped' },
  { key: 'rejected', label: 'rejected' },
  { key: 'seconds', label: 'time' },
]

function cell(row: SummaryRow, key: keyof SummaryRow): string {
  const v = row[key]
  if (v === undefined) return ''
  if (key === 'seconds') return `${(v as number).toFixed(1)}s`
  return String(v)
}

/** Renders the per-kind summary with a totals row; only the columns some row uses are shown. */
export function renderSummaryTable(title: string, rows: readonly SummaryRow[]): string {
  const cols = COLUMNS.filter((c) => rows.some((r) => r[c.key] !== undefined))
  const total: Record<string, number> = {}
  // Kinds read by the same stream share its time: the total is the longest, not the sum.
  for (const r of rows.filter((x) => !x.part))
    for (const c of cols)
      if (typeof r[c.key] === 'number') total[c.key] = c.key === 'seconds' ? Math.max(total[c.key] ?? 0, r[c.key] as number) : (total[c.key] ?? 0) + (r[c.key] as number)
  const totalRow = { kind: 'total', ...total } as SummaryRow
  const body = [...rows, totalRow]
  const header = ['kind', ...cols.map((c) => c.label)]
  const lines = body.map((r) => [r.kind, ...cols.map((c) => cell(r, c.key))])
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)))
  const fmt = (l: string[]): string => l.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  ')
  const rule = widths.map((w) => '-'.repeat(w)).join('  ')
  return [title, fmt(header), rule, ...lines.slice(0, -1).map(fmt), rule, fmt(lines[lines.length - 1]!)].join('\n')
}
