import { describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

// Issue 8 item 11: `npm ci` accepts the committed lock file as it is, with no warning about unknown config,
// and CI installs with `npm ci`. A dry run checks the lock offline without downloading or compiling anything.

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const hasNpm = spawnSync('npm', ['--version']).status === 0

describe.skipIf(!hasNpm)(`install from the lock file${hasNpm ? '' : ' (skipped: npm not on PATH)'}`, () => {
  it('npm ci (dry run) accepts the committed package-lock.json without config warnings', () => {
    const dir = mkdtempSync(join(tmpdir(), 'deskmove-ci-'))
    for (const f of ['package.json', 'package-lock.json', '.prebuild-installrc', '.npmrc']) if (existsSync(join(ROOT, f))) copyFileSync(join(ROOT, f), join(dir, f))
    const r = spawnSync('npm', ['ci', '--dry-run', '--ignore-scripts', '--offline', '--no-audit', '--no-fund'], { cwd: dir, encoding: 'utf8', env: { ...process.env, npm_config_loglevel: 'warn' } })
    expect(r.status, r.stderr).toBe(0)
    expect(r.stderr).not.toMatch(/Unknown (project|env|user) config/)
    expect(r.stdout).toMatch(/add better-sqlite3 /)
  }, 60_000)

  it('better-sqlite3 is built from source by its own mechanism, and its install script is allowed', () => {
    expect(readFileSync(join(ROOT, '.prebuild-installrc'), 'utf8')).toMatch(/^buildFromSource=true$/m)
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { allowScripts?: Record<string, boolean> }
    expect(pkg.allowScripts?.['better-sqlite3']).toBe(true)
    expect(readFileSync(join(ROOT, '.ci', 'run'), 'utf8')).toMatch(/^npm ci\b/m)
  })
})
