import { existsSync, writeFileSync } from 'node:fs'
import { dirname, isAbsolute, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { CommandContext, CommandResult } from '../command.js'
import { initConfigText, renderObservedSection, renderSuggestedSection } from '../../core/init-config.js'
import type { AnyMappingSection, ObservedEntry } from '../../core/mapping-section.js'
import { TARGETS, findTarget, type AnyTargetDefinition } from '../../../adapters/index.js'
import { DEFAULT_CONFIG_FILE } from '../../core/config-file.js'
import { isMigrationError, UsageError } from '../../core/errors.js'
import { EXIT } from '../../core/exit-codes.js'
import { openStagingStore } from '../../staging/store.js'
import { stagedSources } from '../../staging/records.js'
import { describeRecords, observedValues } from '../../staging/observed.js'
import { openTargetSession } from '../target-session.js'

/** The package's JSON Schema, found by walking up from this module (works from `src/` and from `dist/src/`). */
function packageSchema(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 6; i++) {
    const p = join(dir, 'schemas', 'deskmove.schema.json')
    if (existsSync(p)) return p
    dir = dirname(dir)
  }
  return null
}

/** `$schema` as a path that exists for the user: relative to the written file when that stays short, else absolute. */
export function schemaRef(configPath: string, schema: string | null): string {
  if (!schema) return './schemas/deskmove.schema.json'
  const rel = relative(dirname(configPath), schema)
  if (isAbsolute(rel) || rel.split(/[\\/]/).filter((p) => p === '..').length > 3) return schema
  return rel.startsWith('.') ? rel : `./${rel}`
}

interface Staged {
  readonly source: string
  readonly observed: Readonly<Record<string, ObservedEntry[]>>
  readonly agents: ObservedEntry[]
}

/** The commented lines inside `"agents"`: each staged agent with its ticket count, matched where the target says. */
function agentLines(def: AnyTargetDefinition, agents: readonly ObservedEntry[], lookups: unknown): string[] {
  const said = lookups !== null && def.suggestAgents ? def.suggestAgents(agents, lookups) : null
  return agents.map((a, i) => {
    const s = said?.[i]
    const note = s?.note ?? `${a.name ?? 'agent'}: ${a.count} ticket(s) assigned; ${a.email ? 'matched by email when the target has a user with it' : 'no email: map it, or it follows unmatchedAgents'}`
    return `// ${JSON.stringify(a.value)}: ${JSON.stringify(s?.target ?? 'user@yourcompany.com')},  // ${note.replace(/[\r\n]+/g, ' ')}`
  })
}

/** What staging holds that the mapping must cover (values per section, agents), or null without staging. */
function readStaged(ctx: CommandContext, sections: readonly AnyMappingSection[]): Staged | null {
  if (!existsSync(ctx.dbPath)) return null
  const store = openStagingStore(ctx.dbPath, { readonly: true })
  try {
    const sources = stagedSources(store.db)
    if (sources.length !== 1) return null
    const source = sources[0]!
    const observed: Record<string, ObservedEntry[]> = {}
    for (const s of sections) {
      const described = s.observe.describedBy ? describeRecords(store.db, source, s.observe.describedBy) : null
      observed[s.name] = [...observedValues(store.db, source, s.observe)]
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .map(([value, count]) => ({ value, count, ...(described?.get(value) ?? {}) }))
    }
    const assigned = observedValues(store.db, source, { kind: 'ticket', path: '$.assigneeRef.sourceId' })
    const agents = [...describeRecords(store.db, source, 'agent')]
      .map(([id, a]) => ({ value: a.email ?? id, count: assigned.get(id) ?? 0, name: a.name, email: a.email }))
      .sort((a, b) => b.count - a.count)
    return { source, observed, agents }
  } finally {
    store.close()
  }
}

/** The target's lookups when it is configured and answers; null (with a warning saying why) otherwise. */
async function targetLookups(ctx: CommandContext, def: AnyTargetDefinition): Promise<unknown> {
  let session
  try {
    // Target settings may live in the existing deskmove.json (being replaced with --force); a broken one is ignored.
    try {
      session = openTargetSession(ctx, def.id)
    } catch (e) {
      if (!ctx.configPath || !isMigrationError(e)) throw e
      session = openTargetSession({ ...ctx, configPath: null }, def.id)
    }
  } catch (e) {
    if (isMigrationError(e)) {
      ctx.reporter.info(`${def.displayName} is not configured (${(e as Error).message}): mapping values are left for you to choose`)
      return null
    }
    throw e
  }
  try {
    return await session.target.prepare(ctx.signal)
  } catch (e) {
    if (!isMigrationError(e)) throw e
    ctx.reporter.warn(`could not read ${def.displayName}'s mailboxes and users: ${(e as Error).message}; mapping values are left for you to choose`)
    return null
  } finally {
    await session.close()
  }
}

/**
 * `deskmove init`: writes a commented starting deskmove.json; never overwrites one without --force. With
 * staging, every observed value of the target's sections is listed with its count; with the target
 * configured, values are matched to the target's (by email or name) where they can be.
 */
export async function runInitCommand(ctx: CommandContext, o: { file?: string; force?: boolean; target?: string }): Promise<CommandResult> {
  // The mapping sections are the target's own; without a choice, the first registered target's.
  const target = findTarget(o.target ?? TARGETS[0]!.id)
  const path = resolve(ctx.cwd, o.file ?? DEFAULT_CONFIG_FILE)
  if (existsSync(path) && !o.force) throw new UsageError(`${path} already exists`, { hint: 'pass --force to overwrite it' })
  const sections = target.mapping ?? []
  const staged = readStaged(ctx, sections)
  const lookups = staged ? await targetLookups(ctx, target) : null
  const sectionTexts: Record<string, string> = {}
  let matched = 0
  let open = 0
  for (const s of sections) {
    const observed = staged?.observed[s.name] ?? []
    if (!staged) continue
    if (s.suggest) {
      const suggestions = s.suggest(observed, lookups)
      matched += suggestions.entries.filter((e) => e.target !== null).length
      open += suggestions.entries.filter((e) => e.target === null).length
      sectionTexts[s.name] = renderSuggestedSection(s, suggestions)
    } else {
      sectionTexts[s.name] = renderObservedSection(s, observed)
    }
  }
  writeFileSync(path, initConfigText({ displayName: target.displayName, sections }, { schemaPath: schemaRef(path, packageSchema()), sectionTexts, agentLines: staged ? agentLines(target, staged.agents, lookups) : [] }))
  const what = staged ? `: ${matched} value(s) matched, ${open} left as commented choices (from ${staged.source}'s staging${lookups ? ` and ${target.displayName}` : ''})` : ' (no staging yet: run `deskmove extract <source>` first, then `deskmove init --force` lists what it holds)'
  return {
    exitCode: EXIT.ok,
    json: { type: 'summary', command: 'init', path, matched, open, target: target.id },
    text: `wrote ${path}${what}`,
    next: `review the mapping, then \`deskmove plan ${target.id}\``,
  }
}
