// What every campaign shares: seeded randomness, work directories, and the shape of a campaign's result.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runDeskmove } from './procs.js'

/** Settings of one campaign run, from the command line. */
export interface ChaosSettings {
  readonly seed: number
  readonly rounds: number
  readonly quick: boolean
  /** Root folder of every work dir of this campaign. */
  readonly root: string
  readonly log: (line: string) => void
}

/** One line of the final table. */
export interface Verdict {
  readonly campaign: string
  readonly name: string
  readonly pass: boolean
  /** Why it failed, or what it saw when it passed (short). */
  readonly detail: string
}

/** Figures a campaign adds to the table (summed across campaigns). */
export interface Figures {
  rounds: number
  /** kill -9 scheduled; `killsLanded` counts those that hit a still-running process. */
  killsTried: number
  killsLanded: number
  lost: number
  duplicated: number
  corrupted: number
  orphanFiles: number
  tmpLeft: number
  peakRssMb: number | null
}

export function emptyFigures(): Figures {
  return { rounds: 0, killsTried: 0, killsLanded: 0, lost: 0, duplicated: 0, corrupted: 0, orphanFiles: 0, tmpLeft: 0, peakRssMb: null }
}

export interface CampaignResult {
  readonly figures: Figures
  readonly verdicts: Verdict[]
  /** Set when the whole campaign was skipped (e.g. no MariaDB). */
  readonly skipped?: string
}

/** mulberry32: a small seeded generator, so `--seed S` replays the same kill moments. */
export function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Uniform integer in [lo, hi]. */
export function between(r: () => number, lo: number, hi: number): number {
  return lo + Math.floor(r() * (hi - lo + 1))
}

/** A fresh work dir under the campaign root. */
export function workdir(s: ChaosSettings, name: string): string {
  mkdirSync(s.root, { recursive: true })
  return mkdtempSync(join(s.root, `${name}-`))
}

/** A work dir with a deskmove.json (from `deskmove init`) mapping every source mailbox to FreeScout mailbox 1. */
export async function configuredWorkdir(s: ChaosSettings, name: string): Promise<string> {
  const dir = workdir(s, name)
  const r = await runDeskmove(['init'], { cwd: dir, timeoutMs: 30_000 })
  if (r.code !== 0) throw new Error(`deskmove init failed: ${r.stderr.slice(0, 300)}`)
  const path = join(dir, 'deskmove.json')
  writeFileSync(path, readFileSync(path, 'utf8').replace('// "*": 1', '"*": 1'))
  return dir
}

/** Copies a work dir's staging store (database + blobs + config) into a new work dir. */
export function cloneStaging(s: ChaosSettings, from: string, name: string): string {
  const dir = workdir(s, name)
  for (const f of ['deskmove.db', 'deskmove.blobs', 'deskmove.json']) cpSync(join(from, f), join(dir, f), { recursive: true })
  return dir
}

/** A scratch root for a campaign run (under the OS temp dir unless given). */
export function campaignRoot(base?: string): string {
  if (base) {
    mkdirSync(base, { recursive: true })
    return mkdtempSync(join(base, 'chaos-'))
  }
  return mkdtempSync(join(tmpdir(), 'deskmove-chaos-'))
}

/** Adds `b` into `a` (peak RSS: the maximum). */
export function addFigures(a: Figures, b: Figures): void {
  a.rounds += b.rounds
  a.killsTried += b.killsTried
  a.killsLanded += b.killsLanded
  a.lost += b.lost
  a.duplicated += b.duplicated
  a.corrupted += b.corrupted
  a.orphanFiles += b.orphanFiles
  a.tmpLeft += b.tmpLeft
  if (b.peakRssMb !== null) a.peakRssMb = Math.max(a.peakRssMb ?? 0, b.peakRssMb)
}

export function noteRss(f: Figures, mb: number | null): void {
  if (mb !== null) f.peakRssMb = Math.max(f.peakRssMb ?? 0, mb)
}
