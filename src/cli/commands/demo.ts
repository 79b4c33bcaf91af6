// `deskmove demo`: the whole pipeline on a fresh machine, with no credentials and no database service. Every
// registered source that ships a simulator is served in-process (deterministic seed, a few tickets), extracted
// into its own staging store, planned (report written), applied into ONE FreeScout stand-in, verified, and
// exported as a vendor-neutral archive.
//
// One stand-in with one mailbox per source (not one stand-in per source): that is what a team consolidating
// several helpdesks into one FreeScout gets, it is one database to open and look at, and with the embedded
// default there is a single PGlite to start (its first start runs initdb, ~5 s on the project machine).
import { writeFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { SOURCES, findTarget } from '../../../adapters/index.js'
import type { AnySourceDefinition } from '../../core/source.js'
import type { RunningSimulator, SimulatorContext, SimulatorDefinition } from '../../core/simulator.js'
import { TargetContractError, UsageError } from '../../core/errors.js'
import { EXIT } from '../../core/exit-codes.js'
import { dialectOfUrl, redactDbUrl } from '../../kits/sql/index.js'
import { formatVerifyCounts, hasDifferences, type VerifyResult } from '../../engine/verify.js'
import type { CommandContext, CommandResult, SummaryRow } from '../command.js'
import { renderSummaryTable } from '../render/summary-table.js'
import { runExtractCommand } from './extract.js'
import { runPlanCommand } from './plan.js'
import { runApplyCommand } from './apply.js'
import { verifyTarget, verifyText } from './verify.js'
import { runExportCommand } from './export.js'
import { envLines } from './simulate.js'
import { prepareDemoFolder, sourcePaths, STAND_IN_DB, STAND_IN_STORAGE, type SourcePaths } from './demo-folder.js'

export interface DemoCommandOptions {
  readonly dir?: string
  readonly dbUrl?: string
  readonly tickets: number
  readonly serve?: boolean
}

/** Same seed, same demo: every run stages, writes and reports the same records. */
export const DEMO_SEED = 7
export const DEMO_TICKETS = 25
/** The simulators run on this machine without a rate limit; the client's pacing is lifted to match. */
const DEMO_RPM = 60_000
const TARGET = 'freescout'
const GiB = 1024 ** 3

interface SourceOutcome {
  readonly source: string
  readonly paths: SourcePaths
  readonly rows: SummaryRow[]
  readonly verify: VerifyResult
  readonly openRejects: number
  readonly applyRunId: string | null
  readonly seconds: number
}

/** The simulator's option values: its defaults, with the demo's seed, size, a free port and no rate limit. */
function simulatorValues(def: SimulatorDefinition, tickets: number, warn: (m: string) => void): Record<string, unknown> {
  const values: Record<string, unknown> = Object.fromEntries(def.options.filter((o) => o.default !== undefined).map((o) => [o.key, o.default]))
  const keys = new Set(def.options.map((o) => o.key))
  // Simulators name their size option after the vendor's word for a ticket.
  const sizeKeys = ['tickets', 'conversations'].filter((k) => keys.has(k))
  for (const key of sizeKeys) values[key] = tickets
  if (sizeKeys.length === 0) warn(`the ${def.name} simulator has no --tickets or --conversations option: it serves its default dataset`)
  if (keys.has('seed')) values.seed = DEMO_SEED
  if (keys.has('port')) values.port = 0
  if (keys.has('rpm')) values.rpm = 0
  return values
}

/** The environment without any adapter's settings: the demo must never reach a real vendor or helpdesk. */
function demoEnv(env: CommandContext['env'], adapters: readonly { readonly config: { readonly env: Readonly<Record<string, string>> } }[]): Record<string, string | undefined> {
  const drop = new Set(['DESKMOVE_DB', 'DESKMOVE_CONFIG', ...adapters.flatMap((a) => Object.values(a.config.env))])
  return Object.fromEntries(Object.entries(env).filter(([k]) => !drop.has(k)))
}

/** A deskmove.json sending every mailbox of the source to its own stand-in mailbox, statuses as they are. */
function demoConfigText(mailboxId: number): string {
  return `${JSON.stringify({ mapping: { mailboxes: { '*': mailboxId }, statuses: { '*': 'from-canonical' } } }, null, 2)}\n`
}

const counts = (r: CommandResult): Record<string, Record<string, number>> => ((r.json as { counts?: Record<string, Record<string, number>> } | undefined)?.counts ?? {})

async function demoSource(ctx: CommandContext, def: AnySourceDefinition, mailboxId: number, targetEnv: Readonly<Record<string, string>>, dir: string, o: DemoCommandOptions, simCtx: SimulatorContext): Promise<SourceOutcome> {
  const started = Date.now()
  const paths = sourcePaths(dir, def.id)
  const say = (step: string): void => ctx.reporter.info(`── ${def.id}: ${step}`)
  writeFileSync(paths.config, demoConfigText(mailboxId))
  say(`${def.displayName} simulator, ${o.tickets} tickets (seed ${DEMO_SEED})`)
  const sim = await def.simulator!.start(simulatorValues(def.simulator!, o.tickets, (m) => ctx.reporter.warn(m)), simCtx)
  // The stand-in is ours: its site zone is UTC, so times are written and verified as UTC without a warning.
  const env = { ...demoEnv(ctx.env, [...SOURCES, findTarget(TARGET)]), ...sim.env, ...targetEnv, FREESCOUT_TIMEZONE: 'UTC' }
  const sctx: CommandContext = { ...ctx, dbPath: paths.staging, configPath: paths.config, env, cwd: paths.dir }
  let extracted: CommandResult
  try {
    say(`extract into ${rel(ctx, paths.staging)}`)
    extracted = await runExtractCommand(sctx, def.id, { attachments: true, maxAttachmentBytes: 2 * GiB, rpm: DEMO_RPM })
  } finally {
    await sim.close()
  }
  say(`plan (report: ${rel(ctx, paths.report)})`)
  await runPlanCommand(sctx, TARGET, { out: paths.plan, report: paths.report, from: def.id })
  say('apply the plan')
  const applied = await runApplyCommand(sctx, TARGET, paths.plan, { from: def.id })
  say('verify')
  const verify = await verifyTarget(sctx, TARGET, { from: def.id, combined: paths.combined })
  say(`export the staging store as an archive (JSONL + attachment files + .eml) into ${rel(ctx, paths.archive)}`)
  await runExportCommand(sctx, { out: paths.archive })
  const staged = new Map((extracted.summary?.rows ?? []).map((r) => [r.kind, r]))
  const written = counts(applied)
  // Kinds the target writes as records have apply counts; the others travel inside them (messages in tickets).
  const rows: SummaryRow[] = [...staged.values()].map((r) => {
    const w = written[r.kind]
    const applyCounts = w ? { created: w.create, matched: w.match, unchanged: w.unchanged, skipped: w.skip } : {}
    return { kind: `${def.id} ${r.kind}`, staged: r.staged, ...applyCounts, rejected: (r.rejected ?? 0) + (w?.rejected ?? 0), ...(r.part ? { part: true } : {}) }
  })
  const openRejects = extracted.exitCode === EXIT.rejects || applied.exitCode === EXIT.rejects ? rows.reduce((n, r) => n + (r.rejected ?? 0), 0) : 0
  const applyRunId = (applied.json as { runId?: string } | undefined)?.runId ?? null
  return { source: def.id, paths, rows, verify, openRejects, applyRunId, seconds: (Date.now() - started) / 1000 }
}

const rel = (ctx: CommandContext, p: string): string => {
  const r = relative(ctx.cwd, p)
  return r && !r.startsWith('..') ? r : p
}

/** Where everything is and how to look at it, in the words of the commands that do it. */
function whereText(ctx: CommandContext, dir: string, outcomes: readonly SourceOutcome[], standIn: { embedded: boolean; url: string; storage: string }): string {
  const d = rel(ctx, dir)
  const serveAgain = `npx deskmove simulate freescout --data-dir ${rel(ctx, join(dir, STAND_IN_DB))} --storage ${rel(ctx, standIn.storage)}`
  return [
    `demo folder: ${d}`,
    ...outcomes.flatMap((x) => [
      `  ${x.source}: staging ${rel(ctx, x.paths.staging)} (+ deskmove.blobs/), mapping ${rel(ctx, x.paths.config)}`,
      `  ${x.source}: plan ${rel(ctx, x.paths.plan)}, report ${rel(ctx, x.paths.report)}, verify per conversation ${rel(ctx, x.paths.combined)}`,
      `  ${x.source}: archive ${rel(ctx, x.paths.archive)} (\`deskmove extract archive --from ${rel(ctx, x.paths.archive)}\` reads it back)`,
    ]),
    standIn.embedded
      ? `  FreeScout stand-in: embedded PostgreSQL (PGlite) in ${rel(ctx, join(dir, STAND_IN_DB))}, storage/app ${rel(ctx, standIn.storage)}`
      : `  FreeScout stand-in: ${redactDbUrl(standIn.url)}, storage/app ${rel(ctx, standIn.storage)}`,
    standIn.embedded
      ? `look inside: \`npx deskmove demo --serve\` keeps it open at the end, or \`${serveAgain}\` serves it again and prints FREESCOUT_DB_URL for \`psql\` (add --print-env --detach to eval it, then run deskmove commands from ${rel(ctx, outcomes[0]?.paths.dir ?? dir)})`
      : '',
  ]
    .filter(Boolean)
    .join('\n')
}

/** `deskmove demo`: simulators → extract → plan (report) → apply into one FreeScout stand-in → verify → export. */
export async function runDemoCommand(ctx: CommandContext, o: DemoCommandOptions): Promise<CommandResult> {
  const sources = SOURCES.filter((s) => s.simulator)
  if (sources.length === 0) throw new UsageError('no registered source ships a simulator: there is nothing to demo')
  const standInDef = findTarget(TARGET).simulator
  if (!standInDef) throw new TargetContractError(`the ${TARGET} target ships no stand-in simulator`)
  if (o.dbUrl !== undefined) {
    if (!dialectOfUrl(o.dbUrl)) throw new UsageError(`--db-url must be a mysql://… or postgres://… URL of an EMPTY database, not ${redactDbUrl(o.dbUrl)}`)
    ctx.redactor.add(new URL(o.dbUrl).password || null)
  }
  const dir = resolve(ctx.cwd, o.dir ?? 'deskmove-demo')
  const { reused } = prepareDemoFolder(dir, sources.map((s) => s.id), ctx.now())
  if (reused) ctx.reporter.info(`${rel(ctx, dir)}: replacing the earlier demo in it`)
  const simCtx: SimulatorContext = { cwd: dir, addSecret: (s) => ctx.redactor.add(s), info: (m) => ctx.reporter.info(m) }
  const storage = join(dir, STAND_IN_STORAGE)
  ctx.reporter.info(`── FreeScout stand-in (${sources.length} mailbox${sources.length === 1 ? '' : 'es'}: one per source) ${o.dbUrl ? `in ${redactDbUrl(o.dbUrl)}` : `in an embedded PostgreSQL in ${rel(ctx, join(dir, STAND_IN_DB))}`}`)
  const standIn: RunningSimulator = await standInDef.start(
    { ...(o.dbUrl !== undefined ? { dbUrl: o.dbUrl } : {}), dataDir: join(dir, STAND_IN_DB), storage, mailboxes: sources.length, tagsModule: true, customFieldsModule: true },
    simCtx,
  )
  try {
    const outcomes: SourceOutcome[] = []
    // The stand-in was built empty by this run, so its mailboxes are 1..N in the order of the sources.
    for (const [i, def] of sources.entries()) outcomes.push(await demoSource(ctx, def, i + 1, standIn.env, dir, o, simCtx))
    return await finish(ctx, dir, outcomes, standIn, { embedded: o.dbUrl === undefined, serve: !!o.serve, storage })
  } finally {
    await standIn.close()
  }
}

async function finish(ctx: CommandContext, dir: string, outcomes: readonly SourceOutcome[], standIn: RunningSimulator, s: { embedded: boolean; serve: boolean; storage: string }): Promise<CommandResult> {
  const differences = outcomes.some((x) => hasDifferences(x.verify))
  const rejected = outcomes.reduce((n, x) => n + x.openRejects, 0)
  const exitCode = differences ? EXIT.verifyMismatch : rejected > 0 ? EXIT.rejects : EXIT.ok
  const url = standIn.env.FREESCOUT_DB_URL ?? ''
  const texts = [
    ...outcomes.map((x) => (hasDifferences(x.verify) ? `${x.source}: ${verifyText(x.verify)}` : `${x.source} verify: ${formatVerifyCounts(x.verify)}`)),
    whereText(ctx, dir, outcomes, { embedded: s.embedded, url, storage: s.storage }),
  ]
  const json = {
    type: 'summary',
    command: 'demo',
    dir,
    seed: DEMO_SEED,
    sources: outcomes.map((x) => ({
      source: x.source,
      seconds: x.seconds,
      applyRunId: x.applyRunId,
      staging: x.paths.staging,
      plan: x.paths.plan,
      report: x.paths.report,
      verifyFile: x.paths.combined,
      archive: x.paths.archive,
      rows: x.rows,
      verify: { checked: x.verify.checked, matching: x.verify.matching, altered: x.verify.altered ?? 0, missing: x.verify.missing, differ: x.verify.differ, errors: x.verify.errors, skipped: x.verify.skipped },
    })),
    standIn: { embedded: s.embedded, dataDir: s.embedded ? join(dir, STAND_IN_DB) : null, storage: s.storage, url: s.embedded && s.serve ? url : null },
  }
  const summary = { title: `demo: ${outcomes.map((x) => x.source).join(', ')} → FreeScout stand-in`, rows: outcomes.flatMap((x) => x.rows) }
  const next = differences ? 'verify found differences (listed above): that is a deskmove bug, please report it' : rejected > 0 ? `${rejected} rejected → \`deskmove rejects --db ${rel(ctx, outcomes[0]!.paths.staging)}\`` : `done: open ${rel(ctx, outcomes[0]!.paths.report)}, then try the same with your own helpdesk (README: "A migration, step by step")`
  if (!(s.serve && standIn.serving)) return { exitCode, json, summary, text: texts.join('\n'), next }
  // --serve: the summary now, then keep the embedded database open for psql and deskmove until Ctrl-C.
  const serving = [`serving the FreeScout stand-in until Ctrl-C: psql '${url}'`, `or, from another shell, run deskmove against it from ${rel(ctx, outcomes[0]!.paths.dir)}:`, envLines(standIn.env).trimEnd()].join('\n')
  if (ctx.reporter.json) ctx.reporter.event('serving', { url, env: standIn.env })
  else ctx.reporter.out([renderSummaryTable(summary.title, summary.rows), ...texts, serving].join('\n'))
  if (!ctx.signal.aborted) await new Promise<void>((r) => ctx.signal.addEventListener('abort', () => r(), { once: true }))
  return { exitCode, json }
}
