import type { Progress, SummaryRow } from '../command.js'
import type { LoadProgress } from '../../engine/load.js'
import type { KindCounts } from '../../engine/load.js'

/**
 * The load engine's progress on a spinner: one phase per kind (its staged total drives the ETA), counting
 * records decided when planning and records committed when applying.
 */
export function loadProgressTo(progress: Progress, label: string, mode: 'plan' | 'apply'): (p: LoadProgress) => void {
  let kind: string | null = null
  return (p) => {
    if (p.kind !== kind) {
      kind = p.kind
      progress.phase(`${label}: ${p.kind}s`, p.total)
    }
    if (mode === 'plan') progress.update(p.decided, 'planned')
    else progress.update(p.written, `written (${p.decided} planned)`)
  }
}

/** The parts a loaded kind carries, as the plan table lists them under it. */
const CARRIED: Readonly<Record<string, readonly string[]>> = {
  customer: ['organization'],
  ticket: ['message', 'attachment', 'tag', 'custom_field'],
}

/**
 * Plan/apply table rows: one per loaded kind, then what its records carry (a ticket's messages, attachments,
 * tags and custom fields; a customer's organisation) as indented rows, which the totals leave out.
 */
export function loadSummaryRows(plan: { readonly counts: Partial<Record<string, KindCounts>>; readonly contents?: Readonly<Record<string, { create: number; update: number }>> }): SummaryRow[] {
  const rows: SummaryRow[] = []
  for (const [kind, c] of Object.entries(plan.counts)) {
    if (!c) continue
    rows.push({ kind, created: c.create, matched: c.match ?? 0, updated: c.update, unchanged: c.unchanged, skipped: c.skip, rejected: c.rejected })
    for (const part of CARRIED[kind] ?? []) {
      const p = plan.contents?.[part]
      if (p && p.create + p.update > 0) rows.push({ kind: `  ${part}`, created: p.create, updated: p.update, part: true })
    }
  }
  return rows
}
