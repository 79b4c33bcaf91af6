import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { startHelpScoutSimulator, type HelpScoutSimulator } from '../../adapters/sources/helpscout/simulator/server.js'
import { SIM_CDN_PATH, TRACKING_PIXEL_PATH } from '../../adapters/sources/helpscout/simulator/threads.js'
import { connectFreescoutDb } from '../../adapters/targets/freescout/db.js'
import { freescoutTarget } from '../../adapters/targets/freescout/index.js'
import { initConfigText } from '../core/init-config.js'
import { inlineImageContentId, inlineImageId } from '../engine/inline-images.js'
import { createScratchDatabase, probeDatabases } from '../testing/test-databases.js'
import { runCli, lastJson } from '../testing/cli-runner.js'
import { testSimProfile } from '../testing/sim-profile.js'

// Help Scout bodies show pasted images by URL on its CDN: extract stores them as inline attachments and points
// the body at them by cid, so they survive the account's closure. Simulator → staging → FreeScout stand-in.

const probe = await probeDatabases()
const CONVERSATIONS = 150

interface Row { source_id: string; canonical: string }

function workdir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'deskmove-inline-'))
  writeFileSync(join(dir, 'deskmove.json'), initConfigText({ displayName: freescoutTarget.displayName, sections: freescoutTarget.mapping ?? [] }).replace('// "*": 1', '"*": 1'))
  return dir
}

describe('inline images: Help Scout simulator → staging', () => {
  let sim: HelpScoutSimulator
  beforeAll(async () => {
    sim = await startHelpScoutSimulator({ profile: testSimProfile(import.meta.url), seed: 11, conversations: CONVERSATIONS, rpm: null })
  })
  afterAll(async () => {
    await sim?.close()
  })

  it('stages every CDN image as an inline attachment with the manifest bytes, the body references it by cid; pixels are left and counted; a re-run adds nothing', async () => {
    const manifest = sim.manifest()
    const images = Object.entries(manifest.inlineImages)
    expect(images.length, 'the simulator pastes CDN images into some bodies').toBeGreaterThan(2)
    expect(manifest.trackingPixels).toBeGreaterThan(0)
    const cwd = workdir()
    const run = await runCli(['--json', 'extract', 'helpscout', '--rpm', '100000'], { cwd, env: { ...sim.env } })
    expect(run.code, run.stderr).toBe(0)
    expect(lastJson(run.stdout).inlineImages).toEqual({ vendor: images.length, external: manifest.trackingPixels })

    const db = new Database(join(cwd, 'deskmove.db'), { readonly: true })
    try {
      const one = db.prepare("SELECT source_id, canonical FROM staged_record WHERE kind = ? AND source_id = ?")
      for (const [path, truth] of images) {
        const url = `${sim.url}${path}`
        const att = one.get('attachment', inlineImageId(truth.messageId, url)) as Row | undefined
        expect(att, `inline attachment for ${url}`).toBeDefined()
        const a = JSON.parse(att!.canonical) as { inline: boolean; contentId: string; sha256: string; size: number; messageRef: { sourceId: string } }
        expect(a.inline).toBe(true)
        expect(a.contentId).toBe(inlineImageContentId(truth.messageId, url))
        expect(a.sha256, `bytes of ${path}`).toBe(truth.sha256)
        expect(a.size).toBe(truth.size)
        expect(a.messageRef.sourceId).toBe(truth.messageId)
        const m = JSON.parse((one.get('message', truth.messageId) as Row).canonical) as { bodyHtml: string; inlineImageUrls: string[] }
        expect(m.bodyHtml).toContain(`src="cid:${a.contentId}"`)
        expect(m.bodyHtml).not.toContain(url)
        expect(m.inlineImageUrls).toContain(url)
      }
      const inline = db.prepare("SELECT COUNT(*) AS n FROM staged_record WHERE kind = 'attachment' AND source_id LIKE 'inline-%'").get() as { n: number }
      expect(inline.n).toBe(images.length)
      // Tracking pixels stay links, and each message that has one carries the warning.
      const pixelBodies = (db.prepare("SELECT source_id, canonical FROM staged_record WHERE kind = 'message' AND canonical LIKE ?").all(`%${TRACKING_PIXEL_PATH}/%`) as Row[])
      expect(pixelBodies).toHaveLength(manifest.trackingPixels)
      const warned = db.prepare("SELECT COUNT(*) AS n FROM record_warning WHERE kind = 'message' AND code = 'external-image'").get() as { n: number }
      expect(warned.n).toBe(manifest.trackingPixels)
      expect(db.prepare("SELECT COUNT(*) AS n FROM staged_record WHERE kind = 'attachment' AND canonical LIKE ?").get(`%${TRACKING_PIXEL_PATH}%`)).toEqual({ n: 0 })
    } finally {
      db.close()
    }

    const before = sim.stats().total
    const again = await runCli(['--json', 'extract', 'helpscout', '--rpm', '100000'], { cwd, env: { ...sim.env } })
    expect(again.code, again.stderr).toBe(0)
    const db2 = new Database(join(cwd, 'deskmove.db'), { readonly: true })
    try {
      expect(db2.prepare("SELECT COUNT(*) AS n FROM staged_record WHERE kind = 'attachment' AND source_id LIKE 'inline-%'").get()).toEqual({ n: images.length })
    } finally {
      db2.close()
    }
    expect(sim.stats().requests[`GET ${SIM_CDN_PATH}/inline-images/{id}/pasted-1.png`] ?? 0, 'no image fetched twice').toBe(images.length)
    expect(sim.stats().total).toBeGreaterThanOrEqual(before)
  })

  it('a CDN image that cannot be downloaded is a download-failed reject naming its URL, retried by the next run', async () => {
    const cwd = workdir()
    const env = { ...sim.env }
    const read = await runCli(['extract', 'helpscout', '--rpm', '100000', '--no-attachments'], { cwd, env })
    expect(read.code, read.stderr).toBe(0)
    // One staged image now points at a path the CDN does not have (as an image deleted from the CDN would).
    const dbPath = join(cwd, 'deskmove.db')
    const rw = new Database(dbPath)
    const [first] = rw.prepare("SELECT source_id, canonical FROM staged_record WHERE kind = 'attachment' AND source_id LIKE 'inline-%' ORDER BY source_id LIMIT 1").all() as Row[]
    const original = JSON.parse(first!.canonical).download.inlineImageUrl as string
    const broken = `${sim.url}${SIM_CDN_PATH}/inline-images/1/pasted-1.png`
    const setUrl = (u: string): void => {
      rw.prepare("UPDATE staged_record SET canonical = json_set(canonical, '$.download.inlineImageUrl', ?) WHERE kind = 'attachment' AND source_id = ?").run(u, first!.source_id)
    }
    setUrl(broken)
    rw.close()
    const fetch = await runCli(['extract', 'helpscout', '--rpm', '100000'], { cwd, env })
    expect(fetch.code, 'open rejects: exit 5').toBe(5)
    const list = await runCli(['--json', 'rejects'], { cwd, env })
    expect(list.stdout).toContain('download-failed')
    expect(list.stdout).toContain(broken)
    expect(list.stdout).toContain(first!.source_id)
    // The CDN serves it again: the next run fetches it and the reject is resolved.
    const fix = new Database(dbPath)
    fix.prepare("UPDATE staged_record SET canonical = json_set(canonical, '$.download.inlineImageUrl', ?) WHERE kind = 'attachment' AND source_id = ?").run(original, first!.source_id)
    fix.close()
    const retry = await runCli(['extract', 'helpscout', '--rpm', '100000'], { cwd, env })
    expect(retry.code, retry.stderr).toBe(0)
    const db = new Database(dbPath, { readonly: true })
    try {
      const sha = (db.prepare("SELECT json_extract(canonical, '$.sha256') AS sha FROM staged_record WHERE kind = 'attachment' AND source_id = ?").get(first!.source_id) as { sha: string }).sha
      const path = new URL(original).pathname
      expect(sha).toBe(sim.manifest().inlineImages[path]!.sha256)
    } finally {
      db.close()
    }
  })
})

