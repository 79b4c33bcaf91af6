import { describe, expect, it } from 'vitest'
import { znunySimulator } from './definition.js'

describe('deskmove simulate znuny (definition)', () => {
  it('starts a server and hands out ZNUNY_URL, ZNUNY_USER and ZNUNY_PASSWORD, registering the password as a secret', async () => {
    const secrets: (string | null)[] = []
    const lines: string[] = []
    const running = await znunySimulator.start({ port: 0, seed: 1, version: '7.0', sessionRequests: 0 }, { cwd: process.cwd(), addSecret: (s) => secrets.push(s), info: (m) => lines.push(m) })
    try {
      expect(running.serving).toBe(true)
      expect(Object.keys(running.env).sort()).toEqual(['ZNUNY_PASSWORD', 'ZNUNY_URL', 'ZNUNY_USER'])
      expect(running.env.ZNUNY_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/otrs\/nph-genericinterface\.pl\/Webservice\/GenericTicketConnectorREST$/)
      expect(secrets).toContain(running.env.ZNUNY_PASSWORD)
      expect(lines.join('\n')).toMatch(/Znuny 7\.0 simulator/)
      const r = await fetch(`${running.env.ZNUNY_URL}/Session`, { method: 'POST', body: JSON.stringify({ UserLogin: running.env.ZNUNY_USER, Password: running.env.ZNUNY_PASSWORD }) })
      expect(Object.keys((await r.json()) as object)).toEqual(['SessionID'])
    } finally {
      await running.close()
    }
  })

  it('offers --znuny-version with the three lines and the Znuny fault kinds in --faults', () => {
    const version = znunySimulator.options.find((o) => o.key === 'version')
    expect(version).toMatchObject({ flags: '--znuny-version <v>', choices: ['7.1', '7.0', '6.5'], default: '7.1' })
    expect(znunySimulator.options.find((o) => o.key === 'faults')?.description).toMatch(/crash=.*authfail=/)
    const flags = znunySimulator.options.map((o) => o.flags)
    expect(flags).toEqual(expect.arrayContaining(['--db-url <url>', '--session-requests <n>', '--keep-4byte-utf8', '--cache', '--df-scalar-filter <mode>']))
    expect(flags).not.toContain('--profile <name>')
  })
})
