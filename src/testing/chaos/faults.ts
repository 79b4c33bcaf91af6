// The fault matrix of the Help Scout simulator: every extract ends 0, 4 (then resumes to an end) or 5 with
// named rejects; never 70, never a hang; and what it staged still equals the manifest, byte for byte.
import { badExit } from './checks.js'
import { extractToTheEnd, fetchManifest, judgeStaging } from './extract-kills.js'
import { describeEnd, lastJsonLine, runDeskmove, startSimulator } from './procs.js'
import { readStaging } from './readback.js'
import { emptyFigures, workdir, type CampaignResult, type ChaosSettings, type Figures, type Verdict } from './shared.js'

/** One cell of the matrix: simulator flags and how much the extract may over-ask. */
export interface FaultCell {
  readonly name: string
  readonly simArgs: readonly string[]
  readonly conversations: number
  /** Left out of `--quick` (slow by nature). */
  readonly slowCell?: boolean
  /** The cell is only meaningful when the server answered 429 at least once. */
  readonly expectThrottle?: boolean
}

export const FAULT_MATRIX: readonly FaultCell[] = [
  { name: '5xx storm (20%)', simArgs: ['--faults', '5xx=0.2', '--rpm', '0'], conversations: 60 },
  { name: 'connection resets (10%)', simArgs: ['--faults', 'reset=0.1', '--rpm', '0'], conversations: 60 },
  { name: 'truncated bodies (10%)', simArgs: ['--faults', 'truncate=0.1', '--rpm', '0'], conversations: 60 },
  { name: 'slow responses (3%, 2–5 s)', simArgs: ['--faults', 'slow=0.03', '--rpm', '0'], conversations: 40 },
  { name: 'heavy: 30% 5xx + 20% resets', simArgs: ['--faults', '5xx=0.3,reset=0.2', '--rpm', '0'], conversations: 40 },
  { name: 'mixed faults', simArgs: ['--faults', '5xx=0.05,reset=0.05,slow=0.01,truncate=0.05', '--rpm', '0'], conversations: 60 },
  // The simulator allows 10 requests a minute and the extract is told it may send far more: a 429 storm.
  { name: '429 storm (server 10 rpm)', simArgs: ['--rpm', '10'], conversations: 10, slowCell: true, expectThrottle: true },
]

/** Rejects listed by `deskmove rejects --json`, or null when the command did not answer. */
export async function listRejects(cwd: string, env: Record<string, string>): Promise<{ source_id?: string; sourceId?: string; reason?: string; kind?: string }[] | null> {
  const r = await runDeskmove(['--json', 'rejects', '--limit', '100000'], { cwd, env, timeoutMs: 60_000 })
  const j = lastJsonLine(r.stdout)
  return r.code === 0 && j && Array.isArray(j.rejects) ? (j.rejects as { source_id?: string; reason?: string }[]) : null
}

async function runCell(s: ChaosSettings, cell: FaultCell, f: Figures, pass: number): Promise<Verdict> {
  const sim = await startSimulator(['helpscout', '--seed', String(s.seed + pass - 1), '--conversations', String(cell.conversations), ...cell.simArgs], s.root)
  try {
    const manifest = await fetchManifest(String(sim.info.url))
    const dir = workdir(s, 'fault')
    const { last, runs } = await extractToTheEnd(dir, sim.env, f)
    const problems: string[] = []
    const bad = badExit(last.code, last.timedOut, [0, 5])
    if (bad) problems.push(`after ${runs} run(s): ${bad} ${last.stderr.trim().split('\n').pop() ?? ''}`.trim())
    if (!last.timedOut && last.code !== null) {
      const rejects = await listRejects(dir, sim.env)
      if (rejects === null) problems.push('deskmove rejects --json did not answer')
      const unnamed = (rejects ?? []).filter((x) => !x.reason || !(x.source_id ?? x.sourceId))
      if (unnamed.length) problems.push(`${unnamed.length} reject(s) without a reason or source id`)
      if (last.code === 5 && rejects?.length === 0) problems.push('exit 5 but no reject listed')
      // What is missing must be exactly what was rejected: a lost record without a reject is silent loss.
      const named = new Set((rejects ?? []).map((x) => String(x.source_id ?? x.sourceId)))
      const v = await readStaging(dir)
      const sub = emptyFigures()
      const staging = judgeStaging(manifest, v, sub)
      const lostIds = Object.entries(manifest.ids).flatMap(([k, ids]) => ids.filter((id) => !(v.ids[k] ?? []).includes(id)))
      // Inline images and attachments staged without their bytes must be rejected by name too.
      const bytesMissing = (v.ids.attachments ?? []).filter((id) => !v.blobSha.get(id))
      const silent = [...lostIds, ...bytesMissing].filter((id) => !named.has(id))
      f.duplicated += sub.duplicated
      f.corrupted += sub.corrupted
      f.lost += silent.length
      if (silent.length) problems.push(`${silent.length} record(s) missing without a reject (e.g. ${silent[0]})`)
      problems.push(...staging.filter((p) => !/lost|never fetched/.test(p)))
      f.tmpLeft += v.tmpFiles
    }
    const stats = (await (await fetch(`${String(sim.info.url)}/_sim/stats`)).json()) as { total?: number; throttled?: number; faults?: Record<string, number> }
    // The client paces by the limit headers the server sends, so it may never be refused at all; that passes only
    // when it also stayed under the server's budget the whole run (more requests than the budget means it waited).
    if (cell.expectThrottle && !stats.throttled && (stats.total ?? 0) <= 10) problems.push('the server never answered 429 and the run never needed to wait: the storm did not happen')
    const seen = `${stats.total ?? '?'} requests, ${stats.throttled ?? 0} answered 429, faults ${JSON.stringify(stats.faults ?? {})}`
    const detail = problems.length ? `${problems.join('; ')} (${seen})` : `${runs} run(s), ended ${describeEnd(last)}; ${seen}`
    s.log(`faults ${cell.name} #${pass}: ${detail}`)
    return { campaign: 'faults', name: pass > 1 ? `${cell.name} #${pass}` : cell.name, pass: problems.length === 0, detail }
  } finally {
    await sim.stop()
  }
}

export async function faultCampaign(s: ChaosSettings): Promise<CampaignResult> {
  const f = emptyFigures()
  const verdicts: Verdict[] = []
  const skipped: string[] = []
  for (const cell of FAULT_MATRIX) {
    // Not a pass: listed under "skipped" in the table, so a quick run never claims what it did not check.
    if (s.quick && cell.slowCell) skipped.push(`${cell.name} (takes minutes by design; run without --quick)`)
    // Each pass uses another dataset seed, so the faults fall on other requests.
    else for (let pass = 1; pass <= (s.quick ? 1 : Math.min(3, Math.max(1, s.rounds))); pass++) verdicts.push(await runCell(s, cell, f, pass))
  }
  // Issue 12 item 9: partial files of failed transfers must not pile up in deskmove.blobs/tmp.
  verdicts.push({ campaign: 'faults', name: 'debris: partial files left in blobs/tmp', pass: f.tmpLeft === 0, detail: `${f.tmpLeft} file(s) left after the runs ended` })
  return { figures: f, verdicts, ...(skipped.length ? { skipped: skipped.join(', ') } : {}) }
}
