import { afterEach, describe, expect, it } from 'vitest'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { compareReport, normalizeReport, reportMismatch, unifiedDiff } from './expect-report.js'
import { EXIT } from '../core/exit-codes.js'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

const REPORT = (made: string, mailbox: string) =>
  [
    '# deskmove plan: helpscout → freescout',
    '',
    `Plan for helpscout → freescout, made ${made}.`,
    '| mailboxes | 3001 Support | 7 | Support 1 |',
    `| mailboxes | 3002 Billing | 8 | ${mailbox} |`,
    '| statuses | active | 7 | from-canonical |',
    'Fingerprints: staging c31f7a204aaf5f512eec733fe67deb0e, target 5a7a95e8a4c44940e0e634552f17f5cf, mapping da2b864fe31931ec83223577d0e3ce49.',
    '',
  ].join('\n')

describe('normalizeReport', () => {
  it('removes what varies between two runs of the same plan, and nothing else', () => {
    const a = normalizeReport(REPORT('2026-01-01T10:00:00.000Z', 'Support 2'), '/work/ci')
    const b = normalizeReport(REPORT('2026-03-04T22:11:09.123Z', 'Support 2').replace('5a7a95e8a4c44940e0e634552f17f5cf', '0123456789abcdef0123456789abcdef'), '/work/ci')
    expect(a).toBe(b)
    expect(a).toContain('made <time>')
    expect(a).toContain('staging c31f7a204aaf5f512eec733fe67deb0e, target <fingerprint>')
    expect(normalizeReport('report at /work/ci/plan.md, run 20261203T113101Z-82cae1  \r\n', '/work/ci')).toBe('report at <cwd>/plan.md, run <run id>\n')
  })
})

describe('unifiedDiff', () => {
  it('shows the changed line with its context, expected first', () => {
    const diff = unifiedDiff(REPORT('x', 'Support 2'), REPORT('x', 'Support 1'), 'golden.md', 'plan report')
    expect(diff).toBe(
      [
        '--- golden.md',
        '+++ plan report',
        '@@ -2,6 +2,6 @@',
        '',
        'Plan for helpscout → freescout, made x.',
        ' | mailboxes | 3001 Support | 7 | Support 1 |',
        '-| mailboxes | 3002 Billing | 8 | Support 2 |',
        '+| mailboxes | 3002 Billing | 8 | Support 1 |',
        ' | statuses | active | 7 | from-canonical |',
        ' Fingerprints: staging c31f7a204aaf5f512eec733fe67deb0e, target 5a7a95e8a4c44940e0e634552f17f5cf, mapping da2b864fe31931ec83223577d0e3ce49.',
        '',
      ].join('\n').replace('\n\nPlan', '\n \n Plan'),
    )
  })

  it('keeps far-apart changes in separate hunks', () => {
    const a = Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n')
    const b = a.replace('line 2\n', 'line two\n').replace('line 25\n', 'line twenty-five\n')
    const diff = unifiedDiff(a, b, 'a', 'b')
    expect(diff.match(/^@@/gm)).toHaveLength(2)
    expect(diff).toContain('-line 25\n+line twenty-five\n')
  })
})

describe('compareReport', () => {
  it('matches a committed report, reports a difference, and rewrites the file when asked', () => {
    const dir = mkdtempSync(join(tmpdir(), 'deskmove-expect-'))
    dirs.push(dir)
    const golden = join(dir, 'golden.md')
    expect(compareReport(REPORT('2026-01-01T10:00:00Z', 'Support 2'), golden, { cwd: dir, update: false })).toMatchObject({ same: false, diff: expect.stringContaining('(missing)') })
    expect(compareReport(REPORT('2026-01-01T10:00:00Z', 'Support 2'), golden, { cwd: dir, update: true })).toMatchObject({ same: true, updated: true })
    expect(readFileSync(golden, 'utf8')).toContain('made <time>')
    expect(compareReport(REPORT('2027-05-05T05:05:05Z', 'Support 2'), golden, { cwd: dir, update: false })).toEqual({ same: true, diff: '', updated: false })
    const changed = compareReport(REPORT('2027-05-05T05:05:05Z', 'Support 1'), golden, { cwd: dir, update: false })
    expect(changed.same).toBe(false)
    expect(changed.diff).toContain('+| mailboxes | 3002 Billing | 8 | Support 1 |')
    const err = reportMismatch(golden, changed.diff, 'deskmove plan freescout --expect-report golden.md')
    expect(err.exitCode).toBe(EXIT.verifyMismatch)
    expect(err.message).toContain('2 line(s) changed')
    expect(err.hint).toContain('DESKMOVE_UPDATE_GOLDEN=1 deskmove plan freescout --expect-report golden.md')
    writeFileSync(golden, 'edited by hand\n')
    expect(compareReport(REPORT('x', 'y'), golden, { cwd: dir, update: false }).diff).toContain('-edited by hand')
  })
})
