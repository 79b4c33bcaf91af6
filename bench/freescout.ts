// Bench of the FreeScout target: a synthetic canonical dataset is staged directly (no source), applied into a
// stand-in FreeScout on a scratch database, then verified. Prints conversations per second and peak RSS.
// Run alone: `node dist/bench/freescout.js [--dialect=mysql|postgres] [--conversations=N] [--phase=apply|verify|both]
// [--threads=5] [--attachments=1] [--attachment-bytes=2048] [--tags=1] [--storage-root=DIR]`; prints one JSON line.
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { defaultMappingConfig, type MappingConfig } from '../src/core/mapping-config.js'
import { openStagingStore, type StagingStore } from '../src/staging/store.js'
import { upsertRecord } from '../src/staging/records.js'
import { applyPlan } from '../src/engine/plan-file.js'
import { createScratchDatabase, type ScratchDatabase } from '../src/testing/test-databases.js'
import { makeAgent, makeAttachment, makeCustomer, makeMessage, makeTicket } from '../src/testing/canonical-factories.js'
import { createFreescoutStandIn } from '../adapters/targets/freescout/standin/index.js'
import { createFreescoutTarget, type FreescoutTarget } from '../adapters/targets/freescout/index.js'
import { verifyTarget } from '../src/engine/verify-target.js'

/** The shape of the synthetic dataset. */
export interface FreescoutBenchOptions {
  readonly dialect: 'mysql' | 'postgres'
  readonly conversations: number
  /** Messages per conversation (the import note comes on top); default 5. */
  readonly threadsPer?: number
  /** Bytes per attachment; default 2048. */
  readonly attachmentBytes?: number
  /** Attachments per conversation, on its first messages; default 1. */
  readonly attachmentsPer?: number
  /** Tags per conversation from a small vocabulary; default 1. */
  readonly tagsPer?: number
  /**
   * Where the stand-in's attachment storage goes (default the OS temp dir). Creating a file costs some
   * 20 µs of kernel time on a usual disk but can cost 40× that on some virtual disks; `/dev/shm` isolates the engine.
   */
  readonly storageRoot?: string
}

/** A flat result, printed as `key value` lines by bench/run.ts. */
export type BenchFigures = Record<string, number | string>

const SOURCE = 'helpscout'
const AGENTS = 5
const TICKETS_PER_TX = 500
const T0 = Date.UTC(2023, 0, 1) / 1000

const pad = (n: number) => String(n).padStart(7, '0')
const iso = (seconds: number) => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z')

/** Deterministic bytes for one attachment, distinct per attachment so the blob store keeps one file each. */
function attachmentBytes(id: string, size: number): Buffer {
  const out = Buffer.alloc(size)
  let block = createHash('sha256').update(id).digest()
  for (let i = 0; i < size; i += block.length) {
    block.copy(out, i)
    block = createHash('sha256').update(block).digest()
  }
  return out
}

/**
 * Writes a blob where `BlobStore` keeps it. `BlobStore.put` fsyncs each blob (right for extract, where a crash
 * must not lose bytes) and would make building a 20,000-attachment fixture take minutes; the layout is the same.
 */
function putBlob(store: StagingStore, bytes: Buffer): string {
  const sha256 = createHash('sha256').update(bytes).digest('hex')
  const path = store.blobs.pathFor(sha256)
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, bytes)
  return sha256
}

/** Above this size a blob is generated in chunks, so the bench process never holds the whole file (2 GB runs). */
const LARGE_BLOB_BYTES = 64 * 2 ** 20

