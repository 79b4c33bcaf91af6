import { Command, InvalidArgumentError, Option } from 'commander'
import { runCommand, type GlobalOptions } from './run-command.js'

function int(name: string, min = 0) {
  return (v: string): number => {
    const n = Number(v)
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${name} must be a whole number ≥ ${min}`)
    return n
  }
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i

/** A strict ISO-8601 date or instant: `new Date` alone turns 2024-02-30 into 1 March without a word. */
export function iso(v: string): string {
  const example = 'expected an ISO-8601 date or instant, e.g. 2024-01-31 or 2024-01-31T00:00:00Z'
  const m = ISO.exec(v.trim())
  if (!m) throw new InvalidArgumentError(example)
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate()
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) throw new InvalidArgumentError(`${v} is not a date in the calendar (${example})`)
  if (Number(m[4] ?? 0) > 23 || Number(m[5] ?? 0) > 59 || Number(m[6] ?? 0) > 59) throw new InvalidArgumentError(`${v} is not a time of day (${example})`)
  const d = new Date(v.trim())
  if (Number.isNaN(d.getTime())) throw new InvalidArgumentError(example)
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

const GiB = 1024 ** 3

/** The reading flags `extract` and `migrate` share. */
function withExtractOptions(cmd: Command): Command {
  return cmd
    .option('--since <iso>', 'delta: only records modified since this instant', iso)
    .option('--limit <n>', 'trial run: stop after this many tickets', int('--limit', 1))
    .option('--rpm <n>', 'request budget per minute (default: the vendor’s documented limit)', int('--rpm', 1))
    .option('--concurrency <n>', 'requests in flight at once', int('--concurrency', 1))
    .option('--streams <list>', 'only these streams (and what they depend on), comma separated', (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .option('--no-attachments', 'stage attachment metadata only, without fetching the bytes')
    .addOption(new Option('--max-attachment-bytes <n>', 'reject attachments larger than this').argParser(int('--max-attachment-bytes', 1)).default(2 * GiB, '2 GiB'))
}

/** Every command and flag, declared in one place; actions import their module lazily so startup stays fast. */
export function buildProgram(): Command {
  const program = new Command('deskmove')
    .description('Move a helpdesk out of a SaaS vendor into a self-hosted one, with nothing lost.')
    .version('0.1.0')
    .option('--db <path>', 'staging database (default ./deskmove.db, or $DESKMOVE_DB)')
    .option('--config <file>', 'config file (default ./deskmove.json when present, or $DESKMOVE_CONFIG)')
    .option('--json', 'machine output: NDJSON events and a final summary object on stdout')
    .option('-q, --quiet', 'only errors and the summary')
    .option('-v, --verbose', 'debug logs and error causes')
    .showHelpAfterError()
    .exitOverride()
  const globals = (): GlobalOptions => program.opts<GlobalOptions>()

  withExtractOptions(
    program
      .command('extract')
      .description('read everything from a source into the staging store (resumable: re-run to continue)')
      .argument('<source>', 'source adapter: helpscout, or archive (a `deskmove export` folder)'),
  )
    .option('--from <dir>', 'extract archive: the archive folder (or DESKMOVE_ARCHIVE_DIR)')
    .option('--record <dir>', 'also save every HTTP exchange, scrubbed of credentials, as fixture files in DIR')
    .option('--anonymize', 'with --record: replace names, emails and bodies with deterministic fakes')
    .option('--replay <dir>', 'read from a recording made with --record instead of the vendor (offline)')
    .action(async (sourceId: string, o) => {
      const { runExtractCommand } = await import('./commands/extract.js')
      const { withArchiveDir } = await import('./commands/export.js')
      await runCommand(globals(), (ctx) => runExtractCommand(withArchiveDir(ctx, sourceId, o.from), sourceId, o))
    })

  withExtractOptions(
    program
      .command('migrate')
      .description('extract → plan → apply → verify in one go, with one summary (re-run to resume)')
      .argument('<source>', 'source adapter: helpscout')
      .argument('<target>', 'target adapter: freescout'),
  )
    .option('--dry-run', 'extract and plan only: nothing is written to the target')
    .option('--no-verify', 'skip the verify step')
    .option('--sample <pct>', 'verify a deterministic sample of this percentage', (v: string) => Number(v))
    .option('--combined <file>', 'verify: write one line per conversation (= + * ! ~)')
    .action(async (sourceId: string, targetId: string, o) => {
      const { runMigrateCommand } = await import('./commands/migrate.js')
      await runCommand(globals(), (ctx) => runMigrateCommand(ctx, sourceId, targetId, o))
    })

  program
    .command('check')
    .description('a source: credentials and the permission of every stream; a target: database and storage ready (nothing is written)')
    .argument('<name>', 'source (helpscout) or target (freescout)')
    .action(async (sourceId: string) => {
      const { runCheckCommand } = await import('./commands/check.js')
      await runCommand(globals(), (ctx) => runCheckCommand(ctx, sourceId))
    })

  program
    .command('status')
    .description('what the staging store holds: counts per kind, stream checkpoints, rejects')
    .action(async () => {
      const { runStatusCommand } = await import('./commands/status.js')
      await runCommand(globals(), (ctx) => runStatusCommand(ctx))
    })

  program
    .command('rejects')
    .description('list records that could not be read, fetched or written, with the reason')
    .addOption(new Option('--phase <phase>', 'only this phase').choices(['extract', 'blob', 'plan', 'apply', 'verify']))
    .option('--source <id>', 'only this source')
    .option('--target <id>', 'only this target')
    .option('--run <id>', 'only this run')
    .option('--all', 'include rejects that were resolved by a later run')
    .option('--raw', 'include the raw vendor payload')
    .option('--limit <n>', 'at most this many', int('--limit', 1))
    .action(async (o) => {
      const { runRejectsCommand } = await import('./commands/rejects.js')
      await runCommand(globals(), (ctx) => runRejectsCommand(ctx, o))
    })

  program
    .command('init')
    .description('write a commented deskmove.json: every staged mailbox, status and agent listed with its count, matched to the target where it can')
    .option('--file <path>', 'where to write it', 'deskmove.json')
    .option('--force', 'overwrite an existing file')
    .option('--target <name>', 'the target whose mapping sections to write (default: freescout)')
    .action(async (o) => {
      const { runInitCommand } = await import('./commands/init.js')
      await runCommand(globals(), (ctx) => runInitCommand(ctx, o))
    })

  program
    .command('plan')
    .description('dry run: what apply would create, update, leave or skip in the target (writes nothing to it; exit 8 = changes pending)')
    .argument('<target>', 'target adapter: freescout')
    .option('-o, --out <plan.json>', 'write the plan for `apply` to execute exactly')
    .option('--report <file>', 'a report for a person: FILE.md or FILE.html')
    .option('--from <source>', 'which staged source (when staging holds several)')
    .option('--expect-report <file>', 'CI: fail (exit 6, diff printed) when the Markdown report differs from FILE; exit 0 when it matches')
    .option('--update-expected', 'with --expect-report: rewrite FILE instead (also DESKMOVE_UPDATE_GOLDEN=1)')
    .action(async (targetId: string, o) => {
      const { runPlanCommand } = await import('./commands/plan.js')
      await runCommand(globals(), (ctx) => runPlanCommand(ctx, targetId, o))
    })

  program
    .command('apply')
    .description('write staging into the target: exactly the reviewed plan, or plan-then-apply (idempotent, resumable)')
    .argument('<target>', 'target adapter: freescout')
    .argument('[plan]', 'plan.json from `deskmove plan -o`; refused if staging or the target moved since')
    .option('--from <source>', 'which staged source (when staging holds several)')
    .option('--retry-rejects', 're-attempt only the records an earlier apply rejected')
    .option('--dry-run', 'the same as `deskmove plan`')
    .action(async (targetId: string, planPath: string | undefined, o) => {
      const { runApplyCommand } = await import('./commands/apply.js')
      await runCommand(globals(), (ctx) => runApplyCommand(ctx, targetId, planPath, o))
    })

  program
    .command('rollback')
    .description('remove exactly what one apply run created in the target (attachment files too), nothing else')
    .argument('<target>', 'target adapter: freescout')
    .requiredOption('--run <id>', 'the apply run id (printed by apply; `deskmove status --json` lists runs)')
    .option('--preview', 'print what would be removed, change nothing')
    .option('--force', 'also remove what people changed in the target after the run (replies, status, assignee, tags)')
    .action(async (targetId: string, o) => {
      const { runRollbackCommand } = await import('./commands/rollback.js')
      await runCommand(globals(), (ctx) => runRollbackCommand(ctx, targetId, o))
    })

  program
    .command('verify')
    .description('compare staging with the target, per conversation (rclone check style; exit 6 on any difference)')
    .argument('<target>', 'target adapter: freescout')
    .option('--combined <file>', 'write one line per conversation: = same, + missing in target, * differs, ! error, ~ skipped by the plan')
    .option('--sample <pct>', 'check a deterministic sample of this percentage', (v: string) => Number(v))
    .option('--from <source>', 'which staged source (when staging holds several)')
    .action(async (targetId: string, o) => {
      const { runVerifyCommand } = await import('./commands/verify.js')
      await runCommand(globals(), (ctx) => runVerifyCommand(ctx, targetId, o))
    })

  program
    .command('show')
    .description('trace one record: raw → canonical → planned → applied (target id) → verified')
    .argument('<kind>', 'ticket, message, attachment, customer, agent, …')
    .argument('<source-id>', 'the id in the source helpdesk')
    .option('--target <id>', 'also plan, look up and verify it in this target')
    .option('--from <source>', 'which source (when the id exists in several)')
    .action(async (kind: string, sourceId: string, o) => {
      const { runShowCommand } = await import('./commands/show.js')
      await runCommand(globals(), (ctx) => runShowCommand(ctx, kind, sourceId, o))
    })

  program
    .command('export')
    .description('write the whole staging store as a vendor-neutral archive: JSONL per kind + attachment files, and one .eml per message')
    .requiredOption('--out <dir>', 'the archive folder (new or empty; a previous archive needs --force)')
    .option('--format <list>', 'jsonl, eml, or both (default; comma separated or repeated)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--force', 'replace a previous deskmove archive in --out')
    .action(async (o) => {
      const { runExportCommand } = await import('./commands/export.js')
      await runCommand(globals(), (ctx) => runExportCommand(ctx, o))
    })

  program
    .command('demo')
    .description('the whole pipeline offline: each simulator → extract → plan (report) → apply into a FreeScout stand-in (embedded PostgreSQL) → verify → export')
    .option('--dir <dir>', 'folder for everything the demo writes (new, empty, or an earlier demo’s)', 'deskmove-demo')
    .option('--db-url <url>', 'an EMPTY MariaDB/MySQL or PostgreSQL database for the stand-in, instead of the embedded one')
    .option('--tickets <n>', 'tickets per simulated source', int('--tickets', 1), 25)
    .option('--serve', 'at the end, keep the embedded stand-in open (for psql and deskmove) until Ctrl-C')
    .action(async (o) => {
      const { runDemoCommand } = await import('./commands/demo.js')
      await runCommand(globals(), (ctx) => runDemoCommand(ctx, o))
    })

  // Each simulator comes from the registry (an adapter definition's `simulator`); its options are parsed there.
  program
    .command('simulate')
    .description('run a local simulator of a vendor or target (offline testing, CI, benchmarks); `deskmove simulate` lists them')
    .argument('[name]', 'simulator, e.g. helpscout or freescout')
    .argument('[options...]', 'the simulator’s options: `deskmove simulate <name> --help`')
    .helpOption(false)
    .allowUnknownOption()
    .action(async (name: string | undefined, rest: string[]) => {
      const { runSimulateCommand } = await import('./commands/simulate.js')
      await runSimulateCommand(globals(), name, rest)
    })

  return program
}
