import { describe, expect, it } from 'vitest'
import { renderSummaryTable } from './summary-table.js'

describe('summary table', () => {
  it('shows only the columns in use, with a totals row', () => {
    const text = renderSummaryTable('extract helpscout', [
      { kind: 'ticket', read: 10, staged: 9, rejected: 1, seconds: 2 },
      { kind: 'message', read: 40, staged: 40, rejected: 0, seconds: 2 },
    ])
    const lines = text.split('\n')
    expect(lines[0]).toBe('extract helpscout')
    expect(lines[1]).toMatch(/^kind\s+read\s+staged\s+rejected\s+time$/)
    expect(lines.at(-1)).toMatch(/^total\s+50\s+49\s+1\s+2\.0s$/)
  })
})

describe('plan table parts', () => {
  it('lists what tickets carry under them, left out of the totals', async () => {
    const { loadSummaryRows } = await import('./load-progress.js')
    const rows = loadSummaryRows({
      counts: { customer: { create: 2, update: 0, unchanged: 0, skip: 0, rejected: 0 }, ticket: { create: 3, update: 1, unchanged: 0, skip: 0, rejected: 0 } },
      contents: { message: { create: 12, update: 4 }, attachment: { create: 2, update: 0 }, tag: { create: 0, update: 0 }, organization: { create: 1, update: 0 } },
    })
    expect(rows.map((r) => r.kind)).toEqual(['customer', '  organization', 'ticket', '  message', '  attachment'])
    const lines = renderSummaryTable('plan', rows).split('\n')
    expect(lines.find((l) => l.startsWith('  message'))).toMatch(/^ {2}message\s+12\s+4\s*$/)
    expect(lines.at(-1)).toMatch(/^total\s+5\s+0\s+1\s+0\s+0\s+0$/)
  })
})
