// kill -9 at seeded random moments of `deskmove extract` against the Help Scout simulator, then resume;
// the staging store must hold exactly the simulator's manifest: every id once, every sha256 equal.
import { compareIdSets, corruptedAttachments, badExit } from './checks.js'
import { describeEnd, runDeskmove, startSimulator, type RunResult } from './procs.js'
import { readStaging, type StagedView } from './readback.js'
import { between, emptyFigures, noteRss, rng, workdir, type CampaignResult, type ChaosSettings, type Figures, type Verdict } from './shared.js'

/** The simulator's ground truth (`/_sim/manifest`). */
export interface SimManifest {
  readonly ids: Record<string, string[]>
  readonly attachments: Record<string, { sha256: string; size: number }>
  /** Images pasted into bodies on the vendor's CDN (path → owning message and bytes); staged as inline attachments. */
  readonly inlineImages?: Record<string, { messageId: string; sha256: string; size: number }>
}

/** Staged ids of inline images downloaded from bodies: `inline-<message id>-<hash of message id + URL>`. */
const INLINE_ID = /^inline-(.+)-[0-9a-f]+$/

/**
 * Inline images against the manifest: per message, as many staged as pasted, each with bytes equal to one of that
 * message's images. Their ids embed the simulator's URL, so they are compared by owner and content, not by id.
 */
export function judgeInlineImages(m: SimManifest, staged: readonly string[], blobSha: ReadonlyMap<string, string | null>): string[] {
  const want = new Map<string, string[]>()
  for (const img of Object.values(m.inlineImages ?? {})) want.set(img.messageId, [...(want.get(img.messageId) ?? []), img.sha256])
  const got = new Map<string, (string | null)[]>()
  const unfetched: string[] = []
  for (const id of staged) {
    const owner = INLINE_ID.exec(id)?.[1]
    if (owner === undefined) continue
    const sha = blobSha.get(id) ?? null
    if (sha === null) unfetched.push(id)
    got.set(owner, [...(got.get(owner) ?? []), sha])
  }
  const problems: string[] = []
  for (const [msg, shas] of want) {
    const have = got.get(msg) ?? []
    if (have.length !== shas.length) problems.push(`message ${msg}: ${have.length} inline image(s) staged, ${shas.length} pasted`)
    else if (have.some((sha) => sha !== null && !shas.includes(sha))) problems.push(`message ${msg}: inline image bytes differ from the CDN's`)
  }
  // Bytes not (yet) fetched are judged like an attachment's: the fault campaign accepts them when rejected.
  if (unfetched.length) problems.push(`${unfetched.length} inline image bytes never fetched (${unfetched.slice(0, 3).join(', ')})`)
  for (const msg of got.keys()) if (!want.has(msg)) problems.push(`message ${msg}: inline image(s) staged that were never pasted`)
  return problems
}

const EXTRACT_BOUND_MS = 180_000

export async function fetchManifest(url: string): Promise<SimManifest> {
  const res = await fetch(`${url}/_sim/manifest`)
  if (!res.ok) throw new Error(`manifest: HTTP ${res.status}`)
  return (await res.json()) as SimManifest
}

/** Compares a staging store with the manifest; adds to the figures; returns the failures (empty = pass). */
export function judgeStaging(m: SimManifest, v: StagedView, f: Figures): string[] {
  const inline = (v.ids.attachments ?? []).filter((id) => INLINE_ID.test(id))
  const diff = compareIdSets(m.ids, { ...v.ids, attachments: (v.ids.attachments ?? []).filter((id) => !INLINE_ID.test(id)) })
  const inlineProblems = judgeInlineImages(m, inline, v.blobSha)
  const unfetched = Object.keys(m.attachments).filter((id) => v.ids.attachments?.includes(id) && !v.blobSha.has(id))
  const corrupted = corruptedAttachments(m.attachments, v.blobSha)
  f.lost += diff.lost.length + unfetched.length
  f.duplicated += diff.duplicated.length
  f.corrupted += corrupted.length
  const out: string[] = []
  const some = (xs: string[]): string => xs.slice(0, 3).join(', ') + (xs.length > 3 ? ', …' : '')
  if (diff.lost.length) out.push(`${diff.lost.length} lost (${some(diff.lost)})`)
  if (unfetched.length) out.push(`${unfetched.length} attachment bytes never fetched (${some(unfetched)})`)
  if (diff.duplicated.length) out.push(`${diff.duplicated.length} duplicated (${some(diff.duplicated)})`)
  if (diff.unexpected.length) out.push(`${diff.unexpected.length} not in the source (${some(diff.unexpected)})`)
  if (corrupted.length) out.push(`${corrupted.length} sha256 differ from the manifest (${some(corrupted)})`)
  if (inlineProblems.length) out.push(`inline images: ${some(inlineProblems)}`)
  return out
}

