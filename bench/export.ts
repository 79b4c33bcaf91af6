// Bench of `deskmove export` and `extract archive`: a Help Scout simulator dataset is extracted into a staging
// store once (attachments included, so the archive carries blobs), then exported as JSONL, as .eml, and as both,
// each into a new folder, and the JSONL+eml archive is read back into a fresh store. Every step runs as its own CLI
// process: seconds, peak RSS (VmHWM) and the size the folder takes on disk. Prints figures; fails no build.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { lastJsonLine, measureCli, startSimProcess, type MeasuredRun } from './harness.js'
import type { BenchFigures } from './freescout.js'

const MB = 1024 * 1024

/** Bytes a folder takes on disk (allocated blocks, as `du` counts them) and its file count. */
function onDisk(dir: string): { bytes: number; files: number } {
  let bytes = 0
  let files = 0
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue
    files++
    bytes += statSync(join(entry.parentPath, entry.name)).blocks * 512
  }
  return { bytes, files }
}

/** The step's figures, or its exit code and stderr's last line when it failed (a bench must not hide that). */
function step(run: MeasuredRun, dir: string | null): BenchFigures {
  const out: BenchFigures = { exit: run.code ?? 'signal', seconds: +run.seconds.toFixed(1), peakRssMb: +run.peakRssMb.toFixed(0) }
  if (run.code !== 0) out.error = run.stderr.trim().split('\n').at(-1) ?? ''
  if (dir) {
    const d = onDisk(dir)
    out.mbOnDisk = +(d.bytes / MB).toFixed(1)
    out.files = d.files
  }
  return out
}

const flatten = (prefix: string, figures: BenchFigures): BenchFigures => Object.fromEntries(Object.entries(figures).map(([k, v]) => [`${prefix}.${k}`, v]))

/** Extract `conversations` from the simulator, export them three ways, read the full archive back. */
export async function benchExport(conversations: number): Promise<BenchFigures> {
  const work = mkdtempSync(join(tmpdir(), 'deskmove-bench-export-'))
  try {
    const db = join(work, 'staging.db')
    const sim = await startSimProcess(['--conversations', String(conversations), '--rpm', '0', '--seed', '11'])
    // The simulator stops before the exports, so its process takes no core from them.
    const extract = await measureCli(['--db', db, '--json', 'extract', 'helpscout', '--rpm', '1000000', '--concurrency', '4'], sim.env).finally(() => sim.stop())
    const status = await measureCli(['--db', db, '--json', 'status'], {})
    const counts = (lastJsonLine(status.stdout).counts ?? {}) as Record<string, number>
    const out: BenchFigures = {
      conversations,
      stagedTickets: counts.tickets ?? 0,
      stagedMessages: counts.messages ?? 0,
      stagedAttachments: counts.attachments ?? 0,
      // The staging store and its blob folder: the work folder holds nothing else yet.
      stagingMbOnDisk: +(onDisk(work).bytes / MB).toFixed(1),
      ...flatten('extract', { exit: extract.code ?? 'signal', seconds: +extract.seconds.toFixed(1) }),
    }
    for (const [name, format] of [['jsonl', 'jsonl'], ['eml', 'eml'], ['both', 'jsonl,eml']] as const) {
      const dir = join(work, `archive-${name}`)
      Object.assign(out, flatten(`export ${name}`, step(await measureCli(['--db', db, '--json', 'export', '--out', dir, '--format', format], {}), dir)))
    }
    // Read back with no vendor credentials in the environment: the archive must be enough.
    const copy = join(work, 'from-archive.db')
    const noVendor = { HELPSCOUT_APP_ID: '', HELPSCOUT_APP_SECRET: '', HELPSCOUT_BASE_URL: '', HELPSCOUT_INLINE_IMAGE_HOSTS: '' }
    const readBack = await measureCli(['--db', copy, '--json', 'extract', 'archive', '--from', join(work, 'archive-both')], noVendor)
    Object.assign(out, flatten('read back', step(readBack, null)))
    const again = (lastJsonLine((await measureCli(['--db', copy, '--json', 'status'], {})).stdout).counts ?? {}) as Record<string, number>
    out['read back.stagedMessages'] = again.messages ?? 0
    return out
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}
