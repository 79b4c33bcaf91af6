// Child process for the SIGKILL resume test: applies a staging file to FreeScout, to be killed at any moment.
import { openStagingStore } from '../../../src/staging/store.js'
import { defaultMappingConfig } from '../../../src/core/mapping-config.js'
import { runLoad } from '../../../src/engine/load.js'
import { SideEffectGate } from '../../../src/engine/side-effects.js'
import { createFreescoutTarget } from './index.js'

const [stagingPath, dbUrl, storageDir, mailboxId, runId] = process.argv.slice(2) as [string, string, string, string, string]
const store = openStagingStore(stagingPath)
const target = createFreescoutTarget({ dbUrl, storageDir, appUrl: null, appKey: null })
process.stdout.write('ready\n')
const res = await runLoad({
  store,
  source: 'helpscout',
  target,
  config: defaultMappingConfig({ mailboxes: { '*': Number(mailboxId) }, statuses: { '*': 'from-canonical' } }),
  runId,
  now: () => new Date(),
  signal: new AbortController().signal,
  gate: new SideEffectGate('apply'),
  batchSize: 7,
})
await target.close()
store.close()
process.stdout.write(JSON.stringify({ status: res.status, counts: res.counts, rejected: res.rejectedTotal }) + '\n')
