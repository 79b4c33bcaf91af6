// Issue 11 items 2 and 5 — the CI replay: every recorded export in fixtures/recorded/<source>/ is replayed
// (offline, no credentials) into every target — a throwaway FreeScout stand-in (on the database service, or an
// embedded PostgreSQL when there is none) and the Znuny simulator in memory — and each plan report must equal
// its golden one in fixtures/golden/<source>-<target>.md, planned with the mapping beside it
// (<source>-<target>.deskmove.json). It runs the user's own recipe (README "Dry-run diff in CI"):
// `extract --replay`, then `plan --expect-report`. DESKMOVE_UPDATE_GOLDEN=1 rewrites the golden files
// (`npm run fixtures:record` does, after re-recording).
import { afterAll, describe, expect, it } from 'vitest'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { findSecretShapes } from '../http/recording/scrub.js'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { spawn } from 'node:child_process'
import { CLI, runCli, type CliResult } from '../testing/cli-runner.js'
import { createScratchDatabase, probeDatabases } from '../testing/test-databases.js'
import { startEmbeddedPostgres } from '../kits/sql/embedded-pg.js'
import { initConfigText } from '../core/init-config.js'
import { startZnunySim } from '../../adapters/targets/znuny/simulator/index.js'
import { znunyTarget } from '../../adapters/targets/znuny/index.js'

const ROOT = resolve(import.meta.dirname, '..', '..')
const RECORDED = join(ROOT, 'fixtures', 'recorded')
const GOLDEN = join(ROOT, 'fixtures', 'golden')
const UPDATE = process.env.DESKMOVE_UPDATE_GOLDEN === '1'
/** The mapping a recording is planned with when none is committed yet: every mailbox to the stand-in's first. */
const DEFAULT_MAPPING = { mapping: { mailboxes: { '*': 1 }, statuses: { '*': 'from-canonical' } } }
/** Znuny's: the `deskmove init` template as it comes (every queue to Misc, states from the status). */
const DEFAULT_ZNUNY_MAPPING = initConfigText({ displayName: znunyTarget.displayName, sections: znunyTarget.mapping ?? [] })
const TARGETS = ['freescout', 'znuny']

function bash(script: string, o: { cwd: string; env: NodeJS.ProcessEnv }): Promise<CliResult> {
  const child = spawn('bash', [script], { cwd: o.cwd, env: o.env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  return new Promise((done) => child.on('close', (code, signal) => done({ code, signal, stdout, stderr })))
}

const sources = existsSync(RECORDED) ? readdirSync(RECORDED).filter((d) => existsSync(join(RECORDED, d, 'recording.json'))).sort() : []
const probe = await probeDatabases()
// No database service: the FreeScout stand-in lives in an embedded PostgreSQL (PGlite), as in `deskmove demo`.
const dialect = probe.mysql ? 'mysql' : probe.postgres ? 'postgres' : 'embedded'
const work = mkdtempSync(join(tmpdir(), 'deskmove-golden-'))
const cleanups: (() => Promise<void>)[] = []
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined)
  rmSync(work, { recursive: true, force: true })
})

/** An empty database for one FreeScout stand-in, dropped (or stopped) after the file. */
async function freescoutDatabase(source: string): Promise<string> {
  if (dialect === 'embedded') {
    const pg = await startEmbeddedPostgres({ dataDir: join(work, `${source}-pg`), holder: 'replay-golden test' })
    cleanups.push(() => pg.stop())
    return pg.url
  }
  const db = await createScratchDatabase(dialect, `golden_${source}`)
  cleanups.push(() => db.drop())
  return db.url
}

describe('fixtures/recorded', () => {
  it('holds a recorded export of every source it has a golden report for, and at least Help Scout and Zendesk', () => {
    expect(sources).toEqual(expect.arrayContaining(['helpscout', 'zendesk']))
    const golden = existsSync(GOLDEN) ? readdirSync(GOLDEN).filter((f) => f.endsWith('.md')) : []
    for (const g of golden) expect(sources, g).toContain(g.replace(new RegExp(`-(${TARGETS.join('|')})\\.md$`), ''))
    // Every recording is replayed into every target.
    if (!UPDATE) for (const source of sources) for (const target of TARGETS) expect(golden, source).toContain(`${source}-${target}.md`)
  })
})

describe('fixtures/recorded: what is committed', () => {
  it.each(sources)('%s is anonymized and holds no secret-shaped string', (source) => {
    const dir = join(RECORDED, source)
    expect(JSON.parse(readFileSync(join(dir, 'recording.json'), 'utf8'))).toMatchObject({ format: 'deskmove-recording', source, anonymized: true })
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => join(dir, f)).filter((p) => statSync(p).isFile())
    expect(files.length).toBeGreaterThan(5)
    for (const f of files) expect(findSecretShapes(readFileSync(f, 'latin1')), f).toEqual([])
  })
})

describe('docs/ci examples', () => {
  it('the README shows each CI example exactly as the file holds it, and each runs the recipe on a database service', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
    for (const file of ['docs/ci/github-actions.yml', 'docs/ci/gitlab-ci.yml']) {
      const at = readme.indexOf(`<!-- ci-example: ${file} -->`)
      expect(at, `README marker for ${file}`).toBeGreaterThan(0)
      const shown = /```yaml\n([\s\S]*?)```/.exec(readme.slice(at))?.[1]
      const text = readFileSync(join(ROOT, file), 'utf8')
      expect(shown, file).toBe(text)
      expect(text).toContain('bash ci/deskmove-plan-diff.sh')
      expect(text).toMatch(/FREESCOUT_DB_URL: mysql:\/\/root@[\w.]+:3306\/freescout_rehearsal/)
      expect(text).toMatch(/image: mariadb:11|name: mariadb:11/)
    }
  })
})

