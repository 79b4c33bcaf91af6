import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { probeDatabases } from '../../../src/testing/test-databases.js'
import { openStagingStore } from '../../../src/staging/store.js'
import { upsertRecord } from '../../../src/staging/records.js'
import { makeAttachment, makeCustomer, makeMessage, makeTicket } from '../../../src/testing/canonical-factories.js'
import { freescoutHarness } from './harness.test-helpers.js'
import { runImportChecks } from './sql-checks.js'

const probe = await probeDatabases()
const root = resolve(import.meta.dirname, '../../..')
const TICKETS = 1000

/** Stages TICKETS tickets with 3 messages and an attachment each. */
async function stage(path: string): Promise<void> {
  const store = openStagingStore(path)
  const blob = await store.blobs.put(Readable.from([Buffer.from('attachment bytes')]))
  const now = '2024-01-01T00:00:00.000Z'
  store.db.transaction(() => {
    for (let c = 0; c < 30; c++) upsertRecord(store.db, makeCustomer(String(c)), null, 's', 'r', now)
    for (let t = 0; t < TICKETS; t++) {
      const id = `t${String(t).padStart(4, '0')}`
      const customerRef = { kind: 'customer' as const, sourceId: String(t % 30) }
      upsertRecord(store.db, makeTicket(id, { customerRef, createdByRef: customerRef }), null, 's', 'r', now)
      for (let m = 0; m < 3; m++) upsertRecord(store.db, makeMessage(`${id}-m${m}`, id, m, { author: { role: 'customer', ref: customerRef, name: null, email: null } }), null, 's', 'r', now)
      upsertRecord(store.db, makeAttachment(`${id}-a`, id, `${id}-m0`, { sha256: blob.sha256, size: blob.size }), null, 's', 'r', now)
    }
  })()
  store.close()
}

/** Runs the child; kills it with SIGKILL `killAfterMs` after it starts loading, unless null. Resolves with its stdout. */
function runChild(args: string[], killAfterMs: number | null): Promise<{ out: string; killed: boolean }> {
  return new Promise((done, fail) => {
    const child = spawn(join(root, 'node_modules/.bin/vite-node'), [join(root, 'adapters/targets/freescout/sigkill-child.test-helpers.ts'), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    let killed = false
    let timer: NodeJS.Timeout | null = null
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      if (killAfterMs !== null && timer === null && out.includes('ready\n')) timer = setTimeout(() => (killed = child.kill('SIGKILL')), killAfterMs)
    })
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    child.on('error', fail)
    child.on('exit', (code) => {
      if (timer) clearTimeout(timer)
      if (!killed && code !== 0) fail(new Error(`child exited ${code}: ${err}`))
      else done({ out, killed })
    })
  })
}

for (const dialect of ['mysql', 'postgres'] as const) {
  const reason = dialect === 'mysql' ? probe.reasons.mysql : probe.reasons.postgres
  describe.skipIf(reason !== null)(`SIGKILL during apply on ${dialect}${reason ? ` (skipped: ${reason})` : ''}`, () => {
    it('leaves every record exactly once after kills at random moments and a final re-run', async () => {
      const h = await freescoutHarness(dialect)
      const dir = mkdtempSync(join(tmpdir(), 'deskmove-kill-'))
      try {
        const staging = join(dir, 'staging.db')
        await stage(staging)
        const mailbox = String(h.config.mailboxes['*'])
        const db = await h.target.database()
        const url = h.dbUrl
        let kills = 0
        for (let i = 0; i < 3; i++) {
          const r = await runChild([staging, url, h.storageDir, mailbox, `run-${i}`], 100 + Math.floor(Math.random() * 400))
          if (r.killed) kills++
        }
        const final = await runChild([staging, url, h.storageDir, mailbox, 'run-final'], null)
        expect(JSON.parse(final.out.trim().split('\n').pop()!)).toMatchObject({ status: 'completed', rejected: 0 })
        const count = async (sql: string) => Number((await db.query<{ n: number }>(sql))[0]!.n)
        expect(await count('SELECT COUNT(*) AS n FROM conversations')).toBe(TICKETS)
        expect(await count('SELECT COUNT(*) AS n FROM customers')).toBe(30)
        expect(await count('SELECT COUNT(*) AS n FROM threads')).toBe(TICKETS * 4)
        expect(await count('SELECT COUNT(*) AS n FROM attachments')).toBe(TICKETS)
        expect(await runImportChecks(db, h.storageDir)).toEqual([])
        // Each run resumes where the last was killed, so the kills land at different points of the load.
        expect(kills).toBeGreaterThanOrEqual(2)
      } finally {
        await h.close()
        rmSync(dir, { recursive: true, force: true })
      }
    }, 120_000)
  })
}
