import ora, { type Ora } from 'ora'
import type { Progress, Reporter } from '../command.js'
import type { Redactor } from '../../core/redact.js'

export interface ReporterOptions {
  readonly json: boolean
  readonly quiet: boolean
  readonly verbose: boolean
  readonly redactor: Redactor
  readonly stdout?: NodeJS.WritableStream
  readonly stderr?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number }
  readonly env?: Readonly<Record<string, string | undefined>>
  /** Plain progress lines every this many ms when no spinner is shown. */
  readonly plainIntervalMs?: number
}

function formatEta(ms: number): string {
  const s = Math.round(ms / 1000)
  if (s < 60) return `${s}s`
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`
}

/**
 * A spinner redraws its line by counting columns: a terminal reporting 0 or no width (`script -c`, `docker
 * exec -t`, some CI) sent it into a loop of cursor codes. Such terminals get plain lines instead.
 */
function hasWidth(columns: number | undefined): boolean {
  return typeof columns === 'number' && Number.isFinite(columns) && columns >= 20
}

/**
 * Human output (ora spinner on a TTY, periodic plain lines otherwise) or NDJSON with --json. stdout carries
 * results, stderr progress and logs. Every line passes through the redactor.
 */
export function createReporter(o: ReporterOptions): Reporter {
  const stdout = o.stdout ?? process.stdout
  const stderr = o.stderr ?? process.stderr
  const env = o.env ?? process.env
  const spinnerAllowed = !!stderr.isTTY && hasWidth(stderr.columns) && env.TERM !== 'dumb' && !o.json && !o.quiet && !env.CI
  let spinner: Ora | null = null
  const write = (stream: NodeJS.WritableStream, text: string): void => {
    const clean = o.redactor.redact(text)
    if (spinner?.isSpinning) {
      spinner.clear()
      stream.write(clean + '\n')
      spinner.render()
    } else stream.write(clean + '\n')
  }
  const log = (level: 'debug' | 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>): void => {
    if (level === 'debug' && !o.verbose) return
    if (o.quiet && (level === 'info' || level === 'debug')) return
    if (o.json) {
      stdout.write(o.redactor.redact(JSON.stringify({ type: 'log', level, message, ...fields })) + '\n')
      return
    }
    const prefix = level === 'info' ? '' : `${level}: `
    const extra = fields && Object.keys(fields).length ? ' ' + JSON.stringify(fields) : ''
    write(stderr, prefix + message + extra)
  }
  const progress = (): Progress => {
    let label = ''
    let total: number | null = null
    let done = 0
    let detail = ''
    let phaseStart = Date.now()
    let lastPlain = 0
    const interval = o.plainIntervalMs ?? (env.DESKMOVE_PROGRESS_MS ? Number(env.DESKMOVE_PROGRESS_MS) : 10_000)
    let counted = false
    let heartbeat: NodeJS.Timeout | null = null
    const text = (): string => {
      const secs = (Date.now() - phaseStart) / 1000
      // A phase whose work reports no count yet shows the time it has run, not a "0" that looks stuck.
      if (!counted) return `${label}: ${formatEta(secs * 1000)} elapsed${detail ? ` · ${detail}` : ''}`
      const rate = secs > 0 ? done / secs : 0
      const parts = [`${label}: ${done}${total ? `/${total}` : ''}`]
      if (rate > 0) parts.push(`${rate >= 10 ? Math.round(rate) : rate.toFixed(1)}/s`)
      if (total && rate > 0 && done < total) parts.push(`ETA ${formatEta(((total - done) / rate) * 1000)}`)
      if (detail) parts.push(detail)
      return parts.join(' · ')
    }
    const emit = (force: boolean): void => {
      if (o.quiet) return
      if (spinner) {
        spinner.text = text()
        return
      }
      const now = Date.now()
      if (!force && now - lastPlain < interval) return
      lastPlain = now
      if (o.json) stdout.write(JSON.stringify({ type: 'progress', phase: label, done, total, detail }) + '\n')
      else stderr.write(o.redactor.redact(text()) + '\n')
    }
    return {
      phase(l, t) {
        if (l !== label) {
          phaseStart = Date.now()
          done = 0
          detail = ''
          counted = false
        }
        label = l
        total = t ?? null
        if (spinnerAllowed && !spinner) spinner = ora({ text: text(), stream: stderr }).start()
        // Lines (and the spinner's elapsed time) keep coming while a long step runs without reporting counts (the spinner ticks by itself).
        const every = spinner ? 1000 : interval
        if (!heartbeat && !o.json && !o.quiet && every > 0) {
          heartbeat = setInterval(() => emit(false), every)
          heartbeat.unref()
        }
        emit(false)
      },
      update(d, det) {
        done = d
        counted = true
        if (det !== undefined) detail = det
        emit(false)
      },
      stop() {
        if (heartbeat) {
          clearInterval(heartbeat)
          heartbeat = null
        }
        if (spinner) {
          spinner.stop()
          spinner = null
        }
      },
    }
  }
  return {
    json: o.json,
    quiet: o.quiet,
    verbose: o.verbose,
    debug: (m, f) => log('debug', m, f),
    info: (m, f) => log('info', m, f),
    warn: (m, f) => log('warn', m, f),
    error: (m, f) => log('error', m, f),
    progress,
    out(text) {
      if (!o.json) write(stdout, text)
    },
    event(type, data) {
      if (o.json) stdout.write(o.redactor.redact(JSON.stringify({ type, ...data })) + '\n')
    },
  }
}
