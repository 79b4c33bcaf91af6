import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { dirname, join } from 'node:path'

/** Path of the built CLI entry; tests run `npm run build` first (npm test's pretest). */
export const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'deskmove.js')

export interface CliResult {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs the real CLI as a child process, as a user would. */
export function runCli(args: readonly string[], opts: { env?: Record<string, string>; cwd?: string; killAfterMs?: number; signal?: NodeJS.Signals } = {}): Promise<CliResult> & { child: ChildProcess } {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: opts.cwd,
    env: { ...process.env, CI: '1', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
  let timer: NodeJS.Timeout | undefined
  if (opts.killAfterMs !== undefined) timer = setTimeout(() => child.kill(opts.signal ?? 'SIGKILL'), opts.killAfterMs)
  const done = new Promise<CliResult>((resolve) => {
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer)
      resolve({ code, signal, stdout, stderr })
    })
  }) as Promise<CliResult> & { child: ChildProcess }
  done.child = child
  return done
}

/** Parses the last JSON line of a --json run. */
export function lastJson(stdout: string): Record<string, unknown> {
  const lines = stdout.trim().split('\n').filter((l) => l.startsWith('{'))
  return JSON.parse(lines[lines.length - 1] ?? '{}') as Record<string, unknown>
}
