// Child processes of the campaign: the real CLI, black-box, each run bounded by a timeout. Nothing here
// imports deskmove's internals, so the campaign survives refactors of the engine and the adapters.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository root: the nearest folder above this file holding package.json (works from src/ and dist/). */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'bin', 'deskmove.js'))) {
    const up = dirname(dir)
    if (up === dir) throw new Error('chaos: cannot find the repository root (bin/deskmove.js)')
    dir = up
  }
  return dir
}

/** The built CLI entry point. */
export const DESKMOVE_BIN = join(repoRoot(), 'bin', 'deskmove.js')

/** How one CLI run ended. `timedOut` = it outlived its bound and was killed: a hang, always a failure. */
export interface RunResult {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
  readonly timedOut: boolean
  /** Whether our scheduled kill -9 hit the process while it was still running. */
  readonly killed: boolean
  readonly ms: number
  /** Peak resident set size in MB, sampled from /proc (null where /proc is unavailable). */
  readonly peakRssMb: number | null
}

export interface RunOptions {
  readonly cwd: string
  readonly env?: Readonly<Record<string, string>>
  /** Hard bound; the run is killed and reported as a hang when it is exceeded. */
  readonly timeoutMs: number
  /** kill -9 after this many ms (the crash under test). */
  readonly killAfterMs?: number
}

function readPeakRssKb(pid: number): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) : null
  } catch {
    return null
  }
}

/** Runs `deskmove …` as a user would, with CI=1 (no spinners). */
export function runDeskmove(args: readonly string[], o: RunOptions): Promise<RunResult> {
  const started = Date.now()
  const child = spawn(process.execPath, [DESKMOVE_BIN, ...args], {
    cwd: o.cwd,
    env: { ...process.env, CI: '1', NO_COLOR: '1', ...o.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  // Bounded capture: a run that floods its output must not take the campaign's memory with it.
  const cap = (s: string, d: Buffer): string => (s.length > 4_000_000 ? s : s + d.toString())
  child.stdout!.on('data', (d: Buffer) => (stdout = cap(stdout, d)))
  child.stderr!.on('data', (d: Buffer) => (stderr = cap(stderr, d)))
  let peak: number | null = null
  let exited = false
  let killed = false
  let timedOut = false
  const sample = (): void => {
    if (exited || child.pid === undefined) return
    const kb = readPeakRssKb(child.pid)
    if (kb !== null) peak = Math.max(peak ?? 0, kb)
  }
  const sampler = setInterval(sample, 100)
  const killer = o.killAfterMs === undefined ? undefined : setTimeout(() => {
    if (!exited) {
      sample()
      killed = child.kill('SIGKILL')
    }
  }, o.killAfterMs)
  const bound = setTimeout(() => {
    if (!exited) {
      timedOut = true
      child.kill('SIGKILL')
    }
  }, o.timeoutMs)
  return new Promise((resolve) => {
    child.on('exit', () => {
      exited = true
    })
    child.on('close', (code, signal) => {
      exited = true
      clearInterval(sampler)
      clearTimeout(bound)
      if (killer) clearTimeout(killer)
      resolve({ code, signal, stdout, stderr, timedOut, killed: killed && !timedOut, ms: Date.now() - started, peakRssMb: peak === null ? null : Math.round(peak / 1024) })
    })
  })
}

/** A long-running `deskmove simulate …` child and the JSON line it printed on start. */
export interface Service {
  readonly info: Record<string, unknown>
  readonly env: Record<string, string>
  stop(): Promise<void>
}

/** Starts `deskmove simulate helpscout …` and waits for its `{"url","env"}` line (bounded). */
export function startSimulator(args: readonly string[], cwd: string, timeoutMs = 15_000): Promise<Service> {
  const child: ChildProcess = spawn(process.execPath, [DESKMOVE_BIN, 'simulate', ...args], { cwd, env: { ...process.env, CI: '1' }, stdio: ['ignore', 'pipe', 'pipe'] })
  return new Promise((resolve, reject) => {
    let out = ''
    let err = ''
    const fail = (why: string): void => {
      child.kill('SIGKILL')
      reject(new Error(`simulator ${args.join(' ')} did not start: ${why} ${err.slice(0, 500)}`))
    }
    const timer = setTimeout(() => fail(`no JSON line within ${timeoutMs} ms`), timeoutMs)
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()))
    child.on('exit', (code) => {
      clearTimeout(timer)
      if (!out.includes('\n')) fail(`exited with ${code}`)
    })
    child.stdout!.on('data', (d: Buffer) => {
      if (out.includes('\n')) return
      out += d.toString()
      const nl = out.indexOf('\n')
      if (nl < 0) return
      clearTimeout(timer)
      const info = JSON.parse(out.slice(0, nl)) as Record<string, unknown>
      resolve({
        info,
        env: (info.env ?? {}) as Record<string, string>,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done()
            child.once('close', () => done())
            child.kill('SIGTERM')
            setTimeout(() => child.kill('SIGKILL'), 3000).unref()
          }),
      })
    })
  })
}

/** The last JSON object line of a `--json` run's stdout (the summary), or null. */
export function lastJsonLine(stdout: string): Record<string, unknown> | null {
  const lines = stdout.trim().split('\n').filter((l) => l.startsWith('{'))
  for (let i = lines.length - 1; i >= 0; i--) {
    try {
      return JSON.parse(lines[i]!) as Record<string, unknown>
    } catch {
      // a line cut by a kill; try the one before
    }
  }
  return null
}

/** "exit 0", "killed", "signal SIGSEGV", "HANG (>60000 ms)": how a run ended, for reasons in the table. */
export function describeEnd(r: RunResult): string {
  if (r.timedOut) return `HANG (killed after the time bound, ${r.ms} ms)`
  if (r.killed) return 'killed by the campaign'
  if (r.code !== null) return `exit ${r.code}`
  return `signal ${r.signal ?? '?'}`
}
