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
