// `npm run bench`: prints the figures the README's performance section quotes. Not a test: nothing here fails a build.
import { benchRate, benchRequests, benchThroughput } from './helpscout.js'
import { benchFreescout, benchFreescoutApply } from './freescout.js'
import { benchZnuny } from './znuny.js'
import { benchZendeskRate, benchZendeskRequests } from './zendesk.js'
import { probeDatabases } from '../src/testing/test-databases.js'
import { benchExport } from './export.js'
import { benchConnections, benchEmbeddedStartup, benchFreescoutEmbedded, benchSocketVsDirect } from './embedded-pg.js'

const args = new Set(process.argv.slice(2))
const quick = args.has('--quick')
const only = [...args].find((a) => a.startsWith('--only='))?.slice(7)

function print(name: string, result: Record<string, unknown>): void {
  process.stdout.write(`${name}\n${Object.entries(result).map(([k, v]) => `  ${k.padEnd(30)} ${String(v)}`).join('\n')}\n\n`)
}

const benches: [string, () => Promise<Record<string, unknown>>][] = [
  ['helpscout: requests per 1,000 conversations', () => benchRequests(quick ? 500 : 2000)],
  // Real accounts list some customers without `_embedded`: their details cost a Get Customer each.
  ['helpscout: requests per 1,000 conversations (sparse payloads: customers\' sub-resources)', () => benchRequests(quick ? 500 : 2000, 'sparse')],
  ['helpscout: pacing at a 400/min budget', () => benchRate(400, quick ? 30 : 130)],
  ['helpscout: staging throughput (no rate limit, attachments off)', () => benchThroughput(quick ? 2000 : 20000)],
  ['helpscout: peak RSS at 25,000 conversations', () => benchThroughput(quick ? 5000 : 25000)],
  ['helpscout: peak RSS at 100,000 conversations', () => benchThroughput(quick ? 10000 : 100000)],
  ['export: jsonl, eml and both, then extract archive, 2,000 Help Scout conversations', () => benchExport(quick ? 300 : 2000)],
  ['znuny (simulator): apply, 7.1 article array vs 7.0 TicketUpdate per article', () => benchZnuny({ tickets: quick ? 100 : 500, messages: 5 })],
  ['zendesk: requests per 1,000 tickets (comments per ticket vs ticket events)', () => benchZendeskRequests(quick ? 300 : 2000)],
  ['zendesk: pacing at a 400/min account budget and the exports\' 10/min', () => benchZendeskRate(400, 10, quick ? 30 : 130)],
]

const db = await probeDatabases()
const fs = (dialect: 'mysql' | 'postgres', conversations: number) => () => benchFreescout({ dialect, conversations, threadsPer: 5, attachmentBytes: 2048 })
if (db.mysql) {
  benches.push(['freescout (MariaDB): apply and verify, 2,000 conversations', fs('mysql', quick ? 500 : 2000)])
  benches.push(['freescout (MariaDB): apply and verify, 10,000 conversations', fs('mysql', quick ? 2000 : 10000)])
  // Issue 12 item 11: attachments are streamed at apply whatever their size or type (goal: < 300 MB RSS).
  benches.push(['freescout (MariaDB): apply one conversation with a 2 GB attachment (peak RSS)', () => benchFreescoutApply({ dialect: 'mysql', conversations: 1, threadsPer: 1, attachmentBytes: quick ? 256 * 2 ** 20 : 2 * 2 ** 30 })])
} else process.stdout.write(`freescout (MariaDB): skipped, ${db.reasons.mysql}\n\n`)
if (db.postgres) benches.push(['freescout (PostgreSQL): apply and verify, 2,000 conversations', fs('postgres', quick ? 500 : 2000)])
else process.stdout.write(`freescout (PostgreSQL): skipped, ${db.reasons.postgres}\n\n`)

// The embedded PostgreSQL (PGlite) of `deskmove demo`: needs no database service.
benches.push(['embedded PostgreSQL: startup', () => benchEmbeddedStartup()])
benches.push(['embedded PostgreSQL: pglite-socket connections with a pg Pool of 4', () => benchConnections()])
benches.push(['embedded PostgreSQL: SQL-kit writes through pglite-socket + pg vs PGlite directly', () => benchSocketVsDirect(quick ? 3 : 10)])
benches.push(['embedded PostgreSQL: FreeScout apply and verify through pglite-socket', () => benchFreescoutEmbedded(quick ? 300 : 2000)])

for (const [name, fn] of benches) {
  if (only && !name.includes(only)) continue
  print(name, await fn())
}
