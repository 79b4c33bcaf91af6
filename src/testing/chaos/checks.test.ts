import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { badExit, compareIdSets, compareMultisets, corruptedAttachments, duplicatesOf, listFiles, newFiles, orphanFiles, sha256File } from './checks.js'
import { judgeStaging } from './extract-kills.js'
import { judgeTarget } from './apply-kills.js'
import { emptyFigures } from './shared.js'
import type { TargetView } from './readback.js'

// The campaign is only worth its figures if its checks can fail: each one is shown flagging a defect.

const manifest = {
  ids: { tickets: ['1', '2', '3'], attachments: ['a1', 'a2'] },
  attachments: { a1: { sha256: 'h1', size: 1 }, a2: { sha256: 'h2', size: 2 } },
}

describe('staging against the manifest', () => {
  it('passes an exact copy', () => {
    const f = emptyFigures()
    const view = { ids: { tickets: ['3', '1', '2'], attachments: ['a1', 'a2'] }, blobSha: new Map([['a1', 'h1'], ['a2', 'h2']]), tmpFiles: 0, runsLeftRunning: 0 }
    expect(judgeStaging(manifest, view, f)).toEqual([])
    expect([f.lost, f.duplicated, f.corrupted]).toEqual([0, 0, 0])
  })

  it('flags a missing, a duplicated and a corrupted record, and bytes never fetched', () => {
    const f = emptyFigures()
    const view = { ids: { tickets: ['1', '1', '3'], attachments: ['a1', 'a2'] }, blobSha: new Map<string, string | null>([['a1', 'other']]), tmpFiles: 0, runsLeftRunning: 0 }
    const problems = judgeStaging(manifest, view, f)
    expect(problems.join('\n')).toMatch(/1 lost \(tickets:2\)/)
    expect(problems.join('\n')).toMatch(/1 duplicated \(tickets:1\)/)
    expect(problems.join('\n')).toMatch(/1 sha256 differ from the manifest \(a1\)/)
    expect(problems.join('\n')).toMatch(/1 attachment bytes never fetched \(a2\)/)
    expect(f).toMatchObject({ lost: 2, duplicated: 1, corrupted: 1 })
  })

  it('judges inline images by their message and bytes: a missing, an extra or a wrong one fails', () => {
    const m = { ...manifest, inlineImages: { '/cdn/1.png': { messageId: 'm1', sha256: 'i1', size: 3 }, '/cdn/2.png': { messageId: 'm2', sha256: 'i2', size: 3 } } }
    const ok = { ids: { tickets: ['3', '1', '2'], attachments: ['a1', 'a2', 'inline-m1-aa11', 'inline-m2-bb22'] }, blobSha: new Map([['a1', 'h1'], ['a2', 'h2'], ['inline-m1-aa11', 'i1'], ['inline-m2-bb22', 'i2']]), tmpFiles: 0, runsLeftRunning: 0 }
    expect(judgeStaging(m, ok, emptyFigures())).toEqual([])
    const bad = { ...ok, ids: { ...ok.ids, attachments: ['a1', 'a2', 'inline-m1-aa11', 'inline-m3-cc33'] }, blobSha: new Map([['a1', 'h1'], ['a2', 'h2'], ['inline-m1-aa11', 'x'], ['inline-m3-cc33', 'i2']]) }
    const text = judgeStaging(m, bad, emptyFigures()).join('\n')
    expect(text).toMatch(/message m1: inline image bytes differ/)
    expect(text).toMatch(/message m2: 0 inline image\(s\) staged, 1 pasted/)
    expect(text).toMatch(/message m3: inline image\(s\) staged that were never pasted/)
  })

  it('counts a blob file missing on disk as corrupted', () => {
    expect(corruptedAttachments(manifest.attachments, new Map([['a1', null], ['a2', 'h2']]))).toEqual(['a1'])
  })

  it('flags ids the source never had', () => {
    expect(compareIdSets({ t: ['1'] }, { t: ['1', '9'] })).toEqual({ lost: [], duplicated: [], unexpected: ['t:9'] })
    expect(duplicatesOf(['x', 'y', 'x', 'x'])).toEqual(['x'])
  })
})

describe('target against the control', () => {
  const control: TargetView = {
    counts: { conversations: 2, threads: 4, customers: 1, attachments: 2 },
    duplicateConversations: [], duplicateThreads: [],
    files: ['1/0/1/a.pdf', '1/0/2/b.png'], referenced: ['1/0/1//a.pdf', '1/0/2/b.png'], fileSha: ['h1', 'h2'],
  }

  it('passes a target equal to the control (file_dir ends with a slash, as FreeScout stores it)', () => {
    expect(judgeTarget(control, control, emptyFigures())).toEqual([])
  })

  it('flags an orphan file, a duplicate, a lost thread and a file with other bytes', () => {
    const f = emptyFigures()
    const broken: TargetView = {
      ...control,
      counts: { ...control.counts, threads: 3 },
      duplicateConversations: ['77'],
      files: [...control.files, '1/0/3/left-over.pdf'],
      fileSha: ['h1', 'hX'],
    }
    const problems = judgeTarget(control, broken, f).join('\n')
    expect(problems).toContain('threads: 3 vs control 4')
    expect(problems).toContain('1 conversation(s) and 0 thread(s) imported twice')
    expect(problems).toContain('1 orphan attachment file(s) (e.g. 1/0/3/left-over.pdf)')
    expect(problems).toContain('1 missing, 1 with other bytes')
    expect(f).toMatchObject({ lost: 1, duplicated: 1, orphanFiles: 1, corrupted: 1 })
  })

  it('orphanFiles and compareMultisets work on their own', () => {
    expect(orphanFiles(['a/b', 'c'], ['/a//b'])).toEqual(['c'])
    expect(compareMultisets(['x', 'x', 'y'], ['x', 'y', 'y'])).toEqual({ missing: ['x'], extra: ['y'] })
  })
})

describe('files and exits', () => {
  it('finds files written outside the allowed folders, and hashes a file', async () => {
    const root = mkdtempSync(join(tmpdir(), 'chaos-checks-'))
    mkdirSync(join(root, 'work', 'storage'), { recursive: true })
    const before = listFiles(root)
    writeFileSync(join(root, 'work', 'storage', 'ok.bin'), 'fine')
    writeFileSync(join(root, 'x'), 'escaped')
    expect(newFiles(before, listFiles(root), ['work/storage'])).toEqual(['x'])
    // sha256("escaped"), computed independently
    expect(await sha256File(join(root, 'x'))).toBe('044c5f4a04d6114914bde9e6ef5e5c8001e5b15101114d235aa61cdde7c6d718')
  })

  it('judges exit codes: 70, a signal and a hang fail; 0/4/5 pass', () => {
    expect(badExit(0, false)).toBeNull()
    expect(badExit(5, false)).toBeNull()
    expect(badExit(70, false)).toMatch(/internal error/)
    expect(badExit(null, false)).toMatch(/signal/)
    expect(badExit(0, true)).toMatch(/hang/)
    expect(badExit(4, false, [0])).toMatch(/expected 0/)
  })
})