/** Like `putBlob` for one large attachment: written and hashed 1 MB at a time through a temp file. */
function putLargeBlob(store: StagingStore, id: string, size: number): string {
  const hash = createHash('sha256')
  const tmp = `${store.blobs.pathFor('0'.repeat(64))}.${process.pid}.tmp`
  mkdirSync(dirname(tmp), { recursive: true })
  const fd = openSync(tmp, 'w')
  try {
    const chunk = attachmentBytes(id, 2 ** 20)
    for (let left = size; left > 0; left -= chunk.length) {
      const part = left >= chunk.length ? chunk : chunk.subarray(0, left)
      hash.update(part)
      writeSync(fd, part)
    }
  } finally {
    closeSync(fd)
  }
  const sha256 = hash.digest('hex')
  const path = store.blobs.pathFor(sha256)
  mkdirSync(dirname(path), { recursive: true })
  renameSync(tmp, path)
  return sha256
}

/** Stages agents, customers and tickets with their messages and attachments, a transaction per 500 tickets. */
export function stageBenchDataset(store: StagingStore, o: FreescoutBenchOptions): { customers: number; messages: number; attachments: number } {
  const threadsPer = o.threadsPer ?? 5
  const size = o.attachmentBytes ?? 2048
  const perConv = Math.min(o.attachmentsPer ?? 1, threadsPer)
  const tagsPer = o.tagsPer ?? 1
  const customers = Math.max(1, Math.ceil(o.conversations / 2))
  const now = '2024-01-01T00:00:00.000Z'
  const db = store.db
  db.transaction(() => {
    for (let a = 1; a <= AGENTS; a++) upsertRecord(db, makeAgent(`a${a}`, { source: SOURCE }), null, 'bench', 'bench', now)
  })()
  for (let start = 1; start <= customers; start += TICKETS_PER_TX) {
    db.transaction(() => {
      for (let c = start; c < Math.min(customers + 1, start + TICKETS_PER_TX); c++)
        upsertRecord(db, makeCustomer(`c${pad(c)}`, { source: SOURCE, emails: [{ value: `customer${c}@bench.example`, type: 'work' }] }), null, 'bench', 'bench', now)
    })()
  }
  let messages = 0
  let attachments = 0
  for (let start = 1; start <= o.conversations; start += TICKETS_PER_TX) {
    db.transaction(() => {
      for (let n = start; n < Math.min(o.conversations + 1, start + TICKETS_PER_TX); n++) {
        const id = `t${pad(n)}`
        const customer = { kind: 'customer' as const, sourceId: `c${pad(((n - 1) % customers) + 1)}` }
        const agent = { kind: 'agent' as const, sourceId: `a${(n % AGENTS) + 1}` }
        const opened = T0 + n * 60
        const closed = n % 3 === 0
        upsertRecord(
          db,
          makeTicket(id, {
            source: SOURCE,
            number: n,
            subject: `Bench conversation ${n}: order question`,
            status: closed ? 'closed' : n % 3 === 1 ? 'open' : 'pending',
            vendorStatus: closed ? 'closed' : 'active',
            assigneeRef: agent,
            customerRef: customer,
            createdByRef: customer,
            tags: Array.from({ length: tagsPer }, (_, i) => `topic-${(n + i) % 20}`),
            createdAt: iso(opened),
            updatedAt: iso(opened + threadsPer * 600),
            closedAt: closed ? iso(opened + threadsPer * 600) : null,
            closedByRef: closed ? agent : null,
          }),
          null,
          'bench',
          'bench',
          now,
        )
        for (let m = 0; m < threadsPer; m++) {
          const mid = `${id}-m${m}`
          const fromCustomer = m % 2 === 0
          const body = `<p>${fromCustomer ? 'Hello, about my order' : 'Thanks for writing'} (${mid}). ${'Some words of the message body. '.repeat(8)}</p>`
          upsertRecord(
            db,
            makeMessage(mid, id, m, {
              source: SOURCE,
              type: fromCustomer ? 'customer_message' : 'agent_reply',
              author: fromCustomer ? { role: 'customer', ref: customer, name: null, email: null } : { role: 'agent', ref: agent, name: null, email: null },
              bodyHtml: body,
              bodyText: null,
              from: null,
              createdAt: iso(opened + m * 600),
              messageId: fromCustomer ? `<${mid}@mail.bench.example>` : null,
            }),
            null,
            'bench',
            'bench',
            now,
          )
          messages++
          if (m >= perConv) continue
          const aid = `${id}-a${m}`
          const sha256 = size > LARGE_BLOB_BYTES ? putLargeBlob(store, aid, size) : putBlob(store, attachmentBytes(aid, size))
          upsertRecord(db, makeAttachment(aid, id, mid, { source: SOURCE, fileName: `invoice-${n}-${m}.txt`, size, sha256 }), null, 'bench', 'bench', now)
          attachments++
        }
      }
    })()
  }
  return { customers, messages, attachments }
}