const reason = probe.reasons.mysql
describe.skipIf(reason !== null)(`inline images: Help Scout simulator → FreeScout stand-in (MariaDB)${reason ? ` (skipped: ${reason})` : ''}`, () => {
  let sim: HelpScoutSimulator
  const cleanup: (() => Promise<void>)[] = []
  beforeAll(async () => {
    sim = await startHelpScoutSimulator({ profile: testSimProfile(import.meta.url), seed: 11, conversations: 60, rpm: null })
  })
  afterAll(async () => {
    await sim?.close()
    for (const c of cleanup) await c().catch(() => undefined)
  })

  it('shows each CDN image from FreeScout’s own storage: an embedded attachment row and a body that no longer points at the CDN', async () => {
    const cwd = workdir()
    const scratch = await createScratchDatabase('mysql', 'inline')
    cleanup.push(scratch.drop)
    const storage = join(cwd, 'storage')
    const made = await runCli(['simulate', 'freescout', '--db-url', scratch.url, '--storage', storage], { cwd })
    expect(made.code, made.stderr).toBe(0)
    const env = { ...sim.env, ...((lastJson(made.stdout).env ?? {}) as Record<string, string>) }
    const extract = await runCli(['extract', 'helpscout', '--rpm', '100000'], { cwd, env })
    expect(extract.code, extract.stderr).toBe(0)
    const plan = await runCli(['plan', 'freescout', '-o', 'plan.json'], { cwd, env })
    expect([0, 8], plan.stderr).toContain(plan.code)
    const apply = await runCli(['apply', 'freescout', 'plan.json'], { cwd, env })
    expect(apply.code, apply.stderr).toBe(0)

    const images = Object.entries(sim.manifest().inlineImages)
    expect(images.length).toBeGreaterThan(0)
    const db = await connectFreescoutDb(scratch.url)
    cleanup.unshift(() => db.close())
    for (const [path, truth] of images) {
      const url = `${sim.url}${path}`
      const cid = inlineImageContentId(truth.messageId, url)
      // The embedded rows of this image's size, and the threads they belong to.
      const rows = await db.query<{ thread_id: number; embedded: number; file_dir: string; file_name: string }>(
        'SELECT thread_id, embedded, file_dir, file_name FROM attachments WHERE size = ? AND embedded = ?', [truth.size, 1])
      const threads: { id: number; body: string }[] = []
      for (const r of rows) threads.push(...(await db.query<{ id: number; body: string }>('SELECT id, body FROM threads WHERE id = ?', [r.thread_id])))
      // The body points at FreeScout's copy: its attachment URL (APP_URL configured) or the cid of the embedded row.
      const thread = threads.find((t) => t.body.includes(`cid:${cid}`)) ?? threads.find((t) => rows.some((r) => r.thread_id === t.id && t.body.includes(`/storage/attachment/${r.file_dir}`)))
      expect(thread, `thread showing ${path}`).toBeDefined()
      expect(thread!.body).not.toContain(url)
      const row = rows.find((r) => r.thread_id === thread!.id)
      expect(row, `embedded attachment row for ${path}`).toBeDefined()
      expect(row!.embedded).toBe(1)
      expect(existsSync(join(storage, 'attachment', row!.file_dir, row!.file_name)), 'file in FreeScout storage').toBe(true)
    }
  })
})
