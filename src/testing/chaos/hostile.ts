// Each hostile scenario: extract from the hostile server (and plan/apply into the FreeScout stand-in when
// MariaDB is there), time-bounded. PASS = exit 0 or 5, every anomaly named with a reason, no listing loop,
// no file written outside the blob and storage directories, and no conversation lost to an alteration.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { listFiles, newFiles, orphanFiles } from './checks.js'
import { freshTarget } from './apply-kills.js'
import { baseWorld, startHostileServer } from './hostile-server.js'
import { HOSTILE_SCENARIOS, LOOP_BOUND, type HostileScenario } from './hostile-scenarios.js'
import { describeEnd, runDeskmove, type RunResult } from './procs.js'
import { mariadbUnavailable, readStaging, readTarget, readWarnings } from './readback.js'
import { emptyFigures, noteRss, workdir, type CampaignResult, type ChaosSettings, type Figures, type Verdict } from './shared.js'

const BOUND_MS = 120_000
const BASE_TICKETS = ['10000001', '10000002', '10000003']

async function runScenario(s: ChaosSettings, sc: HostileScenario, withTarget: boolean, f: Figures): Promise<Verdict> {
  const world = baseWorld()
  let origin = ''
  sc.build(world, () => origin)
  const server = await startHostileServer(world)
  origin = server.url
  // The work dir sits two levels below the scenario root, so a `../../x` that escapes lands where we look.
  const scRoot = workdir(s, 'hostile')
  const dir = join(scRoot, 'a', 'b', 'work')
  mkdirSync(dir, { recursive: true })
  const init = await runDeskmove(['init'], { cwd: dir, timeoutMs: 30_000 })
  if (init.code !== 0) throw new Error(`deskmove init failed: ${init.stderr.slice(0, 300)}`)
  writeFileSync(join(dir, 'deskmove.json'), readFileSync(join(dir, 'deskmove.json'), 'utf8').replace('// "*": 1', '"*": 1'))
  const problems: string[] = []
  const said: string[] = []
  const env = server.env
  try {
    const before = listFiles(scRoot)
    const run = async (args: string[], e: Record<string, string>, allowed: number[], label: string): Promise<RunResult> => {
      const r = await runDeskmove(args, { cwd: dir, env: e, timeoutMs: BOUND_MS })
      noteRss(f, r.peakRssMb)
      // Only lines that warn count as naming an anomaly: an id merely echoed in a summary does not.
      said.push(...`${r.stdout}\n${r.stderr}`.split('\n').filter((l) => /warn|alter|truncat|mismatch|conflict|reject/i.test(l)))
      if (r.timedOut || r.code === null || !allowed.includes(r.code)) {
        const lines = `${r.stderr}\n${r.stdout}`.split('\n').filter((l) => l.trim())
        const last = (lines.filter((l) => /error/i.test(l)).pop() ?? lines.pop() ?? '').slice(0, 200)
        problems.push(`${label}: ${describeEnd(r)}${r.code === 1 || r.code === 70 ? ` (${last})` : ''}`)
      }
      return r
    }
    // A trap may end with a clear error (4/5); it must end, and within a bounded number of requests.
    let ex = await run(['--json', 'extract', 'helpscout', '--rpm', '100000'], env, [0, 4, 5], 'extract')
    if (!sc.listingTrap) {
      for (let i = 0; i < (s.quick ? 1 : 3) && ex.code === 4; i++) ex = await run(['--json', 'extract', 'helpscout', '--rpm', '100000'], env, [0, 4, 5], 'extract resumed')
      if (ex.code === 4) problems.push('extract: exit 4 on every run (a blocked stream)')
    }
    const hot = [...server.requests.entries()].filter(([, n]) => n > LOOP_BOUND)
    if (hot.length) problems.push(`listing loop: ${hot.map(([r, n]) => `${n} requests to ${r}`).join(', ')}`)
    if (sc.listingTrap && !problems.length && ex.code !== 0 && !/conversations|threads/i.test(ex.stdout + ex.stderr)) problems.push('the error does not name the endpoint')
    const rejects = await runDeskmove(['--json', 'rejects', '--all', '--limit', '100000'], { cwd: dir, env, timeoutMs: 60_000 })
    said.push(rejects.stdout)
    const staged = await readStaging(dir).catch(() => null)
    said.push(...(() => { try { return readWarnings(dir) } catch { return [] } })())
    // One record may never block a stream: every calm ticket is staged or named.
    if (!sc.listingTrap && staged) {
      const gone = BASE_TICKETS.filter((t) => !staged.ids.tickets?.includes(t) && !rejects.stdout.includes(t))
      if (gone.length) problems.push(`ticket(s) ${gone.join(', ')} neither staged nor rejected`)
    }
    if (withTarget && !sc.listingTrap && ex.code !== null && [0, 5].includes(ex.code)) {
      const t = await freshTarget(dir, 'hostile')
      try {
        const te = { ...env, ...t.env }
        await run(['--json', 'plan', 'freescout', '-o', 'plan.json'], te, [0, 5, 8], 'plan')
        // The plan lists every value it will alter to fit FreeScout, by record, before anything is written.
        const alterations = (() => { try { return (JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')) as { alterations?: { list?: { kind: string; sourceId: string; field: string; rule: string }[] } }).alterations?.list ?? [] } catch { return [] } })()
        said.push(...alterations.map((x) => `alteration ${x.kind} ${x.sourceId}: ${x.field} ${x.rule}`))
        await run(['--json', 'apply', 'freescout'], te, [0, 5], 'apply')
        // A second apply must not trip over what the first wrote (skipped in --quick to stay in CI's budget).
        if (!s.quick) await run(['--json', 'apply', 'freescout'], te, [0, 5], 'apply again')
        const after = await runDeskmove(['--json', 'rejects', '--all', '--limit', '100000'], { cwd: dir, env: te, timeoutMs: 60_000 })
        said.push(after.stdout)
        // A name like `../../x` that climbed out of its folder would be a file no attachments row points to.
        const target = await readTarget(t.db, t.storage)
        const orphans = orphanFiles(target.files, target.referenced)
        f.orphanFiles += orphans.length
        if (orphans.length) problems.push(`${orphans.length} file(s) in storage no attachments row points to (e.g. ${orphans[0]})`)
        if (sc.mustLoad && staged) {
          const [row] = await t.db.query<{ n: number }>('SELECT COUNT(*) AS n FROM conversations')
          const want = staged.ids.tickets?.length ?? 0
          if (Number(row!.n) !== want) problems.push(`${want - Number(row!.n)} of ${want} conversation(s) did not reach FreeScout`)
        }
      } finally {
        await t.db.drop()
      }
    }
    const text = said.join('\n')
    const unnamed = sc.mustName.filter((id) => !text.includes(id))
    if (unnamed.length) problems.push(`not named in rejects or warnings: ${unnamed.join(', ')}`)
    const allowed = ['deskmove.json', 'deskmove.db', 'deskmove.db-wal', 'deskmove.db-shm', 'deskmove.db-journal', 'deskmove.blobs', 'storage', 'plan.json'].map((p) => `a/b/work/${p}`)
    const escaped = newFiles(before, listFiles(scRoot), allowed)
    if (escaped.length) problems.push(`file(s) written outside the blob/storage dirs: ${escaped.slice(0, 3).join(', ')}`)
  } finally {
    await server.close()
  }
  const detail = problems.join('; ') || `exit codes accepted, anomalies named, ${server.totalRequests()} requests`
  s.log(`hostile ${sc.name}: ${problems.length ? 'FAIL ' + detail : 'PASS'}`)
  return { campaign: 'hostile', name: sc.name, pass: problems.length === 0, detail }
}

export async function hostileCampaign(s: ChaosSettings): Promise<CampaignResult> {
  const f = emptyFigures()
  const why = await mariadbUnavailable()
  const verdicts: Verdict[] = []
  for (const sc of HOSTILE_SCENARIOS) verdicts.push(await runScenario(s, sc, why === null, f))
  return { figures: f, verdicts, ...(why ? { skipped: `plan/apply of hostile scenarios (${why})` } : {}) }
}
