// kill -9 at seeded random moments of `deskmove apply freescout` into the FreeScout stand-in on MariaDB, then
// resume; the database must equal an uninterrupted control's, without duplicates or orphan files.
import { join } from 'node:path'
import { badExit, compareMultisets, orphanFiles } from './checks.js'
import { extractToTheEnd } from './extract-kills.js'
import { describeEnd, lastJsonLine, runDeskmove, startSimulator, type RunResult } from './procs.js'
import { mariadbUnavailable, readTarget, scratchDb, type ScratchDb, type TargetView } from './readback.js'
import { between, cloneStaging, configuredWorkdir, emptyFigures, noteRss, rng, type CampaignResult, type ChaosSettings, type Figures, type Verdict } from './shared.js'

const APPLY_BOUND_MS = 300_000

/** A staged work dir ready for apply, with the env of the simulator it was extracted from. */
export interface StagedFixture {
  readonly dir: string
  readonly env: Record<string, string>
  stop(): Promise<void>
}

/** Extracts `conversations` from a fresh simulator into a configured work dir. */
export async function stagedFixture(s: ChaosSettings, conversations: number, f: Figures): Promise<StagedFixture> {
  const sim = await startSimulator(['helpscout', '--seed', String(s.seed), '--conversations', String(conversations), '--rpm', '0'], s.root)
  const dir = await configuredWorkdir(s, 'staged')
  const ex = await extractToTheEnd(dir, sim.env, f)
  if (ex.last.code !== 0) {
    await sim.stop()
    throw new Error(`extract for the apply fixture ended ${describeEnd(ex.last)}: ${ex.last.stderr.slice(-400)}`)
  }
  return { dir, env: sim.env, stop: () => sim.stop() }
}

/** A fresh FreeScout stand-in (scratch MariaDB database + storage under `dir`) and the env apply needs. */
export async function freshTarget(dir: string, tag: string): Promise<{ db: ScratchDb; storage: string; env: Record<string, string> }> {
  const db = await scratchDb(tag)
  const storage = join(dir, 'storage')
  const made = await runDeskmove(['simulate', 'freescout', '--db-url', db.url, '--storage', storage], { cwd: dir, timeoutMs: 60_000 })
  if (made.code !== 0) {
    await db.drop()
    throw new Error(`simulate freescout failed (${describeEnd(made)}): ${made.stderr.slice(-400)}`)
  }
  return { db, storage, env: (lastJsonLine(made.stdout)?.env ?? {}) as Record<string, string> }
}

/** Runs `apply` until it ends on its own (bounded resumes after exit 4). */
export async function applyToTheEnd(cwd: string, env: Record<string, string>, f: Figures): Promise<RunResult> {
  let last: RunResult | null = null
  for (let i = 0; i < 4; i++) {
    last = await runDeskmove(['--json', 'apply', 'freescout'], { cwd, env, timeoutMs: APPLY_BOUND_MS })
    noteRss(f, last.peakRssMb)
    if (last.code !== 4 || last.timedOut) break
  }
  return last!
}

/** Compares a target after kills with the control; adds to the figures; returns the failures. */
export function judgeTarget(control: TargetView, v: TargetView, f: Figures): string[] {
  const out: string[] = []
  const orphans = orphanFiles(v.files, v.referenced)
  const files = compareMultisets(control.fileSha, v.fileSha)
  const dups = v.duplicateConversations.length + v.duplicateThreads.length
  f.duplicated += dups
  f.orphanFiles += orphans.length
  f.corrupted += files.extra.length
  for (const k of Object.keys(control.counts) as (keyof TargetView['counts'])[]) {
    const diff = v.counts[k] - control.counts[k]
    if (diff < 0) f.lost += -diff
    if (diff !== 0) out.push(`${k}: ${v.counts[k]} vs control ${control.counts[k]}`)
  }
  if (dups) out.push(`${v.duplicateConversations.length} conversation(s) and ${v.duplicateThreads.length} thread(s) imported twice`)
  if (orphans.length) out.push(`${orphans.length} orphan attachment file(s) (e.g. ${orphans[0]})`)
  if (files.missing.length || files.extra.length) out.push(`attachment files differ from control: ${files.missing.length} missing, ${files.extra.length} with other bytes`)
  return out
}

export async function applyKillCampaign(s: ChaosSettings): Promise<CampaignResult> {
  const f = emptyFigures()
  const why = await mariadbUnavailable()
  if (why) return { figures: f, verdicts: [], skipped: why }
  const verdicts: Verdict[] = []
  const r = rng(s.seed * 13 + 5)
  // Enough conversations that an apply outlives node's start-up, so the kills land mid-write.
  const fixture = await stagedFixture(s, s.quick ? 400 : 600, f)
  const drops: ScratchDb[] = []
  try {
    const controlDir = cloneStaging(s, fixture.dir, 'apply-control')
    const ct = await freshTarget(controlDir, 'ctl')
    drops.push(ct.db)
    const controlRun = await applyToTheEnd(controlDir, { ...fixture.env, ...ct.env }, f)
    const control = await readTarget(ct.db, ct.storage)
    const controlBad = badExit(controlRun.code, controlRun.timedOut, [0])
    verdicts.push({ campaign: 'apply', name: 'control (no kill)', pass: controlBad === null, detail: controlBad ?? `${controlRun.ms} ms, ${control.counts.conversations} conversations, ${control.counts.attachments} attachments` })
    const window = Math.max(500, controlRun.ms)
    for (let round = 1; round <= s.rounds; round++) {
      f.rounds++
      const dir = cloneStaging(s, fixture.dir, `apply-kill-${round}`)
      const t = await freshTarget(dir, `r${round}`)
      drops.push(t.db)
      const env = { ...fixture.env, ...t.env }
      const moments: number[] = []
      for (let k = between(r, 1, 3); k > 0; k--) {
        const at = between(r, 400, window)
        moments.push(at)
        const run = await runDeskmove(['--json', 'apply', 'freescout'], { cwd: dir, env, timeoutMs: APPLY_BOUND_MS, killAfterMs: at })
        noteRss(f, run.peakRssMb)
        f.killsTried++
        if (run.killed) f.killsLanded++
      }
      const resumed = await applyToTheEnd(dir, env, f)
      const verify = await runDeskmove(['verify', 'freescout'], { cwd: dir, env, timeoutMs: APPLY_BOUND_MS })
      const problems = [
        badExit(resumed.code, resumed.timedOut, [0]) && `resume: ${describeEnd(resumed)} ${resumed.stderr.trim().split('\n').pop() ?? ''}`,
        badExit(verify.code, verify.timedOut, [0]) && `verify: ${describeEnd(verify)}`,
        ...judgeTarget(control, await readTarget(t.db, t.storage), f),
      ].filter((x): x is string => !!x)
      s.log(`apply round ${round}: kills at ${moments.join('/')} ms, resume ${describeEnd(resumed)}${problems.length ? ' — ' + problems.join('; ') : ''}`)
      verdicts.push({ campaign: 'apply', name: `kill round ${round}`, pass: problems.length === 0, detail: problems.join('; ') || `kills at ${moments.join('/')} ms, resumed and verified` })
      await t.db.drop()
      drops.pop()
    }
  } finally {
    for (const d of drops) await d.drop().catch(() => undefined)
    await fixture.stop()
  }
  return { figures: f, verdicts }
}