describe(`replay each recorded export into FreeScout (on ${dialect === 'embedded' ? 'an embedded PostgreSQL: no database service' : dialect}) and compare the plan report with its golden file`, () => {
  it.each(sources)('%s → freescout matches its golden report (fixtures/golden/<source>-freescout.md), through docs/ci/deskmove-plan-diff.sh', async (source) => {
    const db = { url: await freescoutDatabase(source) }
    const cwd = join(work, source)
    mkdirSync(cwd, { recursive: true })
    const config = join(GOLDEN, `${source}-freescout.deskmove.json`)
    if (!existsSync(config)) {
      expect(UPDATE, `${config} is missing: run \`npm run fixtures:record\` to create it`).toBe(true)
      mkdirSync(GOLDEN, { recursive: true })
      writeFileSync(config, `${JSON.stringify(DEFAULT_MAPPING, null, 2)}\n`)
    }
    const golden = join(GOLDEN, `${source}-freescout.md`)
    // The recipe users run in their CI, as they run it.
    const env = {
      ...process.env,
      CI: '1',
      FREESCOUT_DB_URL: db.url,
      FREESCOUT_TIMEZONE: 'UTC',
      SOURCE: source,
      RECORDING: join(RECORDED, source),
      EXPECTED: golden,
      DESKMOVE_CONFIG: config,
      DESKMOVE: `${process.execPath} ${CLI}`,
      WORK_DIR: cwd,
      ...(UPDATE ? { DESKMOVE_UPDATE_GOLDEN: '1' } : {}),
    }
    const plan = await bash(join(ROOT, 'docs', 'ci', 'deskmove-plan-diff.sh'), { cwd, env })
    // On a difference the diff is on stdout: it is the assertion's message.
    expect(plan.code, `${plan.stdout}\n${plan.stderr}`).toBe(0)
    expect(plan.stdout).toMatch(UPDATE ? /expected report rewritten/ : /the plan report matches/)
    expect(existsSync(join(cwd, 'plan.md'))).toBe(true)

    const fsEnv = { FREESCOUT_DB_URL: db.url, FREESCOUT_STORAGE_DIR: join(cwd, 'storage'), FREESCOUT_TIMEZONE: 'UTC' }
    if (source !== 'helpscout' || UPDATE) return
    // What the reviewer sees when a pull request changes the mapping: exit 6, and the diff of the report.
    const edited = join(cwd, 'deskmove.json')
    writeFileSync(edited, JSON.stringify(DEFAULT_MAPPING))
    const changed = await runCli(['--db', 'staging.db', '--config', edited, 'plan', 'freescout', '--expect-report', golden], { cwd, env: fsEnv })
    expect(changed.code, changed.stderr).toBe(6)
    expect(changed.stdout).toMatch(/^-\| mailboxes \| 3002 .* \| Support 2 &lt;support2@standin\.deskmove\.test&gt; \|$/m)
    expect(changed.stdout).toMatch(/^\+\| mailboxes \| 3002 .* \| Support 1 &lt;support1@standin\.deskmove\.test&gt; \(by default\) \|$/m)
    expect(changed.stderr).toContain(`the plan report differs from ${golden}`)
  }, 60_000)
})

describe('replay each recorded export into Znuny (the simulator in memory) and compare the plan report with its golden file', () => {
  it.each(sources)('%s → znuny matches its golden report (fixtures/golden/<source>-znuny.md)', async (source) => {
    const zn = await startZnunySim({ version: '7.1' })
    cleanups.push(() => zn.close())
    const cwd = join(work, `${source}-znuny`)
    mkdirSync(cwd, { recursive: true })
    const config = join(GOLDEN, `${source}-znuny.deskmove.json`)
    if (!existsSync(config)) {
      expect(UPDATE, `${config} is missing: run \`npm run fixtures:record\` to create it`).toBe(true)
      mkdirSync(GOLDEN, { recursive: true })
      writeFileSync(config, DEFAULT_ZNUNY_MAPPING)
    }
    const golden = join(GOLDEN, `${source}-znuny.md`)
    const env = { ...zn.env, ...(UPDATE ? { DESKMOVE_UPDATE_GOLDEN: '1' } : {}) }
    const extract = await runCli(['--db', 'staging.db', '--quiet', 'extract', source, '--replay', join(RECORDED, source)], { cwd, env })
    expect(extract.code, extract.stderr).toBe(0)
    const plan = await runCli(['--db', 'staging.db', '--config', config, 'plan', 'znuny', '--report', 'plan.md', '--expect-report', golden], { cwd, env })
    // On a difference the diff is on stdout: it is the assertion's message.
    expect(plan.code, `${plan.stdout}\n${plan.stderr}`).toBe(0)
    expect(plan.stdout).toMatch(UPDATE ? /expected report rewritten/ : /the plan report matches/)
    expect((await zn.manifest()).tickets, 'plan writes nothing').toHaveLength(0)
  }, 60_000)
})
