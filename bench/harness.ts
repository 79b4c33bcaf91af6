import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'

export const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'deskmove.js')

export interface RunningSim {
  readonly url: string
  readonly env: Record<string, string>
  json(path: string): Promise<unknown>
  stop(): Promise<void>
}

/** Starts `deskmove simulate helpscout` in its own process, so its memory never counts as the client's. */
export async function startSimProcess(args: string[]): Promise<RunningSim> {
  const child = spawn(process.execPath, [CLI, 'simulate', 'helpscout', ...args], { stdio: ['ignore', 'pipe', 'inherit'] })
  const rl = createInterface({ input: child.stdout! })
  const first = await new Promise<string>((resolve, reject) => {
    rl.once('line', resolve)
    child.once('exit', (c) => reject(new Error(`simulator exited with ${c}`)))
  })
  const info = JSON.parse(first) as { url: string; env: Record<string, string> }
  return {
    url: info.url,
    env: info.env,
    async json(path: string) {
      const res = await fetch(info.url + path)
      return res.json()
    },
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}

export interface MeasuredRun {
  readonly code: number | null
  readonly seconds: number
  readonly peakRssMb: number
  readonly stdout: string
  readonly stderr: string
}

/** Runs the CLI, sampling the child's peak resident memory (VmHWM) from /proc while it runs. */
export function measureCli(args: string[], env: Record<string, string>, opts: { stopAfterMs?: number } = {}): Promise<MeasuredRun> {
  const started = Date.now()
  const child: ChildProcess = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, CI: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
  let peakKb = 0
  const sample = (): void => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))
      if (m) peakKb = Math.max(peakKb, Number(m[1]))
    } catch {
      // the process is gone; keep the last sample
    }
  }
  const timer = setInterval(sample, 100)
  const stopper = opts.stopAfterMs ? setTimeout(() => child.kill('SIGINT'), opts.stopAfterMs) : undefined
  return new Promise((resolve) => {
    child.on('exit', () => sample())
    child.on('close', (code) => {
      clearInterval(timer)
      if (stopper) clearTimeout(stopper)
      resolve({ code, seconds: (Date.now() - started) / 1000, peakRssMb: peakKb / 1024, stdout, stderr })
    })
  })
}

export function lastJsonLine(text: string): Record<string, unknown> {
  const lines = text.trim().split('\n').filter((l) => l.startsWith('{'))
  return JSON.parse(lines[lines.length - 1] ?? '{}') as Record<string, unknown>
}
