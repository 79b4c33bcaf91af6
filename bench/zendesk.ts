// Zendesk figures for `npm run bench`: requests per 1,000 tickets against the API's minimum (comments per
// ticket, as the adapter reads them, and by the ticket-events export, measured on the same account), and the
// achieved request rate against each budget: the account's and the incremental exports' own 10 per minute.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { measureCli } from './harness.js'
import { startZendeskSimulator, type ZendeskSimulator } from '../adapters/sources/zendesk/simulator/server.js'

const tmpDb = (): string => join(mkdtempSync(join(tmpdir(), 'deskmove-bench-zd-')), 'staging.db')
const isExport = (route: string): boolean => route.includes('/incremental/')
const isFile = (route: string): boolean => /\/attachments\/token\/|\/zdusercontent\//.test(route)

function split(requests: Record<string, number>): { exports: number; files: number; general: number } {
  const out = { exports: 0, files: 0, general: 0 }
  for (const [route, n] of Object.entries(requests)) {
    if (isExport(route)) out.exports += n
    else if (isFile(route)) out.files += n
    else out.general += n
  }
  return out
}

/** Reads every comment through `incremental/ticket_events?include=comment_events`: requests it takes, comments found. */
async function commentsByEvents(sim: ZendeskSimulator): Promise<{ requests: number; comments: number }> {
  const auth = `Basic ${Buffer.from(`${sim.env.ZENDESK_EMAIL}/token:${sim.env.ZENDESK_API_TOKEN}`).toString('base64')}`
  let url: string | null = `${sim.env.ZENDESK_BASE_URL}/incremental/ticket_events.json?start_time=0&include=comment_events`
  const seen = new Set<string>()
  let requests = 0
  while (url) {
    const res = await fetch(url, { headers: { authorization: auth } })
    requests++
    const body = (await res.json()) as { ticket_events?: { child_events?: { id?: number; event_type?: string }[] }[]; next_page?: string | null; end_of_stream?: boolean }
    for (const e of body.ticket_events ?? []) for (const c of e.child_events ?? []) if (c.event_type === 'Comment') seen.add(String(c.id))
    url = body.end_of_stream ? null : body.next_page ?? null
  }
  return { requests, comments: seen.size }
}

/** Requests a full extract (bytes included) makes per 1,000 tickets, against the minimum the API allows. */
export async function benchZendeskRequests(tickets: number, profile: 'full' | 'sparse' = 'full'): Promise<Record<string, unknown>> {
  const sim = await startZendeskSimulator({ tickets, seed: 3, rpm: null, exportRpm: 1_000_000, profile })
  try {
    const run = await measureCli(['--db', tmpDb(), '--json', 'extract', 'zendesk', '--rpm', '1000000', '--concurrency', '4'], { ...sim.env, ZENDESK_EXPORT_RPM: '1000000' })
    const stats = sim.stats()
    const m = sim.manifest()
    const minimum = m.minimumRequests.totalWithCommentsPerTicket!
    const perK = (n: number): number => +((n / tickets) * 1000).toFixed(1)
    const parts = split(stats.requests)
    const comments = Object.entries(stats.requests).filter(([r]) => r.includes('/comments')).reduce((a, [, n]) => a + n, 0)
    const events = await commentsByEvents(sim)
    return {
      tickets,
      profile,
      exit: run.code,
      seconds: +run.seconds.toFixed(1),
      requests: stats.total,
      minimumRequests: minimum,
      ratioToMinimum: +(stats.total / minimum).toFixed(3),
      requestsPer1000Tickets: perK(stats.total),
      minimumPer1000Tickets: perK(minimum),
      'per1000.exportRequests': perK(parts.exports),
      'per1000.fileRequests (302 + signed link)': perK(parts.files),
      'per1000.otherApiRequests': perK(parts.general),
      'comments: per-ticket requests': comments,
      'comments: ticket-events requests': `${events.requests} (${events.comments} of ${m.counts.comments} comments)`,
    }
  } finally {
    await sim.close()
  }
}

/**
 * Achieved request rate against each budget, over more than one window of each: the exports' own (reading the
 * users export of a large account, which is nothing but export pages) and the account's (then reading tickets,
 * whose per-ticket comment reads are general requests, once the directory streams are staged).
 */
export async function benchZendeskRate(rpm: number, exportRpm: number, seconds: number): Promise<Record<string, unknown>> {
  const sim = await startZendeskSimulator({ tickets: 20_000, seed: 5, rpm, exportRpm, profile: 'full' })
  try {
    const db = tmpDb()
    const env = { ...sim.env, ZENDESK_EXPORT_RPM: String(exportRpm) }
    // Counted over exactly `seconds` from the start of each run (a stopped run still finishes its page after).
    // (or until the run ends by itself, when the work is done sooner).
    const window = async (args: string[], runEnv: Record<string, string>, count: () => number): Promise<{ n: number; minutes: number }> => {
      const at = count()
      const started = Date.now()
      const run = measureCli(args, runEnv, { stopAfterMs: seconds * 1000 })
      await Promise.race([run, new Promise((r) => setTimeout(r, seconds * 1000))])
      const out = { n: count() - at, minutes: (Date.now() - started) / 60_000 }
      await run
      return out
    }
    const exportsDone = await window(['--db', db, '--json', 'extract', 'zendesk', '--streams', 'users', '--rpm', String(rpm), '--no-attachments'], env, () => split(sim.stats().requests).exports)
    const throttledExports = sim.stats().throttled
    // The rest of the directory at full speed (not measured), then the tickets stream at the account budget.
    await measureCli(['--db', db, '--json', 'extract', 'zendesk', '--streams', 'users,groups,fields', '--rpm', '1000000', '--no-attachments'], { ...sim.env, ZENDESK_EXPORT_RPM: '1000000' })
    const throttledBefore = sim.stats().throttled
    const general = await window(['--db', db, '--json', 'extract', 'zendesk', '--rpm', String(rpm), '--no-attachments'], env, () => split(sim.stats().requests).general)
    const exportRate = exportsDone.n / exportsDone.minutes
    const generalRate = general.n / general.minutes
    return {
      exportBudgetRpm: exportRpm,
      exportSeconds: +(exportsDone.minutes * 60).toFixed(1),
      exportRequests: exportsDone.n,
      achievedExportRpm: +exportRate.toFixed(1),
      achievedPctOfExportBudget: +((exportRate / exportRpm) * 100).toFixed(1),
      answered429DuringExports: throttledExports,
      budgetRpm: rpm,
      generalSeconds: +(general.minutes * 60).toFixed(1),
      generalRequests: general.n,
      achievedRpm: +generalRate.toFixed(1),
      achievedPctOfBudget: +((generalRate / rpm) * 100).toFixed(1),
      answered429DuringTickets: sim.stats().throttled - throttledBefore,
    }
  } finally {
    await sim.close()
  }
}
