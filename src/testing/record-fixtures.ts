// `npm run fixtures:record`: (re)records every registered source that ships a simulator into
// fixtures/recorded/<source>/ — a small anonymized export (~15 tickets, attachments, inline images) — with
// `deskmove extract <source> --record … --anonymize`, exactly as a user records their own. The npm script then
// regenerates the golden plan reports (fixtures/golden/<source>-<target>.md: each recording planned into every
// target, FreeScout and Znuny) with DESKMOVE_UPDATE_GOLDEN=1; `node dist/src/testing/record-fixtures.js zendesk`
// re-records one source.
// A new source with a simulator needs nothing here: it is recorded on the next run.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { SOURCES } from '../../adapters/index.js'
import type { SimulatorDefinition } from '../core/simulator.js'
import { spawn } from 'node:child_process'

const ROOT = resolve(import.meta.dirname, '..', '..', '..')
/** Fixed, so the recorded origin (and every link in the payloads) is the same on every re-recording. */
const FIRST_PORT = 47_310
/** The simulator option that sizes the dataset, whichever name it goes by. */
const SIZE_KEYS = ['conversations', 'tickets', 'count']
export const RECORDED_TICKETS = 15

/** The simulator's own defaults, with a fixed port and seed, no rate limit, and a small dataset. */
export function fixtureOptions(sim: SimulatorDefinition, port: number): Record<string, unknown> {
  const o: Record<string, unknown> = {}
  for (const opt of sim.options) if (opt.default !== undefined) o[opt.key] = opt.default
  Object.assign(o, { port, seed: 1, rpm: 0, latency: 0 })
  for (const key of SIZE_KEYS) if (sim.options.some((opt) => opt.key === key)) o[key] = RECORDED_TICKETS
  return o
}

/** The checkout's CLI as a child (asynchronously: the simulator serves from this process meanwhile). */
function deskmove(args: readonly string[], env: Record<string, string>): Promise<number | null> {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'deskmove.js'), ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: 'inherit' })
  return new Promise((done) => child.on('close', (code) => done(code)))
}

async function main(): Promise<void> {
  const only = process.argv.slice(2)
  let port = FIRST_PORT
  for (const source of SOURCES) {
    port += 1
    if (!source.simulator || (only.length && !only.includes(source.id))) continue
    const sim = await source.simulator.start(fixtureOptions(source.simulator, port), { cwd: ROOT, addSecret: () => undefined, info: () => undefined })
    const work = mkdtempSync(join(tmpdir(), 'deskmove-fixtures-'))
    try {
      const dir = join('fixtures', 'recorded', source.id)
      // A fixed salt: re-recording the same simulator data gives the same fakes, so the diff shows real changes.
      const env = { ...sim.env, DESKMOVE_ANONYMIZE_SALT: 'deskmove-fixtures' }
      const code = await deskmove(['--db', join(work, 'staging.db'), 'extract', source.id, '--record', dir, '--anonymize', '--rpm', '100000'], env)
      if (code !== 0) throw new Error(`recording ${source.id} failed (exit ${code})`)
    } finally {
      await sim.close()
      rmSync(work, { recursive: true, force: true })
    }
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`)
    process.exitCode = 1
  })
}