/** Peak resident memory (VmHWM) in MB; `resourceUsage().maxRSS` where /proc is absent. */
function peakRssMb(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))
    if (m) return Number(m[1]) / 1024
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS / 1024
}

const rssMb = () => +(process.memoryUsage.rss() / 2 ** 20).toFixed(1)

/** A full garbage collection, also without `--expose-gc` (the flag can be turned on at run time). */
function collectGarbage(): void {
  const exposed = (globalThis as { gc?: () => void }).gc
  if (exposed) return exposed()
  setFlagsFromString('--expose-gc')
  ;(runInNewContext('gc') as () => void)()
}

/**
 * Starts a measuring window: flushes the file system (the dataset's blobs were written moments ago, long
 * before in real use) and starts a fresh peak-RSS window (Linux: clear_refs 5) so building it does not count.
 */
function resetPeakRss(): boolean {
  try {
    execFileSync('sync')
  } catch {
    // no sync(1): the timing then includes some write-back of the dataset
  }
  collectGarbage()
  try {
    writeFileSync('/proc/self/clear_refs', '5')
    return true
  } catch {
    return false
  }
}

interface Fixture {
  readonly store: StagingStore
  readonly target: FreescoutTarget
  readonly storageDir: string
  readonly config: MappingConfig
  readonly staged: { customers: number; messages: number; attachments: number }
  close(): Promise<void>
}

async function openFixture(o: FreescoutBenchOptions): Promise<Fixture> {
  const tmp = mkdtempSync(join(tmpdir(), 'deskmove-bench-fs-'))
  const storageTmp = o.storageRoot ? mkdtempSync(join(o.storageRoot, 'deskmove-bench-fs-')) : tmp
  const storageDir = join(storageTmp, 'storage')
  const store = openStagingStore(join(tmp, 'staging.db'))
  let scratch: ScratchDatabase | null = null
  try {
    const staged = stageBenchDataset(store, o)
    scratch = await createScratchDatabase(o.dialect, 'bench')
    const standIn = await createFreescoutStandIn({ dbUrl: scratch.url, storageDir, mailboxes: 1 })
    const target = createFreescoutTarget({ dbUrl: scratch.url, storageDir, appUrl: null, appKey: null })
    const config = defaultMappingConfig({ mailboxes: { '*': standIn.mailboxes[0]!.id }, statuses: { '*': 'from-canonical' } })
    const db = scratch
    return {
      store,
      target,
      storageDir,
      config,
      staged,
      async close() {
        await target.close()
        await db.drop()
        store.close()
        for (const dir of new Set([tmp, storageTmp])) rmSync(dir, { recursive: true, force: true })
      },
    }
  } catch (e) {
    await scratch?.drop()
    store.close()
    for (const dir of new Set([tmp, storageTmp])) rmSync(dir, { recursive: true, force: true })
    throw e
  }
}

const signal = new AbortController().signal

/** CPU seconds this process spent (user + system) since `from`, to tell CPU-bound from waiting. */
const cpuSince = (from: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(from)
  return +((u.user + u.system) / 1e6).toFixed(2)
}

