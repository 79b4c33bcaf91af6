// `npm run bench`: prints the figures the README's performance section quotes. Not a test: nothing here fails a build.
import { benchRate, benchRequests, benchThroughput } from './helpscout.js'

const args = new Set(process.argv.slice(2))
const quick = args.has('--quick')
const only = [...args].find((a) => a.startsWith('--only='))?.slice(7)

function print(name: string, result: Record<string, unknown>): void {
  process.stdout.write(`${name}\n${Object.entries(result).map(([k, v]) => `  ${k.padEnd(30)} ${String(v)}`).join('\n')}\n\n`)
}

const benches: [string, () => Promise<Record<string, unknown>>][] = [
  ['helpscout: requests per 1,000 conversations', () => benchRequests(quick ? 500 : 2000)],
  ['helpscout: pacing at a 400/min budget', () => benchRate(400, quick ? 30 : 130)],
  ['helpscout: staging throughput (no rate limit, attachments off)', () => benchThroughput(quick ? 2000 : 20000)],
  ['helpscout: peak RSS at 25,000 conversations', () => benchThroughput(quick ? 5000 : 25000)],
  ['helpscout: peak RSS at 100,000 conversations', () => benchThroughput(quick ? 10000 : 100000)],
]

for (const [name, fn] of benches) {
  if (only && !name.includes(only)) continue
  print(name, await fn())
}
