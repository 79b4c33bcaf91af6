import { describe, expect, it } from 'vitest'
import { PassThrough } from 'node:stream'
import { createReporter } from './reporter.js'
import { Redactor } from '../../core/redact.js'

function capture(extra: { isTTY?: boolean; columns?: number } = {}): { stream: PassThrough & { isTTY?: boolean; columns?: number }; text: () => string } {
  const stream = Object.assign(new PassThrough(), extra)
  let out = ''
  stream.on('data', (d: Buffer) => (out += d.toString()))
  return { stream, text: () => out }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('reporter progress', () => {
  it('a step that reports no counts shows its elapsed time, repeatedly, never a frozen "0"', async () => {
    const err = capture()
    const r = createReporter({ json: false, quiet: false, verbose: false, redactor: new Redactor(), stdout: capture().stream, stderr: err.stream, env: {}, plainIntervalMs: 20 })
    const p = r.progress()
    p.phase('applying helpscout → freescout')
    await sleep(90)
    p.stop()
    const lines = err.text().trim().split('\n')
    expect(lines.length).toBeGreaterThanOrEqual(3)
    for (const l of lines) expect(l).toMatch(/^applying helpscout → freescout: \d+s elapsed$/)
    const after = err.text()
    await sleep(50)
    expect(err.text(), 'nothing after stop()').toBe(after)
  })

  it('a terminal of zero width gets plain lines without cursor codes', () => {
    const err = capture({ isTTY: true, columns: 0 })
    const r = createReporter({ json: false, quiet: false, verbose: false, redactor: new Redactor(), stdout: capture().stream, stderr: err.stream, env: { TERM: 'xterm' }, plainIntervalMs: 0 })
    const p = r.progress()
    p.phase('tickets', 10)
    p.update(4, 'page 1/3')
    p.stop()
    expect(err.text()).not.toMatch(/\u001b\[/)
    expect(err.text()).toMatch(/^tickets: 4\/10 .*page 1\/3$/m)
  })
})
