import { afterAll, describe, expect, it } from 'vitest'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEMO_MARKER, prepareDemoFolder, STAND_IN_DB } from './demo-folder.js'
import { UsageError } from '../../core/errors.js'

const root = mkdtempSync(join(tmpdir(), 'deskmove-demo-folder-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))
const now = new Date('2026-12-03T12:00:00Z')

describe('the demo folder', () => {
  it('is created with the marker and one folder per source', () => {
    const dir = join(root, 'fresh')
    expect(prepareDemoFolder(dir, ['helpscout', 'zendesk'], now)).toEqual({ reused: false })
    expect(readdirSync(dir).sort()).toEqual([DEMO_MARKER, 'helpscout', 'zendesk'])
  })

  it('replaces what an earlier demo wrote, and only that', () => {
    const dir = join(root, 'again')
    prepareDemoFolder(dir, ['helpscout'], now)
    writeFileSync(join(dir, 'helpscout', 'deskmove.db'), 'old staging')
    mkdirSync(join(dir, STAND_IN_DB))
    writeFileSync(join(dir, 'my-notes.txt'), 'kept')
    expect(prepareDemoFolder(dir, ['helpscout'], now)).toEqual({ reused: true })
    expect(existsSync(join(dir, 'helpscout', 'deskmove.db'))).toBe(false)
    expect(existsSync(join(dir, STAND_IN_DB))).toBe(false)
    expect(existsSync(join(dir, 'my-notes.txt'))).toBe(true)
  })

  it('refuses an earlier demo whose stand-in a live process still serves', () => {
    const dir = join(root, 'served')
    prepareDemoFolder(dir, ['helpscout'], now)
    mkdirSync(join(dir, STAND_IN_DB))
    writeFileSync(join(dir, STAND_IN_DB, 'deskmove-embedded.lock'), JSON.stringify({ pid: process.pid, holder: 'deskmove demo --serve', since: now.toISOString() }))
    const err = (() => {
      try {
        prepareDemoFolder(dir, ['helpscout'], now)
      } catch (e) {
        return e
      }
    })()
    expect(err).toBeInstanceOf(UsageError)
    expect((err as Error).message).toMatch(`still being served by pid ${process.pid} (\`deskmove demo --serve\`)`)
    expect(existsSync(join(dir, STAND_IN_DB, 'deskmove-embedded.lock'))).toBe(true)
  })
})