async function timeApply(f: Fixture, o: FreescoutBenchOptions): Promise<BenchFigures> {
  const clean = resetPeakRss()
  const startRss = rssMb()
  const cpu = process.cpuUsage()
  const started = performance.now()
  const res = await applyPlan({ store: f.store, source: SOURCE, target: f.target, config: f.config, now: () => new Date(), signal })
  const seconds = (performance.now() - started) / 1000
  return {
    dialect: o.dialect,
    conversations: o.conversations,
    storage: o.storageRoot ?? tmpdir(),
    threads: f.staged.messages,
    attachments: f.staged.attachments,
    customers: f.staged.customers,
    applied: (res.counts.ticket?.create ?? 0) + (res.counts.ticket?.update ?? 0),
    rejected: res.rejectedTotal,
    seconds: +seconds.toFixed(2),
    cpuSeconds: cpuSince(cpu),
    conversationsPerSecond: Math.round(o.conversations / seconds),
    startRssMb: startRss,
    peakRssMb: +peakRssMb().toFixed(1),
    rssWindow: clean ? 'apply only' : 'whole process',
  }
}

async function timeVerify(f: Fixture, o: FreescoutBenchOptions): Promise<BenchFigures> {
  const clean = resetPeakRss()
  const startRss = rssMb()
  const cpu = process.cpuUsage()
  const started = performance.now()
  const res = await verifyTarget({ store: f.store, source: SOURCE, target: f.target, config: f.config, signal })
  const seconds = (performance.now() - started) / 1000
  return {
    dialect: o.dialect,
    conversations: o.conversations,
    storage: o.storageRoot ?? tmpdir(),
    checked: res.checked,
    matching: res.matching,
    differ: res.differ + res.missing + res.errors,
    checkFindings: res.checksTotal,
    seconds: +seconds.toFixed(2),
    cpuSeconds: cpuSince(cpu),
    conversationsPerSecond: Math.round(res.checked / seconds),
    startRssMb: startRss,
    peakRssMb: +peakRssMb().toFixed(1),
    rssWindow: clean ? 'verify only' : 'whole process',
  }
}

/** Stages the dataset, then times `applyPlan` into an empty stand-in FreeScout. */
export async function benchFreescoutApply(o: FreescoutBenchOptions): Promise<BenchFigures> {
  const f = await openFixture(o)
  try {
    return await timeApply(f, o)
  } finally {
    await f.close()
  }
}

/** Stages and applies the dataset (untimed), then times `verifyTarget` over every conversation. */
export async function benchFreescoutVerify(o: FreescoutBenchOptions): Promise<BenchFigures> {
  const f = await openFixture(o)
  try {
    await applyPlan({ store: f.store, source: SOURCE, target: f.target, config: f.config, now: () => new Date(), signal })
    return await timeVerify(f, o)
  } finally {
    await f.close()
  }
}

/** Both figures over one dataset (apply, then verify of what it wrote), keys prefixed `apply.` / `verify.`. */
export async function benchFreescout(o: FreescoutBenchOptions): Promise<BenchFigures> {
  const f = await openFixture(o)
  try {
    const apply = await timeApply(f, o)
    const verify = await timeVerify(f, o)
    return { ...prefixed('apply', apply), ...prefixed('verify', verify) }
  } finally {
    await f.close()
  }
}

const prefixed = (p: string, x: BenchFigures): BenchFigures => Object.fromEntries(Object.entries(x).map(([k, v]) => [`${p}.${k}`, v]))

async function main(argv: readonly string[]): Promise<void> {
  const arg = (name: string, fallback: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback
  const o: FreescoutBenchOptions = {
    dialect: arg('dialect', 'mysql') === 'postgres' ? 'postgres' : 'mysql',
    conversations: Number(arg('conversations', '2000')),
    threadsPer: Number(arg('threads', '5')),
    attachmentBytes: Number(arg('attachment-bytes', '2048')),
    attachmentsPer: Number(arg('attachments', '1')),
    tagsPer: Number(arg('tags', '1')),
    storageRoot: arg('storage-root', '') || undefined,
  }
  const phase = arg('phase', 'both')
  const result = phase === 'apply' ? await benchFreescoutApply(o) : phase === 'verify' ? await benchFreescoutVerify(o) : await benchFreescout(o)
  process.stdout.write(`${JSON.stringify(result)}\n`)
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main(process.argv.slice(2))