/** Runs `extract` until it ends on its own (bounded number of resumes); returns the last run. */
export async function extractToTheEnd(cwd: string, env: Record<string, string>, f: Figures, extra: readonly string[] = []): Promise<{ last: RunResult; runs: number }> {
  let last: RunResult | null = null
  let runs = 0
  // exit 4 = interrupted by the remote, resume; anything else is the final word.
  while (runs < 6) {
    last = await runDeskmove(['--json', 'extract', 'helpscout', '--rpm', '100000', ...extra], { cwd, env, timeoutMs: EXTRACT_BOUND_MS })
    runs++
    noteRss(f, last.peakRssMb)
    if (last.code !== 4 || last.timedOut) break
  }
  return { last: last!, runs }
}

export async function extractKillCampaign(s: ChaosSettings): Promise<CampaignResult> {
  const f = emptyFigures()
  const verdicts: Verdict[] = []
  const r = rng(s.seed * 7 + 1)
  const conversations = s.quick ? 300 : 1500
  const sim = await startSimulator(['helpscout', '--seed', String(s.seed), '--conversations', String(conversations), '--rpm', '0'], s.root)
  try {
    const manifest = await fetchManifest(String(sim.info.url))
    const controlDir = workdir(s, 'extract-control')
    const control = await extractToTheEnd(controlDir, sim.env, f)
    const controlProblems = [badExit(control.last.code, control.last.timedOut, [0]), ...judgeStaging(manifest, await readStaging(controlDir), emptyFigures())].filter((x): x is string => !!x)
    verdicts.push({ campaign: 'extract', name: 'control (no kill)', pass: controlProblems.length === 0, detail: controlProblems.join('; ') || `${control.last.ms} ms, manifest matched` })
    const window = Math.max(400, control.last.ms)
    let tmpLeft = 0
    let stuckRuns = 0
    for (let round = 1; round <= s.rounds; round++) {
      f.rounds++
      const dir = workdir(s, `extract-kill-${round}`)
      const kills = between(r, 1, 3)
      const moments: number[] = []
      for (let k = 0; k < kills; k++) {
        const at = between(r, 400, window)
        moments.push(at)
        const run = await runDeskmove(['--json', 'extract', 'helpscout', '--rpm', '100000'], { cwd: dir, env: sim.env, timeoutMs: EXTRACT_BOUND_MS, killAfterMs: at })
        noteRss(f, run.peakRssMb)
        f.killsTried++
        if (run.killed) f.killsLanded++
      }
      const resumed = await extractToTheEnd(dir, sim.env, f)
      const view = await readStaging(dir)
      const problems = [badExit(resumed.last.code, resumed.last.timedOut, [0]), ...judgeStaging(manifest, view, f)].filter((x): x is string => !!x)
      tmpLeft += view.tmpFiles
      stuckRuns += view.runsLeftRunning
      s.log(`extract round ${round}: kills at ${moments.join('/')} ms, resume ${describeEnd(resumed.last)}${problems.length ? ' — ' + problems.join('; ') : ''}`)
      verdicts.push({ campaign: 'extract', name: `kill round ${round}`, pass: problems.length === 0, detail: problems.join('; ') || `kills at ${moments.join('/')} ms, resumed to ${describeEnd(resumed.last)}` })
    }
    f.tmpLeft += tmpLeft
    // Issue 12 item 9: partial blob files and runs left "running" after kills are debris a resume must clear.
    verdicts.push({
      campaign: 'extract',
      name: 'debris after resume (blobs/tmp, runs left running)',
      pass: tmpLeft === 0 && stuckRuns === 0,
      detail: `${tmpLeft} file(s) left in deskmove.blobs/tmp, ${stuckRuns} killed run(s) still marked running`,
    })
  } finally {
    await sim.stop()
  }
  return { figures: f, verdicts }
}
