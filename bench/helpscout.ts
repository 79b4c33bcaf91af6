import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { lastJsonLine, measureCli, startSimProcess } from './harness.js'

const tmpDb = (): string => join(mkdtempSync(join(tmpdir(), 'deskmove-bench-')), 'staging.db')

interface SimStats {
  total: number
  throttled: number
  /** Requests per route pattern. */
  requests: Record<string, number>
}

/** Route groups of the request breakdown (everything else is the listing itself). */
const GROUPS: readonly [string, RegExp][] = [
  ['customerSubResources', /^GET \/v2\/customers\/\{id\}/],
  ['chatThreads', /^GET \/v2\/conversations\/\{id\}\/threads$/],
  ['attachmentFiles', /^GET \/v2\/conversations\/\{id\}\/attachments\//],
  ['inlineImages', /^GET \/cdn\//],
]

function byGroup(requests: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = { listings: 0, customerSubResources: 0, chatThreads: 0, attachmentFiles: 0, inlineImages: 0 }
  for (const [route, n] of Object.entries(requests)) {
    const group = GROUPS.find(([, re]) => re.test(route))?.[0] ?? 'listings'
    out[group] = (out[group] ?? 0) + n
  }
  return out
}

/** Requests a full extract makes per 1,000 conversations, against the minimum the API allows. */
export async function benchRequests(conversations: number, profile: 'full' | 'sparse' = 'full'): Promise<Record<string, unknown>> {
  const sim = await startSimProcess(['--conversations', String(conversations), '--rpm', '0', '--seed', '3', '--profile', profile])
  try {
    const run = await measureCli(['--db', tmpDb(), '--json', 'extract', 'helpscout', '--rpm', '1000000'], sim.env)
    const stats = (await sim.json('/_sim/stats')) as SimStats
    const manifest = (await sim.json('/_sim/manifest')) as { minimumRequests: number; inlineImageRequests: number }
    // The least a complete extract can spend: the API's minimum plus one download per inline CDN image.
    const minimum = manifest.minimumRequests + manifest.inlineImageRequests
    const per1000 = (n: number): number => +((n / conversations) * 1000).toFixed(1)
    const groups = byGroup(stats.requests)
    return {
      conversations,
      profile,
      exit: run.code,
      requests: stats.total,
      minimumRequests: minimum,
      ratioToMinimum: +(stats.total / minimum).toFixed(3),
      requestsPer1000Conversations: per1000(stats.total),
      minimumPer1000Conversations: per1000(minimum),
      ...Object.fromEntries(Object.entries(groups).map(([k, n]) => [`per1000.${k}`, per1000(n)])),
    }
  } finally {
    await sim.stop()
  }
}

/** Achieved request rate against a budget equal to the server's own limit, over more than one window. */
export async function benchRate(rpm: number, seconds: number): Promise<Record<string, unknown>> {
  const sim = await startSimProcess(['--conversations', '60000', '--rpm', String(rpm), '--seed', '5'])
  try {
    const run = await measureCli(['--db', tmpDb(), '--json', 'extract', 'helpscout', '--rpm', String(rpm), '--no-attachments'], sim.env, { stopAfterMs: seconds * 1000 })
    const stats = (await sim.json('/_sim/stats')) as SimStats
    const achieved = stats.total / (run.seconds / 60)
    return {
      budgetRpm: rpm,
      seconds: +run.seconds.toFixed(1),
      requests: stats.total,
      achievedRpm: +achieved.toFixed(1),
      achievedPctOfBudget: +((achieved / rpm) * 100).toFixed(1),
      answered429: stats.throttled,
      pct429: +((stats.throttled / Math.max(1, stats.total)) * 100).toFixed(2),
      exit: run.code,
    }
  } finally {
    await sim.stop()
  }
}

/** Staging throughput with no rate limit and attachments off, and peak RSS of the extracting process. */
export async function benchThroughput(conversations: number): Promise<Record<string, unknown>> {
  const sim = await startSimProcess(['--conversations', String(conversations), '--rpm', '0', '--seed', '9'])
  try {
    const db = tmpDb()
    const run = await measureCli(['--db', db, '--json', 'extract', 'helpscout', '--rpm', '1000000', '--concurrency', '4', '--no-attachments'], sim.env)
    const status = await measureCli(['--db', db, '--json', 'status'], {})
    const counts = (lastJsonLine(status.stdout).counts ?? {}) as Record<string, number>
    const messages = counts.messages ?? 0
    return {
      conversations,
      exit: run.code,
      seconds: +run.seconds.toFixed(1),
      stagedMessages: messages,
      messagesPerSecond: Math.round(messages / run.seconds),
      recordsPerSecond: Math.round(Object.values(counts).reduce((a, b) => a + b, 0) / run.seconds),
      peakRssMb: +run.peakRssMb.toFixed(1),
    }
  } finally {
    await sim.stop()
  }
}
