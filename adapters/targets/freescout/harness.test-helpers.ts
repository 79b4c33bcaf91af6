// Test support: a fresh stand-in FreeScout (scratch database + storage dir) behind the FreeScout target.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TargetHarness } from '../../../src/testing/target-conformance.js'
import { createScratchDatabase } from '../../../src/testing/test-databases.js'
import { defaultMappingConfig } from '../../../src/core/mapping-config.js'
import { createFreescoutStandIn } from './standin/create-stand-in.js'
import { createFreescoutTarget, type FreescoutTarget } from './index.js'
import { FREESCOUT_MAPPING } from './mapping.js'

/** Every file under a directory (attachment files count as objects too). */
function countFiles(dir: string): number {
  let n = 0
  for (const e of readdirSync(dir, { withFileTypes: true })) n += e.isDirectory() ? countFiles(join(dir, e.name)) : statSync(join(dir, e.name)).isFile() ? 1 : 0
  return n
}

/** A fresh stand-in FreeScout (scratch database + storage dir) behind the FreeScout target. */
export async function freescoutHarness(dialect: 'mysql' | 'postgres'): Promise<TargetHarness & { target: FreescoutTarget; storageDir: string; dbUrl: string }> {
  const scratch = await createScratchDatabase(dialect, 'fsconf')
  const storage = mkdtempSync(join(tmpdir(), 'deskmove-fs-storage-'))
  const standIn = await createFreescoutStandIn({ dbUrl: scratch.url, storageDir: storage, mailboxes: 1 })
  const target = createFreescoutTarget({ dbUrl: scratch.url, storageDir: storage, appUrl: 'https://help.example.test', appKey: 'base64:dGVzdC1rZXk=' })
  return {
    target,
    storageDir: storage,
    dbUrl: scratch.url,
    config: defaultMappingConfig({
      mailboxes: { '*': standIn.mailboxes[0]!.id },
      statuses: { '*': 'from-canonical' },
      customersWithoutEmail: { policy: 'placeholder', pattern: 'noemail+{sourceId}@{domain}', domain: 'placeholder.example' },
    }, FREESCOUT_MAPPING),
    // Nothing listens on port 1: connecting is refused at once.
    unreachable: async () => createFreescoutTarget({ dbUrl: dialect === 'mysql' ? 'mysql://root@127.0.0.1:1/none' : 'postgres://postgres@127.0.0.1:1/none', storageDir: storage, appUrl: null, appKey: null }),
    async tamper(ref) {
      const db = await target.database()
      await db.query('UPDATE conversations SET subject = ? WHERE id = ?', ['changed behind deskmove', Number(ref)])
    },
    async count() {
      const db = await target.database()
      const out: Record<string, number> = {}
      for (const t of ['conversations', 'threads', 'attachments', 'customers', 'emails', 'users', 'conversation_tag', 'tags']) {
        out[t] = Number((await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${t}`))[0]!.n)
      }
      out.files = countFiles(join(storage, 'attachment'))
      return out
    },
    async close() {
      await target.close()
      await scratch.drop()
      rmSync(storage, { recursive: true, force: true })
    },
  }
}

