import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import type { CommandContext, CommandResult } from '../command.js'
import { openStagingStore } from '../../staging/store.js'
import { exportArchive } from '../../engine/export/index.js'
import { ARCHIVE_FORMATS, type ArchiveFormatPart } from '../../core/archive/format.js'
import { KIND_PLURAL, type EntityKind } from '../../core/model/common.js'
import { UsageError } from '../../core/errors.js'
import { EXIT } from '../../core/exit-codes.js'

export interface ExportCommandOptions {
  readonly out: string
  /** `--format` values as given: repeated and/or comma separated. */
  readonly format?: readonly string[]
  readonly force?: boolean
}

/** `--format jsonl,eml`, `--format jsonl --format eml`; both when not given. */
export function parseFormats(given: readonly string[] | undefined): ArchiveFormatPart[] {
  if (!given || given.length === 0) return [...ARCHIVE_FORMATS]
  const parts = given.flatMap((g) => g.split(',')).map((s) => s.trim().toLowerCase()).filter(Boolean)
  const unknown = parts.filter((p) => !(ARCHIVE_FORMATS as readonly string[]).includes(p))
  if (unknown.length > 0) throw new UsageError(`unknown --format ${unknown.join(', ')}`, { hint: `choose from ${ARCHIVE_FORMATS.join(', ')} (comma separated for both; both is the default)` })
  return ARCHIVE_FORMATS.filter((f) => parts.includes(f))
}

/** `deskmove export --out DIR`: the whole staging store as a vendor-neutral archive (README "Export archive"). */
export async function runExportCommand(ctx: CommandContext, o: ExportCommandOptions): Promise<CommandResult> {
  const formats = parseFormats(o.format)
  if (!existsSync(ctx.dbPath)) throw new UsageError(`there is no staging store at ${ctx.dbPath}`, { hint: 'run `deskmove extract <source>` first, or pass --db PATH' })
  // Read only: an export never waits for, nor blocks, a writer; it reads one consistent snapshot.
  const store = openStagingStore(ctx.dbPath, { readonly: true })
  const progress = ctx.reporter.progress()
  try {
    const s = await exportArchive({ store, out: resolve(ctx.cwd, o.out), formats, force: o.force ?? false, signal: ctx.signal, log: ctx.reporter, progress, now: ctx.now })
    const c = s.manifest.counts
    const rows = Object.entries(c.records)
      .filter(([, n]) => n > 0)
      .map(([kind, n]) => ({ kind: KIND_PLURAL[kind as EntityKind] ?? kind, staged: n }))
    const lines = [
      `archive: ${s.out} (format version ${s.manifest.formatVersion}, ${s.manifest.formats.join(' + ')})`,
      ...(s.manifest.formats.includes('jsonl') ? [`attachment files: ${c.attachmentFiles.stored} with their bytes (${c.attachmentFiles.distinctBlobs} distinct files, ${c.attachmentFiles.bytes} bytes), ${c.attachmentFiles.withoutBytes} without (listed in attachment-files.jsonl)`] : []),
      ...(s.manifest.formats.includes('eml') ? [`emails: ${c.eml.files} .eml files, ${c.eml.skipped} system events kept as records only`] : []),
      `warnings: ${c.warnings}, open rejects: ${c.rejects}`,
      ...(s.replaced === 'complete' ? ['the previous archive in that folder was replaced'] : []),
    ]
    return {
      exitCode: EXIT.ok,
      json: { type: 'summary', command: 'export', out: s.out, replaced: s.replaced, formats: s.manifest.formats, formatVersion: s.manifest.formatVersion, sources: s.manifest.sources, counts: c, attachmentsWithoutBytes: s.attachmentsWithoutBytes, seconds: s.seconds },
      summary: { title: `export → ${s.out}`, rows },
      text: lines.join('\n'),
      next: s.manifest.formats.includes('jsonl') ? `read it back anywhere: \`deskmove extract archive --from ${o.out}\`` : undefined,
    }
  } finally {
    progress.stop()
    store.close()
  }
}

/**
 * `extract archive --from DIR`: the flag is the archive source's `dir` config key (as DESKMOVE_ARCHIVE_DIR),
 * handed over through the environment every adapter config is resolved from. Refused for other sources.
 */
export function withArchiveDir(ctx: CommandContext, sourceId: string, from: string | undefined): CommandContext {
  if (from === undefined) return ctx
  if (sourceId !== 'archive') throw new UsageError(`--from is for \`deskmove extract archive\`, not ${sourceId}`, { hint: `drop --from; ${sourceId} reads its settings from its environment variables or deskmove.json` })
  return { ...ctx, env: { ...ctx.env, DESKMOVE_ARCHIVE_DIR: resolve(ctx.cwd, from) } }
}
