// Two `apply` runs at once on one staging store, then a third and `--retry-rejects`: afterwards no record is
// in the target twice and no reject stays open for a record that is in fact written (issue 12 item 10).
import { badExit } from './checks.js'
import { applyToTheEnd, freshTarget, judgeTarget, stagedFixture } from './apply-kills.js'
import { describeEnd, lastJsonLine, runDeskmove } from './procs.js'
import { mariadbUnavailable, readTarget } from './readback.js'
import { cloneStaging, emptyFigures, noteRss, type CampaignResult, type ChaosSettings, type Verdict } from './shared.js'

const BOUND_MS = 300_000

export async function concurrentCampaign(s: ChaosSettings): Promise<CampaignResult> {
  const f = emptyFigures()
  const why = await mariadbUnavailable()
  if (why) return { figures: f, verdicts: [], skipped: why }
  const verdicts: Verdict[] = []
  const fixture = await stagedFixture(s, s.quick ? 100 : 400, f)
  try {
    const controlDir = cloneStaging(s, fixture.dir, 'concurrent-control')
    const ct = await freshTarget(controlDir, 'cctl')
    const controlRun = await applyToTheEnd(controlDir, { ...fixture.env, ...ct.env }, f)
    const control = await readTarget(ct.db, ct.storage)
    await ct.db.drop()
    if (controlRun.code !== 0) {
      return { figures: f, verdicts: [{ campaign: 'concurrent', name: 'control apply', pass: false, detail: describeEnd(controlRun) }] }
    }
    // The race is timing-dependent: repeat it so one lucky interleaving does not hide the defect.
    for (let round = 1; round <= Math.max(1, s.rounds); round++) {
      const dir = cloneStaging(s, fixture.dir, `concurrent-${round}`)
      const t = await freshTarget(dir, `conc${round}`)
      try {
        const env = { ...fixture.env, ...t.env }
        const both = await Promise.all([0, 1].map(() => runDeskmove(['--json', 'apply', 'freescout'], { cwd: dir, env, timeoutMs: BOUND_MS })))
        for (const b of both) noteRss(f, b.peakRssMb)
        // Either run may refuse (a lock) or finish; neither may crash or hang.
        const ends = both.map((b) => describeEnd(b)).join(' and ')
        const crashed = both.map((b) => badExit(b.code, b.timedOut, [0, 4, 5, 7, 9])).filter((x): x is string => !!x)
        verdicts.push({ campaign: 'concurrent', name: `round ${round}: two applies at once end cleanly`, pass: crashed.length === 0, detail: crashed.join('; ') || ends })
        const third = await applyToTheEnd(dir, env, f)
        const retry = await runDeskmove(['--json', 'apply', 'freescout', '--retry-rejects'], { cwd: dir, env, timeoutMs: BOUND_MS })
        const rejects = await runDeskmove(['--json', 'rejects'], { cwd: dir, env, timeoutMs: 60_000 })
        const open = Number(lastJsonLine(rejects.stdout)?.count ?? NaN)
        const problems = [
          badExit(third.code, third.timedOut, [0]) && `third apply: ${describeEnd(third)}`,
          badExit(retry.code, retry.timedOut, [0]) && `apply --retry-rejects: ${describeEnd(retry)}`,
          !Number.isFinite(open) ? `rejects --json unreadable (${describeEnd(rejects)})` : open > 0 ? `${open} reject(s) still open although every record is written` : null,
          ...judgeTarget(control, await readTarget(t.db, t.storage), f),
        ].filter((x): x is string => !!x)
        verdicts.push({ campaign: 'concurrent', name: `round ${round}: then no duplicates, no false rejects`, pass: problems.length === 0, detail: problems.join('; ') || `${control.counts.conversations} conversations once each, 0 open rejects` })
      } finally {
        await t.db.drop()
      }
    }
  } finally {
    await fixture.stop()
  }
  return { figures: f, verdicts }
}
