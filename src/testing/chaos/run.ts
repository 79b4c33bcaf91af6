// `npm run chaos`: the crash, fault and hostile-input campaign (issue 12), black-box through the built CLI.
// Usage: npm run chaos -- [--rounds N] [--only extract|apply|faults|hostile|concurrent] [--seed S] [--quick] [--keep]
import { rmSync } from 'node:fs'
import { applyKillCampaign } from './apply-kills.js'
import { concurrentCampaign } from './concurrent.js'
import { extractKillCampaign } from './extract-kills.js'
import { faultCampaign } from './faults.js'
import { hostileCampaign } from './hostile.js'
import { renderTable } from './table.js'
import { addFigures, campaignRoot, emptyFigures, type CampaignResult, type ChaosSettings, type Verdict } from './shared.js'

const CAMPAIGNS = {
  extract: extractKillCampaign,
  apply: applyKillCampaign,
  faults: faultCampaign,
  hostile: hostileCampaign,
  concurrent: concurrentCampaign,
} as const
type CampaignName = keyof typeof CAMPAIGNS

interface Args {
  rounds: number
  seed: number
  quick: boolean
  keep: boolean
  only: CampaignName[]
  dir?: string
}

function parseArgs(argv: readonly string[]): Args {
  const a: Args = { rounds: 5, seed: 1, quick: false, keep: false, only: Object.keys(CAMPAIGNS) as CampaignName[] }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    const value = (): string => {
      const v = argv[++i]
      if (v === undefined) throw new Error(`${arg} needs a value`)
      return v
    }
    const int = (v: string): number => {
      const n = Number(v)
      if (!Number.isInteger(n) || n < 0) throw new Error(`${arg} must be a non-negative integer`)
      return n
    }
    if (arg === '--rounds') a.rounds = int(value())
    else if (arg === '--seed') a.seed = int(value())
    else if (arg === '--quick') a.quick = true
    else if (arg === '--keep') a.keep = true
    else if (arg === '--dir') a.dir = value()
    else if (arg === '--only') {
      const names = value().split(',').map((x) => x.trim())
      for (const n of names) if (!(n in CAMPAIGNS)) throw new Error(`--only: unknown campaign "${n}" (one of ${Object.keys(CAMPAIGNS).join(', ')})`)
      a.only = names as CampaignName[]
    } else if (arg === '--help' || arg === '-h') {
      process.stdout.write('npm run chaos -- [--rounds N] [--only extract|apply|faults|hostile|concurrent[,…]] [--seed S] [--quick] [--keep] [--dir D]\n')
      process.exit(0)
    } else throw new Error(`unknown argument ${arg}`)
  }
  return a
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2))
  const root = campaignRoot(args.dir)
  const log = (line: string): void => void process.stderr.write(`[chaos] ${line}\n`)
  const s: ChaosSettings = { seed: args.seed, rounds: args.rounds, quick: args.quick, root, log }
  log(`seed ${args.seed}, ${args.rounds} round(s), ${args.quick ? 'quick' : 'full'} mode, campaigns ${args.only.join(', ')}, work dirs under ${root}`)
  const total = emptyFigures()
  const verdicts: Verdict[] = []
  const skipped: string[] = []
  const started = Date.now()
  for (const name of args.only) {
    log(`campaign ${name}…`)
    let result: CampaignResult
    try {
      result = await CAMPAIGNS[name](s)
    } catch (e) {
      // A campaign that cannot run is a failure of the check, never a silent pass.
      result = { figures: emptyFigures(), verdicts: [{ campaign: name, name: 'campaign', pass: false, detail: `could not run: ${(e as Error).stack ?? String(e)}`.slice(0, 600) }] }
    }
    if (result.skipped) skipped.push(`${name}: ${result.skipped}`)
    addFigures(total, result.figures)
    verdicts.push(...result.verdicts)
  }
  const failed = verdicts.filter((v) => !v.pass).length
  process.stdout.write(renderTable({ seed: args.seed, seconds: Math.round((Date.now() - started) / 1000), figures: total, verdicts, skipped }))
  if (!args.keep && failed === 0) rmSync(root, { recursive: true, force: true })
  else log(`work dirs kept under ${root}`)
  return failed === 0 ? 0 : 1
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`chaos: ${(e as Error).message}\n`)
    process.exit(2)
  },
)
