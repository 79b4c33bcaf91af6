// Attachment files against a real stand-in: a storage failure costs only the attachment, a killed run's
// temporary files are finished or removed, and files no row points to are listed.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { probeDatabases } from '../../../src/testing/test-databases.js'
import { loadInto, stageDataset } from '../../../src/testing/target-conformance.js'
import { freescoutHarness } from './harness.test-helpers.js'
import { runImportChecks } from './sql-checks.js'
import { listOrphanFiles, sweepTempFiles, tempDir } from './attachment-files.js'

const probe = await probeDatabases()
const datasets = resolve(import.meta.dirname, '../../../fixtures/canonical')
/** A pid that belonged to a process which has exited. */
const deadPid = (): number => spawnSync(process.execPath, ['-e', '0']).pid!

for (const dialect of ['mysql', 'postgres'] as const) {
  const reason = probe.reasons[dialect]
  describe.skipIf(reason !== null)(`FreeScout attachment files on ${dialect}${reason ? ` (skipped: ${reason})` : ''}`, () => {
    const cleanup: (() => Promise<void> | void)[] = []
    afterEach(async () => {
      for (const f of cleanup.splice(0).reverse()) await f()
    })
    const setup = async () => {
      const h = await freescoutHarness(dialect)
      const ds = await stageDataset(datasets, 'attachments-edge')
      cleanup.push(() => ds.cleanup(), () => h.close())
      return { h, ds, db: await h.target.database(), storage: h.storageDir }
    }

    it('rejects only the attachments whose files cannot be written; the conversations commit, and a retry adds the files', async () => {
      const { h, ds, db, storage } = await setup()
      // A file where the temporary directory belongs: every attachment write fails with ENOTDIR/EEXIST.
      mkdirSync(join(storage, 'attachment'), { recursive: true })
      writeFileSync(tempDir(storage), 'in the way')
      const first = await loadInto(h, ds, 'run-a')
      expect(first.status).toBe('completed')
      expect(first.counts.ticket!.create).toBeGreaterThan(0)
      expect(first.counts.ticket!.rejected).toBe(0)
      const failed = first.rejects.filter((r) => r.reason === 'file-write-failed')
      expect(failed.map((r) => r.kind)).toEqual(Array(7).fill('attachment'))
      expect(failed[0]!.detail).toMatch(/could not be written to FreeScout's storage: E[A-Z]+/)
      expect(await db.query('SELECT id FROM attachments')).toEqual([])

      rmSync(tempDir(storage))
      const retry = await loadInto(h, ds, 'run-b', { retryRejects: true })
      expect(retry.rejects.filter((r) => r.reason === 'file-write-failed')).toEqual([])
      expect((await db.query('SELECT id FROM attachments')).length).toBe(7)
      expect(await runImportChecks(db, storage)).toEqual([])
      expect(await listOrphanFiles(db, storage)).toEqual([])
    })

    it('finishes or removes what a killed run left, and lists files no row points to', async () => {
      const { h, ds, db, storage } = await setup()
      await loadInto(h, ds, 'run-a')
      const rows = await db.query<{ id: number; file_dir: string; file_name: string }>('SELECT id, file_dir, file_name FROM attachments ORDER BY id')
      const pid = deadPid()
      // Killed between the commit and the move: the committed row's file is still in the temporary directory.
      const committed = rows[0]!
      const final = join(storage, 'attachment', committed.file_dir, committed.file_name)
      const bytes = readFileSync(final)
      mkdirSync(tempDir(storage), { recursive: true })
      renameSync(final, join(tempDir(storage), `${committed.id}.${pid}.part`))
      // Killed before the commit: a file whose row never committed.
      writeFileSync(join(tempDir(storage), `987654.${pid}.part`), 'never committed')
      // A live writer's file is not touched.
      writeFileSync(join(tempDir(storage), `987655.${process.ppid}.part`), 'in flight')
      // Debris in an import directory that no row points to.
      writeFileSync(join(storage, 'attachment', rows[1]!.file_dir, 'stray.bin'), 'x')

      expect(await listOrphanFiles(db, storage)).toEqual([
        join('attachment', '.deskmove-tmp', `${committed.id}.${pid}.part`),
        join('attachment', '.deskmove-tmp', `987654.${pid}.part`),
        join('attachment', rows[1]!.file_dir, 'stray.bin'),
      ])
      expect(await sweepTempFiles(db, storage)).toEqual({ moved: 1, removed: 1 })
      expect(readFileSync(final)).toEqual(bytes)
      expect(existsSync(join(tempDir(storage), `987655.${process.ppid}.part`))).toBe(true)
      expect(await listOrphanFiles(db, storage)).toEqual([join('attachment', rows[1]!.file_dir, 'stray.bin')])
      // A committed file whose place was taken meanwhile by someone else's file: that file is kept, the row moves.
      const other = rows[2]!
      const otherFinal = join(storage, 'attachment', other.file_dir, other.file_name)
      const ours = readFileSync(otherFinal)
      renameSync(otherFinal, join(tempDir(storage), `${other.id}.${pid}.part`))
      writeFileSync(otherFinal, 'an upload made meanwhile')
      expect(await sweepTempFiles(db, storage)).toEqual({ moved: 1, removed: 0 })
      expect(readFileSync(otherFinal, 'utf8')).toBe('an upload made meanwhile')
      const [moved] = await db.query<{ file_dir: string }>('SELECT file_dir FROM attachments WHERE id = ?', [other.id])
      expect(moved!.file_dir).not.toBe(other.file_dir)
      expect(readFileSync(join(storage, 'attachment', moved!.file_dir, other.file_name))).toEqual(ours)
      rmSync(otherFinal)
      // verify's consistency checks report it too.
      expect(await runImportChecks(db, storage)).toEqual([{ check: 'orphan-file', detail: `${join('attachment', rows[1]!.file_dir, 'stray.bin')}: no attachments row points to this file` }])
    })
  })
}
